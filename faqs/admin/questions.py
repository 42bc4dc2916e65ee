"""The question list and change form: status as readers see it, link health, SEO."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html

from faqs import publishing
from faqs.admin.forms import QuestionAdminForm
from faqs.admin.history import QuestionHistoryAdmin
from faqs.links import admin as link_admin
from faqs.models import Question


class VisibilityFilter(admin.SimpleListFilter):
    """Status as readers see it: a scheduled question whose time has come is published."""

    title = "status"
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [("published", "Published"), ("scheduled", "Scheduled (not yet public)"),
                ("draft", "Draft"), ("private", "Private")]  # fmt: skip

    def queryset(self, request, queryset):
        public = Question.objects.published().values("pk")
        choices = {
            "published": queryset.filter(pk__in=public),
            "scheduled": queryset.filter(status=Question.Status.SCHEDULED).exclude(pk__in=public),
            "draft": queryset.filter(status=Question.Status.DRAFT),
            "private": queryset.filter(status=Question.Status.PRIVATE),
        }
        return choices.get(self.value(), queryset)


@admin.register(Question)
class QuestionAdmin(QuestionHistoryAdmin, admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = [
        "title",
        "status_label",
        "category_list",
        "tag_list",
        "published_at",
        "modified_at",
        "incoming_links",
        "outgoing_links",
        "broken_links",
        "orphan",
    ]
    list_filter = [
        VisibilityFilter,
        link_admin.LinkHealthFilter,
        link_admin.IncomingLinksFilter,
        link_admin.OutgoingLinksFilter,
        "categories",
        "tags",
        "noindex",
    ]
    search_fields = ["title", "search_text"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["categories"]
    readonly_fields = [
        "modified_at",
        "effective_title",
        "effective_description",
        "reading_time",
        "wp_guid",
        "outgoing_links_table",
        "incoming_links_table",
        "link_suggestions",
    ]
    actions = ["publish", "unpublish"]
    list_per_page = 50
    # A canonical URL typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["title", "slug", "content", "excerpt"]}),
        ("Publishing", {"fields": ["status", "published_at", "modified_at", "author"]}),
        ("Categories and tags", {"fields": ["categories", "tags"]}),
        (
            "Search engines (SEO)",
            {
                "description": "Leave a field empty to use the value shown as “effective”.",
                "fields": [
                    "seo_title",
                    "effective_title",
                    "meta_description",
                    "effective_description",
                    "canonical_url",
                    "noindex",
                    "nofollow",
                    "reading_time",
                ],
            },
        ),
        (
            "Links",
            {
                "description": "Derived from the answer each time it is saved.",
                "fields": ["outgoing_links_table", "incoming_links_table", "link_suggestions"],
            },
        ),
        ("WordPress", {"fields": ["wp_guid"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request) -> QuerySet:
        # One query each for categories and tags, however many rows the page has;
        # link counts are subqueries of the list's own query.
        questions = super().get_queryset(request).prefetch_related("categories", "tags")
        return link_admin.with_link_counts(questions)

    def view_on_site(self, question: Question) -> str:
        # The public page on this host, not on the sites framework's "example.com".
        return question.get_absolute_url()

    def get_urls(self):
        report = path(
            "link-report/", self.admin_site.admin_view(self.link_report), name="faqs_question_link_report"
        )
        return [report, *super().get_urls()]

    def link_report(self, request):
        """The report names drafts and private questions: it is for editors who may
        view questions, as the question list is (403 for other staff)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        return link_admin.link_report_view(self, request)

    @admin.display(description="incoming", ordering="incoming_count")
    def incoming_links(self, question: Question) -> int:
        return question.incoming_count

    @admin.display(description="outgoing", ordering="outgoing_count")
    def outgoing_links(self, question: Question) -> int:
        return question.outgoing_count

    @admin.display(description="links OK", boolean=True, ordering="has_broken_links")
    def broken_links(self, question: Question) -> bool:
        # A red cross when the answer has a broken link, a tick when all resolve.
        return not question.has_broken_links

    @admin.display(description="orphan")
    def orphan(self, question: Question) -> str:
        # Published, yet no published question links here: readers cannot find it by links.
        return "Orphan" if question.is_orphan else ""

    @admin.display(description="links in this answer")
    def outgoing_links_table(self, question: Question) -> str:
        return link_admin.outgoing_links_table(question) if question.pk else "—"

    @admin.display(description="linked from")
    def incoming_links_table(self, question: Question) -> str:
        return link_admin.incoming_links_table(question) if question.pk else "—"

    @admin.display(description="questions worth linking to")
    def link_suggestions(self, question: Question) -> str:
        return (
            link_admin.suggestions_list(question) if question.pk else "Save the question to see suggestions."
        )

    def save_model(self, request, obj: Question, form, change: bool) -> None:
        """The row is written in save_related(), with its categories and tags, through
        the one save path; Django calls the two one after the other."""
        if obj.author_id is None and not change:
            obj.author = request.user  # as WordPress: whoever creates a post is its author

    def save_related(self, request, form, formsets, change: bool) -> None:
        obj = form.instance
        publishing.save_question(obj, relations=lambda: super(QuestionAdmin, self).save_related(
            request, form, formsets, change), by=request.user)  # fmt: skip
        if (
            form.cleaned_data.get("status") == Question.Status.PUBLISHED
            and obj.status == Question.Status.SCHEDULED
        ):
            when = timezone.localtime(obj.published_at).strftime("%Y-%m-%d %H:%M")
            self.message_user(request, f"“{obj.title}” is dated in the future: it goes public on {when}.")

    def get_changeform_initial_data(self, request) -> dict:
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description="status", ordering="status")
    def status_label(self, question: Question) -> str:
        return Question.Status(question.status_as_shown).label

    @admin.display(description="categories")
    def category_list(self, question: Question) -> str:
        return ", ".join(category.name for category in question.categories.all()) or "—"

    @admin.display(description="tags")
    def tag_list(self, question: Question) -> str:
        return ", ".join(tag.name for tag in question.tags.all()) or "—"

    @admin.display(description="effective SEO title")
    def effective_title(self, question: Question) -> str:
        return question.effective_title if question.pk else "—"

    @admin.display(description="effective meta description")
    def effective_description(self, question: Question) -> str:
        if not question.pk:
            return "Derived from the excerpt or first paragraph when you save."
        if not question.effective_description:
            return format_html(
                '<strong class="errornote">{}</strong>',
                "Missing: add an answer, an excerpt or a meta description.",
            )
        return question.effective_description

    @admin.display(description="reading time")
    def reading_time(self, question: Question) -> str:
        return f"{question.reading_minutes} min" if question.pk else "—"

    @admin.action(description="Publish selected questions", permissions=["change"])
    def publish(self, request, queryset: QuerySet) -> None:
        """Publish now, or at the question's own date when that is still to come."""
        public, scheduled = 0, 0
        for question in queryset.exclude(status=Question.Status.PUBLISHED):
            question.status = Question.Status.PUBLISHED
            publishing.save_question(question, by=request.user, note="Published (bulk action)")
            public, scheduled = (public + 1, scheduled) if question.is_public() else (public, scheduled + 1)
        message = f"{public} question(s) published."
        if scheduled:
            message += f" {scheduled} dated in the future are scheduled for that date."
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description="Unpublish selected questions (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset: QuerySet) -> None:
        count = 0
        for question in queryset.exclude(status=Question.Status.DRAFT):
            question.status = Question.Status.DRAFT
            publishing.save_question(question, by=request.user, note="Unpublished (bulk action)")
            count += 1
        self.message_user(request, f"{count} question(s) moved back to draft.", messages.SUCCESS)
