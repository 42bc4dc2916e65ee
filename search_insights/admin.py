"""What readers search for, as a source of questions to write: the Search terms report
(most searched, found nothing, results never opened, over 7, 30 or 90 days) and the
promoted search results editors pin first for a search (Wagtail's "promotions")."""

from __future__ import annotations

from dataclasses import replace

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html

from faqs.identifiers import whole_number
from faqs.site import search_url
from search import engine as search
from search_insights import analytics
from search_insights.models import SearchLog, SearchPromotion

DEFAULT_PERIOD = 30


def chosen_period(request) -> int:
    """The report's period in days: ?days=7, 30 or 90 (30 when absent or other)."""
    days = whole_number(request.GET.get("days", ""))
    return days if days in analytics.PERIODS else DEFAULT_PERIOD


@admin.register(SearchLog)
class SearchTermsAdmin(admin.ModelAdmin):
    """The Search terms report in place of a list: the log is written by the site only,
    one row a query a day, so there is nothing to add, change or delete by hand."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [path("", view(self.changelist_view), name="search_insights_searchlog_changelist")]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        days = chosen_period(request)
        lists = with_promotions(
            {
                "most_searched": analytics.most_searched(days),
                "zero_results": analytics.zero_results(days),
                "never_opened": analytics.never_opened(days),
            }
        )
        context = {
            **self.admin_site.each_context(request),
            "title": "Search terms",
            "opts": self.model._meta,
            "days": days,
            "periods": analytics.PERIODS,
            "kept_days": analytics.KEPT_DAYS,
            "row_limit": analytics.REPORT_ROWS,
            "can_promote": request.user.has_perm("search_insights.add_searchpromotion"),
            "can_see_promotions": request.user.has_perm("search_insights.view_searchpromotion"),
            "can_write": request.user.has_perm("faqs.add_question"),
            **lists,
        }
        return TemplateResponse(request, "admin/search_insights/search_terms.html", context)


def with_promotions(lists: dict[str, list]) -> dict[str, list]:
    """The report's lists with how many questions are promoted for each query (one query)."""
    queries = {row.query for rows in lists.values() for row in rows}
    counted = SearchPromotion.objects.filter(query__in=queries).values("query").annotate(count=Count("pk"))
    promoted = {row["query"]: row["count"] for row in counted}
    return {
        name: [replace(row, promoted=promoted.get(row.query, 0)) for row in rows]
        for name, rows in lists.items()
    }


class PromotionForm(forms.ModelForm):
    class Meta:
        model = SearchPromotion
        fields = ["query", "question", "sort_order"]

    def clean_query(self) -> str:
        """Kept as the search log keys it, so the promotion applies however a reader
        capitalises or spaces the words."""
        logged = search.logged_form(self.cleaned_data["query"])
        if not logged:
            raise ValidationError("Type the words readers search for.")
        return logged


class PromotionOrderForm(forms.ModelForm):
    """The list's order box, named after its row for screen readers (Django's
    list_editable inputs have no label). The formset's empty form (Django builds it
    for the list's media) has no row and so no name."""

    class Meta:
        model = SearchPromotion
        fields = ["sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.question_id is None:
            return
        label = f"Order of “{self.instance.question}” for “{self.instance.query}”"
        self.fields["sort_order"].widget.attrs["aria-label"] = label


@admin.register(SearchPromotion)
class SearchPromotionAdmin(admin.ModelAdmin):
    form = PromotionForm
    list_display = ["query", "question", "sort_order", "results_page"]
    list_editable = ["sort_order"]
    list_select_related = ["question"]
    search_fields = ["query", "question__title"]
    autocomplete_fields = ["question"]
    ordering = ["query", "sort_order", "pk"]

    class Media:
        css = {"all": ["faqs/admin/search-terms.css"]}

    def get_changelist_form(self, request, **kwargs):
        return PromotionOrderForm

    def changelist_view(self, request, extra_context=None):
        # Django's "Select promoted search result to change" says less than the menu does.
        return super().changelist_view(request, {"title": "Promoted search results", **(extra_context or {})})

    @admin.display(description="readers see")
    def results_page(self, promotion: SearchPromotion) -> str:
        return format_html(
            '<a href="{}">Search results<span class="visually-hidden"> for “{}”</span></a>',
            search_url(promotion.query),
            promotion.query,
        )
