"""Import WordPress REST JSON (`faq` items and `faq-categories` terms).

Reading (`read_sources`) and writing (`import_items`) are apart so a malformed file
or item is reported with its place and skipped while the rest goes on. Ids are kept:
a question's WordPress id is its primary key, a term's id its category's. Re-running
an import changes nothing; an item whose `modified_gmt` is newer updates its row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from faqs import content, links, redirects
from faqs.identifiers import LARGEST_ID, is_id
from faqs.models import Category, Question, next_free_slug
from faqs.wordpress import shapes

BATCH = 500


@dataclass(frozen=True)
class SourceItem:
    source: str  # a file name or <stdin>
    position: str  # "item 3" in a list, "object" for a single object
    data: Any


@dataclass(frozen=True)
class Problem:
    source: str
    position: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.position}: {self.reason}"


@dataclass
class ImportReport:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    terms_created: list[int] = field(default_factory=list)
    terms_updated: list[int] = field(default_factory=list)
    terms_unchanged: list[int] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"questions: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged; categories: {len(self.terms_created)} created, "
            f"{len(self.terms_updated)} updated, {len(self.terms_unchanged)} unchanged; "
            f"skipped: {len(self.skipped)}"
        )


class ItemError(ValueError):
    """An item that cannot be imported; the message says why."""


# --- reading ----------------------------------------------------------------------


def read_sources(
    paths: Iterable[str], stdin: IO[str] | None = None
) -> tuple[list[SourceItem], list[Problem]]:
    """Every JSON object in the given files, directories (all *.json below, sorted)
    or stdin ("-"), each with its place; unreadable files become problems."""
    items: list[SourceItem] = []
    problems: list[Problem] = []
    for raw_path in paths:
        for source, text, error in _texts(raw_path, stdin):
            if error:
                problems.append(Problem(source, "file", error))
                continue
            found, problem = _objects_in(source, text)
            items.extend(found)
            if problem:
                problems.append(problem)
    return items, problems


def _texts(raw_path: str, stdin: IO[str] | None):
    if raw_path == "-":
        yield "<stdin>", (stdin.read() if stdin else ""), None
        return
    path = Path(raw_path)
    files = sorted(path.rglob("*.json")) if path.is_dir() else [path]
    if path.is_dir() and not files:
        yield str(path), None, "no .json file in this directory"
    for file in files:
        try:
            yield str(file), file.read_text(encoding="utf-8-sig"), None
        except (OSError, UnicodeDecodeError) as error:
            yield str(file), None, f"cannot be read: {error}"


def _objects_in(source: str, text: str) -> tuple[list[SourceItem], Problem | None]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        return [], Problem(source, f"line {error.lineno} column {error.colno}", f"invalid JSON: {error.msg}")
    if isinstance(value, dict):
        return [SourceItem(source, "object", value)], None
    if isinstance(value, list):
        return [SourceItem(source, f"item {n}", item) for n, item in enumerate(value, start=1)], None
    return [], Problem(source, "file", f"expected an object or a list of objects, not {type(value).__name__}")


# --- validating -------------------------------------------------------------------


def _require(data: dict, key: str) -> Any:
    if key not in data or data[key] is None:
        raise ItemError(f"missing {key!r}")
    return data[key]


def _id(data: dict, key: str = "id") -> int:
    value = _require(data, key)
    if not is_id(value):
        raise ItemError(f"{key!r} must be a whole number from 1 to {LARGEST_ID}, not {value!r}")
    return value


def _string(data: dict, key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if value is None:
        raise ItemError(f"missing {key!r}")
    if not isinstance(value, str):
        raise ItemError(f"{key!r} must be a string, not {type(value).__name__}")
    return value


def _rendered(data: dict, key: str, default: str | None = None) -> str:
    """WordPress wraps HTML fields as {"rendered": …}; a bare string is accepted too."""
    value = data.get(key)
    if isinstance(value, dict):
        return _string(value, "rendered", default)
    if value is None and default is not None:
        return default
    return _string(data, key, default)


def _time(data: dict, gmt_key: str, local_key: str | None) -> Any:
    """The *_gmt value; None when it is null or 0000-…, which WordPress uses for a
    "floating" date (a draft never published). Only when the gmt key is absent is the
    local value (`local_key`, in the site's zone) used."""
    gmt, local = data.get(gmt_key), data.get(local_key) if local_key else None
    for key, value in ((gmt_key, gmt), (local_key, local)):
        if value is not None and not isinstance(value, str):
            raise ItemError(f"{key!r} must be a date string, not {type(value).__name__}")
    try:
        if gmt and not gmt.startswith("0000"):
            return shapes.parse_gmt(gmt).astimezone(UTC)
        if gmt_key in data:
            return None
        if local and not local.startswith("0000"):
            return shapes.parse_site_time(local).astimezone(UTC)
    except (ValueError, OverflowError):
        raise ItemError(f"{gmt_key!r} or {local_key!r} is not a date: {gmt or local!r}") from None
    return None


def item_kind(data: Any) -> str:
    if not isinstance(data, dict):
        raise ItemError(f"expected an object, not {type(data).__name__}")
    if data.get("taxonomy") == shapes.TAXONOMY:
        return "term"
    if data.get("type", shapes.FAQ_TYPE) == shapes.FAQ_TYPE and "title" in data:
        return "question"
    if "type" in data and data["type"] != shapes.FAQ_TYPE:
        raise ItemError(f"type {data['type']!r} is not {shapes.FAQ_TYPE!r}")
    if "taxonomy" in data:
        raise ItemError(f"taxonomy {data['taxonomy']!r} is not {shapes.TAXONOMY!r}")
    raise ItemError("missing 'title': neither a faq item nor a faq-categories term")


@dataclass
class TermData:
    id: int
    name: str
    slug: str
    description: str
    parent: int
    ordering: int | None


def parse_term(data: dict) -> TermData:
    term_id = _id(data)
    name = shapes.decoded_text(_string(data, "name")).strip()
    if not name:
        raise ItemError("empty 'name'")
    parent = data.get("parent", 0) or 0
    if parent and not is_id(parent):
        raise ItemError(f"'parent' must be a term id, not {parent!r}")
    extension = data.get("certfaq") if isinstance(data.get("certfaq"), dict) else {}
    term = TermData(
        id=term_id,
        name=name,
        slug=shapes.decoded_slug(_string(data, "slug", "")) or slugify(name) or f"faq-category-{term_id}",
        description=shapes.decoded_text(_string(data, "description", "")),
        parent=parent,
        ordering=extension.get("ordering") if isinstance(extension.get("ordering"), int) else None,
    )
    _check_lengths(Category(name=term.name, slug=term.slug))
    return term


@dataclass
class QuestionData:
    question: Question
    category_ids: list[int]
    category_slug_hints: dict[int, str]
    tags: list[str] | None
    author: str | None
    yoast_head: dict | None  # to keep Yoast's overrides, when no certfaq extension is there
    link: str

    def finish(self) -> None:
        """Sanitise and derive, then keep Yoast's overrides: work done only for rows
        that are written, so re-importing an unchanged export stays cheap."""
        self.question.prepare_content()
        if self.yoast_head:
            _apply_seo(self.question, self.yoast_head, self.link)


def parse_question(data: dict) -> QuestionData:
    question_id = _id(data)
    title = shapes.decoded_text(_rendered(data, "title")).strip()
    if not title:
        raise ItemError("empty 'title'")
    status_word = _string(data, "status", "publish")
    if status_word == "trash":
        raise ItemError("status 'trash': trashed questions are not imported")
    if status_word not in shapes.STATUS_FROM_WORDPRESS:
        raise ItemError(f"unknown status {status_word!r}")
    status = shapes.STATUS_FROM_WORDPRESS[status_word]
    published_at = _time(data, "date_gmt", "date")
    modified_at = _time(data, "modified_gmt", "modified") or published_at or timezone.now()
    category_ids = data.get(shapes.TAXONOMY, [])
    if not isinstance(category_ids, list) or not all(is_id(term_id) for term_id in category_ids):
        raise ItemError(f"{shapes.TAXONOMY!r} must be a list of term ids, not {category_ids!r}")
    guid = shapes.decoded_text(_rendered(data, "guid", ""))
    question = Question(
        id=question_id,
        title=title,
        slug=shapes.decoded_slug(_string(data, "slug", "")),
        content=_rendered(data, "content", ""),
        excerpt=_manual_excerpt(data),
        status=status,
        published_at=published_at,
        modified_at=modified_at,
        # The guid WordPress would give this id anyway is not worth storing.
        wp_guid="" if guid == Question(id=question_id).guid else guid,
    )
    extension = data.get("certfaq") if isinstance(data.get("certfaq"), dict) else {}
    _apply_extension(question, extension)
    _check_lengths(question)
    tags = extension.get("tags")
    head = data.get("yoast_head_json")
    return QuestionData(
        question=question,
        category_ids=list(dict.fromkeys(category_ids)),
        category_slug_hints=_category_hints(data, category_ids),
        tags=[str(tag) for tag in tags] if isinstance(tags, list) else None,
        author=extension.get("author") if isinstance(extension.get("author"), str) else None,
        # certfaq's own export carries the exact SEO fields; Yoast's are a fallback.
        yoast_head=head if isinstance(head, dict) and not extension else None,
        link=data.get("link") if isinstance(data.get("link"), str) else "",
    )


def _check_lengths(instance) -> None:
    """A value longer than its column is reported here, before any row is written:
    PostgreSQL would refuse the whole batch, SQLite would store it anyway."""
    for model_field in instance._meta.concrete_fields:
        value = getattr(instance, model_field.attname)
        if model_field.max_length and isinstance(value, str) and len(value) > model_field.max_length:
            raise ItemError(f"{model_field.name} is longer than {model_field.max_length} characters")


def _manual_excerpt(data: dict) -> str:
    """WordPress's REST excerpt is generated when no manual one exists; generated
    ones end in "[&hellip;]" and are not worth keeping."""
    try:
        rendered = _rendered(data, "excerpt", "")
    except ItemError:
        return ""
    if not rendered.strip() or "[&hellip;]" in rendered or "[…]" in rendered:
        return ""
    return " ".join(content.text_blocks(rendered))


def _apply_seo(question: Question, head: dict, link: str) -> None:
    """Keep Yoast's per-page signals: a title, description or canonical that differs
    from what certfaq would derive (so after prepare_content()), and noindex/nofollow."""
    # Overrides too long for their field are left out rather than cut.
    seo_title = shapes.decoded_text(head["title"]) if isinstance(head.get("title"), str) else ""
    if seo_title and seo_title != question.title and len(seo_title) <= 255:
        question.seo_title = seo_title
    description = head.get("description")
    if isinstance(description, str) and description and description != question.auto_description:
        question.meta_description = shapes.decoded_text(description)
    canonical = head.get("canonical")
    if isinstance(canonical, str) and canonical and canonical != link and len(canonical) <= 500:
        question.canonical_url = canonical
    robots = head.get("robots") if isinstance(head.get("robots"), dict) else {}
    question.noindex = robots.get("index") == "noindex"
    question.nofollow = robots.get("follow") == "nofollow"


EXTENSION_FIELDS = ("seo_title", "meta_description", "canonical_url", "noindex", "nofollow", "excerpt")


def _apply_extension(question: Question, extension: dict) -> None:
    """certfaq's own fields, written by export_wordpress, win over derived guesses."""
    for name in EXTENSION_FIELDS:
        if name in extension and isinstance(extension[name], type(getattr(question, name))):
            setattr(question, name, extension[name])


def _category_hints(data: dict, category_ids: list[int]) -> dict[int, str]:
    """Term slugs for ids we may not know: from embedded terms, or from the one
    `faq-categories-<slug>` class when the item has a single category."""
    hints: dict[int, str] = {}
    embedded = data.get("_embedded", {}).get("wp:term", []) if isinstance(data.get("_embedded"), dict) else []
    for group in embedded if isinstance(embedded, list) else []:
        for term in group if isinstance(group, list) else []:
            if (
                isinstance(term, dict)
                and isinstance(term.get("id"), int)
                and isinstance(term.get("slug"), str)
            ):
                hints[term["id"]] = term["slug"]
    prefix = f"{shapes.TAXONOMY}-"
    classes = [
        c[len(prefix) :] for c in data.get("class_list", []) if isinstance(c, str) and c.startswith(prefix)
    ]
    if len(category_ids) == 1 and len(classes) == 1:
        hints.setdefault(category_ids[0], classes[0])
    return hints


# --- writing ----------------------------------------------------------------------


def import_items(items: list[SourceItem], *, dry_run: bool = False) -> ImportReport:
    """Import terms first (questions refer to them), then questions, in one
    transaction; a dry run does all the work and rolls it back."""
    report = ImportReport()
    terms: list[tuple[SourceItem, TermData]] = []
    questions: list[tuple[SourceItem, QuestionData]] = []
    for item in items:
        try:
            if item_kind(item.data) == "term":
                terms.append((item, parse_term(item.data)))
            else:
                questions.append((item, parse_question(item.data)))
        except ItemError as error:
            report.skipped.append(Problem(item.source, item.position, str(error)))
    with transaction.atomic():
        import_terms([term for _, term in terms], report)
        import_questions([question for _, question in questions], report)
        reset_id_sequences()
        if dry_run:
            transaction.set_rollback(True)
    return report


def import_terms(terms: list[TermData], report: ImportReport) -> None:
    existing = Category.objects.in_bulk([term.id for term in terms])
    known = set(Category.objects.values_list("id", flat=True))
    taken = dict(Category.objects.values_list("slug", "id"))
    for term in _parents_first(_last_of_each_id(terms)):
        parent_id = term.parent if term.parent in known and term.parent != term.id else None
        if term.parent and parent_id is None:
            report.warnings.append(
                f"category {term.id}: parent {term.parent} is unknown; left without parent"
            )
        fields = {
            "name": term.name,
            "description": term.description,
            "slug": _free_slug(term.slug, term.id, taken, report),
            "parent_id": parent_id,
        }
        if term.ordering is not None:
            fields["ordering"] = term.ordering
        category = existing.get(term.id) or Category(id=term.id)
        if term.id in existing and all(getattr(category, k) == v for k, v in fields.items()):
            report.terms_unchanged.append(term.id)
        else:
            for key, value in fields.items():
                setattr(category, key, value)
            category.save()
            (report.terms_updated if term.id in existing else report.terms_created).append(term.id)
        known.add(term.id)
        taken[category.slug] = term.id


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


def _last_of_each_id(rows: list) -> list:
    """When an import names an id twice, the later item wins (as a re-import would)."""
    by_id = {}
    for row in rows:
        key = row.id if hasattr(row, "id") else row.question.id
        by_id[key] = row
    return list(by_id.values())


def import_questions(rows: list[QuestionData], report: ImportReport) -> None:
    rows = _last_of_each_id(rows)
    ids = [row.question.id for row in rows]
    existing = {
        row["id"]: row
        for start in range(0, len(ids), BATCH)
        for row in Question.objects.filter(id__in=ids[start : start + BATCH]).values(
            "id", "modified_at", "slug", "status", "published_at"
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
            question.slug or slugify(question.title) or "question", question.id, taken, report
        )
        taken[question.slug] = question.id
        row.finish()
        (to_update if current else to_create).append(row)
    _ensure_categories(to_create + to_update, report)
    Question.objects.bulk_create([row.question for row in to_create], batch_size=BATCH)
    Question.objects.bulk_update([row.question for row in to_update], UPDATED_FIELDS, batch_size=BATCH)
    _set_relations(to_create, to_update)
    written = [row.question for row in to_create + to_update]
    redirects.after_import(written, existing)  # first: links may name a slug that just moved
    # Read the answers back: a slug that moved may have rewritten links in them.
    ids = [question.pk for question in written]
    written = [
        question
        for start in range(0, len(ids), BATCH)
        for question in Question.objects.filter(pk__in=ids[start : start + BATCH]).only(
            "id", "slug", "content"
        )
    ]
    links.rebuild_links(written)
    links.attach_new_targets(written)
    report.created.extend(row.question.id for row in to_create)
    report.updated.extend(row.question.id for row in to_update)


UPDATED_FIELDS = [
    "title", "slug", "content", "excerpt", "status", "published_at", "modified_at", "seo_title",
    "meta_description", "canonical_url", "noindex", "nofollow", "wp_guid", "reading_minutes",
    "auto_description", "search_text",
]  # fmt: skip


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
    for row in created + updated:
        if row.tags is not None:
            row.question.tags.set(row.tags)
    by_author: dict[str, list[int]] = {}
    for row in created + updated:
        if row.author:
            by_author.setdefault(row.author, []).append(row.question.id)
    for user in _authors(set(by_author)).values():
        Question.objects.filter(pk__in=by_author[user.get_username()]).update(author=user)


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


def reset_id_sequences() -> None:
    """After rows were inserted with explicit ids, move PostgreSQL's sequences past
    them so the next question an editor creates does not collide. SQLite needs nothing."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Question, Category])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
