"""The review cycle in the question admin, mixed into its ModelAdmin: the *Review due*
filter, "Mark as reviewed" (a bulk action, and a button on the form beside the
reviewer), the form's next review date, and the *Reviews due* page: what is overdue
and what comes due in the next 30 days."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from faqs import permissions
from faqs.models import Question
from review import cycle

MARK_REVIEWED = "_mark_reviewed"
# Readers see who reviewed an answer: a review is recorded under the reviewer's own name.
NO_PROFILE = (
    "Nothing was marked: a review is recorded under the reviewer's author profile, and your "
    "account has none. Ask an administrator to link one (Author profiles › account)."
)


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review due"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("soon", "Due in the next 30 days"), ("never", "Never reviewed")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(pk__in=cycle.overdue(today).values("pk"))
        if self.value() == "soon":
            return queryset.filter(pk__in=cycle.due_soon(today).values("pk"))
        if self.value() == "never":
            return queryset.filter(last_reviewed=None)
        return queryset


class QuestionReviewCycleAdmin:
    def get_urls(self):
        return [
            path("reviews/", self.admin_site.admin_view(self.reviews_due), name="faqs_question_reviews"),
            path(
                "<path:object_id>/mark-reviewed/",
                self.admin_site.admin_view(self.mark_reviewed_view),
                name="faqs_question_mark_reviewed",
            ),
            *super().get_urls(),
        ]

    def may_mark_reviewed(self, request, question: Question | None = None) -> bool:
        """An editor's call, as publishing is: a review vouches for the answer."""
        allowed = permissions.may_publish(request.user)
        return allowed and (question is None or self.has_change_permission(request, question))

    @admin.action(description="Mark selected questions as reviewed today", permissions=["publish"])
    def mark_reviewed(self, request, queryset) -> None:
        if not self.may_mark_reviewed(request):
            raise PermissionDenied
        if cycle.reviewer_profile(request.user) is None:
            self.message_user(request, NO_PROFILE, messages.ERROR)
            return
        questions = list(queryset.select_related("reviewed_by"))
        for question in questions:
            cycle.mark_reviewed(question, request.user)
        self.message_user(request, f"{len(questions)} marked as reviewed today.", messages.SUCCESS)

    def mark_reviewed_view(self, request, object_id: str):
        """The form's "Mark as reviewed" (posted with formaction): records the review
        only; anything else typed in the form is left unsaved, and the message says so."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        question = self.get_object(request, unquote(object_id))
        if question is None or not self.may_mark_reviewed(request, question):
            raise PermissionDenied
        change_form = HttpResponseRedirect(reverse("admin:faqs_question_change", args=[question.pk]))
        if cycle.reviewer_profile(request.user) is None:
            self.message_user(request, NO_PROFILE, messages.ERROR)
            return change_form
        cycle.mark_reviewed(question, request.user)
        self.message_user(
            request,
            f"“{question.title}” is marked as reviewed today; its modified date is unchanged. "
            "Other changes in the form, if any, were not saved.",
            messages.SUCCESS,
        )
        return change_form

    @admin.display(description="next review")
    def review_status(self, question: Question) -> str:
        if question.pk is None:
            return "Set once the question is published."
        annotated = cycle.with_review_dates(Question.objects.filter(pk=question.pk)).first()
        due_on = cycle.next_review(annotated) if annotated and question.is_public() else None
        when = "Not due: the question is not public." if due_on is None else f"Due {due_on:%B %-d, %Y}"
        if due_on is not None and due_on < timezone.localdate():
            when = f"Overdue since {due_on:%B %-d, %Y}"
        button = format_html(
            ' <button type="submit" class="button" formaction="{}" formnovalidate name="{}" value="1">'
            "Mark as reviewed</button>",
            reverse("admin:faqs_question_mark_reviewed", args=[question.pk]),
            MARK_REVIEWED,
        )
        return format_html("{}{}", when, button if question.is_public() else "")

    def reviews_due(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "title": "Reviews due",
            "opts": self.model._meta,
            "overdue": cycle.schedule(cycle.overdue(today)),
            "due_soon": cycle.schedule(cycle.due_soon(today)),
            "today": today,
            "default_months": cycle.settings.REVIEW_EVERY_MONTHS,
            "may_mark": self.may_mark_reviewed(request),
        }
        return TemplateResponse(request, "admin/review/reviews_due.html", context)
