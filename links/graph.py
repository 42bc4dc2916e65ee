"""The link graph: which question links to which, derived from answers.

`rebuild_links()` re-derives the InternalLink rows of some questions (one save, or a
whole import) with a bounded number of queries; `orphans()` says which public
questions no other public question links to.
"""

from __future__ import annotations

from django.db.models import F, QuerySet

from faqs import content, site
from faqs.derivers import Deriver, WriteContext
from faqs.models import Question
from faqs.models.bulk import CHUNK, chunks
from links.models import InternalLink
from links.resolve import NamedTarget, named_target, resolve_slugs


def derive_links(question: Question) -> list[tuple[InternalLink, NamedTarget | None]]:
    base = site.absolute_url(question.get_absolute_url())
    rows = []
    for position, (href, anchor) in enumerate(content.extract_links(question.content)):
        target = named_target(href, base)
        link = InternalLink(
            source=question,
            position=position,
            href=href[:2000],
            anchor=anchor[:500],
            is_internal=target is not None,
            target_slug=target.slug[:200] if target else "",
        )
        rows.append((link, target))
    return rows


LINK_FIELDS = ("position", "href", "anchor", "is_internal", "target_slug", "target_id", "via_redirect")


def rebuild_links(questions: list[Question]) -> set[int]:
    """Replace the InternalLink rows of `questions` with what their answers hold now,
    CHUNK questions at a time, so an import never holds all its links at once. Rows
    already as derived are left alone; returns the ids of the questions whose rows changed."""
    changed = set()
    for chunk in chunks(questions):
        derived = [pair for question in chunk for pair in derive_links(question)]
        _resolve_targets(derived)
        wanted: dict[int, list[tuple]] = {question.pk: [] for question in chunk}
        for link, _ in derived:
            wanted[link.source_id].append(tuple(getattr(link, name) for name in LINK_FIELDS))
        stored: dict[int, list[tuple]] = {question.pk: [] for question in chunk}
        rows = InternalLink.objects.filter(source_id__in=list(wanted)).order_by("source_id", "position")
        for source_id, *values in rows.values_list("source_id", *LINK_FIELDS):
            stored[source_id].append(tuple(values))
        moved = {pk for pk in wanted if wanted[pk] != stored[pk]}
        if not moved:
            continue
        InternalLink.objects.filter(source_id__in=sorted(moved)).delete()
        new_rows = [link for link, _ in derived if link.source_id in moved]
        InternalLink.objects.bulk_create(new_rows, batch_size=CHUNK)
        changed |= moved
    return changed


def _resolve_targets(derived: list[tuple[InternalLink, NamedTarget | None]]) -> None:
    by_slug = resolve_slugs({target.slug for _, target in derived if target and target.slug})
    wanted_ids = sorted({target.question_id for _, target in derived if target and target.question_id})
    existing_ids = {
        pk
        for chunk in chunks(wanted_ids)
        for pk in Question.objects.filter(pk__in=chunk).values_list("pk", flat=True)
    }
    for link, target in derived:
        if target and target.slug in by_slug:
            link.target_id, link.via_redirect = by_slug[target.slug]
        elif target and target.question_id in existing_ids:
            link.target_id = target.question_id


def attach_new_targets(questions: list[Question]) -> set[int]:
    """A link that names a slug directly targets whoever holds that slug now: links
    that waited for it (broken) and links that reached another question through a
    redirect the slug has since replaced. Returns the ids of the questions they now
    reach."""
    by_slug = {question.slug: question.pk for question in questions}
    targets = set()
    for chunk in chunks(sorted(by_slug)):
        named = InternalLink.objects.internal().filter(target_slug__in=chunk)
        waiting = [
            link
            for link in named.only("pk", "source_id", "target_slug", "target_id", "via_redirect")
            if link.target_id != by_slug[link.target_slug] or link.via_redirect
        ]
        for link in waiting:
            link.target_id, link.via_redirect = by_slug[link.target_slug], False
        InternalLink.objects.bulk_update(waiting, ["target", "via_redirect"], batch_size=CHUNK)
        targets |= {link.target_id for link in waiting}
    return targets


def reresolve_slug(slug: str) -> None:
    """Links naming `slug` follow where it leads now: called when a redirect from that
    slug's URL is added, changed or removed (in the admin, say)."""
    named = InternalLink.objects.internal().filter(target_slug=slug)
    target_id, via_redirect = resolve_slugs({slug}).get(slug, (None, False))
    named.update(target_id=target_id, via_redirect=via_redirect)


def target_title(link: InternalLink) -> str:
    """What the link points at, in words: the target's title, else its slug's words."""
    if link.target is not None:
        return link.target.title
    return link.target_slug.replace("-", " ")


def rescuing_links() -> QuerySet:
    """Links that keep their target from being an orphan: from a public question to
    another one (a self-link rescues nothing)."""
    public = Question.objects.published().values("pk")
    return InternalLink.objects.filter(source__in=public, target__isnull=False).exclude(source=F("target"))


def orphans(questions: QuerySet) -> QuerySet:
    """The public ones of `questions` that no other public question links to: readers
    cannot reach them by following links. The one definition of an orphan."""
    return questions.published().exclude(pk__in=rescuing_links().values("target_id"))


class LinkGraph(Deriver):
    """InternalLink rows follow the answers: derived again when an answer or its
    address (relative links are read from it) changed, and links that waited for a
    slug attach to the question that now holds it."""

    def after_write(self, ctx: WriteContext) -> None:
        rederived = [question for question in ctx.questions if ctx.changed(question, "content", "slug")]
        moved = [question for question in ctx.questions if ctx.changed(question, "slug")]
        # Whose links in or out changed: the related lists' deriver reads it.
        ctx.kept["links_changed"] = rebuild_links(rederived) | attach_new_targets(moved)

    def rebuild(self) -> None:
        ids = list(Question.objects.order_by("pk").values_list("pk", flat=True))
        for chunk in chunks(ids):
            rebuild_links(list(Question.objects.filter(pk__in=chunk).only("pk", "slug", "content")))


deriver = LinkGraph()
