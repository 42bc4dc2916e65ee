"""The image picker: the popup the answer editor's "Insert figure" dialog opens with its
*Browse...* button (django-prose-editor's Figure extension, `pickerUrl`).

It speaks CKEditor's file-browser protocol, which the editor kept: the popup is opened
at `pickerUrl?CKEditorFuncNum=N`, and hands a choice back by calling, in the opener,
`CKEDITOR.tools.callFunction(N, url, {id, alternative_text, caption})`: the editor then
fills the dialog's address, alt text and caption. That call is `static/media/picker.js`
(the site's CSP allows no inline script); this module reads and checks the request and
renders the library's described images (an image without alt text is not offered, as
in the featured image's choice), a search, pages, and an upload form whose new image is
chosen at once.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from media import renditions
from media.forms import ACCEPT, alt_text_error
from media.models import Image, Rendition
from media.uploads import UploadRefused, store_upload

PER_PAGE = 24
QUERY_LENGTH = 200
TEMPLATE = "admin/media/image/picker.html"
# CKEditor numbers its callbacks up from 1; django-prose-editor 0.28 down from -1
# (`--counter`): an optional minus sign, then digits.
FUNC_NUM = re.compile(r"-?[0-9]{1,9}")
BAD_FUNC_NUM = (
    "This picker was opened with a broken link to the editor (CKEditorFuncNum must be a number). "
    "Close this window and press Browse... in the editor's Insert figure dialog again."
)


class PickerUploadForm(forms.Form):
    """One image and what readers need of it: alt text unless decorative, a caption."""

    file = forms.FileField(label="Image file", widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    alt_text = forms.CharField(
        label="Alt text",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What the image shows, for readers who cannot see it. Required unless decorative.",
    )
    decorative = forms.BooleanField(
        required=False, help_text="Adds nothing a reader needs: screen readers skip it."
    )
    caption = forms.CharField(max_length=500, required=False, help_text="Shown under the image (optional).")

    def clean(self) -> dict:
        cleaned = super().clean()
        if error := alt_text_error(cleaned):
            self.add_error("alt_text", error)
        return cleaned


def offered_images(query: str = "") -> QuerySet:
    """The described images, newest first, those matching `query` (title, alt text or
    caption) when given, with only their thumbnails' renditions prefetched."""
    images = Image.objects.described()
    if query:
        images = images.filter(
            Q(title__icontains=query) | Q(alt_text__icontains=query) | Q(caption__icontains=query)
        )
    thumbnails = Rendition.objects.filter(
        kind=Rendition.Kind.WIDTH, format="WEBP", width__lte=renditions.THUMBNAIL_WIDTH
    )
    return images.order_by("-uploaded_at", "-pk").prefetch_related(
        Prefetch("renditions", queryset=thumbnails)
    )


def picker_view(model_admin: ModelAdmin, request: HttpRequest) -> HttpResponse:
    """The picker's page (GET), or an upload from it (POST: the new image chosen)."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    func_num = request.GET.get("CKEditorFuncNum", "")
    if "CKEditorFuncNum" in request.GET and not FUNC_NUM.fullmatch(func_num):
        context = {**page_context(model_admin, request), "bad_request": BAD_FUNC_NUM}
        return TemplateResponse(request, TEMPLATE, context, status=400)
    may_upload = model_admin.has_add_permission(request)
    if request.method == "POST" and not may_upload:
        raise PermissionDenied
    form = PickerUploadForm(request.POST or None, request.FILES or None) if may_upload else None
    chosen = upload(form) if request.method == "POST" else None
    query = request.GET.get("q", "").strip()[:QUERY_LENGTH]
    page = Paginator(offered_images(query), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **page_context(model_admin, request),
        "func_num": func_num,
        "query": query,
        "page_obj": page,
        "cards": [(image, renditions.thumbnail(image)) for image in page.object_list],
        "form": form,
        "chosen": chosen,
        "chosen_thumb": renditions.thumbnail(chosen) if chosen else None,
        "missing_alt": Image.objects.needing_alt_text().count(),
        "missing_alt_url": f"{reverse('admin:media_image_changelist')}?{urlencode({'alt': 'missing'})}",
    }
    refused = request.method == "POST" and chosen is None
    return TemplateResponse(request, TEMPLATE, context, status=400 if refused else 200)


def upload(form: PickerUploadForm) -> Image | None:
    """The uploaded image, stored with its alt text and caption; None when the form or
    the file is refused (the reason is on the form, and nothing is stored)."""
    if not form.is_valid():
        return None
    try:
        return store_upload(
            form.cleaned_data["file"],
            alt_text=form.cleaned_data["alt_text"],
            decorative=form.cleaned_data["decorative"],
            caption=form.cleaned_data["caption"].strip(),
        )
    except UploadRefused as refusal:
        form.add_error("file", refusal.message)
        return None


def page_context(model_admin: ModelAdmin, request: HttpRequest) -> dict:
    """What every admin page has, as a popup: no header, sidebar or breadcrumbs."""
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Choose an image",
        "is_popup": True,
    }
