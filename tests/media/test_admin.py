"""The media library's admin: an editor uploads several images at once, describes
them, finds unused ones, and is warned before deleting one a question shows."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from media import renditions
from media.models import Image, Rendition
from media.uploads import store_upload
from tests.factories import make_member, make_question
from tests.media.conftest import stored_files
from tests.media.images import image_bytes, upload
from tests.media.test_uploads import SVG_WITH_SCRIPT

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:media_image_changelist")
ADD = reverse("admin:media_image_add")


@pytest.fixture
def editor() -> Client:
    client = Client()
    client.force_login(make_member("Editor", "editor"))
    return client


def an_image(title: str = "Exam room", **fields) -> Image:
    fields.setdefault("alt_text", "An exam room")
    return store_upload(upload(f"{title}.jpg", image_bytes(size=(700, 500))), title=title, **fields)


def change_data(image: Image, **fields) -> dict:
    data = {
        "title": image.title,
        "alt_text": image.alt_text,
        "decorative": "on" if image.decorative else "",
        "caption": image.caption,
        "credit": image.credit,
        "focal_x": image.focal_x,
        "focal_y": image.focal_y,
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value != ""}


def test_the_upload_page_takes_several_images_and_offers_a_drop_zone(editor):
    page = editor.get(ADD).content.decode()
    assert 'type="file"' in page and "multiple" in page
    assert 'accept="image/jpeg,image/png,image/gif,image/webp,image/avif"' in page
    assert "media/upload.js" in page and "Drop images here" in page
    assert "up to 10 MB each" in page
    assert "<script>" not in page.replace("<script src=", "")  # no inline script (CSP)


def test_an_editor_uploads_several_at_once_and_lands_on_them_to_describe(editor, media_root):
    files = [
        upload("Exam Room.jpg", image_bytes()),
        upload("fee-table.png", image_bytes("PNG", (400, 300)), "image/png"),
        upload("logo.svg", SVG_WITH_SCRIPT, "image/svg+xml"),
    ]
    response = editor.post(ADD, {"files": files})
    new = list(Image.objects.order_by("pk"))
    assert [image.title for image in new] == ["Exam Room", "fee table"]
    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}?id__in={new[0].pk}%2C{new[1].pk}"
    page = editor.get(response["Location"]).content.decode()
    assert "Uploaded 2 images" in page
    assert "Not uploaded, logo.svg: This is not an image we take" in page
    assert page.count('name="form-0-alt_text"') == 1 and 'name="form-1-alt_text"' in page
    assert all(not image.is_described() for image in new)
    assert not any("logo" in name for name in stored_files(media_root))


def test_an_upload_of_only_refused_files_stays_on_the_page_with_the_reasons(editor, media_root):
    response = editor.post(ADD, {"files": [upload("logo.svg", SVG_WITH_SCRIPT, "image/svg+xml")]})
    assert response.status_code == 400
    assert "This is not an image we take" in response.content.decode()
    assert not Image.objects.exists() and stored_files(media_root) == []


def test_the_new_uploads_are_described_in_one_form_on_the_list(editor):
    first, second = an_image("One", alt_text=""), an_image("Two", alt_text="")
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": str(second.pk),  # the list is newest first
        "form-0-alt_text": "",
        "form-0-decorative": "on",
        "form-1-id": str(first.pk),
        "form-1-alt_text": "A candidate at a desk",
        "_save": "Save",
    }
    response = editor.post(f"{CHANGELIST}?id__in={first.pk},{second.pk}", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.alt == "A candidate at a desk" and second.decorative and second.alt == ""
    assert Image.objects.described().count() == 2


def test_alt_text_is_required_unless_the_image_is_decorative(editor):
    image = an_image()
    url = reverse("admin:media_image_change", args=[image.pk])
    refused = editor.post(url, change_data(image, alt_text=""))
    assert refused.status_code == 200
    assert (
        "Describe the image for readers who cannot see it, or mark it decorative." in refused.content.decode()
    )
    assert editor.post(url, change_data(image, alt_text="", decorative="on")).status_code == 302
    image.refresh_from_db()
    assert image.decorative and image.alt == ""


def test_moving_the_focal_point_in_the_admin_makes_a_new_card(editor, django_capture_on_commit_callbacks):
    image = store_upload(upload("wide.jpg", image_bytes(size=(1600, 800))), alt_text="x")
    old_card = renditions.card(image)
    url = reverse("admin:media_image_change", args=[image.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(url, change_data(image, focal_x="0.9")).status_code == 302
    assert not Rendition.objects.filter(pk=old_card.pk).exists()
    assert Rendition.objects.filter(image=image, kind="card").count() == 1
    assert editor.post(url, change_data(image, focal_x="1.5")).status_code == 200  # a fraction only


def test_deleting_an_image_in_use_names_the_questions(editor):
    image = an_image()
    make_question(title="What does the CMA exam cost?", featured_image=image)
    make_question(title="Where do I sit the exam?", featured_image=image)
    page = editor.get(reverse("admin:media_image_delete", args=[image.pk])).content.decode()
    assert "In use: deleting takes the picture off 2 questions" in page
    assert "What does the CMA exam cost?" in page and "Where do I sit the exam?" in page
    unused = an_image("Spare")
    assert "In use" not in editor.get(reverse("admin:media_image_delete", args=[unused.pk])).content.decode()


def test_the_bulk_delete_names_the_questions_too(editor):
    used, spare = an_image("Used"), an_image("Spare")
    make_question(title="What does the CMA exam cost?", featured_image=used)
    page = editor.post(
        CHANGELIST, {"action": "delete_with_warning", "_selected_action": [used.pk, spare.pk]}
    ).content.decode()
    assert "In use: deleting takes the picture off 1 question:" in page
    assert "What does the CMA exam cost?" in page
    editor.post(
        CHANGELIST, {"action": "delete_with_warning", "_selected_action": [used.pk, spare.pk], "post": "yes"}
    )
    assert not Image.objects.exists()


def test_the_list_shows_thumbnails_uses_and_finds_unused_images(editor):
    used = an_image("Used")
    an_image("Spare")
    make_question(title="What does the CMA exam cost?", featured_image=used)
    page = editor.get(CHANGELIST).content.decode()
    thumbnail = renditions.thumbnail(used)
    assert f'src="{thumbnail.file.url}" width="320" height="229" alt="An exam room" loading="lazy"' in page
    assert "What does the CMA exam cost?" in page and "unused" in page
    unused = editor.get(CHANGELIST, {"use": "unused"}).context["cl"].result_list
    assert [image.title for image in unused] == ["Spare"]
    missing = editor.get(CHANGELIST, {"alt": "missing"}).context["cl"].result_list
    assert list(missing) == []


def test_the_list_reads_the_same_number_of_queries_for_3_or_12_images(editor, django_assert_max_num_queries):
    def queries_for_list() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert editor.get(CHANGELIST).status_code == 200
        return len(captured)

    for number in range(3):
        make_question(featured_image=an_image(f"Image {number}"))
    few = queries_for_list()
    for number in range(9):
        an_image(f"More {number}")
    with django_assert_max_num_queries(few):
        assert editor.get(CHANGELIST).status_code == 200
    assert few <= 12
