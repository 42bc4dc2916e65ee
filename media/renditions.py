"""Renditions: made once, when an image is uploaded (and the card again when its focal
point moves), never while a page is served. A page reads Rendition rows, which
`image.renditions.all()` (one query, or none after `prefetch_related("renditions")`)
gives every helper here.

- Widths for srcset: WIDTHS narrower than the original, plus the original's own width
  when it is under the largest (never upscaled), in WebP and in a fallback format (the
  original's: JPEG or PNG; a GIF's widths are PNG, one still frame), and in AVIF when the
  installed Pillow encodes it (`PIL.features.check("avif")`; Pillow 12's wheels do).
- The social card: CARD_WIDTH × CARD_HEIGHT (1200 × 630, what og:image asks), cropped
  around the focal point; JPEG (PNG when the image has transparency), the formats every
  network reads. The card is the one rendition that may be upscaled: networks want
  that size.

Every file gets a new name (the image's stem, its width, a random suffix): files are
served as immutable, so a remade card must have a new address, never a rewritten one.
"""

from __future__ import annotations

import io
import secrets
from pathlib import PurePath
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as Pillow
from PIL import features

from media.models import CARD_HEIGHT, CARD_WIDTH, Image, Rendition

WIDTHS = (320, 640, 960, 1280, 1920)
# The <img src> for a browser that reads no srcset, and the thumbnail of the admin list.
DEFAULT_WIDTH = 1280
THUMBNAIL_WIDTH = 320
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp", "AVIF": "avif"}
# Quality for a picture on a page. WebP's `method` and AVIF's `speed` trade size for
# time; measured on the five widths of a 12-megapixel photo (bench/media.py): WebP
# method 2 is 0.34 s against method 4's 0.69 s for 2 % more bytes, AVIF speed 9 is
# 0.39 s against speed 8's 1.0 s for 1.5 % more.
ENCODER_OPTIONS = {
    "JPEG": {"quality": 82, "progressive": True},
    "PNG": {"optimize": True},
    "GIF": {},
    "WEBP": {"quality": 80, "method": 2},
    "AVIF": {"quality": 60, "speed": 9},
}


def avif_supported() -> bool:
    return features.check("avif")


def fallback_format(image_format: str) -> str:
    """The format beside WebP for browsers that take neither WebP nor AVIF (few now)."""
    return {"GIF": "PNG", "WEBP": "WEBP", "AVIF": "AVIF"}.get(image_format, image_format)


def rendition_formats(image_format: str) -> list[str]:
    formats = ["WEBP", fallback_format(image_format)]
    if avif_supported():
        formats.append("AVIF")
    return list(dict.fromkeys(formats))


def widths_for(original_width: int) -> list[int]:
    widths = [width for width in WIDTHS if width < original_width]
    if original_width <= WIDTHS[-1]:
        widths.append(original_width)
    return widths


def card_format(picture: Pillow.Image) -> str:
    return "PNG" if picture.mode == "RGBA" else "JPEG"


def encode(picture: Pillow.Image, fmt: str, out: IO[bytes]) -> None:
    """Pixels only: no `exif`, `icc_profile` or `xmp` is passed, and `picture.info` is
    empty (uploads.upright_srgb), so the encoders write no metadata."""
    if fmt == "JPEG" and picture.mode == "RGBA":
        picture = flattened(picture)
    picture.save(out, fmt, **ENCODER_OPTIONS[fmt])


def flattened(picture: Pillow.Image) -> Pillow.Image:
    """Transparency on white, as WordPress's JPEG sizes of a PNG are."""
    white = Pillow.new("RGB", picture.size, "white")
    white.paste(picture, mask=picture.getchannel("A"))
    return white


def make_all(image: Image, picture: Pillow.Image, *, written: list[str]) -> list[Rendition]:
    """Every rendition of `image` from its decoded, upright `picture`; the names of the
    files written are appended to `written` (the caller deletes them if anything fails)."""
    made = []
    scaled = sorted(scaled_copies(picture, widths_for(picture.width)).items(), reverse=True)
    for fmt in rendition_formats(image.format):
        for _width, copy in scaled:
            made.append(store(image, Rendition.Kind.WIDTH, fmt, copy, written))
    card_source = scaled[0][1] if scaled and scaled[0][1].width >= CARD_WIDTH else picture
    made.append(make_card(image, card_source, written=written))
    return made


def scaled_copies(picture: Pillow.Image, widths: list[int]) -> dict[int, Pillow.Image]:
    """Each width, the widest from the original (`reducing_gap` halves it by box
    averaging first: a 12-megapixel resize in tens of milliseconds), each narrower one
    from the one above it (quality the same to the eye, a fraction of the time)."""
    copies: dict[int, Pillow.Image] = {}
    source = picture
    for width in sorted(widths, reverse=True):
        if width == picture.width:
            copies[width] = picture
            continue
        height = max(1, round(picture.height * width / picture.width))
        copies[width] = source.resize((width, height), Pillow.Resampling.LANCZOS, reducing_gap=3.0)
        source = copies[width]
    return copies


def make_card(image: Image, picture: Pillow.Image, *, written: list[str]) -> Rendition:
    box = focal_crop_box(picture.size, (image.focal_x, image.focal_y), CARD_WIDTH / CARD_HEIGHT)
    cropped = picture.resize((CARD_WIDTH, CARD_HEIGHT), Pillow.Resampling.LANCZOS, box=box, reducing_gap=3.0)
    return store(image, Rendition.Kind.CARD, card_format(cropped), cropped, written)


def focal_crop_box(size: tuple[int, int], focal: tuple[float, float], ratio: float) -> tuple[float, ...]:
    """The largest box of this width/height ratio with the focal point at its centre,
    moved inside the picture where the point is near an edge. (ImageOps.fit's
    `centering` is not this: it places the box at that fraction of the slack, so a
    point at 0.9 ends up well left of the card's centre.)"""
    width, height = size
    crop_width, crop_height = min(width, height * ratio), min(height, width / ratio)
    left = min(max(focal[0] * width - crop_width / 2, 0), width - crop_width)
    top = min(max(focal[1] * height - crop_height / 2, 0), height - crop_height)
    return (left, top, left + crop_width, top + crop_height)


def store(image: Image, kind: str, fmt: str, picture: Pillow.Image, written: list[str]) -> Rendition:
    out = io.BytesIO()
    encode(picture, fmt, out)
    stem = PurePath(image.file.name).stem
    label = "card" if kind == Rendition.Kind.CARD else f"{picture.width}w"
    suffix = f"-{secrets.token_hex(3)}" if kind == Rendition.Kind.CARD else ""
    name = default_storage.save(
        f"images/renditions/{stem}-{label}{suffix}.{EXTENSIONS[fmt]}", ContentFile(out.getvalue())
    )
    written.append(name)
    return Rendition.objects.create(
        image=image, kind=kind, format=fmt, width=picture.width, height=picture.height, file=name
    )


# Readers: what templates and the head builder ask. Each reads `image.renditions.all()`,
# so a list of images prefetched with `prefetch_related("renditions")` costs no query.


def of_kind(image: Image, kind: str, fmt: str | None = None) -> list[Rendition]:
    return sorted(
        (r for r in image.renditions.all() if r.kind == kind and (fmt is None or r.format == fmt)),
        key=lambda rendition: rendition.width,
    )


def srcset(image: Image, fmt: str) -> str:
    """`url 320w, url 640w, …` for a <source type=…> or an <img srcset>; "" when the
    image has no width renditions in `fmt` (AVIF on a Pillow without it)."""
    return ", ".join(f"{r.file.url} {r.width}w" for r in of_kind(image, Rendition.Kind.WIDTH, fmt))


def card(image: Image) -> Rendition | None:
    """The social card (og:image, twitter:image), or None for an image without one."""
    cards = of_kind(image, Rendition.Kind.CARD)
    return cards[-1] if cards else None


def best_src(image: Image) -> tuple[str, int, int]:
    """(url, width, height) for <img src>: the widest fallback-format rendition up to
    DEFAULT_WIDTH, else the stored original."""
    widths = [
        r
        for r in of_kind(image, Rendition.Kind.WIDTH, fallback_format(image.format))
        if r.width <= DEFAULT_WIDTH
    ]
    if widths:
        return widths[-1].file.url, widths[-1].width, widths[-1].height
    return image.file.url, image.width, image.height


# The answer column (site.css: --measure, 44rem less 1rem of padding a side): the
# whole screen less its padding on a phone. Every picture on a question page fills it.
COLUMN_SIZES = "(max-width: 44rem) calc(100vw - 2rem), 42rem"


def picture(image: Image) -> dict:
    """What a <picture> of `image` needs (media/picture.html): AVIF and WebP sources,
    the original's format in the <img>, every width made at upload."""
    src, width, height = best_src(image)
    return {
        "src": src,
        "width": width,
        "height": height,
        "sizes": COLUMN_SIZES,
        "avif_srcset": srcset(image, "AVIF") if image.format != "AVIF" else "",
        "webp_srcset": srcset(image, "WEBP") if image.format != "WEBP" else "",
        "fallback_srcset": srcset(image, fallback_format(image.format)),
    }


def thumbnail(image: Image) -> Rendition | None:
    """The admin list's picture: the WebP rendition closest to THUMBNAIL_WIDTH."""
    webp = of_kind(image, Rendition.Kind.WIDTH, "WEBP")
    return webp[0] if webp else None
