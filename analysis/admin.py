"""Content analysis in the question admin, mixed into its ModelAdmin: the change form's
panel of lights (made by the one module, analysis.checks, on the stored question and
then on the unsaved form as the editor types, through an admin endpoint), the question
list's SEO and readability column and its two filters (reading the stored ratings)."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.contrib import admin
from django.http import HttpResponseNotAllowed, JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html

from analysis.checks import BAD, GOOD, OK, Analysis
from analysis.stored import analyse_question
from faqs.admin import snippet
from faqs.models import Question

RATING_LABELS = {GOOD: "Good", OK: "OK", BAD: "Needs improvement"}
PANEL_FIELD = "content_analysis"
# The keyphrase first, as in Yoast's box: the lights below answer to it.
ANALYSIS_FIELDS = ["focus_keyphrase", "keyphrase_synonyms", "cornerstone", PANEL_FIELD]


@dataclass(frozen=True)
class ShownCheck:
    id: str
    rating: str
    text: str
    where: str

    @property
    def rating_label(self) -> str:
        return RATING_LABELS.get(self.rating, self.rating)


def panel_html(analysis: Analysis, endpoint: str) -> str:
    """The panel: per group its overall light and its checks, problems first (bad, then
    ok), the passed ones folded."""
    groups = []
    overall = (("seo", "SEO", analysis.seo), ("readability", "Readability", analysis.readability))
    for group, label, rating in overall:
        checks = [
            ShownCheck(check.id, check.rating, check.text, check.where)
            for check in analysis.checks
            if check.group == group
        ]
        groups.append(
            {
                "label": label,
                "rating": rating,
                "rating_label": RATING_LABELS[rating],
                "problems": sorted((c for c in checks if c.rating != GOOD), key=lambda c: c.rating != BAD),
                "good": [c for c in checks if c.rating == GOOD],
            }
        )
    context = {"groups": groups, "flesch": analysis.flesch, "endpoint": endpoint}
    return render_to_string("admin/analysis/panel.html", context)


class RatingFilter(admin.SimpleListFilter):
    """The question list by one of the stored overall ratings."""

    field = ""

    def lookups(self, request, model_admin):
        extra = [("no_keyphrase", "No focus keyphrase")] if self.field == "seo" else []
        return [*RATING_LABELS.items(), *extra, ("none", "Not analysed yet")]

    def queryset(self, request, queryset):
        if self.value() in RATING_LABELS:
            return queryset.filter(**{f"analysis__{self.field}": self.value()})
        if self.value() == "no_keyphrase" and self.field == "seo":
            return queryset.filter(analysis__keyphrase="")
        if self.value() == "none":
            return queryset.filter(analysis__isnull=True)
        return queryset


class SeoFilter(RatingFilter):
    title = "SEO analysis"
    parameter_name = "seo"
    field = "seo"


class ReadabilityFilter(RatingFilter):
    title = "readability"
    parameter_name = "readability"
    field = "readability"


class QuestionAnalysisAdmin:
    def get_fieldsets(self, request, obj=None):
        """The analysis box after the SEO box, as Yoast's sits under the editor; a
        read-only question (an author's published one) shows the panel alone."""
        fieldsets = list(super().get_fieldsets(request, obj))
        read_only = obj is not None and not self.has_change_permission(request, obj)
        fields = [PANEL_FIELD] if read_only else ANALYSIS_FIELDS
        at = next((i + 1 for i, (name, _) in enumerate(fieldsets) if name == "Search engines (SEO)"), 1)
        box = {
            "fields": fields,
            "description": "Yoast's SEO and readability checks and this site's own, as you type.",
        }
        fieldsets.insert(at, ("Content analysis", box))
        return fieldsets

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "content-analysis/", view(self.content_analysis_view), name="faqs_question_content_analysis"
            ),
            *super().get_urls(),
        ]

    def content_analysis_view(self, request):
        """The panel for the form's unsaved values (POST: the whole form; `?id=` names
        the question being changed, none for a new one), as JSON {seo, readability, html}."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        question = self._previewed(request)  # the snippet preview's permission rules
        form_class = self.get_form(request, question, change=question.pk is not None)
        unsaved = snippet.unsaved_question(form_class(request.POST, instance=question))
        unsaved.prepare_content()
        analysis = analyse_question(unsaved)
        return JsonResponse(
            {
                "seo": analysis.seo,
                "readability": analysis.readability,
                "html": panel_html(analysis, self._analysis_endpoint(unsaved)),
            }
        )

    def _analysis_endpoint(self, question: Question) -> str:
        endpoint = reverse("admin:faqs_question_content_analysis")
        return f"{endpoint}?id={question.pk}" if question.pk else endpoint

    @admin.display(description="analysis")
    def content_analysis(self, question: Question) -> str:
        shown = copy.copy(question)  # prepare_content() must not touch the form's instance
        shown.prepare_content()
        return panel_html(analyse_question(shown), self._analysis_endpoint(question))

    @admin.display(description="SEO · readability")
    def analysis_lights(self, question: Question) -> str:
        """The stored ratings as two lights with words for screen readers."""
        stored = getattr(question, "analysis", None)
        if stored is None:
            return format_html('<span class="analysis-lights">{}</span>', "—")
        return format_html(
            '<span class="analysis-lights">'
            '<span class="analysis-light analysis-light--{}" title="SEO: {}"></span>'
            '<span class="visually-hidden">SEO: {}. </span>'
            '<span class="analysis-light analysis-light--{}" title="Readability: {}"></span>'
            '<span class="visually-hidden">Readability: {}.</span></span>',
            stored.seo,
            RATING_LABELS[stored.seo],
            RATING_LABELS[stored.seo],
            stored.readability,
            RATING_LABELS[stored.readability],
            RATING_LABELS[stored.readability],
        )


def with_ratings(questions):
    """The question list's rows with their stored analysis (one join, no extra query)."""
    return questions.select_related("analysis")
