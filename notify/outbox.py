"""What a write queues for search engines and the CDN: the save path's deriver (and
receivers for the site pages, which no save path writes) turns a write into outbox
rows, inserted in the write's own transaction with one bulk INSERT. Nothing here
speaks to another server: `send_indexnow` and `purge_cdn` do, later (notify.delivery).

A public URL appears, changes or goes when a question is published, edited while
public, unpublished, deleted or moved (both URLs). Public is the model's one rule:
`Question.is_public()` now, `links.redirects.was_public()` of the state before. A
scheduled question's rows wait for its publication time (`next_try_at`): it turns
public then with no write."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.db.models.signals import post_delete, post_save
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from faqs import derivers
from faqs.derivers import Deriver, TermChange, WriteContext
from faqs.models import Question
from faqs.models.bulk import chunks
from links.redirects import was_public
from links.resolve import question_path
from notify import pages
from notify.models import EVERYTHING, OutboxEntry
from site_pages import pages as site_pages

Target = OutboxEntry.Target


def indexnow_on() -> bool:
    return bool(settings.INDEXNOW_KEY)


def purge_on() -> bool:
    return bool(settings.CDN_CLOUDFLARE_ZONE or settings.CDN_PURGE_URLS)


@dataclass
class Change:
    """A question's public URLs that appeared, changed or went in one write, from when
    readers see it (now, or a scheduled question's time), and the lists it is or was in."""

    reason: str
    question_id: int
    paths: list[str]
    at: datetime
    terms: pages.Terms = field(default_factory=pages.Terms)


def changes_of(question: Question, before: dict | None, now: datetime) -> list[Change]:
    """What readers will see change at this question's URLs, `before` being its stored
    state before the write (None: a new question)."""
    was = before is not None and "status" in before and "published_at" in before and was_public(before)
    old_slug = (before or {}).get("slug") or question.slug
    here = question_path(question.slug)
    found = []
    if question.is_public() and was and old_slug != question.slug:
        found.append(Change("move", question.pk, [question_path(old_slug), here], now))
    elif question.is_public():
        found.append(Change("update" if was else "publish", question.pk, [here], now))
    elif was:
        found.append(Change("unpublish", question.pk, [question_path(old_slug)], now))
    if question.is_listed() and not question.is_public():  # scheduled: public at its time
        found.append(Change("scheduled", question.pk, [here], question.published_at))
    return found


def with_terms(
    change: Change, question: Question, categories: list[int], tags: list[int], before: dict | None
) -> Change:
    """The change with the lists its question is in now and was in before the write."""
    before = before or {}
    change.terms.add(categories, tags, [question.written_by_id, question.reviewed_by_id])
    people_before = [before.get("written_by_id"), before.get("reviewed_by_id")]
    change.terms.add(before.get("category_ids", ()), before.get("tag_ids", ()), people_before)
    return change


def rows_for(changes: list[Change]) -> list[OutboxEntry]:
    """The outbox rows of some changes: their URLs for IndexNow; for the CDN, those and
    the pages listing them (`purge_paths`). At most one query, none with the CDN off."""
    now = timezone.now()
    rows: dict[tuple, OutboxEntry] = {}

    def add(target: str, path: str, change: Change) -> None:
        key = (target, path, change.at)
        if key not in rows:
            rows[key] = OutboxEntry(
                target=target, path=path, reason=change.reason, created_at=now, next_try_at=change.at
            )

    if indexnow_on():
        for change in changes:
            for path in change.paths:
                add(Target.INDEXNOW, path, change)
    if purge_on():
        for change, paths in purge_paths(changes):
            for path in sorted(paths):
                add(Target.PURGE, path, change)
    return list(rows.values())


def purge_paths(changes: list[Change]) -> list[tuple[Change, set[str]]]:
    """Each change with the pages a CDN must drop for it: its URLs, its wp-json item,
    the site-wide pages and the first pages of the write's lists (read at once, for
    every change); everything (one row) when that makes more than CDN_PURGE_ALL_ABOVE
    pages (an import), told without reading a slug when the lists' count says so."""
    terms = pages.Terms()
    for change in changes:
        terms.add(change.terms.categories, change.terms.tags, change.terms.people)
    site_wide = pages.site_wide_paths()
    own = {path for change in changes for path in change.paths}
    # Each address, its Markdown copy, its wp-json item, the lists and the site-wide pages.
    named = 2 * len(own) + len({change.question_id for change in changes}) + len(terms) + len(site_wide)
    if named > settings.CDN_PURGE_ALL_ABOVE:
        return [(change, {EVERYTHING}) for change in changes]
    listed = pages.listing_paths(terms)
    found = [
        (
            change,
            {
                *change.paths,
                *pages.copies_of(change.paths),
                pages.api_item_path(change.question_id),
                *site_wide,
                *listed,
            },
        )
        for change in changes
    ]
    if len(set().union(*(paths for _, paths in found))) > settings.CDN_PURGE_ALL_ABOVE:
        return [(change, {EVERYTHING}) for change in changes]
    return found


def queue(rows: list[OutboxEntry]) -> None:
    """Insert the rows in the caller's transaction: one INSERT."""
    if rows:
        OutboxEntry.objects.bulk_create(rows)


class Notices(Deriver):
    """Outbox rows for the public URLs a write or a delete changed: no query while
    IndexNow and every CDN are off; one INSERT, and with a CDN on one read of the
    lists' slugs, otherwise."""

    def after_write(self, ctx: WriteContext) -> None:
        if not (indexnow_on() or purge_on()):
            return
        now = timezone.now()
        changes = []
        for question in ctx.questions:
            before = ctx.before.get(question.pk)
            categories, tags = ctx.category_ids(question.pk), ctx.tag_ids(question.pk)
            for change in changes_of(question, before, now):
                changes.append(with_terms(change, question, categories, tags, before))
        queue(rows_for(changes))

    def before_delete(self, ctx: WriteContext) -> None:
        """A public question about to go: its rows, made while its lists still hold it
        (inserted by after_delete, once the delete went through)."""
        public = [question for question in ctx.questions if question.is_public()]
        if not public or not (indexnow_on() or purge_on()):
            return
        categories, tags = derivers.terms_of([q.pk for q in public]) if purge_on() else ({}, {})
        now = timezone.now()
        changes = []
        for question in public:
            change = Change("delete", question.pk, [question_path(question.slug)], now)
            category_ids = [term.pk for term in categories.get(question.pk, ())]
            tag_ids = [term.pk for term in tags.get(question.pk, ())]
            changes.append(with_terms(change, question, category_ids, tag_ids, None))
        ctx.kept["notify_rows"] = rows_for(changes)

    def after_delete(self, ctx: WriteContext) -> None:
        queue(ctx.kept.get("notify_rows", []))

    def after_term_change(self, change: TermChange) -> None:
        """A category or tag renamed, deleted or moved: its page (a deleted one's is
        left to age out: its slug is gone), the categories above it, and the pages of
        its public questions, which name it. Their addresses stay: nothing for IndexNow."""
        if purge_on():
            queue([OutboxEntry(target=Target.PURGE, path=path, reason="term") for path in term_paths(change)])

    def rebuild(self) -> None:
        """Every derived list was made anew: any page may have changed."""
        if purge_on():
            queue([OutboxEntry(target=Target.PURGE, path=EVERYTHING, reason="rebuild")])


def term_paths(change: TermChange) -> list[str]:
    """The pages a term change shows on, or everything past CDN_PURGE_ALL_ABOVE."""
    limit = settings.CDN_PURGE_ALL_ABOVE
    if len(change.question_ids) > limit:
        return [EVERYTHING]
    paths = set(pages.site_wide_paths())
    for chunk in chunks(change.question_ids):
        rows = Question.objects.filter(pk__in=chunk).only("slug", "status", "published_at")
        paths.update(question_path(question.slug) for question in rows if question.is_public())
    terms = pages.Terms(categories=set(change.trees))
    if not change.deleted:
        (terms.categories if change.kind == "category" else terms.tags).add(change.term_id)
    paths |= pages.listing_paths(terms)
    return [EVERYTHING] if len(paths) > limit else sorted(paths)


deriver = Notices()


# --- site pages (flatpages): written by their admin or a shell, heard by signals


def site_page_changed(sender, instance: FlatPage, **kwargs) -> None:
    """A site page saved or deleted: its address, and the pages' sitemap. Search
    engines hear of a public page only (one asking for a sign-in never was)."""
    if not (indexnow_on() or purge_on()):
        return
    try:
        path = site_pages.page_path(instance)
    except NoReverseMatch:  # a url the site's route cannot serve: no page of ours
        return
    reason = "page" if "created" in kwargs else "page deleted"
    rows = []
    if indexnow_on() and site_pages.is_public(instance):
        rows.append(OutboxEntry(target=Target.INDEXNOW, path=path, reason=reason))
    if purge_on():
        sitemap = reverse("faqs:sitemap", kwargs={"section": "page"})
        rows += [OutboxEntry(target=Target.PURGE, path=page, reason=reason) for page in (path, sitemap)]
    queue(rows)


def connect() -> None:
    post_save.connect(site_page_changed, sender=FlatPage, dispatch_uid="notify.site_page.saved")
    post_delete.connect(site_page_changed, sender=FlatPage, dispatch_uid="notify.site_page.deleted")
