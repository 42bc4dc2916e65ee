"""media.renditions: made at upload, never upscaled, in WebP, the original's format and
AVIF; the social card cropped around the focal point; helpers that read one query."""

from __future__ import annotations

import pytest
from PIL import Image as Pillow
from PIL import features

from media import renditions, uploads
from media.models import CARD_HEIGHT, CARD_WIDTH, Image, Rendition
from media.uploads import store_upload
from tests.media.images import image_bytes, upload

pytestmark = pytest.mark.django_db


def test_a_large_jpeg_gets_every_width_in_webp_jpeg_and_avif_and_a_card(media_root):
    image = store_upload(upload("wide.jpg", image_bytes("JPEG", (2400, 1600))), alt_text="x")
    widths = {(r.format, r.width, r.height) for r in image.renditions.filter(kind="width")}
    formats = {"WEBP", "JPEG", "AVIF"} if features.check("avif") else {"WEBP", "JPEG"}
    assert widths == {(fmt, w, round(1600 * w / 2400)) for fmt in formats for w in renditions.WIDTHS}
    for rendition in image.renditions.all():
        with Pillow.open(media_root / rendition.file.name) as stored:
            assert stored.format == rendition.format and stored.size == (rendition.width, rendition.height)
    card = renditions.card(image)
    assert (card.format, card.width, card.height) == ("JPEG", CARD_WIDTH, CARD_HEIGHT)


def test_a_small_image_is_never_upscaled_but_keeps_its_own_width():
    image = store_upload(upload("small.png", image_bytes("PNG", (700, 500))), alt_text="x")
    assert sorted({r.width for r in image.renditions.filter(kind="width")}) == [320, 640, 700]
    assert {r.format for r in image.renditions.filter(kind="width")} >= {"WEBP", "PNG"}


def test_a_transparent_png_gets_a_png_card():
    image = store_upload(upload("logo.png", image_bytes("PNG", (1300, 700), alpha=True)), alt_text="Logo")
    assert renditions.card(image).format == "PNG"


def red_dot_picture(at: tuple[int, int]) -> bytes:
    """A grey 2400 × 800 picture with a red square at `at`: where the card looks."""
    picture = Pillow.new("RGB", (2400, 800), "grey")
    picture.paste("red", (at[0] - 100, at[1] - 100, at[0] + 100, at[1] + 100))
    import io

    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def card_centre_colour(image: Image, media_root) -> tuple:
    with Pillow.open(media_root / renditions.card(image).file.name) as card:
        return card.convert("RGB").getpixel((CARD_WIDTH // 2, CARD_HEIGHT // 2))


def test_the_card_is_cropped_around_the_focal_point(media_root):
    data = red_dot_picture((1500, 400))  # the red square right of the centre
    centred = store_upload(upload("a.png", data), alt_text="x")
    to_the_right = store_upload(upload("b.png", data), alt_text="x", focal_x=0.625, focal_y=0.5)
    assert card_centre_colour(centred, media_root) != (255, 0, 0)
    assert card_centre_colour(to_the_right, media_root)[0] > 200


def test_moving_the_focal_point_makes_a_new_card_under_a_new_name(
    media_root, django_capture_on_commit_callbacks
):
    image = store_upload(upload("a.png", red_dot_picture((1500, 400))), alt_text="x")
    old = renditions.card(image)
    image.focal_x = 0.625
    image.save()
    with django_capture_on_commit_callbacks(execute=True):
        new = uploads.remake_card(image)
    assert new.file.name != old.file.name
    assert not (media_root / old.file.name).exists()
    assert Rendition.objects.filter(image=image, kind="card").get() == new
    image = Image.objects.prefetch_related("renditions").get(pk=image.pk)
    assert card_centre_colour(image, media_root)[0] > 200


def test_the_helpers_read_prefetched_renditions_without_a_query(django_assert_num_queries):
    store_upload(upload("a.jpg", image_bytes("JPEG", (1000, 600))), alt_text="x")
    store_upload(upload("b.png", image_bytes("PNG", (400, 300))), alt_text="x")
    with django_assert_num_queries(2):
        images = list(Image.objects.prefetch_related("renditions"))
    with django_assert_num_queries(0):
        jpeg, png = sorted(images, key=lambda image: image.format)
        assert renditions.srcset(jpeg, "WEBP").count("w, ") == 3  # 320, 640, 960, 1000
        assert renditions.srcset(jpeg, "WEBP").startswith("/resources/media/images/renditions/")
        assert renditions.best_src(jpeg)[1:] == (1000, 600)
        assert renditions.best_src(png)[1:] == (400, 300)
        assert renditions.card(png).width == CARD_WIDTH
        assert renditions.srcset(png, "JPEG") == ""


def test_deleting_an_image_deletes_its_files(media_root, django_capture_on_commit_callbacks):
    image = store_upload(upload("a.jpg", image_bytes()), alt_text="x")
    assert any(media_root.rglob("*.webp"))
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not [path for path in media_root.rglob("*") if path.is_file()]
