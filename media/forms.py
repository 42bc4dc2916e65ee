"""The media library's forms: the upload (several files at once) and an image's details,
where alt text is required unless the image is marked decorative."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from media.models import FORMATS, Image

ACCEPT = ",".join(FORMATS.values())
ALT_TEXT_REQUIRED = "Describe the image for readers who cannot see it, or mark it decorative."


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's documented way to take several files in one field."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ACCEPT, "class": "media-upload-input"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, (list, tuple)):
            return [single_clean(item, initial) for item in data]
        return [single_clean(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(label="Images")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limit is read when the form is made, so a changed setting shows.
        self.fields["files"].help_text = (
            f"JPEG, PNG, GIF, WebP or AVIF, up to {settings.MEDIA_MAX_UPLOAD_MB} MB each. "
            "Drop several here at once, or choose them."
        )


def alt_text_error(cleaned_data: dict) -> ValidationError | None:
    if cleaned_data.get("decorative") or (cleaned_data.get("alt_text") or "").strip():
        return None
    return ValidationError(ALT_TEXT_REQUIRED, code="alt_text_required")


class ImageForm(forms.ModelForm):
    """The change form: alt text required unless decorative, the focal point a fraction."""

    class Meta:
        model = Image
        fields = ["title", "alt_text", "decorative", "caption", "credit", "focal_x", "focal_y"]
        widgets = {
            "alt_text": forms.Textarea(attrs={"rows": 2}),
            "focal_x": forms.NumberInput(attrs={"min": 0, "max": 1, "step": 0.01, "class": "media-focal-x"}),
            "focal_y": forms.NumberInput(attrs={"min": 0, "max": 1, "step": 0.01, "class": "media-focal-y"}),
        }
        help_texts = {
            "focal_x": "Where crops centre, from 0 (left edge) to 1 (right edge). "
            "Click the picture to set both.",
            "focal_y": "From 0 (top) to 1 (bottom).",
        }

    def clean_focal_x(self) -> float:
        return within_unit(self.cleaned_data["focal_x"])

    def clean_focal_y(self) -> float:
        return within_unit(self.cleaned_data["focal_y"])

    def clean(self) -> dict:
        cleaned = super().clean()
        if error := alt_text_error(cleaned):
            self.add_error("alt_text", error)
        return cleaned


class BulkDescribeForm(forms.ModelForm):
    """A row of the list after an upload (alt text and decorative, editable in place):
    only a row the editor changed is held to the rule, so describing two of five new
    uploads saves those two."""

    class Meta:
        model = Image
        fields = ["alt_text", "decorative"]
        widgets = {"alt_text": forms.TextInput(attrs={"size": 30, "placeholder": "What it shows"})}

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.has_changed() and (error := alt_text_error(cleaned)):
            self.add_error("alt_text", error)
        return cleaned


def within_unit(value: float) -> float:
    if value is None or not 0 <= value <= 1:
        raise ValidationError("A fraction from 0 to 1.")
    return value
