"""The question's history in the admin: the list of versions with what each changed,
a diff between any two, and a restore (through the save path)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from reversion.models import Version

from editing.conflicts import OPENED_VERSION, version_id
from faqs import permissions
from faqs.models import Question
from history import diffs, restore
from history import versions as history

VERSIONS_PER_PAGE = 50


@dataclass(frozen=True)
class HistoryRow:
    version: Version
    editor: str
    summary: str
    is_current: bool
    restorable: bool  # by the user reading the list (faqs.permissions.may_restore_version)


class QuestionHistoryAdmin:
    """Mixed into the question's ModelAdmin: its History page lists versions, and
    two more views compare and restore them."""

    object_history_template = "admin/history/question/history.html"

    def get_fieldsets(self, request, obj=None):
        """The change form carries the version it was opened with (a hidden field at
        the top), whatever the fieldsets hold."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], OPENED_VERSION]}), *rest]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name="faqs_question_history_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                view(self.restore_view),
                name="faqs_question_history_restore",
            ),
            *super().get_urls(),
        ]

    def _question(self, request, object_id: str, *, change: bool = False) -> Question | None:
        question = self.get_object(request, unquote(object_id))
        if question is None:
            return None
        allowed = self.has_change_permission if change else self.has_view_or_change_permission
        if not allowed(request, question):
            raise PermissionDenied
        return question

    def _context(self, request, question: Question, title: str, **extra) -> dict:
        request.current_app = self.admin_site.name
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "object": question,
            "opts": self.opts,
            **extra,
        }

    def history_view(self, request, object_id, extra_context=None):
        """Versions newest first, each with who, when, its note and what it changed
        from the one before; 50 a page, in four queries whatever the history's length."""
        question = self._question(request, object_id)
        if question is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        versions = history.versions_of(question.pk)
        paginator = Paginator(versions, VERSIONS_PER_PAGE)
        page = paginator.get_page(request.GET.get("p"))
        rows = []
        if paginator.count:
            # The page's versions and the one before the last, which its summary needs.
            window = list(versions[page.start_index() - 1 : page.end_index() + 1])
            snapshots = [history.Snapshot.from_version(version) for version in window]
            names = diffs.category_names(snapshots)
            shown = page.end_index() - page.start_index() + 1
            for index, version in enumerate(window[:shown]):
                has_older = index + 1 < len(window)
                summary = (
                    diffs.compare(snapshots[index + 1], snapshots[index], names).summary()
                    if has_older
                    else "first version"
                )
                rows.append(
                    HistoryRow(
                        version=version,
                        editor=history.editor_name(version.revision.user),
                        summary=summary,
                        is_current=page.number == 1 and index == 0,
                        restorable=permissions.may_restore_version(request.user, question, snapshots[index]),
                    )
                )
        context = self._context(
            request,
            question,
            f"History: {question}",
            rows=rows,
            page=page,
            page_range=paginator.get_elided_page_range(page.number) if paginator.num_pages > 1 else [],
            **(extra_context or {}),
        )
        return TemplateResponse(request, self.object_history_template, context)

    def compare_view(self, request, object_id):
        """Any two versions, the older on the left whichever was picked first."""
        question = self._question(request, object_id)
        if question is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        history_url = reverse("admin:faqs_question_history", args=[question.pk])
        picked = {version_id(request.GET.get("from")), version_id(request.GET.get("to"))} - {None}
        pair = list(history.versions_of(question.pk).filter(pk__in=picked)) if len(picked) == 2 else []
        if len(pair) != 2:
            messages.error(request, "Choose two different versions of this question to compare.")
            return HttpResponseRedirect(history_url)
        newer, older = pair  # versions_of() is newest first
        snapshots = [history.Snapshot.from_version(older), history.Snapshot.from_version(newer)]
        comparison = diffs.compare(*snapshots, diffs.category_names(snapshots))
        latest_id = history.latest_version_id(question.pk)
        context = self._context(
            request,
            question,
            f"Compare versions: {question}",
            older=older,
            newer=newer,
            older_editor=history.editor_name(older.revision.user),
            newer_editor=history.editor_name(newer.revision.user),
            older_restorable=permissions.may_restore_version(request.user, question, snapshots[0]),
            newer_restorable=permissions.may_restore_version(request.user, question, snapshots[1]),
            latest_id=latest_id,
            comparison=comparison,
            history_url=history_url,
        )
        return TemplateResponse(request, "admin/history/question/history_compare.html", context)

    def restore_view(self, request, object_id, version_id: int):
        """GET: what restoring the version would change, and whether its address is
        still free. POST: the restore, as a new version through the save path. Both
        403 when the user may not restore it (an author and a published version, or
        another author's question): a restore sets the status as the form would."""
        question = self._question(request, object_id, change=True)
        if question is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        version = history.versions_of(question.pk).filter(pk=version_id).first()
        if version is None:
            messages.error(request, "That version does not belong to this question.")
            return redirect("admin:faqs_question_history", question.pk)
        snapshot = history.Snapshot.from_version(version)
        if not permissions.may_restore_version(request.user, question, snapshot):
            raise PermissionDenied
        if request.method == "POST":
            return self._restore(request, question, version)
        current = history.stored_snapshots([question.pk])[question.pk]
        holder = restore.slug_holder(question, snapshot.slug)
        if holder is not None:
            snapshot = replace(snapshot, slug=current.slug)  # the restore keeps the address
        context = self._context(
            request,
            question,
            f"Restore a version: {question}",
            version=version,
            editor=history.editor_name(version.revision.user),
            comparison=diffs.compare(current, snapshot, diffs.category_names([current, snapshot])),
            slug_holder=holder,
            history_url=reverse("admin:faqs_question_history", args=[question.pk]),
        )
        return TemplateResponse(request, "admin/history/question/history_restore.html", context)

    def _restore(self, request, question: Question, version: Version):
        restored = restore.restore_version(question, version, by=request.user)
        when = timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M")
        self.log_change(request, question, f"Restored the version of {when}.")
        messages.success(request, f"Restored the version of {when} as a new version of “{question}”.")
        if restored.slug_holder is not None:
            messages.warning(
                request,
                f"That version's address, {restored.slug_holder.get_absolute_url()}, now belongs to "
                f"“{restored.slug_holder.title}”: this question stays at {question.get_absolute_url()}.",
            )
        if restored.missing_categories:
            messages.warning(
                request,
                f"{restored.missing_categories} of that version's categories no longer exist: left out.",
            )
        return redirect("admin:faqs_question_change", question.pk)
