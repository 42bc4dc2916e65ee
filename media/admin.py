"""The media library in the admin, as an editor used to WordPress's expects it.

- The list: a thumbnail (the 320-px WebP rendition, lazy), title, alt text and
  *decorative* editable in place, dimensions and bytes, where each image is used, filters
  *use* (unused images) and *alt text* (missing). Two queries for the rows: the images,
  their thumbnails and their questions prefetched.
- *Add image* is the upload page: drop several files (or choose them); each is checked
  and stored on its own (media.uploads), titled from its file name. Then, as WordPress
  shows the new uploads to describe, the editor lands on the list of the new images
  with their alt text to fill in: one form for all of them, rather than a field per
  file on the upload page (which would need script to pair each text with its file,
  and which WordPress never asked for). An image without alt text that is not marked
  decorative is not `described()`: not offered until an editor says which.
- The change form: the details, the focal point (a click on the picture sets it: a
  plain script), the renditions. Moving the focal point makes a new social card.
- Deleting an image in use (one, or several with the bulk action) warns, naming the
  questions that show it.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode

from media import picker, renditions, uploads
from media.forms import BulkDescribeForm, ImageForm, UploadForm
from media.models import Image, InlineImage, Rendition
from media.uploads import UploadRefused, store_upload

USED_BY_SHOWN = 3


def uses(image: Image) -> list:
    """The questions that show `image`, by title: as their featured image or in their
    answer (both prefetched by the admin's queryset: `USES`)."""
    found = {question.pk: question for question in image.featured_in.all()}
    found.update((use.question_id, use.question) for use in image.shown_in.all())
    return sorted(found.values(), key=lambda question: question.title)


def uses_of(images) -> list:
    """Every question that shows one of `images`, once each, by title."""
    found = {question.pk: question for image in images for question in uses(image)}
    return sorted(found.values(), key=lambda question: question.title)


class UsageFilter(admin.SimpleListFilter):
    title = "use"
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [("unused", "Unused"), ("used", "Used by a question")]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == "unused":
            return queryset.unused()
        if self.value() == "used":
            return queryset.used()
        return queryset


class AltTextFilter(admin.SimpleListFilter):
    title = "alt text"
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("missing", "Missing (not usable yet)"), ("decorative", "Decorative")]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == "missing":
            return queryset.needing_alt_text()
        if self.value() == "decorative":
            return queryset.filter(decorative=True)
        return queryset


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    # Few, narrow columns: the list sits beside the admin's sidebar and the filters.
    list_display = ["thumbnail", "title", "alt_text", "decorative", "file_facts", "used_by"]
    list_display_links = ["thumbnail", "title"]
    list_editable = ["alt_text", "decorative"]
    list_filter = [UsageFilter, AltTextFilter, "format"]
    search_fields = ["title", "alt_text", "caption", "credit"]
    list_per_page = 50
    readonly_fields = ["preview", "original", "rendition_list"]
    fieldsets = [
        (None, {"fields": ["preview", "title", "alt_text", "decorative", "caption", "credit"]}),
        (
            "Focal point",
            {"fields": ["focal_x", "focal_y"], "description": "Crops (the social card) keep this point."},
        ),
        ("Files", {"fields": ["original", "rendition_list"], "classes": ["collapse"]}),
    ]
    actions = ["delete_with_warning"]

    class Media:
        css = {"all": ["media/admin.css"]}
        js = ["media/focal-point.js"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # replaced by delete_with_warning
        return actions

    def get_queryset(self, request) -> QuerySet:
        """The list reads only the thumbnails of the renditions; every page reads the
        questions that use each image (their ids and titles)."""
        questions = apps.get_model("faqs", "Question").objects.only("id", "title", "featured_image_id")
        inline = InlineImage.objects.select_related("question").only(
            "image_id", "question__id", "question__title"
        )
        on_list = getattr(request.resolver_match, "url_name", "") == "media_image_changelist"
        thumbnails = Rendition.objects.filter(
            kind=Rendition.Kind.WIDTH, format="WEBP", width__lte=renditions.THUMBNAIL_WIDTH
        )
        return (
            super()
            .get_queryset(request)
            .annotate(use_count=Count("featured_in", distinct=True) + Count("shown_in", distinct=True))
            .prefetch_related(
                Prefetch("renditions", queryset=thumbnails if on_list else None),
                Prefetch("featured_in", queryset=questions.order_by("title")),
                Prefetch("shown_in", queryset=inline),
            )
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.picker_view)
        return [path("picker/", view, name="media_image_picker"), *super().get_urls()]

    def picker_view(self, request: HttpRequest):
        """The answer editor's image picker (its Insert figure dialog's Browse...)."""
        return picker.picker_view(self, request)

    def get_changelist_form(self, request, **kwargs):
        return BulkDescribeForm

    # The list's columns

    @admin.display(description="")
    def thumbnail(self, image: Image) -> str:
        return render_to_string(
            "admin/media/image/thumbnail.html", {"image": image, "thumb": renditions.thumbnail(image)}
        )

    @admin.display(description="file", ordering="size")
    def file_facts(self, image: Image) -> str:
        return render_to_string("admin/media/image/file_facts.html", {"image": image})

    @admin.display(description="used by", ordering="use_count")
    def used_by(self, image: Image) -> str:
        questions = uses(image)
        return render_to_string(
            "admin/media/image/used_by.html",
            {"shown": questions[:USED_BY_SHOWN], "more": max(0, len(questions) - USED_BY_SHOWN)},
        )

    # The change form's read-only parts

    @admin.display(description="picture")
    def preview(self, image: Image) -> str:
        url, width, height = renditions.best_src(image)
        return render_to_string(
            "admin/media/image/preview.html", {"image": image, "url": url, "width": width, "height": height}
        )

    @admin.display(description="original")
    def original(self, image: Image) -> str:
        return render_to_string("admin/media/image/original.html", {"image": image})

    @admin.display(description="renditions")
    def rendition_list(self, image: Image) -> str:
        return render_to_string("admin/media/image/renditions.html", {"renditions": image.renditions.all()})

    def save_model(self, request, image: Image, form, change: bool) -> None:
        super().save_model(request, image, form, change)
        if change and {"focal_x", "focal_y"} & set(form.changed_data):
            uploads.remake_card(image)

    # Upload: the add page

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        """The add page is the upload page: files first, details after."""
        return self.upload_view(request)

    def upload_view(self, request: HttpRequest):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        refused: list[tuple[str, str]] = []
        if request.method == "POST" and form.is_valid():
            stored = []
            for uploaded in form.cleaned_data["files"]:
                try:
                    stored.append(store_upload(uploaded))
                except UploadRefused as refusal:
                    refused.append((uploaded.name, refusal.message))
            if stored:
                return self.after_upload(request, stored, refused)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Upload images",
            "form": form,
            "refused": refused,
            "media": self.media + form.media,
        }
        return TemplateResponse(
            request, "admin/media/image/upload.html", context, status=400 if refused else 200
        )

    def after_upload(self, request: HttpRequest, stored: list[Image], refused: list[tuple[str, str]]):
        """To the list of the new images, to describe them (WordPress shows the new
        uploads' details next)."""
        count = len(stored)
        uploaded = f"Uploaded {count} image{'s' if count != 1 else ''}."
        if self.has_change_permission(request):
            advice = (
                "Write the alt text of each (what it shows), or mark it decorative: until then it is not "
                "offered to questions."
            )
        else:  # an author: the picker of the answer editor takes alt text with the upload
            advice = (
                "An editor writes the alt text of each before it is offered to questions; to put an image "
                "in your answer now, upload it from the answer editor's image button, with its alt text."
            )
        messages.success(request, f"{uploaded} {advice}")
        for name, message in refused:
            messages.error(request, f"Not uploaded, {name}: {message}")
        query = urlencode({"id__in": ",".join(str(image.pk) for image in stored)})
        return HttpResponseRedirect(f"{reverse('admin:media_image_changelist')}?{query}")

    # Deleting: a warning naming the questions

    def render_delete_form(self, request, context):
        context["in_use"] = uses(context["object"])
        return super().render_delete_form(request, context)

    @admin.action(permissions=["delete"], description="Delete selected images")
    def delete_with_warning(self, request, queryset: QuerySet):
        response = delete_selected(self, request, queryset)
        if isinstance(response, TemplateResponse):
            shown = queryset.prefetch_related("featured_in", "shown_in__question")
            response.context_data["in_use"] = uses_of(shown)
        return response
