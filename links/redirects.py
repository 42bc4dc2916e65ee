"""Old URLs never rot: a published question's slug change leaves a 301 behind,
chains collapse, links in other answers are rewritten, and a deleted question's
URL answers 410 Gone. Built on django.contrib.redirects, which editors see in the admin."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.utils import timezone

from faqs import content
from faqs.derivers import Deriver, WriteContext
from faqs.models import Question, whole_seconds
from faqs.models.bulk import chunks
from links.models import InternalLink
from links.resolve import question_path


def redirects():
    return Redirect.objects.filter(site_id=settings.SITE_ID)


def point(old_path: str, new_path: str) -> None:
    """Make `old_path` answer 301 to `new_path`, or 410 Gone when new_path is ""."""
    Redirect.objects.update_or_create(
        site_id=settings.SITE_ID, old_path=old_path, defaults={"new_path": new_path}
    )


# A chain longer than this is followed no further (the site collapses chains as it
# writes them: two hops is already unusual).
MOST_HOPS = 20


def loop_through(old_path: str, target: str, *, besides: int | None = None) -> list[str]:
    """The addresses a redirect `old_path` → `target` would come round through
    (["/a/", "/b/", "/a/"]), or [] when it leads out: to a page, a 410, another site.
    `besides`: the redirect being edited (its stored target is not the new one). A
    query a hop, along the chain only."""
    passed = [old_path]
    stored = redirects().exclude(pk=besides) if besides else redirects()
    for _ in range(MOST_HOPS):
        step = _local_path(target)
        if step is None:
            return []
        if step in passed or step.rstrip("/") in {path.rstrip("/") for path in passed}:
            return [*passed, step]
        passed.append(step)
        target = stored.filter(old_path=step).values_list("new_path", flat=True).first()
        if not target:  # no redirect there (a page), or a 410: the chain ends
            return []
    return [*passed, "…"]


def _local_path(target: str) -> str | None:
    """The path (and query) a redirect to `target` sends a browser to on this site, as
    old paths are written; None for another site."""
    parts = urlsplit(target)
    if parts.netloc and parts.netloc.lower() != urlsplit(settings.SITE_URL).netloc.lower():
        return None
    if not parts.path.startswith("/"):
        return None
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def was_public(row: dict) -> bool:
    """Whether a question, as it stood before a change ({status, published_at}), was
    public: the model's own rule, asked of that state."""
    return Question(status=row["status"], published_at=row["published_at"]).is_public()


@dataclass
class Move:
    """A public question's slug change: where it was, and the other questions whose
    answers had their links to it rewritten."""

    old_path: str
    rewritten_ids: list[int]

    @property
    def answers_rewritten(self) -> int:
        return len(self.rewritten_ids)


def after_write(questions: list[Question], before_by_id: dict[int, dict]) -> dict[int, Move]:
    """After questions were written (faqs.publishing, inside its transaction): a URL
    where a public question lives again loses its stale redirect or 410, and a public
    question whose slug moved leaves a 301 behind. `before_by_id`: {slug, status,
    published_at} as stored before the write, for questions that existed. Returns the
    moves by question id."""
    live_paths = [question_path(question.slug) for question in questions if question.is_public()]
    for chunk in chunks(live_paths):
        redirects().filter(old_path__in=chunk).delete()
    moves = {}
    for question in questions:
        before = before_by_id.get(question.pk)
        if before and before["slug"] != question.slug and was_public(before):
            moves[question.pk] = move(question, before["slug"])
    return moves


def move(question: Question, old_slug: str) -> Move:
    """301 from the old URL, earlier redirects re-pointed (A→B→C becomes A→C and
    B→C), and links in other answers rewritten to the new URL (their ids returned)."""
    old_path, new_path = question_path(old_slug), question_path(question.slug)
    point(old_path, new_path)
    redirects().filter(new_path=old_path).update(new_path=new_path)
    redirects().filter(old_path=new_path).delete()
    return Move(old_path, rewrite_incoming_links(question))


def rewrite_incoming_links(question: Question) -> list[int]:
    """Every link to `question` that names another slug (the old one, or one that
    reached it through a redirect) is rewritten to name its current slug, whatever
    its form (absolute, root-relative, relative). Links by id (?p=) need nothing.
    Returns the ids of the questions whose answers changed."""
    stale = InternalLink.objects.filter(target=question).exclude(target_slug__in=["", question.slug])
    rewritten, kept, sources = [], [], {}
    for link in stale.select_related("source"):
        source = sources.setdefault(link.source_id, link.source)
        new_href = rewritten_href(link.href, link.target_slug, question.slug)
        new_content = source.content
        if new_href is not None:
            new_content = content.rewrite_hrefs(source.content, {link.href: new_href}.get)
        if new_content == source.content:
            link.via_redirect = True  # left as it is: it reaches the question through the redirect
            kept.append(link)
            continue
        source.content = new_content
        link.href, link.target_slug, link.via_redirect = new_href, question.slug, False
        rewritten.append(link)
    changed = {link.source_id: sources[link.source_id] for link in rewritten}
    # The text around the links is unchanged, so the derived fields stay right, and so
    # does the modified date: readers read the same answer (Question.READER_FIELDS).
    # The page's bytes did change: its Last-Modified (saved_at) moves.
    now = whole_seconds(timezone.now())
    for source in changed.values():
        source.saved_at = now
    Question.objects.bulk_update(list(changed.values()), ["content", "saved_at"])
    InternalLink.objects.bulk_update(rewritten, ["href", "target_slug", "via_redirect"])
    InternalLink.objects.bulk_update(kept, ["via_redirect"])
    return list(changed)


def rewritten_href(href: str, old_slug: str, new_slug: str) -> str | None:
    """The same href naming the new slug: the last path segment that spells the old
    slug is replaced, so absolute, root-relative and relative forms all keep their
    form. None when no segment spells it."""
    parts = urlsplit(href)
    segments = parts.path.split("/")
    for index in range(len(segments) - 1, -1, -1):
        if unquote(segments[index]).lower() == old_slug:
            segments[index] = quote(new_slug, safe="-_")
            return urlunsplit(parts._replace(path="/".join(segments)))
    return None


def after_delete(question: Question) -> None:
    """A published question's URL (and every redirect that led to it) answers 410 Gone;
    links to it show as broken, since their target is gone."""
    if not question.is_public():
        return
    path = question_path(question.slug)
    point(path, "")
    redirects().filter(new_path=path).update(new_path="")


def _reread_answers(questions: list[Question]) -> None:
    """Give the instances their answers as now stored (a move may have rewritten a
    link to itself in one)."""
    stored = {
        pk: answer
        for chunk in chunks([question.pk for question in questions])
        for pk, answer in Question.objects.filter(pk__in=chunk).values_list("pk", "content")
    }
    for question in questions:
        question.content = stored.get(question.pk, question.content)


class Redirects(Deriver):
    """301s for public questions that moved, 410s for deleted ones; first of the
    derivers, since the answers' links may name a slug that just moved."""

    def after_write(self, ctx: WriteContext) -> None:
        ctx.moves = after_write(ctx.questions, ctx.before)
        if any(ctx.before.get(q.pk, {}).get("slug", q.slug) != q.slug for q in ctx.questions):
            _reread_answers(ctx.questions)

    def after_delete(self, ctx: WriteContext) -> None:
        for question in ctx.questions:
            after_delete(question)


deriver = Redirects()
