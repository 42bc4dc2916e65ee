"""Import WordPress REST JSON (`faq` items and `faq-categories` terms), and WordPress's
own export (WXR), which `wxr` reads as the same items.

Reading (`sources.read_sources`), checking (`items`) and writing (`import_items`,
here) are apart, so a malformed file or item is reported with its place and skipped
while the rest goes on. Ids are kept: a question's WordPress id is its primary key,
a term's id its category's. Re-running an import changes nothing; an item whose
`modified_gmt` is newer updates its row. Attachments (wp/v2/media items, or embedded)
and a local copy of wp-content/uploads bring the answers' images into the media
library (`media_import`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from taggit.models import Tag

from analysis.stored import analyse_missing
from faqs import publishing, tags
from faqs.models import Category, Question
from faqs.models.bulk import chunks
from faqs.slugs import next_free_slug, slug_from_title
from history import versions as history
from links import redirects
from links.resolve import question_path
from people.models import Person
from sources.models import Source
from wordpress.items import (
    ItemError,
    QuestionData,
    RedirectData,
    TermData,
    item_kind,
    parse_question,
    parse_redirect,
    parse_term,
)
from wordpress.media_import import ImageCounts, LibraryImport, embedded_attachments, parse_attachment
from wordpress.sources import Problem, SourceItem

BATCH = 500


@dataclass
class ImportReport:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    terms_created: list[int] = field(default_factory=list)
    terms_updated: list[int] = field(default_factory=list)
    terms_unchanged: list[int] = field(default_factory=list)
    people_created: list[int] = field(default_factory=list)  # byline profiles made from authors
    redirects_written: int = 0
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    analysed: int = 0  # questions whose content analysis was made after the import
    analysis_seconds: float = 0.0
    images: ImageCounts | None = None  # when an uploads folder was given

    def summary(self) -> str:
        images = f"; images: {self.images}" if self.images else ""
        return (
            f"questions: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged; categories: {len(self.terms_created)} created, "
            f"{len(self.terms_updated)} updated, {len(self.terms_unchanged)} unchanged; "
            f"redirects: {self.redirects_written} written; skipped: {len(self.skipped)}{images}"
        )


def import_items(
    items: Iterable[SourceItem], *, dry_run: bool = False, media_dir: Path | None = None
) -> ImportReport:
    """Import terms first (questions refer to them), then questions, in one
    transaction; a dry run does all the work and rolls it back. `media_dir`: WordPress's
    wp-content/uploads folder, copied here, for the answers' images. `items` is read
    twice: whole, for what the questions refer to, then for the questions, a batch at a
    time (a WXR file is streamed each time: `sources.SourceItems`)."""
    if iter(items) is items:
        items = list(items)  # a one-time iterator could not be read twice
    report = ImportReport()
    parsed = parse_items(items, report, keep=("term", "redirect", "attachment"))
    images = LibraryImport(media_dir, parsed["attachment"], dry_run=dry_run)
    try:
        with transaction.atomic():
            import_terms(parsed["term"], report)
            for rows in question_batches(items):
                import_questions(rows, report, images)
            import_redirects(parsed["redirect"], report)
            if dry_run:
                # PostgreSQL's sequences live outside transactions: leave them untouched.
                transaction.set_rollback(True)
            else:
                reset_id_sequences()
    except BaseException:
        images.discard_files()  # the rollback took their rows
        raise
    report.warnings.extend(images.warnings())
    report.images = images.counts()
    if not dry_run:
        # A large import leaves its content analysis to this pass, once committed
        # (analysis.stored.BACKGROUND_FROM); a small one was analysed as it was written.
        began = time.perf_counter()
        report.analysed = analyse_missing()
        report.analysis_seconds = time.perf_counter() - began
    return report


PARSERS = {
    "term": parse_term,
    "question": parse_question,
    "redirect": parse_redirect,
    "attachment": parse_attachment,
}


def parse_items(
    items: Iterable[SourceItem], report: ImportReport, keep: tuple[str, ...] = tuple(PARSERS)
) -> dict[str, list]:
    """Terms, questions, redirects and attachments (with those questions embed) by kind,
    of the kinds in `keep`; an item that does not fit, or names an id an earlier item
    of the run already gave, is reported with its place and skipped."""
    parsed: dict[str, list] = {kind: [] for kind in PARSERS}
    for kind, row in _parsed_rows(items, report):
        if kind in keep:
            parsed[kind].append(row)
    return parsed


# Questions parsed and written at a time: an import holds one batch of answers, not the
# export's (a 100,000-item WXR file imports in bounded memory). At least
# analysis.stored.BACKGROUND_FROM, so a large import's analysis still waits for its end.
QUESTION_BATCH = 2000


def question_batches(items: Iterable[SourceItem]) -> Iterator[list[QuestionData]]:
    """The questions of `items`, parsed again QUESTION_BATCH at a time; parse_items()
    already reported the items skipped."""
    batch: list[QuestionData] = []
    for kind, row in _parsed_rows(items, ImportReport()):
        if kind == "question":
            batch.append(row)
        if len(batch) == QUESTION_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _parsed_rows(items: Iterable[SourceItem], report: ImportReport) -> Iterator[tuple[str, Any]]:
    first_places: dict[tuple[str, int], str] = {}
    for item in items:
        try:
            kind = item_kind(item.data)
            row = PARSERS[kind](item.data)
            _check_first_of_its_id(kind, row, f"{item.source}: {item.position}", first_places)
        except ItemError as error:
            report.skipped.append(Problem(item.source, item.position, str(error)))
            continue
        yield kind, row
        if kind == "question":
            yield from (("attachment", attachment) for attachment in embedded_attachments(item.data))


def _check_first_of_its_id(kind: str, row, place: str, first_places: dict[tuple[str, int], str]) -> None:
    """Two items of one run with the same id cannot both be right: the first is
    imported, the later one refused with both places, so the export gets fixed."""
    if kind == "redirect":
        return  # redirects have no id
    key = (kind, row.question.id if kind == "question" else row.id)
    if key in first_places:
        raise ItemError(f"{kind} id {key[1]} given twice; the first, at {first_places[key]}, is imported")
    first_places[key] = place


def import_terms(terms: list[TermData], report: ImportReport) -> None:
    """Create or update categories from terms. A term the last import already brought,
    unchanged at the source, is left alone: editors' later changes here stand."""
    existing = Category.objects.in_bulk([term.id for term in terms])
    # The hierarchy as it will be: the database's, overlaid with what the import says.
    parents = {
        **dict(Category.objects.values_list("id", "parent_id")),
        **{t.id: t.parent or None for t in terms},
    }
    taken = dict(Category.objects.values_list("slug", "id"))
    for term in _parents_first(terms):
        category, fingerprint = existing.get(term.id), term.fingerprint()
        if category is not None and category.wp_import_hash == fingerprint:
            report.terms_unchanged.append(term.id)
            continue
        category = category or Category(id=term.id)
        category.name, category.description = term.name, term.description
        category.slug = _free_slug(term.slug, term.id, taken, report)
        category.parent_id = _safe_parent(term, parents, report)
        category.ordering = category.ordering if term.ordering is None else term.ordering
        category.wp_import_hash = fingerprint
        publishing.save_category(category)
        (report.terms_updated if term.id in existing else report.terms_created).append(term.id)
        parents[term.id], taken[category.slug] = category.parent_id, term.id


def _safe_parent(term: TermData, parents: dict[int, int | None], report: ImportReport) -> int | None:
    """The term's parent when it exists and does not make a loop (WordPress refuses
    those too); else none, with a warning."""
    if not term.parent:
        return None
    chain, ancestor = set(), term.parent
    while ancestor is not None and ancestor not in chain:
        if ancestor == term.id:
            report.warnings.append(
                f"category {term.id}: parent {term.parent} would make a loop; left at the top"
            )
            return None
        chain.add(ancestor)
        ancestor = parents.get(ancestor)
    if term.parent not in parents:
        report.warnings.append(f"category {term.id}: parent {term.parent} is unknown; left without parent")
        return None
    return term.parent


def _parents_first(terms: list[TermData]) -> list[TermData]:
    """Terms ordered so a parent in the same import comes before its children."""
    pending = {term.id: term for term in terms}
    ordered: list[TermData] = []
    while pending:
        ready = [t for t in pending.values() if t.parent not in pending or t.parent == t.id]
        ready = ready or [next(iter(pending.values()))]  # a loop: break it anywhere
        for term in ready:
            ordered.append(pending.pop(term.id))
    return ordered


def _free_slug(wanted: str, owner_id: int, taken: dict[str, int], report: ImportReport) -> str:
    """The wanted slug unless another row holds it; then WordPress's -2, -3 …"""
    slug = next_free_slug(wanted, lambda candidate: taken.get(candidate, owner_id) != owner_id)
    if slug != wanted:
        report.warnings.append(f"id {owner_id}: slug {wanted!r} is taken; imported as {slug}")
    return slug


def import_questions(rows: list[QuestionData], report: ImportReport, images: LibraryImport) -> None:
    ids = [row.question.id for row in rows]
    existing = {
        row["id"]: row
        for chunk in chunks(ids)
        for row in Question.objects.filter(id__in=chunk).values(
            "id",
            "modified_at",
            "slug",
            "status",
            "published_at",
            "written_by_id",
            "reviewed_by_id",
            "last_reviewed",
            "featured_image_id",
        )
    }
    taken = dict(Question.objects.values_list("slug", "id"))
    to_create, to_update = [], []
    for row in rows:
        question = row.question
        current = existing.get(question.id)
        if current and question.modified_at <= current["modified_at"]:
            report.unchanged.append(question.id)
            continue
        question.slug = _free_slug(
            question.slug or slug_from_title(question.title), question.id, taken, report
        )
        taken[question.slug] = question.id
        images.bring_in(question, row.featured_media)  # before finish() sanitises the answer
        if current and question.featured_image_id is None:
            question.featured_image_id = current["featured_image_id"]  # the picture chosen here stays
        row.finish()
        if current and row.writer is None:
            question.written_by_id = current["written_by_id"]  # an item without author keeps the byline
        if current and not row.profiles and row.sources is None:
            # WordPress's own item knows no review: the question keeps the one it has.
            question.reviewed_by_id, question.last_reviewed = (
                current["reviewed_by_id"],
                current["last_reviewed"],
            )
        (to_update if current else to_create).append(row)
    _ensure_categories(to_create + to_update, report)
    _credit_writers(to_create + to_update, report)
    Question.objects.bulk_create([row.question for row in to_create], batch_size=BATCH)
    _update_questions([row.question for row in to_update])
    _set_relations(to_create, to_update)
    _set_sources(to_create + to_update)
    publishing.questions_written(
        [row.question for row in to_create + to_update], existing, note=history.IMPORT_NOTE
    )
    report.created.extend(row.question.id for row in to_create)
    report.updated.extend(row.question.id for row in to_update)


UPDATED_FIELDS = [
    "title", "slug", "content", "excerpt", "status", "published_at", "modified_at", "saved_at", "seo_title",
    "written_by_id", "reviewed_by_id", "last_reviewed",
    "meta_description", "canonical_url", "noindex", "nofollow", "wp_guid", "reading_minutes",
    "auto_description", "search_text", "focus_keyphrase", "keyphrase_synonyms", "cornerstone",
    "featured_image_id",
]  # fmt: skip


def _update_questions(questions: list[Question]) -> None:
    """One UPDATE a row: bulk_update() would build a CASE of every row for every field,
    ten times slower (39 s of CPU for 10,000 rows). No row is handed a slug another row
    holds (_free_slug), so no single update can collide on the unique slug."""
    for question in questions:
        fields = {name: getattr(question, name) for name in UPDATED_FIELDS}
        Question.objects.filter(pk=question.pk).update(**fields)


def _credit_writers(rows: list[QuestionData], report: ImportReport) -> None:
    """Each item's WordPress author becomes its byline: the profile with the same id,
    made from `_embedded.author` when the import holds it (a placeholder named from the
    id otherwise, for an editor to fill in). Existing profiles are left as editors made
    them. An item without an author keeps the byline it has."""
    described = {row.writer.id: _writer_profile(row.writer) for row in rows if row.writer}
    described.update((profile["id"], profile) for row in rows for profile in row.profiles)
    existing = Person.objects.in_bulk(list(described)) if described else {}
    credited = {}  # the import's person id → the profile credited
    for person_id, profile in described.items():
        credited[person_id] = _profile_for(profile, existing.get(person_id), report)
    for row in rows:
        if row.writer:
            row.question.written_by_id = credited[row.writer.id]
        if row.reviewer_id:
            row.question.reviewed_by_id = credited[row.reviewer_id]


def _writer_profile(writer) -> dict:
    """What WordPress's item tells of its author, as a profile."""
    fields = {
        "name": writer.name,
        "slug": writer.slug,
        "bio": writer.description,
        "profile_links": writer.url,
    }
    return {"id": writer.id, "described": bool(writer.name), **fields}


def _profile_for(profile: dict, holder: Person | None, report: ImportReport) -> int:
    """The id of the profile to credit: the one holding the import's id when it is the
    same person (or the import does not say who), else the one with the import's slug,
    else a new one. Profiles made here before the import have ids 1, 2, 3 … as
    WordPress users do: user 1 ("admin") must not become someone else's byline."""
    described = profile.pop("described", True)
    if holder is not None and (not described or _same_person(holder, profile)):
        return holder.pk
    if holder is not None:
        slug = profile.get("slug", "").lower()
        namesake = Person.objects.filter(slug=slug).first() if slug else None
        if namesake is not None and _same_person(namesake, profile):
            return namesake.pk
        report.warnings.append(
            f"author {profile['id']} ({profile['name']!r}): id {profile['id']} is the profile "
            f"{holder.name!r}; credited to a new profile instead"
        )
        # An id past every profile's: PostgreSQL's sequence may lag ids given explicitly
        # (it is moved past them when the import ends, reset_id_sequences()).
        profile = {**profile, "id": (Person.objects.aggregate(top=Max("pk"))["top"] or 0) + 1}
    person = Person(**profile)
    if not described:
        person.name = f"Author {profile['id']}"
        report.warnings.append(
            f"author {profile['id']}: not described in the import (export with ?_embed); "
            f"created as placeholder {person.name!r}"
        )
    _new_profile(person, report)
    return person.pk


def _same_person(person: Person, profile: dict) -> bool:
    name, slug = profile.get("name", ""), profile.get("slug", "")
    return person.name.casefold() == name.casefold() or bool(slug) and person.slug == slug.lower()


def _new_profile(person: Person, report: ImportReport) -> None:
    """A profile the import names and the site lacks; its slug, if another profile holds
    it, made anew from the name (WordPress's -2)."""
    if person.slug and Person.objects.filter(slug=person.slug).exists():
        person.slug = ""
    person.save()
    report.people_created.append(person.pk)


def _set_sources(rows: list[QuestionData]) -> None:
    """The sources of certfaq's export replace the question's; an item without them
    (WordPress's own) leaves the question's sources as they are."""
    rows = [row for row in rows if row.sources is not None]
    for chunk in chunks([row.question.id for row in rows]):
        Source.objects.filter(question_id__in=chunk).delete()
    Source.objects.bulk_create(
        (Source(question_id=row.question.id, position=n, **source) for row in rows
         for n, source in enumerate(row.sources, start=1)),
        batch_size=BATCH,
    )  # fmt: skip


def _ensure_categories(rows: list[QuestionData], report: ImportReport) -> None:
    """Terms known only by id become placeholders named from their slug; importing
    the taxonomy later fills them in."""
    wanted: dict[int, str] = {}
    for row in rows:
        for term_id in row.category_ids:
            wanted.setdefault(term_id, row.category_slug_hints.get(term_id, ""))
    missing = set(wanted) - set(Category.objects.filter(id__in=wanted).values_list("id", flat=True))
    taken = dict(Category.objects.values_list("slug", "id"))
    for term_id in sorted(missing):
        slug = _free_slug(wanted[term_id] or f"faq-category-{term_id}", term_id, taken, report)
        Category.objects.create(id=term_id, slug=slug, name=slug.replace("-", " ").capitalize())
        taken[slug] = term_id
        report.terms_created.append(term_id)
        report.warnings.append(f"category {term_id}: not in the import; created as placeholder {slug!r}")


def _set_relations(created: list[QuestionData], updated: list[QuestionData]) -> None:
    through = Question.categories.through
    through.objects.filter(question_id__in=[row.question.id for row in updated]).delete()
    through.objects.bulk_create(
        (through(question_id=row.question.id, category_id=term_id) for row in created + updated
         for term_id in row.category_ids),
        batch_size=BATCH,
    )  # fmt: skip
    _set_tags([row for row in created + updated if row.tags is not None])
    by_author: dict[str, list[int]] = {}
    for row in created + updated:
        if row.author:
            by_author.setdefault(row.author, []).append(row.question.id)
    for user in _authors(set(by_author)).values():
        Question.objects.filter(pk__in=by_author[user.get_username()]).update(author=user)


def _set_tags(rows: list[QuestionData]) -> None:
    """What `question.tags.set(row.tags)` does for each row, in a few queries for the
    whole import instead of several per question and tag. (taggit's m2m_changed
    signals are not sent: nothing here listens to them.)"""
    wanted = {row.question.id: list(dict.fromkeys(row.tags)) for row in rows}
    tag_ids = _tag_ids(list(dict.fromkeys(name for names in wanted.values() for name in names)))
    through = Question.tags.through
    content_type = ContentType.objects.get_for_model(Question)
    held: dict[int, dict[int, int]] = {}  # question id → {tag id: through row id}
    for chunk in chunks(list(wanted)):
        items = through.objects.filter(content_type=content_type, object_id__in=chunk)
        for question_id, tag_id, pk in items.values_list("object_id", "tag_id", "pk"):
            held.setdefault(question_id, {})[tag_id] = pk
    stale, new = [], []
    for question_id, names in wanted.items():
        ids, before = [tag_ids[name] for name in names], held.get(question_id, {})
        stale += [pk for tag_id, pk in before.items() if tag_id not in ids]
        new += [
            through(content_type=content_type, object_id=question_id, tag_id=tag_id)
            for tag_id in ids
            if tag_id not in before
        ]
    for chunk in chunks(stale):
        through.objects.filter(pk__in=chunk).delete()
    through.objects.bulk_create(new, batch_size=BATCH)


def _tag_ids(names: list[str]) -> dict[str, int]:
    """Tag id by exact name. Missing tags are made as taggit's Tag.save() makes them:
    the slug from the name, then "_1", "_2" … when another tag holds that slug."""
    found = _tags_named(names)
    missing = [name for name in names if name not in found]
    slugs = {name: Tag().slugify(name) for name in missing}
    taken = set()
    for chunk in chunks(list(set(slugs.values()))):
        taken.update(Tag.objects.filter(slug__in=chunk).values_list("slug", flat=True))
    made = []
    for name in missing:
        slug = slugs[name]
        if slug in taken:
            taken.update(Tag.objects.filter(slug__startswith=slug).values_list("slug", flat=True))
            slug = next(other for i in count(1) if (other := Tag().slugify(name, i)) not in taken)
        taken.add(slug)
        made.append(Tag(name=name, slug=slug))
    Tag.objects.bulk_create(made, batch_size=BATCH)
    for tag in made:
        if not tag.slug:  # "++": bulk_create sends no post_save, so the fallback is given here
            Tag.objects.filter(pk=tag.pk).update(slug=tags.fallback_slug(tag))
    return {**found, **_tags_named(missing)}


def _tags_named(names: list[str]) -> dict[str, int]:
    found = {}
    for chunk in chunks(names):
        found.update(Tag.objects.filter(name__in=chunk).values_list("name", "pk"))
    return found


def _authors(usernames: set[str]) -> dict:
    """Exported authors by username; a missing one is created inactive, without a
    usable password, as WordPress's importer maps authors."""
    user_model = get_user_model()
    found = {user.get_username(): user for user in user_model.objects.filter(username__in=usernames)}
    for name in usernames - set(found):
        user = user_model(username=name, is_active=False)
        user.set_unusable_password()
        user.save()
        found[name] = user
    return found


def import_redirects(rows: list[RedirectData], report: ImportReport) -> None:
    """certfaq's own export carries the site's redirects (301s and 410s), so old URLs
    survive a restore. Only missing ones are added: a redirect editors changed here,
    or a URL where a question now lives, is left as it is."""
    if not rows:
        return  # a WordPress export has none: skip reading every live URL
    existing = set(redirects.redirects().values_list("old_path", flat=True))
    live = {question_path(slug) for slug in Question.objects.published().values_list("slug", flat=True)}
    for row in rows:
        if row.old_path in existing or row.old_path in live:
            continue
        redirects.point(row.old_path, row.new_path)
        existing.add(row.old_path)
        report.redirects_written += 1


def reset_id_sequences() -> None:
    """After rows were inserted with explicit ids, move PostgreSQL's sequences past
    them so the next question an editor creates does not collide. SQLite needs nothing."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Question, Category, Person])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
