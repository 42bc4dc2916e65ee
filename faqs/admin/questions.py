"""The question list and change form: status as readers see it, link health, SEO."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from js_asset import Media

from analysis import admin as analysis_admin
from dashboard.health import HealthFilter
from drafts import changes as draft_changes
from drafts.admin import QuestionDraftAdmin
from editing import presence
from faqs import publishing
from faqs.admin import editor, save_messages, snippet, terms
from faqs.admin.forms import QuestionAdminForm
from faqs.admin.roles import QuestionRoles
from faqs.models import Question
from feedback.admin import QuestionFeedbackAdmin
from history.admin import QuestionHistoryAdmin
from links import admin as link_admin
from people.models import Person
from review import workflow as review_workflow
from review.admin import QuestionReviewAdmin
from review.cycle_admin import QuestionReviewCycleAdmin, ReviewDueFilter
from sources.admin import QuestionSourcesAdmin


class VisibilityFilter(admin.SimpleListFilter):
    """Status as readers see it: a scheduled question whose time has come is published."""

    title = "status"
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [("published", "Published"), ("scheduled", "Scheduled (not yet public)"),
                ("pending", "Pending review"), ("draft", "Draft"), ("private", "Private")]  # fmt: skip

    def queryset(self, request, queryset):
        public = Question.objects.published().values("pk")
        choices = {
            "published": queryset.filter(pk__in=public),
            "scheduled": queryset.filter(status=Question.Status.SCHEDULED).exclude(pk__in=public),
            "pending": queryset.filter(status=Question.Status.PENDING),
            "draft": queryset.filter(status=Question.Status.DRAFT),
            "private": queryset.filter(status=Question.Status.PRIVATE),
        }
        return choices.get(self.value(), queryset)


class AuthorFilter(admin.SimpleListFilter):
    """Questions by one author: the choices are the staff (a few rows), not the authors
    read from every question (a pass over the whole table on each view of the list)."""

    title = "author"
    parameter_name = "author"

    def lookups(self, request, model_admin):
        staff = get_user_model().objects.filter(is_staff=True).order_by("first_name", "username")
        return [(str(user.pk), user.get_full_name() or user.get_username()) for user in staff]

    def queryset(self, request, queryset):
        return queryset.filter(author_id=self.value()) if (self.value() or "").isdigit() else queryset


class TaggedChangeList(ChangeList):
    """The question list: its rows' tags in one query (the change form reads a
    question's tags through taggit's own field, never from a prefetch)."""

    def get_queryset(self, request, exclude_parameters=None) -> QuerySet:
        return super().get_queryset(request, exclude_parameters).prefetch_related("tags")


# Sources are rows of their own, written with the live question: a draft keeps none.
SOURCES_NOT_DRAFTED = (
    "The changes to the sources were not kept: draft changes hold the question's own fields. "
    "Change the sources with “Save”."
)


@admin.register(Question)
class QuestionAdmin(  # content analysis, review, draft changes, versions, sources, feedback, who may do what
    analysis_admin.QuestionAnalysisAdmin,
    QuestionReviewAdmin,
    QuestionDraftAdmin,
    QuestionHistoryAdmin,
    QuestionSourcesAdmin,
    QuestionReviewCycleAdmin,
    QuestionFeedbackAdmin,
    QuestionRoles,
):
    form = QuestionAdminForm
    # Few, compact columns: the list fits 1,280 px beside the admin's sidebar and filters.
    list_display = ["title", "status_label", "list_terms", "list_dates", "link_health"]
    list_filter = [
        VisibilityFilter,
        HealthFilter,
        analysis_admin.SeoFilter,
        analysis_admin.ReadabilityFilter,
        ReviewDueFilter,
        AuthorFilter,
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
    # The library's own list (thumbnails, search) picks the image, as WordPress's
    # "Set featured image" opens the media library.
    raw_id_fields = ["featured_image"]
    readonly_fields = [
        "modified_at",
        "effective_title",
        "effective_description",
        "reading_time",
        "wp_guid",
        "outgoing_links_table",
        "incoming_links_table",
        "link_suggestions",
        "search_preview",
        "answer_as_read",
        "content_analysis",
        "review_status",
    ]
    actions = [
        "publish", "unpublish", "mark_reviewed", "add_category", "remove_category", "add_tag", "remove_tag",
    ]  # fmt: skip
    list_per_page = 50
    # A canonical URL typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["title", "slug", "content", "excerpt"]}),
        ("Publishing", {"fields": ["status", "published_at", "modified_at", "minor_edit", "author"]}),
        ("Categories and tags", {"fields": ["categories", "tags"]}),
        ("Featured image", {"fields": ["featured_image"]}),
        (
            "Byline and review",
            {
                "description": "Who readers are told wrote and checked the answer (author profiles), "
                "and when it was last checked.",
                "fields": ["written_by", "reviewed_by", "last_reviewed", "review_status"],
            },
        ),
        (
            "Search engines (SEO)",
            {
                "description": "Leave a field empty to use the value shown as “effective”.",
                "fields": [
                    "search_preview",
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

    def get_fieldsets(self, request, obj: Question | None = None):
        """A new question has no modified date to keep: no "Minor edit" box. A question
        shown read-only (an author's published one) shows its answer as readers read
        it, not as HTML source, and no box."""
        read_only = obj is not None and not self.has_change_permission(request, obj)
        renamed = {"content": "answer_as_read"} if read_only else {}
        dropped = {"minor_edit"} if obj is None or read_only else set()
        return [
            (name, {**options, "fields": [renamed.get(f, f) for f in options["fields"] if f not in dropped]})
            for name, options in super().get_fieldsets(request, obj)
        ]

    @admin.display(description="answer")
    def answer_as_read(self, question: Question) -> str:
        # Sanitised on every save (faqs.content), as the public page shows it.
        return format_html('<div class="answer-as-read">{}</div>', mark_safe(question.content))

    def get_queryset(self, request) -> QuerySet:
        # Categories in one query, however many rows the page has (the change form's
        # boxes read them too); link counts are subqueries of the list's own query.
        questions = super().get_queryset(request).prefetch_related("categories")
        questions = analysis_admin.with_ratings(draft_changes.with_draft_marks(questions))
        return link_admin.with_link_counts(questions)

    def get_changelist(self, request, **kwargs):
        return TaggedChangeList

    def view_on_site(self, question: Question) -> str:
        # The public page on this host, not on the sites framework's "example.com".
        return question.get_absolute_url()

    class Media:
        js = [
            "faqs/admin/snippet-preview.js",
            "faqs/admin/draft-keeper.js",
            "faqs/admin/presence.js",
            "faqs/admin/combobox.js",
            "faqs/admin/tag-autocomplete.js",
            "analysis/lights.js",
        ]
        css = {"all": ["faqs/admin/editor.css", "faqs/admin/changelist.css", "analysis/analysis.css"]}

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("link-report/", view(self.link_report), name="faqs_question_link_report"),
            path("link-targets/", view(self.link_targets), name="faqs_question_link_targets"),
            path("snippet-preview/", view(self.snippet_preview), name="faqs_question_snippet_preview"),
            path("tag-suggestions/", view(self.tag_suggestions), name="faqs_question_tag_suggestions"),
            path("<int:object_id>/presence/", view(self.presence), name="faqs_question_presence"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        # The editor's import map is an inline script: it carries the CSP nonce.
        context["media"] = Media.from_media(context["media"], nonce=getattr(request, "csp_nonce", ""))
        if obj is not None and obj.pk:
            presence.mark(obj, request.user)
            context["presence_url"] = reverse("admin:faqs_question_presence", args=[obj.pk])
            context["others_editing"] = presence.others_editing(obj, request.user)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def presence(self, request, object_id: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        question = self.get_object(request, str(object_id))
        if question is None:
            raise Http404("No such question.")
        if not self.has_view_permission(request, question):
            raise PermissionDenied
        return presence.presence_response(request, question)

    def link_targets(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        return editor.link_targets(request)

    def tag_suggestions(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        return terms.tag_suggestions(request)

    def snippet_preview(self, request):
        """The head `build_head()` gives the form's unsaved values (POST: the whole
        form; `?id=` names the question being changed, none for a new one)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        question = self._previewed(request)
        form_class = self.get_form(request, question, change=question.pk is not None)
        return snippet.preview_response(form_class(request.POST, instance=question))

    def _previewed(self, request) -> Question:
        object_id = request.GET.get("id", "")
        if not object_id:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return Question()
        question = self.get_object(request, object_id) if object_id.isdigit() else None
        if question is None:
            raise Http404("No such question.")
        if not self.has_change_permission(request, question):
            raise PermissionDenied
        return question

    @admin.display(description="search and social preview")
    def search_preview(self, question: Question) -> str:
        endpoint = reverse("admin:faqs_question_snippet_preview")
        if question.pk:
            endpoint += f"?id={question.pk}"
        return snippet.preview_panel(question, endpoint)

    def link_report(self, request):
        """The report names drafts and private questions: it is for editors who may
        view questions, as the question list is (403 for other staff)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        return link_admin.link_report_view(self, request)

    @admin.display(description="links", ordering="incoming_count")
    def link_health(self, question: Question) -> str:
        """Incoming and outgoing counts, a broken link, an orphan (published, yet no
        published question links here): badges with text alternatives."""
        return render_to_string("admin/faqs/question/link_badges.html", {
            "incoming": question.incoming_count, "outgoing": question.outgoing_count,
            "broken": question.has_broken_links, "orphan": question.is_orphan,
        })  # fmt: skip

    @admin.display(description="published", ordering="published_at")
    def list_dates(self, question: Question) -> str:
        return render_to_string("admin/faqs/question/list_dates.html", {
            "published_at": question.published_at, "modified_at": question.modified_at,
        })  # fmt: skip

    @admin.display(description="categories and tags")
    def list_terms(self, question: Question) -> str:
        return render_to_string("admin/faqs/question/list_terms.html", {
            "categories": question.categories.all(), "tags": question.tags.all(),
        })  # fmt: skip

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
        if self.saves_draft(request, form):
            self.keep_draft(request, form)  # the live row is not written
            if any(formset.has_changed() for formset in formsets):
                self.message_user(request, SOURCES_NOT_DRAFTED, messages.WARNING)
            return
        obj = form.instance
        # A form opened on draft changes shows their categories and tags, not the live ones.
        had_draft = form.pending_change is not None

        def relations() -> None:
            # A change form opens with the stored categories and tags: when the editor
            # changed neither, writing them would only read them again (four queries).
            if not change or had_draft or {"categories", "tags"} & set(form.changed_data):
                form.save_m2m()
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)

        # Public before this save? Read from the form's opening values: no query.
        opened = Question(
            status=form.initial.get("status", ""), published_at=form.initial.get("published_at")
        )
        was_public = change and opened.is_public()
        # A minor edit keeps the date of a question that stays as it was: not a new one,
        # and not one published or unpublished by this save (its date then moves).
        minor = form.cleaned_data.get("minor_edit", False) and change and opened.status == obj.status
        step, message = self.review_step(request, form), form.cleaned_data.get("review_message", "").strip()
        note = review_workflow.history_note(step, message) if step else ("Minor edit" if minor else "")
        if had_draft and not note:
            note = draft_changes.PUBLISHED_NOTE
        move = publishing.save_question(
            obj, relations=relations, by=request.user, keep_modified=minor, note=note
        )
        if draft_changes.dropped_after_save(obj):
            self.message_user(request, f"The draft changes to “{obj.title}” are published.", messages.SUCCESS)
        if step:
            self.review_step_taken(request, obj, step, message)
        for level, text in save_messages.after_save(obj, move, was_public=was_public):
            self.message_user(request, text, level)

    def get_changeform_initial_data(self, request) -> dict:
        initial = {"author": request.user.pk}
        if profile := Person.objects.filter(account=request.user).first():
            initial["written_by"] = profile.pk  # the byline names its writer's profile
        return {**initial, **super().get_changeform_initial_data(request)}

    @admin.display(description="status, SEO · readability", ordering="status")
    def status_label(self, question: Question) -> str:
        """The status as readers see it (with draft changes, if any) and, under it, the
        stored content analysis lights: one column, so the list still fits 1,280 px."""
        label = Question.Status(question.status_as_shown).label
        if getattr(question, "has_draft_changes", False):
            label = f"{label} · draft changes"
        return format_html("{}<br>{}", label, self.analysis_lights(question))

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

    @admin.action(description="Add a category to selected questions", permissions=["change"])
    def add_category(self, request, queryset: QuerySet):
        return terms.change_terms(self, request, queryset, kind="category", adding=True)

    @admin.action(description="Remove a category from selected questions", permissions=["change"])
    def remove_category(self, request, queryset: QuerySet):
        return terms.change_terms(self, request, queryset, kind="category", adding=False)

    @admin.action(description="Add a tag to selected questions", permissions=["change"])
    def add_tag(self, request, queryset: QuerySet):
        return terms.change_terms(self, request, queryset, kind="tag", adding=True)

    @admin.action(description="Remove a tag from selected questions", permissions=["change"])
    def remove_tag(self, request, queryset: QuerySet):
        return terms.change_terms(self, request, queryset, kind="tag", adding=False)

    @admin.action(description="Publish selected questions", permissions=["publish"])
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

    @admin.action(description="Unpublish selected questions (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset: QuerySet) -> None:
        count = 0
        for question in queryset.exclude(status=Question.Status.DRAFT):
            question.status = Question.Status.DRAFT
            publishing.save_question(question, by=request.user, note="Unpublished (bulk action)")
            count += 1
        self.message_user(request, f"{count} question(s) moved back to draft.", messages.SUCCESS)
