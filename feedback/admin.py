"""Reader feedback for editors: mixed into the question admin (the helpful and not
helpful counts in the list, a filter, the latest reasons on the question's form), the
votes themselves read-only, and the report of this month's least helpful answers.

Who sees it: whoever may view votes (`feedback.view_vote`, the Editor group's since
this app's migration 0001). Authors are not given it: readers' notes on an answer are
for the editors who decide what to change, and the question admin shows an author
none of it (no column, filter or box)."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from faqs.models import Question
from feedback.models import FeedbackCount, Vote, month_start

VIEW_PERMISSION = "feedback.view_vote"
FORM_REASONS = 20  # the newest votes with a reason or text shown on a question's form
REPORT_ROWS = 50
STATUS_WITH_FEEDBACK = "status_with_feedback"


def may_see_feedback(user) -> bool:
    return user.has_perm(VIEW_PERMISSION)


class FeedbackFilter(admin.SimpleListFilter):
    title = "reader feedback"
    parameter_name = "feedback"

    def lookups(self, request, model_admin):
        return [
            ("not_helpful_month", "Not helpful this month"),
            ("not_helpful", "Any “not helpful” vote"),
            ("helpful_only", "Only “helpful” votes"),
            ("none", "No votes"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "not_helpful_month":
            return queryset.filter(pk__in=Vote.objects.not_helpful().this_month().values("question_id"))
        if self.value() == "not_helpful":
            return queryset.filter(feedback_count__not_helpful__gt=0)
        if self.value() == "helpful_only":
            return queryset.filter(feedback_count__helpful__gt=0, feedback_count__not_helpful=0)
        if self.value() == "none":
            return queryset.filter(feedback_count__isnull=True)
        return queryset


class QuestionFeedbackAdmin:
    """Mixed into faqs.admin.questions.QuestionAdmin, as the other apps' parts are."""

    def get_list_display(self, request):
        """The counts under the status and analysis lights, in their column (as the
        lights joined the status): another column would not fit the list in 1,280 px."""
        shown = list(super().get_list_display(request))
        if not may_see_feedback(request.user):
            return shown
        return [STATUS_WITH_FEEDBACK if name == "status_label" else name for name in shown]

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        return [*filters, FeedbackFilter] if may_see_feedback(request.user) else filters

    def get_queryset(self, request):
        # The counts by a join of the list's own query: no query per row, none per page.
        return super().get_queryset(request).select_related("feedback_count")

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None or not may_see_feedback(request.user):
            return fieldsets
        box = {"fields": ["reader_feedback_panel"], "classes": ["collapse"]}
        return [*fieldsets, ("Reader feedback", box)]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "reader_feedback_panel"]

    def get_urls(self):
        view = self.admin_site.admin_view
        report = path("feedback-report/", view(self.feedback_report), name="faqs_question_feedback_report")
        return [report, *super().get_urls()]

    @admin.display(description="status, SEO · readability, readers", ordering="status")
    def status_with_feedback(self, question: Question) -> str:
        return format_html("{}<br>{}", self.status_label(question), self.reader_feedback(question))

    def reader_feedback(self, question: Question) -> str:
        count = getattr(question, "feedback_count", None)
        return render_to_string("admin/feedback/counts.html", {"count": count})

    @admin.display(description="what readers said")
    def reader_feedback_panel(self, question: Question) -> str:
        if not question.pk:
            return "—"
        noted = question.feedback_votes.exclude(reason="", comment="")[:FORM_REASONS]
        context = {
            "count": FeedbackCount.objects.filter(pk=question.pk).first(),
            "votes": noted,
            "limit": FORM_REASONS,
            "votes_url": reverse("admin:feedback_vote_changelist") + f"?question__id__exact={question.pk}",
        }
        return render_to_string("admin/feedback/panel.html", context)

    def feedback_report(self, request):
        """Questions with the most "not helpful" votes this month, by reason."""
        if not may_see_feedback(request.user):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Least helpful answers this month",
            "opts": self.model._meta,
            "since": month_start(),
            "rows": least_helpful_this_month(),
            "reasons": Vote.Reason.choices,
            "row_limit": REPORT_ROWS,
        }
        return TemplateResponse(request, "admin/feedback/report.html", context)


def least_helpful_this_month(limit: int = REPORT_ROWS) -> list[dict]:
    """The questions with the most "not helpful" votes since the month began, each with
    its count by reason: one grouped query over the month's votes (the created_at
    index), one for the titles."""
    by_reason = {value: Count("pk", filter=Q(reason=value)) for value, _ in Vote.Reason.choices}
    counted = list(
        Vote.objects.not_helpful()
        .this_month()
        .values("question_id")
        .annotate(total=Count("pk"), unexplained=Count("pk", filter=Q(reason="")), **by_reason)
        .order_by("-total", "question_id")[:limit]
    )
    titles = Question.objects.filter(pk__in=[row["question_id"] for row in counted]).in_bulk(field_name="pk")
    return [
        {
            **row,
            "question": titles[row["question_id"]],
            "by_reason": [(label, row[value]) for value, label in Vote.Reason.choices],
            "change_url": reverse("admin:faqs_question_change", args=[row["question_id"]]),
        }
        for row in counted
        if row["question_id"] in titles
    ]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    """The votes as readers left them, read-only: written by the site only, counted in
    FeedbackCount, so none is added, changed or deleted by hand."""

    list_display = ["created_at", "question", "helpful", "reason", "comment"]
    list_filter = ["helpful", "reason", "created_at"]
    list_select_related = ["question"]
    search_fields = ["comment", "question__title"]
    date_hierarchy = "created_at"
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).defer("question__content", "question__search_text")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        report = reverse("admin:faqs_question_feedback_report")
        return super().changelist_view(request, {"report_url": report, **(extra_context or {})})
