"""An upload becomes a library image, or is refused with a message an editor can act on.

The content decides: Pillow opens the bytes, `verify()`s them, opens them again and
decodes every pixel. The name's extension and the browser's content type are never
read. What is stored is not what was sent: the decoded pixels are encoded again, so no
EXIF (GPS, camera serial), XMP, IPTC, comment or trailer reaches the disk. Refused:

- anything over MEDIA_MAX_UPLOAD_MB, before a byte is decoded (Django's
  DATA_UPLOAD_MAX_MEMORY_SIZE does not count files, so `uploaded.size` is checked here);
- what Pillow does not decode as JPEG, PNG, GIF, WebP or AVIF (SVG: Pillow has no
  decoder for it, and an SVG can carry script);
- decompression bombs: over MEDIA_MAX_PIXELS (all frames of an animation counted), or
  over Pillow's own limit (its DecompressionBombWarning is made an error here);
- a file with bytes after the image's end (a polyglot: `media.containers`);
- a truncated or damaged file (verify or the full decode fails).

Everything is written inside one transaction, and any failure deletes the files it
wrote: a refused or failed upload leaves no row and no file.
"""

from __future__ import annotations

import io
import secrets
import struct
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify
from PIL import Image as Pillow
from PIL import ImageCms, ImageOps, UnidentifiedImageError

from media import renditions
from media.containers import trailing_bytes
from media.models import FORMATS, Image, Rendition

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp", "AVIF": "avif"}
# A stored name: the slug cut here, then "-" and 8 hex digits, then the extension.
NAME_LENGTH = 60
WE_TAKE = "JPEG, PNG, GIF, WebP or AVIF"


class UploadRefused(Exception):
    """An upload the library does not take; str() is the editor's message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Decoded:
    """An upload's pixels, checked: the image (all frames loaded), its format."""

    picture: Pillow.Image
    format: str


def store_upload(
    uploaded,
    *,
    title: str = "",
    alt_text: str = "",
    decorative: bool = False,
    caption: str = "",
    credit: str = "",
    focal_x: float = 0.5,
    focal_y: float = 0.5,
) -> Image:
    """Check, clean and keep one uploaded file (a Django UploadedFile or any file with
    `name`, `size` and `read()`), with its renditions; raise UploadRefused."""
    data = read_within_limit(uploaded)
    decoded = decode(data)
    picture = first_frame(decoded.picture)  # upright: its size is the image's
    encoded = encode_original(decoded, picture)
    stem = stored_stem(title, getattr(uploaded, "name", "") or "")
    written: list[str] = []
    try:
        with transaction.atomic():
            name = default_storage.save(f"images/{stem}.{EXTENSIONS[decoded.format]}", ContentFile(encoded))
            written.append(name)
            width, height = picture.size
            image = Image.objects.create(
                file=name,
                title=title.strip() or title_from_name(getattr(uploaded, "name", "") or ""),
                alt_text=alt_text.strip(),
                decorative=decorative,
                caption=caption,
                credit=credit,
                focal_x=clamp(focal_x),
                focal_y=clamp(focal_y),
                width=width,
                height=height,
                format=decoded.format,
                size=len(encoded),
            )
            renditions.make_all(image, picture, written=written)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return image


def read_within_limit(uploaded) -> bytes:
    limit = settings.MEDIA_MAX_UPLOAD_MB * 1024 * 1024
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise UploadRefused(
            f"This file is {size / 1024 / 1024:.1f} MB: "
            f"the library takes files up to {settings.MEDIA_MAX_UPLOAD_MB} MB."
        )
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(
            f"This file is over {settings.MEDIA_MAX_UPLOAD_MB} MB: the library takes files up to that size."
        )
    if not data:
        raise UploadRefused("This file is empty.")
    return data


def decode(data: bytes) -> Decoded:
    """Open, verify, reopen and decode every frame, with bombs made errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Pillow.DecompressionBombWarning)
        try:
            with Pillow.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                check_format(fmt)
                check_pixels(probe)
                probe.verify()
            picture = Pillow.open(io.BytesIO(data))
            check_pixels(picture)
            load_every_frame(picture)
        except UploadRefused:
            raise
        except UnidentifiedImageError:
            raise UploadRefused(f"This is not an image we take: {WE_TAKE} (SVG is not taken).") from None
        except (Pillow.DecompressionBombWarning, Pillow.DecompressionBombError):
            raise UploadRefused(too_many_pixels()) from None
        except (OSError, SyntaxError, ValueError, EOFError, struct.error) as error:
            raise UploadRefused(
                f"This image is damaged or incomplete ({error}): export it again and upload that."
            ) from None
    trailer = trailing_bytes(data, fmt)
    if trailer is None:
        raise UploadRefused(
            "This image is damaged or carries something after it: export it again and upload that."
        )
    if trailer:
        raise UploadRefused(
            f"This file carries {len(trailer):,} bytes of something else after the image "
            "(a disguised file, or a damaged one): export the image again and upload that."
        )
    return Decoded(picture, fmt)


def check_format(fmt: str | None) -> None:
    if fmt not in FORMATS:
        raise UploadRefused(f"This is not an image we take: {WE_TAKE} ({fmt or 'unknown'} is not taken).")


def check_pixels(picture: Pillow.Image) -> None:
    """Width × height × frames, against MEDIA_MAX_PIXELS, before anything is decoded."""
    frames = getattr(picture, "n_frames", 1) if picture.format == "GIF" else 1
    if picture.width * picture.height * frames > settings.MEDIA_MAX_PIXELS:
        raise UploadRefused(too_many_pixels())


def too_many_pixels() -> str:
    megapixels = settings.MEDIA_MAX_PIXELS / 1_000_000
    return (
        f"This image has too many pixels: the library takes up to {megapixels:g} megapixels "
        "(all frames counted)."
    )


def load_every_frame(picture: Pillow.Image) -> None:
    """A truncated file fails here (Pillow's LOAD_TRUNCATED_IMAGES is left off)."""
    for frame in range(getattr(picture, "n_frames", 1)):
        picture.seek(frame)
        picture.load()
    picture.seek(0)


def first_frame(picture: Pillow.Image) -> Pillow.Image:
    """The picture renditions are made from: upright, in sRGB, first frame only."""
    picture.seek(0)
    return upright_srgb(picture)


def upright_srgb(picture: Pillow.Image) -> Pillow.Image:
    """The EXIF orientation applied (the stored file has no EXIF to say it), and an
    embedded colour profile converted to sRGB (the profile is metadata we drop: without
    the conversion a wide-gamut photo would look dull)."""
    upright = in_srgb(rgb_or_rgba(ImageOps.exif_transpose(picture)), picture.info.get("icc_profile"))
    upright.info = {}
    return upright


def in_srgb(picture: Pillow.Image, icc: bytes | None) -> Pillow.Image:
    """The picture converted from its embedded colour profile to sRGB; as it is when it
    has none, or one Little CMS cannot read (a damaged profile is no reason to refuse
    a photo: its pixels are shown as they were stored)."""
    if not icc or picture.mode not in ("RGB", "RGBA"):
        return picture
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(
            picture, source, ImageCms.createProfile("sRGB"), outputMode=picture.mode
        )
    except (ImageCms.PyCMSError, OSError):
        return picture


def rgb_or_rgba(picture: Pillow.Image) -> Pillow.Image:
    """Every colour mode (palette, grey, CMYK, 16-bit) as RGB, or RGBA when it has
    transparency: what every encoder and the resizer take. A palette PNG is stored as
    RGB(A) too, a little larger, but one path for all."""
    if picture.mode in ("RGB", "RGBA"):
        return picture
    transparent = picture.mode in ("LA", "PA", "La") or "transparency" in picture.info
    try:
        if picture.mode.startswith("I;16"):
            picture = picture.point(lambda value: value / 256).convert("L")
        return picture.convert("RGBA" if transparent else "RGB")
    except (ValueError, OSError):
        raise UploadRefused(
            f"This image's colour mode ({picture.mode}) is not one we take: export it as 8-bit RGB."
        ) from None


def encode_original(decoded: Decoded, picture: Pillow.Image) -> bytes:
    """The original, stored: its pixels in its own format, nothing else. JPEG at quality
    85 (WordPress's default is 82; the original is the largest rendition's source), PNG
    optimised, WebP 85, AVIF 70. An animated GIF keeps its frames, durations and loop
    (an editor who uploads an animation expects one, as WordPress keeps it); animated
    WebP and AVIF keep their first frame: `picture`, upright and clean."""
    out = io.BytesIO()
    animation = decoded.picture
    if decoded.format == "GIF" and getattr(animation, "n_frames", 1) > 1:
        frames, durations = [], []
        for index in range(animation.n_frames):
            animation.seek(index)
            durations.append(animation.info.get("duration", 100))
            frame = animation.convert("RGBA")
            frame.info = {}  # convert() copies the comment and extensions: drop them
            frames.append(frame)
        loop = animation.info.get("loop", 0)
        animation.seek(0)
        frames[0].save(
            out, "GIF", save_all=True, append_images=frames[1:], duration=durations, loop=loop, disposal=2
        )
        return out.getvalue()
    renditions.encode(picture, decoded.format, out)
    return out.getvalue()


def stored_stem(title: str, uploaded_name: str) -> str:
    """A name of ours: the slug of the title (else of the file name's stem: never its
    folders, so no `../`), cut to NAME_LENGTH, plus 8 random hex digits, so two uploads
    never share a name and a name, once served, never changes (its files are cached as
    immutable). WordPress appends -1, -2 on collision; a random suffix also keeps a
    name from telling how many uploads came before."""
    base = slugify(title) or slugify(PurePath(uploaded_name.replace("\\", "/")).stem) or "image"
    return f"{base[:NAME_LENGTH].strip('-') or 'image'}-{secrets.token_hex(4)}"


def title_from_name(uploaded_name: str) -> str:
    """ "Fee Table.PNG" → "Fee Table", as WordPress titles an upload by its file name."""
    stem = PurePath(uploaded_name.replace("\\", "/")).stem
    return " ".join(stem.replace("_", " ").replace("-", " ").split())[:255] or "Image"


def clamp(fraction: float) -> float:
    return min(1.0, max(0.0, float(fraction)))


def remake_card(image: Image) -> Rendition:
    """After the focal point moved: a new card from the stored original (a new name),
    the old one's row now and its file once the change commits."""
    old = list(image.renditions.filter(kind=Rendition.Kind.CARD))
    written: list[str] = []
    try:
        with transaction.atomic():
            Rendition.objects.filter(pk__in=[rendition.pk for rendition in old]).delete()
            with default_storage.open(image.file.name) as stored, Pillow.open(stored) as picture:
                picture.load()
                card = renditions.make_card(image, first_frame(picture), written=written)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return card
