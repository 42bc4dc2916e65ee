"""Old URLs never rot: a published question's slug change leaves a 301 behind,
chains collapse, links in other answers are rewritten, and a deleted question's
URL answers 410 Gone. Built on django.contrib.redirects, which editors see in the admin."""

from __future__ import annotations

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.utils import timezone

from faqs.links import question_path
from faqs.models import InternalLink, Question, whole_seconds


def redirects():
    return Redirect.objects.filter(site_id=settings.SITE_ID)


def was_public(row: dict) -> bool:
    """Whether a question, as it stood before a change ({status, published_at}), was public."""
    return (
        row["status"] in (Question.Status.PUBLISHED, Question.Status.SCHEDULED)
        and row["published_at"] is not None
        and row["published_at"] <= timezone.now()
    )


def after_save(question: Question, before: dict | None) -> None:
    """Called by Question.save() and the importer, inside their transaction."""
    if question.is_public():
        # The question lives at this URL (again): an old redirect or 410 here is stale.
        redirects().filter(old_path=question_path(question.slug)).delete()
    if before and before["slug"] != question.slug and was_public(before):
        move(question, before["slug"])


def move(question: Question, old_slug: str) -> None:
    """301 from the old URL, earlier redirects re-pointed (A→B→C becomes A→C and
    B→C), and links in other answers rewritten to the new URL."""
    old_path, new_path = question_path(old_slug), question_path(question.slug)
    Redirect.objects.update_or_create(
        site_id=settings.SITE_ID, old_path=old_path, defaults={"new_path": new_path}
    )
    redirects().filter(new_path=old_path).update(new_path=new_path)
    redirects().filter(old_path=new_path).delete()
    rewrite_incoming_links(question)


def rewrite_incoming_links(question: Question) -> None:
    """Every link to `question` that names another slug (the old one, or one that
    reached it through a redirect) is rewritten to name its current slug."""
    stale = list(
        InternalLink.objects.filter(target=question)
        .exclude(target_slug=question.slug)
        .select_related("source")
    )
    sources: dict[int, Question] = {}
    for link in stale:
        source = sources.setdefault(link.source_id, link.source)
        new_href = rewritten_href(link.href, link.target_slug, question.slug)
        old_attribute, new_attribute = f'href="{as_attribute(link.href)}"', f'href="{as_attribute(new_href)}"'
        source.content = source.content.replace(old_attribute, new_attribute)
        link.href, link.target_slug, link.via_redirect = new_href, question.slug, False
    now = whole_seconds(timezone.now())
    for source in sources.values():
        source.modified_at = now
    # The text around the links is unchanged, so the derived fields stay right.
    Question.objects.bulk_update(list(sources.values()), ["content", "modified_at"])
    InternalLink.objects.bulk_update(stale, ["href", "target_slug", "via_redirect"])


def as_attribute(href: str) -> str:
    """An href as the sanitiser writes it inside double quotes: only & is escaped."""
    return href.replace("&", "&amp;")


def rewritten_href(href: str, old_slug: str, new_slug: str) -> str:
    """The same href (absolute, root-relative or relative) naming the new slug."""
    for old in (f"faq/{old_slug}/", f"faq/{old_slug}"):
        if old in href:
            return href.replace(old, f"faq/{new_slug}/", 1)
    # Matched case-insensitively when it was resolved: fall back to a case-blind swap.
    lowered = href.lower()
    start = lowered.find(f"faq/{old_slug}")
    if start < 0:
        return href
    end = start + len(f"faq/{old_slug}")
    tail = href[end + 1 :] if href[end : end + 1] == "/" else href[end:]
    return f"{href[:start]}faq/{new_slug}/{tail}"


def after_delete(question: Question) -> None:
    """A published question's URL (and every redirect that led to it) answers 410 Gone;
    links to it show as broken, since their target is gone."""
    if not question.is_public():
        return
    path = question_path(question.slug)
    Redirect.objects.update_or_create(site_id=settings.SITE_ID, old_path=path, defaults={"new_path": ""})
    redirects().filter(new_path=path).update(new_path="")


def after_import(questions: list[Question], before_by_id: dict[int, dict]) -> None:
    """after_save() for a whole import, with a bounded number of queries when no slug moved."""
    live_paths = [question_path(question.slug) for question in questions if question.is_public()]
    for start in range(0, len(live_paths), 500):
        redirects().filter(old_path__in=live_paths[start : start + 500]).delete()
    for question in questions:
        before = before_by_id.get(question.pk)
        if before and before["slug"] != question.slug and was_public(before):
            move(question, before["slug"])
