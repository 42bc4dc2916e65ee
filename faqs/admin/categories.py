"""Categories (the WordPress taxonomy `faq-categories`): counts of all and public questions."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet

from faqs import publishing
from faqs.models import Category


class OrderingForm(forms.ModelForm):
    """The list's ordering box, named after its row's category for screen readers
    (Django's list_editable inputs have no label)."""

    class Meta:
        model = Category
        fields = ["ordering"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ordering"].widget.attrs["aria-label"] = f"Ordering of {self.instance.name}"


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "ordering", "all_questions", "public_questions"]
    list_select_related = ["parent"]
    list_editable = ["ordering"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    def get_changelist_form(self, request, **kwargs):
        return OrderingForm

    def save_model(self, request, obj: Category, form, change: bool) -> None:
        publishing.save_category(obj)

    def get_queryset(self, request) -> QuerySet:
        categories = Category.objects.with_question_counts()  # question_count: public ones
        return categories.annotate(_all_questions=Count("questions", distinct=True)).select_related("parent")

    @admin.display(description="questions", ordering="_all_questions")
    def all_questions(self, category: Category) -> int:
        return category._all_questions

    @admin.display(description="published", ordering="question_count")
    def public_questions(self, category: Category) -> int:
        return category.question_count
