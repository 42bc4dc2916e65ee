"""media.uploads: the content decides, metadata never reaches the disk, names are ours,
and a refused or failed upload leaves no row and no file."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image as Pillow

from media import renditions
from media.models import Image, Rendition
from media.uploads import UploadRefused, store_upload
from tests.media.conftest import stored_files
from tests.media.images import image_bytes, upload

pytestmark = pytest.mark.django_db


def jpeg_with_gps() -> bytes:
    exif = Pillow.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x0110] = "Camera 12"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)}
    return image_bytes("JPEG", (1000, 750), exif=exif, comment=b"shot at home")


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A real bomb: a 1-bit PNG of 400 megapixels whose rows are zeros, about 50 KB."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")
    )


SVG_WITH_SCRIPT = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">
<script>alert(document.cookie)</script><rect width="100" height="100"/></svg>"""


def attacks() -> dict[str, tuple[str, bytes, str]]:
    """name → (file name, bytes, what the refusal says)."""
    jpeg = image_bytes("JPEG", (640, 480))
    return {
        "png bomb": ("bomb.png", png_bomb(), "too many pixels"),
        "over the pixel limit": ("huge.png", png_bomb(8_000, 6_000), "too many pixels"),
        "svg with a script": ("logo.svg", SVG_WITH_SCRIPT, "not an image we take"),
        "svg named jpg": ("photo.jpg", SVG_WITH_SCRIPT, "not an image we take"),
        "polyglot": (
            "photo.jpg",
            jpeg + b"<html><script>alert(1)</script></html>",
            "something else after the image",
        ),
        "truncated": ("photo.jpg", jpeg[: len(jpeg) // 2], "damaged or incomplete"),
        "30 MB": ("big.jpg", jpeg + b"\x00" * (30 * 1024 * 1024), "up to 10 MB"),
    }


@pytest.mark.parametrize("attack", list(attacks()))
def test_an_attack_is_refused_with_a_message_and_leaves_nothing(attack, media_root):
    name, data, message = attacks()[attack]
    with pytest.raises(UploadRefused) as refusal:
        store_upload(upload(name, data), title="Attack", alt_text="x")
    assert message in refusal.value.message
    assert not Image.objects.exists() and not Rendition.objects.exists()
    assert stored_files(media_root) == []


def test_a_jpeg_with_gps_is_stored_without_any_metadata(media_root):
    image = store_upload(upload("holiday.jpg", jpeg_with_gps()), title="Holiday", alt_text="A beach")
    files = [image.file.name] + [rendition.file.name for rendition in image.renditions.all()]
    assert len(files) == 1 + image.renditions.count() >= 10
    for name in files:
        with Pillow.open(media_root / name) as stored:
            assert not stored.getexif(), name
            assert not {"exif", "xmp", "comment", "icc_profile"} & set(stored.info), (
                name,
                stored.info.keys(),
            )
        assert b"Camera 12" not in (media_root / name).read_bytes()
    assert (image.format, image.width, image.height) == ("JPEG", 1000, 750)
    assert image.size == (media_root / image.file.name).stat().st_size


def test_the_orientation_is_applied_before_the_exif_goes():
    exif = Pillow.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to show
    image = store_upload(upload("phone.jpg", image_bytes("JPEG", (800, 600), exif=exif)), alt_text="x")
    assert (image.width, image.height) == (600, 800)


def test_the_type_comes_from_the_content_not_the_name():
    image = store_upload(
        upload("Fee Table.jpg", image_bytes("PNG", (300, 200)), "image/jpeg"), alt_text="Fees"
    )
    assert image.format == "PNG" and image.file.name.endswith(".png")


def test_names_are_normalised_unique_and_never_the_senders_path(media_root):
    first = store_upload(upload("../../etc/passwd.jpg", image_bytes()), alt_text="x")
    second = store_upload(upload("../../etc/passwd.jpg", image_bytes()), alt_text="x")
    table = store_upload(upload("Fee Table.PNG", image_bytes("PNG", (300, 200))), alt_text="x")
    assert first.file.name.startswith("images/passwd-") and first.file.name.endswith(".jpg")
    assert first.file.name != second.file.name
    assert table.file.name.startswith("images/fee-table-") and table.file.name.endswith(".png")
    assert table.title == "Fee Table"
    assert all(".." not in name and "etc" not in name for name in stored_files(media_root))
    assert (media_root / first.file.name).resolve().is_relative_to(media_root.resolve())


def test_a_failure_while_making_renditions_leaves_no_row_and_no_file(monkeypatch, media_root):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(renditions, "make_card", broken)
    with pytest.raises(OSError):
        store_upload(upload("photo.jpg", image_bytes()), alt_text="x")
    assert not Image.objects.exists() and not Rendition.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "WEBP", "AVIF"])
def test_each_format_we_take_is_stored_in_its_own_format(fmt):
    image = store_upload(upload(f"picture.{fmt.lower()}", image_bytes(fmt, (500, 400))), alt_text="x")
    assert image.format == fmt
    assert image.mime_type.startswith("image/")


def test_an_animated_gif_keeps_its_frames(media_root):
    frames = [Pillow.new("RGB", (120, 80), colour) for colour in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(
        out, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0, comment=b"secret"
    )
    image = store_upload(upload("spinner.gif", out.getvalue()), alt_text="x")
    with Pillow.open(media_root / image.file.name) as stored:
        assert stored.n_frames == 3 and "comment" not in stored.info


def test_the_size_limit_comes_from_the_setting(settings):
    settings.MEDIA_MAX_UPLOAD_MB = 1
    with pytest.raises(UploadRefused, match="up to 1 MB"):
        store_upload(upload("big.png", b"\x89PNG" + b"\x00" * (1024 * 1024 + 1)), alt_text="x")


def test_a_photo_with_a_damaged_colour_profile_is_stored_as_its_pixels(media_root):
    """A profile Little CMS cannot read is dropped with the other metadata, the photo kept."""
    data = image_bytes("JPEG", icc_profile=b"not an ICC profile at all")
    image = store_upload(upload("scan.jpg", data), title="Scan", alt_text="A scanned fee table")
    with Pillow.open(media_root / image.file.name) as stored:
        assert "icc_profile" not in stored.info and stored.size == (800, 600)


def test_a_photo_with_a_colour_profile_is_converted_to_srgb_and_loses_it(media_root):
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    data = image_bytes("JPEG", icc_profile=profile)
    image = store_upload(upload("wide.jpg", data), title="Wide", alt_text="A wide-gamut photo")
    with Pillow.open(media_root / image.file.name) as stored:
        assert "icc_profile" not in stored.info
