"""The question form's side of draft changes, mixed into its ModelForm:
- a question with a pending change opens with the change's values (the live row stays
  as it is until a save writes it);
- "Publish the changes at" (a time, for "Save draft changes");
- the pending change's conflict guard: the form carries the count of draft saves it
  was opened with; a save (of any kind) over a draft another editor saved since is
  refused with who, when and what differs, as a save over a newer version is
  (editing.conflicts), and a second save then goes ahead knowingly."""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from taggit.models import Tag

from drafts import changes
from editing.conflicts import VersionMark, version_id
from history import diffs
from history import versions as history

SAVE_DRAFT = "_draft"  # the submit button "Save draft changes"
OPENED_CHANGE = "opened_change"
GO_LIVE_AT = "changes_go_live_at"
# What a draft cannot change: the live question's own state (changes.DRAFTED_FIELDS),
# and its byline and review, which versions do not keep (issue 20).
LIVE_ONLY = frozenset(
    {"status", "published_at", "author", "written_by", "reviewed_by", "last_reviewed", "featured_image"}
)


class GoLiveWidget(AdminSplitDateTime):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = "Date the changes go live (YYYY-MM-DD)"
        self.widgets[1].attrs["aria-label"] = "Time the changes go live (HH:MM:SS)"


class DraftChangesForm(forms.Form):
    opened_change = VersionMark(required=False)
    changes_go_live_at = forms.SplitDateTimeField(
        required=False,
        label="Publish the changes at",
        widget=GoLiveWidget,
        help_text="With “Save draft changes”: empty, the changes wait until an editor publishes "
        "them; a time, they go live then by themselves. “Save” publishes them now.",
    )

    def __init__(self, *args, **kwargs):
        question = kwargs.get("instance")
        change = changes.pending_for(question) if question is not None else None
        snapshot = changes.snapshot_of(change) if change is not None else None
        if snapshot is not None:
            changes.apply(question, snapshot)
            question.prepare_content()  # what the read-only parts (snippet, effective title) show
            kwargs["initial"] = {
                "categories": list(snapshot.category_ids),
                "tags": [Tag(name=name) for name in snapshot.tags],
                GO_LIVE_AT: change.go_live_at,
                **(kwargs.get("initial") or {}),
            }
        super().__init__(*args, **kwargs)
        self.pending_change = change
        if not self.is_bound:
            self.initial[OPENED_CHANGE] = changes.mark_of(change)

    @property
    def saves_draft(self) -> bool:
        return SAVE_DRAFT in self.data

    def clean(self) -> dict:
        data = super().clean()
        when = data.get(GO_LIVE_AT)
        if self.saves_draft and when is not None and when <= timezone.now():
            self.add_error(
                GO_LIVE_AT, "This time has passed: choose a later one, or use “Save” to publish now."
            )
        if self.saves_draft and LIVE_ONLY & set(self.changed_data):
            self.add_error(
                None,
                "Draft changes keep the question's status, publication date, author, byline, review "
                "and featured image: undo those, or use “Save” to change them on the live question.",
            )
        self._refuse_over_a_newer_draft()
        return data

    def _refuse_over_a_newer_draft(self) -> None:
        opened = version_id(self.data.get(self.add_prefix(OPENED_CHANGE)))
        if self.instance.pk is None or opened is None:
            return
        stored = self.pending_change  # read as the form was made, in this request
        if changes.mark_of(stored) == opened:
            return
        self.add_error(None, ValidationError(self._draft_conflict_message(stored)))
        self.data = self.data.copy()  # a second save of this form means "keep mine"
        self.data[self.add_prefix(OPENED_CHANGE)] = str(changes.mark_of(stored))

    def _draft_conflict_message(self, stored) -> str:
        theirs = changes.snapshot_of(stored) if stored is not None else None
        if theirs is None:
            context = {"gone": True}
        else:
            live = history.stored_snapshots([self.instance.pk])[self.instance.pk]
            context = {
                "stored": stored,
                "editor": history.editor_name(stored.saved_by),
                "comparison": diffs.compare(live, theirs, diffs.category_names([live, theirs])),
            }
        return render_to_string("admin/drafts/draft_conflict.html", context)
