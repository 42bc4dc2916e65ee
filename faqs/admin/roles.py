"""The role rules of the question admin: editors publish, authors write and submit
for review (the rules themselves are faqs.permissions' predicates, asked here).

They are enforced where a request writes (the form's status choices, the change and
delete permissions, the bulk actions' `has_publish_permission`, the history's restore),
not only by what buttons show. The groups themselves are made by migration 0009.
"""

from __future__ import annotations

from django.contrib import admin, messages

from faqs import permissions
from faqs.models import Question

SUBMIT_FOR_REVIEW = "_submit_for_review"  # the submit button's name
NOT_AN_EDITOR = (
    "Only an editor can publish, schedule or make a question private: "
    "save it as a draft or submit it for review."
)


class QuestionRoles(admin.ModelAdmin):
    """The role rules of the question admin, kept apart from its columns and panels."""

    def has_publish_permission(self, request) -> bool:
        """For the bulk actions declared with permissions=["publish"]."""
        return permissions.may_publish(request.user)

    def has_change_permission(self, request, obj: Question | None = None) -> bool:
        # False for an author on a published question or another author's draft: Django
        # shows it read-only and answers a POST to it with 403.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.may_edit_question(request.user, obj))

    def has_delete_permission(self, request, obj: Question | None = None) -> bool:
        # Deleting a public question takes it from readers: that is an editor's call,
        # whoever was given the delete permission.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.may_delete_question(request.user, obj))

    def get_readonly_fields(self, request, obj: Question | None = None):
        fields = list(super().get_readonly_fields(request, obj))
        if not permissions.may_publish(request.user):
            fields.append("author")  # an author writes under their own name (set on save)
            # A review vouches for the answer: recorded by editors ("Mark as reviewed").
            fields += ["reviewed_by", "last_reviewed"]
        return fields

    def get_form(self, request, obj: Question | None = None, change: bool = False, **kwargs):
        """Without the publish permission the status offers draft and pending review
        only; a POST of any other status (published, scheduled, private) is a form error."""
        form = super().get_form(request, obj, change, **kwargs)
        status = form.base_fields.get("status")
        if status is not None and not permissions.may_publish(request.user):
            may_set = permissions.may_set_status
            status.choices = [(value, name) for value, name in status.choices if may_set(request.user, value)]
            status.error_messages = {**status.error_messages, "invalid_choice": NOT_AN_EDITOR}
        return form

    def save_form(self, request, form, change: bool) -> Question:
        question = super().save_form(request, form, change)
        if SUBMIT_FOR_REVIEW in request.POST and not permissions.may_publish(request.user):
            question.status = Question.Status.PENDING
        return question

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # admin/faqs/question/submit_line.html shows "Submit for review" with it.
        context["show_submit_for_review"] = not permissions.may_publish(request.user) and (
            self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        )
        notice = self._read_only_notice(request, obj) if obj is not None else ""
        if notice:
            self.message_user(request, notice, messages.INFO)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _read_only_notice(self, request, question: Question) -> str:
        """Why the question's form is read-only to the user, or "" when it is not."""
        if permissions.may_edit_question(request.user, question):
            return ""
        shown = Question.Status(question.status_as_shown).label.lower()
        if not permissions.may_set_status(request.user, question.status):
            return f"This question is {shown}: only an editor can change it now."
        if super().has_change_permission(request):  # an author, on another author's question
            return f"This question is another author's {shown}: only its author or an editor can change it."
        return ""

    def response_add(self, request, obj: Question, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self._say_if_submitted(request, obj)
        return response

    def response_change(self, request, obj: Question):
        response = super().response_change(request, obj)
        self._say_if_submitted(request, obj)
        return response

    def _say_if_submitted(self, request, question: Question) -> None:
        if question.status == Question.Status.PENDING and not permissions.may_publish(request.user):
            self.message_user(
                request,
                f"“{question.title}” is submitted for review: an editor will publish it. "
                "Editors find it under Status › Pending review.",
                messages.SUCCESS,
            )
