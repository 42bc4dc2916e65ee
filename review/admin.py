"""The review steps on the question's change form, mixed into its ModelAdmin:
- an author's "Submit for review" (faqs.admin.roles) takes a message for the editors;
- an editor on a question pending review may "Request changes" with a comment, which
  sends it back to draft;
- both see the last step's message at the top of the form.
The save itself is the question admin's (one save path); it asks `review_step()`
before and calls `review_step_taken()` after."""

from __future__ import annotations

import copy
import logging

from django.contrib import messages
from django.db import transaction

from faqs import permissions
from faqs.models import Question
from review import workflow

logger = logging.getLogger(__name__)
REVIEW_MESSAGE = "review_message"  # the form's field (faqs.admin.forms)
REQUEST_CHANGES = "_request_changes"  # the editor's submit button


class QuestionReviewAdmin:
    def review_role(self, request, question: Question | None) -> str:
        """ "author" (may submit), "editor" (may request changes) or "" (neither)."""
        if question is not None and not self.has_change_permission(request, question):
            return ""
        if not permissions.may_publish(request.user):
            return "author"
        return "editor" if question is not None and question.status == Question.Status.PENDING else ""

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if self.review_role(request, obj):
            fieldsets.append(("Review", {"fields": [REVIEW_MESSAGE]}))
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if REVIEW_MESSAGE in form.base_fields and self.review_role(request, obj) == "editor":
            # A copy: the field object is the form class's own, shared by every form made.
            field = form.base_fields[REVIEW_MESSAGE] = copy.deepcopy(form.base_fields[REVIEW_MESSAGE])
            field.label = "Comment for the author"
            field.help_text = "Sent to the author with “Request changes”, and shown on this form."
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["show_request_changes"] = self.review_role(request, obj) == "editor"
        shown = obj is not None and self.review_role(request, obj)  # not to a reader of another's
        context["review_note"] = workflow.open_note(obj) if shown else None
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_form(self, request, form, change: bool) -> Question:
        question = super().save_form(request, form, change)
        if self.review_step(request, form) == workflow.CHANGES_REQUESTED:
            question.status = Question.Status.DRAFT  # back to the author
        return question

    def review_step(self, request, form) -> str:
        """The step this save takes: SUBMITTED when an author's save makes the question
        pending review (by the button or the status menu; not when it was pending
        already: one submission, one mail), CHANGES_REQUESTED when an editor sends a
        pending question back; "" for any other save."""
        was_pending = form.initial.get("status") == Question.Status.PENDING
        becomes_pending = form.instance.status == Question.Status.PENDING
        if becomes_pending and not was_pending and not permissions.may_publish(request.user):
            return workflow.SUBMITTED
        if REQUEST_CHANGES in request.POST and permissions.may_publish(request.user) and was_pending:
            return workflow.CHANGES_REQUESTED
        return ""

    def review_step_taken(self, request, question: Question, step: str, message: str) -> None:
        """Keep the step's message; mail once the save is committed."""
        note = workflow.record(question, step, request.user, message)
        send = workflow.mail_reviewers if step == workflow.SUBMITTED else workflow.mail_author
        transaction.on_commit(lambda: self._mail(request, send, note))

    def _mail(self, request, send, note) -> None:
        try:
            sent = send(note)
        except Exception:  # the step is kept; only the mail is lost, and the editor is told
            logger.exception("Review mail for question %s could not be sent", note.question_id)
            messages.warning(
                request, "The review mail could not be sent: check the mail settings (EMAIL_URL)."
            )
            return
        if note.kind == workflow.CHANGES_REQUESTED:
            told = "The author was mailed your comment." if sent else "The author has no address to mail."
            messages.info(request, f"“{note.question.title}” is back with its author as a draft. {told}")
        elif sent:
            messages.info(request, f"{sent} editor(s) were mailed that it waits for review.")
