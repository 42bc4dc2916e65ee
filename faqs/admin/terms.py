"""Tags and categories in bulk: the Tags admin with question counts, tag suggestions
for the question form, and the list's actions that add or remove a category or tag."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import JsonResponse
from django.template.response import TemplateResponse
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from faqs import publishing, tags
from faqs.models import Category, Question

SUGGESTED_TAGS = 10


def tag_suggestions(request) -> JsonResponse:
    """Existing tags whose name starts with what is typed (then those that hold it),
    with how many questions carry each."""
    typed = request.GET.get("q", "").strip()[: tags.MAX_NAME_CHARS]
    if not typed:
        return JsonResponse({"results": []})
    counted = Tag.objects.annotate(questions=Count("taggit_taggeditem_items"))
    found = list(counted.filter(name__istartswith=typed).order_by("-questions", "name")[:SUGGESTED_TAGS])
    if len(found) < SUGGESTED_TAGS:
        more = counted.filter(name__icontains=typed).exclude(pk__in=[tag.pk for tag in found])
        found += list(more.order_by("-questions", "name")[: SUGGESTED_TAGS - len(found)])
    return JsonResponse({"results": [{"name": tag.name, "questions": tag.questions} for tag in found]})


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    list_display = ["name", "slug", "question_count"]

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).annotate(_questions=Count("taggit_taggeditem_items"))

    @admin.display(description="questions", ordering="_questions")
    def question_count(self, tag: Tag) -> int:
        return tag._questions


class CategoryChoice(forms.Form):
    category = forms.ModelChoiceField(Category.objects.order_by("name"), label="Category")


class TagChoice(forms.Form):
    tag = forms.CharField(label="Tag", max_length=tags.MAX_NAME_CHARS, strip=True)

    def clean_tag(self) -> str:
        """An existing tag's own spelling, whatever the case typed: "retake" adds the
        site's "Retake", not a second tag."""
        typed = self.cleaned_data["tag"]
        existing = Tag.objects.filter(name__iexact=typed).order_by("pk").first()
        return existing.name if existing else typed


def _changed_terms(question: Question, kind: str, value, adding: bool) -> dict:
    """The categories or tag names `question` should have after the action."""
    if kind == "category":
        current = list(question.categories.all())
        terms = [*current, value] if adding else [c for c in current if c.pk != value.pk]
        return {"categories": list(dict.fromkeys(terms))}
    names = [tag.name for tag in question.tags.all()]
    held = value.lower() in {name.lower() for name in names}
    if adding:
        return {"tags": names if held else [*names, value]}
    return {"tags": [name for name in names if name.lower() != value.lower()]}


def change_terms(model_admin, request, queryset: QuerySet, *, kind: str, adding: bool):
    """First a page asking which category or tag, then each selected question saved
    through the one save path with it added or removed."""
    form_class = CategoryChoice if kind == "category" else TagChoice
    form = form_class(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        value = form.cleaned_data[kind]
        changed = 0
        for question in queryset.prefetch_related("categories", "tags"):
            if not model_admin.has_change_permission(request, question):
                continue  # an author's hands are off questions out of draft
            relations = _changed_terms(question, kind, value, adding)
            if _unchanged(question, kind, next(iter(relations.values()))):
                continue
            publishing.save_question(question, **relations)
            changed += 1
        name = value.name if kind == "category" else value
        verb = "added to" if adding else "removed from"
        said = f"{kind.capitalize()} “{name}” {verb} {changed} question(s)."
        model_admin.message_user(request, said, messages.SUCCESS)
        return None
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Add a {kind} to the selected questions"
        if adding
        else f"Remove a {kind} from the selected questions",
        "form": form,
        "questions": queryset,
        "action": request.POST.get("action", ""),
        "opts": model_admin.model._meta,
        "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
    }
    return TemplateResponse(request, "admin/faqs/question/change_terms.html", context)


def _unchanged(question: Question, kind: str, wanted: list) -> bool:
    if kind == "category":
        return {c.pk for c in wanted} == {c.pk for c in question.categories.all()}
    return [n.lower() for n in wanted] == [t.name.lower() for t in question.tags.all()]
