"""Small images made with Pillow for the media tests, and a library image made as an
editor's upload makes it (store_upload), its files in a temporary folder."""

from __future__ import annotations

import io
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image as Pillow

from media.uploads import store_upload


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (800, 600), **save_options) -> bytes:
    """A picture with some detail (a gradient), so encoders do real work."""
    mode = "RGBA" if fmt == "PNG" and save_options.pop("alpha", False) else "RGB"
    picture = Pillow.linear_gradient("L").resize(size).convert(mode)
    out = io.BytesIO()
    picture.save(out, fmt, **save_options)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def a_library_image(title: str = "Exam room", **fields):
    """An uploaded image, described; its files in a folder of its own (for tests that
    read rows and URLs, not files)."""
    with override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="certfaq-media-test-")):
        return store_upload(
            upload("exam-room.jpg", image_bytes(size=(400, 300))),
            title=title,
            alt_text="An exam room",
            **fields,
        )
