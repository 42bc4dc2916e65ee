"""Image: one picture of the media library (issue 21), its reader-facing text and the
renditions made from it once, at upload (media.renditions): never while a page is served.

The stored original and every rendition carry no metadata (EXIF, GPS, ICC comments):
media.uploads re-encodes what Pillow decoded. Files go through Django's storage API
(`default_storage`: MEDIA_ROOT locally, S3-compatible storage when configured).
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

# The formats the library takes, decided by the content (Pillow), never by the name.
FORMATS = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "AVIF": "image/avif",
}
# The social card's size: what Yoast and the networks ask of og:image.
CARD_WIDTH, CARD_HEIGHT = 1200, 630


class ImageQuerySet(models.QuerySet):
    def described(self) -> ImageQuerySet:
        """Usable on a page: alt text written, or marked decorative (an upload is
        neither until an editor says which)."""
        return self.exclude(decorative=False, alt_text="")

    def needing_alt_text(self) -> ImageQuerySet:
        return self.filter(decorative=False, alt_text="")

    def unused(self) -> ImageQuerySet:
        """No question shows it: as its featured image, nor in its answer."""
        return self.filter(featured_in__isnull=True, shown_in__isnull=True)

    def used(self) -> ImageQuerySet:
        return self.filter(models.Q(featured_in__isnull=False) | models.Q(shown_in__isnull=False)).distinct()


class Image(models.Model):
    # Indexed: a page finds the images its answer shows by their names (media.inline).
    file = models.FileField(upload_to="images/", max_length=255, editable=False, db_index=True)
    title = models.CharField(max_length=255, help_text="For editors: how the library names it.")
    alt_text = models.CharField(
        "alt text",
        max_length=500,
        blank=True,
        help_text="What the image shows, for readers who cannot see it. Required unless decorative.",
    )
    decorative = models.BooleanField(
        default=False, help_text="Adds nothing a reader needs: screen readers skip it (empty alt text)."
    )
    caption = models.CharField(max_length=500, blank=True, help_text="Shown under the image (optional).")
    credit = models.CharField(
        max_length=255, blank=True, help_text="Who made it or holds its rights (optional)."
    )
    # Where crops (the social card) centre: a fraction of the width and of the height.
    focal_x = models.FloatField("focal point (across)", default=0.5)
    focal_y = models.FloatField("focal point (down)", default=0.5)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    format = models.CharField(max_length=8, editable=False)  # a key of FORMATS
    size = models.PositiveIntegerField("bytes", editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Where an imported image came from (its path under WordPress's wp-content/uploads/):
    # a second import of the same site finds it here instead of storing it again.
    wp_source = models.CharField(max_length=255, blank=True, db_index=True, editable=False)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "image"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("admin:media_image_change", args=[self.pk])

    @property
    def mime_type(self) -> str:
        return FORMATS[self.format]

    @property
    def alt(self) -> str:
        """The alt attribute: empty for a decorative image, as WCAG asks."""
        return "" if self.decorative else self.alt_text

    def is_described(self) -> bool:
        """Alt text written, or marked decorative: usable on a page."""
        return self.decorative or bool(self.alt_text.strip())


class Rendition(models.Model):
    """One file made from an image: a width of its srcset in one format, or its social
    card. Made once, at upload; a page reads these rows, never Pillow."""

    class Kind(models.TextChoices):
        WIDTH = "width", "srcset width"
        CARD = "card", "social card"

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    format = models.CharField(max_length=8)  # a key of FORMATS
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(upload_to="images/renditions/", max_length=255)

    class Meta:
        ordering = ["image", "kind", "format", "width"]
        constraints = [
            models.UniqueConstraint(fields=["image", "kind", "format", "width"], name="one_rendition_each")
        ]

    def __str__(self) -> str:
        return f"{self.image_id}: {self.kind} {self.format} {self.width}×{self.height}"

    @property
    def mime_type(self) -> str:
        return FORMATS[self.format]


class InlineImage(models.Model):
    """A library image shown inside a question's answer (an <img> whose address is the
    image's). Derived from the answers by media.inline's deriver, as the link graph is:
    it makes "used by", the unused filter and the delete warning see inline use, and an
    image's edit renew the pages that show it."""

    question = models.ForeignKey("faqs.Question", on_delete=models.CASCADE, related_name="inline_images")
    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="shown_in")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "image"], name="one_inline_use_each")]

    def __str__(self) -> str:
        return f"image {self.image_id} in question {self.question_id}"
