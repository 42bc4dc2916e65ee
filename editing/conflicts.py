"""The change form's guard against overwriting a change made since the editor opened
it: optimistic concurrency with no lock, shown with the diff (history.diffs)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from reversion.models import Version

from history import diffs
from history import versions as history

OPENED_VERSION = "opened_version"


def version_id(value) -> int | None:
    """The version id a form was opened with; None when the form carries none."""
    value = (value or "").strip()
    # ASCII digits only: "²" is a digit to str.isdigit() and not to int().
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


class VersionMark(forms.CharField):
    """The hidden version id: not content, so never among a save's changed fields
    (the admin's action log would say "Changed Opened version")."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data) -> bool:
        return False


class EditConflictGuard(forms.Form):
    """Optimistic concurrency for a question's change form, with no lock: the form
    carries the id of the latest version when it was opened; if another version was
    kept since (another editor, a bulk action, a restore), saving is refused, nothing
    is written, and the error names who changed it and when with the diff, while the
    editor's text stays in the form. Saving again then overwrites, knowingly.

    A form posted without the mark (a script) is not checked."""

    opened_version = VersionMark(required=False)

    class Media:
        css = {"all": ["css/admin-history.css"]}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial[OPENED_VERSION] = history.latest_version_id(self.instance.pk) or 0

    def clean(self) -> dict:
        data = super().clean()
        opened = version_id(self.data.get(self.add_prefix(OPENED_VERSION)))
        if self.instance.pk is None or opened is None:
            return data
        stored = history.latest_version(self.instance.pk)
        if stored is None or stored.pk == opened:
            return data
        self.add_error(None, ValidationError(self._conflict_message(opened, stored)))
        # The refusal showed the change: a second save of this form means "keep mine".
        self.data = self.data.copy()
        self.data[self.add_prefix(OPENED_VERSION)] = str(stored.pk)
        return data

    def _conflict_message(self, opened: int, stored: Version) -> str:
        versions = history.versions_of(self.instance.pk)
        base = versions.filter(pk=opened).first()
        older = history.Snapshot.from_version(base) if base else history.Snapshot()
        newer = history.Snapshot.from_version(stored)
        context = {
            "question": self.instance,
            "stored": stored,
            "editor": history.editor_name(stored.revision.user),
            "changes_since": versions.filter(pk__gt=opened).count(),
            "had_base": base is not None,
            "comparison": diffs.compare(older, newer, diffs.category_names([older, newer])),
        }
        return render_to_string("admin/editing/edit_conflict.html", context)
