"""media.views.serve: the library's files with their type, nosniff and a year's
immutable caching; anything else a 404; never kept in the page cache."""

from __future__ import annotations

import pytest
from django.test import Client

from media import renditions
from media.uploads import store_upload
from tests.media.images import image_bytes, upload

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_an_original_and_its_renditions_are_served_with_their_type_and_immutable_caching(media_root):
    image = store_upload(upload("photo.jpg", image_bytes("JPEG", (700, 500))), alt_text="x")
    client = Client()
    for url, content_type, name in [
        (image.file.url, "image/jpeg", image.file.name),
        *((r.file.url, r.mime_type, r.file.name) for r in image.renditions.all()),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == content_type
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "Content-Encoding" not in response
        assert body(response) == (media_root / name).read_bytes()
    assert image.file.url.startswith("/resources/media/images/")


@pytest.mark.parametrize(
    "path",
    [
        "images/no-such-file-0123abcd.jpg",
        "images/../../certfaq/settings.py",
        "images/%2e%2e/%2e%2e/manage.py",
        "/etc/passwd",
        "images/photo.html",
        "images/photo.svg",
        "images/photo%00.jpg",
        "images\\..\\x.jpg",
        "db.sqlite3",
    ],
)
def test_anything_else_is_a_404(path, media_root):
    (media_root / "images").mkdir(parents=True)
    (media_root / "images" / "photo.html").write_text("<script>alert(1)</script>")
    (media_root / "images" / "photo.svg").write_text("<svg/>")
    assert Client().get(f"/resources/media/{path}").status_code == 404


def test_a_served_image_is_not_kept_in_the_page_cache(settings):
    """The page cache keeps whole, non-streaming answers: a file streams past it."""
    settings.PAGE_CACHE = True
    image = store_upload(upload("photo.jpg", image_bytes()), alt_text="x")
    client = Client()
    first, second = client.get(image.file.url), client.get(image.file.url)
    assert first.streaming and second.streaming
    assert second.get("X-Page-Cache") in (None, "bypass")


def test_only_get_and_head_are_answered():
    image = store_upload(upload("photo.jpg", image_bytes()), alt_text="x")
    assert Client().post(image.file.url).status_code == 405
    assert Client().head(image.file.url).status_code == 200


def test_the_card_is_served_as_jpeg():
    image = store_upload(upload("photo.jpg", image_bytes("JPEG", (1400, 900))), alt_text="x")
    response = Client().get(renditions.card(image).file.url)
    assert response["Content-Type"] == "image/jpeg"
