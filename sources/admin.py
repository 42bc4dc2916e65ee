"""Sources on the question's change form: an inline table in the editor's order, with
a warning beside (and above the form for) every source not checked for a year."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.utils import timezone

from sources.models import Source

SOURCES_PREFIX = "sources"  # the inline's formset prefix: Source.question's related name


class SourceInline(admin.StackedInline):
    """Stacked, not a table: five fields side by side ran past the form at 1,280 px."""

    model = Source
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ["title", "url", "publisher", "checked_on", "check_status", "position"]
    readonly_fields = ["check_status"]
    verbose_name = "source"
    verbose_name_plural = "Sources (shown under the answer, and to search engines as its citations)"

    @admin.display(description="check")
    def check_status(self, source: Source) -> str:
        if source.pk is None or not source.is_stale():
            return "Checked within the year" if source.pk else "—"
        return "Not checked yet" if source.checked_on is None else "Checked over a year ago: check it again"


def stale_sources_warning(question_id: int) -> str:
    """One sentence naming the question's sources that need checking, or ""."""
    today = timezone.localdate()
    stale = [source for source in Source.objects.filter(question_id=question_id) if source.is_stale(today)]
    if not stale:
        return ""
    titles = ", ".join(f"“{source.title}”" for source in stale)
    verb = "was" if len(stale) == 1 else "were"
    return f"{titles} {verb} last checked over a year ago (or never): check that the answer still matches."


class QuestionSourcesAdmin:
    """Mixed into the question admin: the inline, and the warning when a form opens.
    The inline is saved by the question admin's one save (`save_related()`), inside
    the save path's transaction."""

    inlines = [SourceInline]

    def get_inline_instances(self, request, obj=None):
        """A posted form without the sources table (a script, a form saved before this
        app) leaves the sources as they are, instead of failing for its missing
        management data."""
        instances = super().get_inline_instances(request, obj)
        if request.method == "POST" and f"{SOURCES_PREFIX}-TOTAL_FORMS" not in request.POST:
            return [inline for inline in instances if not isinstance(inline, SourceInline)]
        return instances

    def change_view(self, request, object_id, form_url="", extra_context=None):
        warning = request.method == "GET" and object_id.isdigit() and stale_sources_warning(int(object_id))
        if warning:
            messages.warning(request, warning)
        return super().change_view(request, object_id, form_url, extra_context)
