"""The link graph in the admin: counts and filters on the question list, outgoing
and incoming links and suggestions on the question form, and the link report page."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from faqs.models import Question
from links import redirect_admin  # noqa: F401, I001  (registers the Redirect admin)
from links.graph import orphans, rescuing_links, target_title
from links.models import InternalLink
from links.report import build_link_report, orphan_titles
from links.suggestions import suggest_links
from links.words import anchor_matches

STATUS_COLOURS = {
    InternalLink.Status.OK: "#1a7f37",
    InternalLink.Status.REDIRECTED: "#9a6700",
    InternalLink.Status.UNPUBLISHED: "#bc4c00",
    InternalLink.Status.BROKEN: "#cf222e",
    InternalLink.Status.EXTERNAL: "#57606a",
}


def _count(links: QuerySet, group_by: str) -> Coalesce:
    counted = links.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_link_counts(questions: QuerySet) -> QuerySet:
    """incoming_count (from other public questions), outgoing_count (internal links),
    has_broken_links and is_orphan: subqueries, so the list costs the same number of
    queries however many rows it shows."""
    incoming = rescuing_links().filter(target=OuterRef("pk"))
    outgoing = InternalLink.objects.internal().filter(source=OuterRef("pk"))
    return questions.annotate(
        incoming_count=_count(incoming, "target"),
        outgoing_count=_count(outgoing, "source"),
        has_broken_links=Exists(InternalLink.objects.broken().filter(source=OuterRef("pk"))),
        is_orphan=Exists(orphans(Question.objects.all()).filter(pk=OuterRef("pk"))),
    )


class _CountFilter(admin.SimpleListFilter):
    field = ""

    def lookups(self, request, model_admin):
        return [("0", "none"), ("1-2", "1 or 2"), ("3+", "3 or more")]

    def queryset(self, request, queryset):
        ranges = {
            "0": {self.field: 0},
            "1-2": {f"{self.field}__range": (1, 2)},
            "3+": {f"{self.field}__gte": 3},
        }
        return queryset.filter(**ranges[self.value()]) if self.value() in ranges else queryset


class IncomingLinksFilter(_CountFilter):
    title = "incoming links (from published)"
    parameter_name = "incoming"
    field = "incoming_count"


class OutgoingLinksFilter(_CountFilter):
    title = "outgoing internal links"
    parameter_name = "outgoing"
    field = "outgoing_count"


class LinkHealthFilter(admin.SimpleListFilter):
    title = "link health"
    parameter_name = "links"

    def lookups(self, request, model_admin):
        return [("broken", "Has broken links"), ("healthy", "No broken links"), ("orphan", "Orphan"),
                ("linked", "Not an orphan")]  # fmt: skip

    def queryset(self, request, queryset):
        choices = {
            "broken": {"has_broken_links": True},
            "healthy": {"has_broken_links": False},
            "orphan": {"is_orphan": True},
            "linked": {"is_orphan": False},
        }
        return queryset.filter(**choices[self.value()]) if self.value() in choices else queryset


def _change_url(question_id: int) -> str:
    return reverse("admin:faqs_question_change", args=[question_id])


def outgoing_links_table(question: Question) -> str:
    links = list(question.outgoing_links.select_related("target"))
    if not links:
        return "No links in the answer."
    row = (
        "<tr><td>{}</td><td><a href='{}'>{}</a></td>"
        "<td><strong style='color:{}'>{}</strong></td><td>{}</td></tr>"
    )
    cells = (
        (
            link.anchor or "—",
            link.href,
            link.href,
            STATUS_COLOURS[link.status],
            link.get_status_label(),
            _target_cell(link),
        )
        for link in links
    )
    return format_html(
        "<table><tr><th>Anchor</th><th>Href</th><th>Status</th><th>Target</th></tr>{}</table>",
        format_html_join("", row, cells),
    )


def _target_cell(link: InternalLink) -> str:
    if link.target is None:
        return "—"
    warning = "" if anchor_matches(link.anchor, target_title(link)) else " (anchor text does not describe it)"
    return format_html('<a href="{}">{}</a>{}', _change_url(link.target_id), link.target.title, warning)


def incoming_links_table(question: Question) -> str:
    links = list(question.incoming_links.select_related("source"))
    if not links:
        return "No question links here yet."
    rows = ((_change_url(link.source_id), link.source.title, link.anchor) for link in links)
    return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a> as “{}”</li>', rows))


def suggestions_list(question: Question) -> str:
    suggestions = suggest_links(question)
    if not suggestions:
        return "No suggestion: no other published question shares this one's subject yet."
    items = format_html_join(
        "",
        '<li><a href="{}">{}</a> — {}</li>',
        (
            (
                s.question.get_absolute_url(),
                s.question.title,
                format_html("could go on “{}”", s.phrase) if s.phrase else "shares categories or tags",
            )
            for s in suggestions
        ),
    )
    return format_html("<ul>{}</ul>", items)


REPORT_ROWS = 200  # a page an editor can read; the command lists everything


def link_report_view(model_admin, request):
    report = build_link_report()
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Link report",
        "opts": model_admin.model._meta,
        "report": report,
        "orphans": sorted(orphan_titles(report.orphans[:REPORT_ROWS]).items()),
        "orphan_count": len(report.orphans),
        "row_limit": REPORT_ROWS,
        "rows_shown": f":{REPORT_ROWS}",
    }
    return TemplateResponse(request, "admin/links/link_report.html", context)
