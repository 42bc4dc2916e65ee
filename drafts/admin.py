"""Draft changes on the question's change form, mixed into its ModelAdmin:
- on a public question an editor may "Save draft changes" (`_draft`): the form's values
  are kept as the question's pending change and the live row is not written; with a
  time in "Publish the changes at" they go live then by themselves (drafts.schedule);
- while a question has draft changes its form shows them, with a notice, a preview on
  the public URL and a comparison with the live version; "Save" publishes them (the
  question admin's one save), "Discard draft changes" drops them;
- the question's History names them and links to the comparison.
The question admin's `save_related()` asks `saves_draft()` before its one save."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from drafts import changes, schedule
from drafts.forms import GO_LIVE_AT, OPENED_CHANGE, SAVE_DRAFT
from editing.conflicts import version_id
from faqs import permissions
from faqs.models import Question
from history import diffs
from history import versions as history

DISCARD = "_discard_draft"  # the submit button "Discard draft changes"
PREVIEW_QUERY = "?preview=true"  # WordPress's "Preview changes" asks for the same


def preview_url(question: Question) -> str:
    return changes.live_url(question) + PREVIEW_QUERY


class QuestionDraftAdmin:
    def may_save_draft(self, request, question: Question | None) -> bool:
        """An editor (who may publish) on a public question, or on one that has draft
        changes already (unpublished since): its changes wait beside the live version."""
        if question is None or question.pk is None or not self.has_change_permission(request, question):
            return False
        if not permissions.may_publish(request.user):
            return False
        return question.is_public() or changes.pending_for(question) is not None

    def saves_draft(self, request, form) -> bool:
        return SAVE_DRAFT in request.POST and self.may_save_draft(request, form.instance)

    # --- the form

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        (name, options), *rest = fieldsets
        fieldsets = [(name, {**options, "fields": [*options["fields"], OPENED_CHANGE]}), *rest]
        if self.may_save_draft(request, obj):
            publishing = next(index for index, (title, _) in enumerate(fieldsets) if title == "Publishing")
            fieldsets.insert(publishing + 1, ("Draft changes", {"fields": [GO_LIVE_AT]}))
        return fieldsets

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        schedule.publish_if_due()  # a change whose time came shows as published
        if request.method == "POST" and DISCARD in request.POST and object_id is not None:
            return self._discard(request, object_id)
        if request.method == "POST" and SAVE_DRAFT in request.POST and object_id is not None:
            question = self.get_object(request, unquote(object_id))
            if question is not None and not self.may_save_draft(request, question):
                # Never a plain save in its place: the editor asked for nothing live.
                self.message_user(
                    request, "Not saved: this question cannot keep draft changes.", messages.ERROR
                )
                return HttpResponseRedirect(reverse("admin:faqs_question_change", args=[question.pk]))
        return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        schedule.publish_if_due()
        return super().changelist_view(request, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["show_save_draft"] = self.may_save_draft(request, obj)
        change_pending = changes.pending_for(obj) if obj is not None else None
        context["pending_change"] = change_pending
        if change_pending is not None:
            context.update(self._draft_context(obj, change_pending))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _draft_context(self, question: Question, change) -> dict:
        return {
            "pending_change": change,
            "draft_unreadable": changes.snapshot_of(change) is None,
            "live_moved_on": changes.live_moved_on(change),
            "draft_editor": history.editor_name(change.saved_by),
            "draft_preview_url": preview_url(question),
            "draft_compare_url": reverse("admin:faqs_question_draft_changes", args=[question.pk]),
        }

    # --- saving

    def keep_draft(self, request, form) -> None:
        """`_draft`: the form's values (applied to its instance, not saved) become the
        question's pending change."""
        question = form.instance
        data = form.cleaned_data
        if "categories" in data:
            category_ids = [category.pk for category in data["categories"]]
        else:
            category_ids = list(question.categories.values_list("pk", flat=True))
        names = changes.tag_names(data["tags"]) if "tags" in data else list(question.tags.names())
        snapshot = changes.drafted(question, category_ids, names)
        request.draft_kept = changes.keep(
            question, snapshot, by=request.user, go_live_at=data.get(GO_LIVE_AT)
        )

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "draft_kept", None) is not None:
            return "Saved draft changes (not live)."
        return super().construct_change_message(request, form, formsets, add)

    def response_change(self, request, obj: Question):
        kept = getattr(request, "draft_kept", None)
        if kept is None:
            return super().response_change(request, obj)
        when = kept.go_live_at
        timing = (
            f"They go live on {timezone.localtime(when):%Y-%m-%d at %H:%M}."
            if when
            else "They wait until you publish them (Save) or set a time."
        )
        self.message_user(
            request,
            format_html(
                "Draft changes to “{}” saved: readers still see the published version. {} "
                '<a href="{}" target="_blank" rel="noopener">Preview them</a>.',
                obj.title,
                timing,
                preview_url(obj),
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:faqs_question_change", args=[obj.pk]))

    def _discard(self, request, object_id: str):
        question = self.get_object(request, unquote(object_id))
        if question is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.may_save_draft(request, question):
            raise PermissionDenied
        change_url = reverse("admin:faqs_question_change", args=[question.pk])
        change = changes.pending_for(question)
        opened = version_id(request.POST.get(OPENED_CHANGE))
        if change is not None and opened is not None and opened != changes.mark_of(change):
            editor = history.editor_name(change.saved_by)
            self.message_user(
                request,
                f"Not discarded: {editor} saved draft changes at "
                f"{timezone.localtime(change.saved_at):%Y-%m-%d %H:%M}, after you opened the form. "
                "Here they are; discard again to drop them.",
                messages.ERROR,
            )
            return HttpResponseRedirect(change_url)
        if change is not None:
            changes.discard(change)
            self.log_change(request, question, "Discarded draft changes.")
            self.message_user(
                request,
                f"Draft changes to “{question.title}” discarded: it is as published.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(change_url)

    # --- comparing

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/draft-changes/",
                view(self.draft_changes_view),
                name="faqs_question_draft_changes",
            ),
            *super().get_urls(),
        ]

    def draft_changes_view(self, request, object_id):
        """The draft changes against the live version, as History compares versions."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        question = self.get_object(request, unquote(object_id))
        if question is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, question):
            raise PermissionDenied
        change = changes.pending_for(question)
        change_url = reverse("admin:faqs_question_change", args=[question.pk])
        if change is None:
            self.message_user(request, "This question has no draft changes.", messages.INFO)
            return HttpResponseRedirect(change_url)
        live = history.stored_snapshots([question.pk])[question.pk]
        draft = changes.snapshot_of(change)
        if draft is None:
            self.message_user(request, "These draft changes cannot be read.", messages.ERROR)
            return HttpResponseRedirect(change_url)
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": f"Draft changes: {question}",
            "object": question,
            "opts": self.opts,
            "comparison": diffs.compare(live, draft, diffs.category_names([live, draft])),
            "change_url": change_url,
            "history_url": reverse("admin:faqs_question_history", args=[question.pk]),
            **self._draft_context(question, change),
        }
        return TemplateResponse(request, "admin/drafts/draft_compare.html", context)

    def history_view(self, request, object_id, extra_context=None):
        """The history names the draft changes, if any (one query: the change with its
        question's slug and its editor; the history checks the permission)."""
        question_id = version_id(unquote(object_id))  # ASCII digits, or None
        pending = changes.PendingChange.objects.select_related("question", "saved_by")
        change = pending.filter(pk=question_id).first() if question_id is not None else None
        if change is not None:
            extra_context = {**(extra_context or {}), **self._draft_context(change.question, change)}
        return super().history_view(request, object_id, extra_context)
