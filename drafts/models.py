"""PendingChange: a live question's unpublished changes, one per question, as
WordPress keeps a published post's autosave and Wagtail a live page's draft revision.
The live row (what readers, wp-json, the sitemap, the feed and the importer see) is
untouched until the change is published."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from faqs.models.question import Question


class PendingChange(models.Model):
    question = models.OneToOneField(
        Question, on_delete=models.CASCADE, primary_key=True, related_name="pending_change"
    )
    # The changed question as a history snapshot (history.versions.Snapshot.serialized):
    # its fields, category ids and tag names; read back, compared and applied as one.
    snapshot = models.TextField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField()
    # How many times it was saved (for people).
    edits = models.PositiveIntegerField(default=1)
    # When it was last saved, in microseconds: never the same twice, even after a discard
    # and a new draft. The form carries the mark it opened with (drafts.forms), so a save
    # over another editor's newer draft is refused, as a save over a newer version is.
    mark = models.BigIntegerField(default=0)
    # The live question's latest version when the draft was saved: publishing it over a
    # live question changed since (a bulk action, a restore, an import) is not silent.
    based_on = models.BigIntegerField(null=True, blank=True)
    # When the change goes live by itself; None: it waits for an editor.
    go_live_at = models.DateTimeField("publish the changes at", null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "draft change"

    def __str__(self) -> str:
        return f"Draft changes to question {self.question_id}"
