"""import_wordpress --media-dir: WordPress's images (inline and featured) join the media
library once, with their alt text and captions; what cannot be found is reported."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from faqs.models import Question
from media.models import Image
from tests.media.images import image_bytes
from tests.wordpress.wordpress_items import faq_item, write_json
from wordpress.media_import import original_path, rewrite_images

SITE = "https://certilyst.com/wp-content/uploads"
CHART_FIGURE = (
    '<figure class="wp-block-image size-medium">'
    f'<img src="{SITE}/2024/01/chart-300x200.jpg" alt="Pass rates by year" class="wp-image-123" '
    f'srcset="{SITE}/2024/01/chart-300x200.jpg 300w, {SITE}/2024/01/chart.jpg 600w" '
    'sizes="(max-width: 300px) 100vw, 300px" width="300" height="200">'
    '<figcaption class="wp-element-caption">CMA pass rates, <em>2024</em></figcaption></figure>'
)
CLASSIC_CHART = (  # what WordPress renders of a [caption] shortcode
    '<figure id="attachment_123" class="wp-caption aligncenter">'
    f'<img class="size-full wp-image-123" src="{SITE}/2024/01/chart.jpg" alt="Pass rates" width="600">'
    '<figcaption class="wp-caption-text">Pass rates again</figcaption></figure>'
)
FEE_TABLE = f'<p>Fees: <img src="{SITE}/2024/02/fee-table.png" alt="Fee table" width="200"></p>'
GONE = f'<p><img src="{SITE}/2023/12/gone.jpg" alt="Gone"></p>'
NOT_AN_IMAGE = f'<p><img src="{SITE}/2024/03/notes.jpg" alt="Notes"></p>'
FEE_ATTACHMENT = {
    "id": 321,
    "type": "attachment",
    "media_type": "image",
    "title": {"rendered": "Exam fees &amp; refunds"},
    "source_url": f"{SITE}/2024/02/fee-table.png",
    "alt_text": "Fee table for the exam",
    "caption": {"rendered": "<p>Fees in 2024</p>\n"},
    "media_details": {"file": "2024/02/fee-table.png", "width": 200, "height": 100},
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    """The library's files in a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def uploads(tmp_path) -> Path:
    """A copy of WordPress's wp-content/uploads: a photo with the size variant WordPress
    made of it, a PNG, and a text file named like a photo."""
    folder = tmp_path / "uploads"
    for path, data in {
        "2024/01/chart.jpg": image_bytes("JPEG", (600, 400)),
        "2024/01/chart-300x200.jpg": image_bytes("JPEG", (300, 200)),
        "2024/02/fee-table.png": image_bytes("PNG", (200, 100)),
        "2024/03/notes.jpg": b"Remember to bring a calculator.\n",
    }.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    return folder


def answer(*parts: str) -> dict:
    return {"rendered": "<p>Here is the answer.</p>" + "".join(parts)}


def run_import(items: list, tmp_path: Path, **options) -> tuple[str, str, int]:
    path = write_json(tmp_path / f"items-{len(list(tmp_path.glob('items-*')))}.json", items)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_wordpress", str(path), stdout=out, stderr=err, **options)
    except CommandError as error:
        return out.getvalue(), err.getvalue() + str(error), error.returncode
    return out.getvalue(), err.getvalue(), 0


def warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("warning:")]


def test_each_image_is_stored_once_with_alt_text_caption_and_its_wordpress_path(tmp_path, uploads):
    items = [faq_item(7, content=answer(CHART_FIGURE, FEE_TABLE)), faq_item(8, content=answer(CLASSIC_CHART))]
    out, err, code = run_import(items, tmp_path, media_dir=uploads)
    assert code == 0, err
    chart, fees = (
        Image.objects.get(wp_source="2024/01/chart.jpg"),
        Image.objects.get(wp_source="2024/02/fee-table.png"),
    )
    assert Image.objects.count() == 2
    # The original, not the 300×200 variant the answer showed.
    assert (chart.width, chart.height, chart.title) == (600, 400, "chart")
    assert (chart.alt_text, chart.caption) == ("Pass rates by year", "CMA pass rates, 2024")
    assert (fees.alt_text, fees.caption, fees.format) == ("Fee table", "", "PNG")
    assert chart.renditions.exists()
    assert "images: 2 imported, 0 reused, 0 not found" in out
    assert warnings(err) == []


def test_inline_images_point_at_the_library_and_keep_their_figure_and_caption(tmp_path, uploads):
    run_import([faq_item(7, content=answer(CHART_FIGURE, FEE_TABLE))], tmp_path, media_dir=uploads)
    chart, fees = (
        Image.objects.get(wp_source="2024/01/chart.jpg"),
        Image.objects.get(wp_source="2024/02/fee-table.png"),
    )
    stored = Question.objects.get(pk=7).content
    assert f'<img src="{chart.file.url}" alt="Pass rates by year">' in stored
    assert f'<p>Fees: <img src="{fees.file.url}" alt="Fee table"></p>' in stored
    assert "<figure" in stored and "CMA pass rates, <em>2024</em></figcaption></figure>" in stored
    assert "wp-content" not in stored and "srcset" not in stored and "wp-image-123" not in stored


def test_the_attachment_describes_the_image_and_becomes_the_featured_image(tmp_path, uploads):
    embedded = {
        "wp:featuredmedia": [{**FEE_ATTACHMENT, "id": 55, "media_details": {"file": "2024/01/chart.jpg"}}]
    }
    items = [
        FEE_ATTACHMENT,  # a wp/v2/media item beside the questions
        faq_item(9, featured_media=321),
        faq_item(10, featured_media=55, _embedded=embedded, status="draft"),
    ]
    out, err, code = run_import(items, tmp_path, media_dir=uploads)
    assert code == 0 and "skipped" not in err, err  # an attachment is no unknown item
    fees = Question.objects.get(pk=9).featured_image
    assert (fees.wp_source, fees.title) == ("2024/02/fee-table.png", "Exam fees & refunds")
    assert (fees.alt_text, fees.caption) == ("Fee table for the exam", "Fees in 2024")
    assert Question.objects.get(pk=10).featured_image.wp_source == "2024/01/chart.jpg"


def test_an_update_brings_the_featured_image_and_an_item_without_one_keeps_it(tmp_path, uploads):
    run_import([FEE_ATTACHMENT, faq_item(9, featured_media=321)], tmp_path)
    assert Question.objects.get(pk=9).featured_image is None
    newer = faq_item(9, featured_media=321, modified_gmt="2025-11-01T00:00:00")
    out, _, _ = run_import([FEE_ATTACHMENT, newer], tmp_path, media_dir=uploads)
    assert "1 updated" in out
    fees = Question.objects.get(pk=9).featured_image
    assert fees.wp_source == "2024/02/fee-table.png"
    run_import([faq_item(9, modified_gmt="2025-12-01T00:00:00")], tmp_path, media_dir=uploads)
    assert Question.objects.get(pk=9).featured_image == fees


def test_a_second_import_reuses_the_library_images(tmp_path, uploads):
    items = [FEE_ATTACHMENT, faq_item(7, content=answer(CHART_FIGURE), featured_media=321)]
    run_import(items, tmp_path, media_dir=uploads)
    first = Question.objects.get(pk=7).content
    newer = faq_item(7, content=answer(CHART_FIGURE), featured_media=321, modified_gmt="2025-11-01T00:00:00")
    out, err, _ = run_import(
        [FEE_ATTACHMENT, newer, faq_item(8, content=answer(CLASSIC_CHART))], tmp_path, media_dir=uploads
    )
    assert Image.objects.count() == 2
    assert "1 created, 1 updated" in out and "images: 0 imported, 2 reused, 0 not found" in out
    assert Question.objects.get(pk=7).content == first
    assert Image.objects.get(wp_source="2024/01/chart.jpg").file.url in Question.objects.get(pk=8).content


def test_images_not_brought_in_are_reported_once_and_keep_their_markup(tmp_path, uploads, settings):
    settings.IMAGE_HOSTS = ["certilyst.com"]  # the old site's images stay shown meanwhile
    items = [
        faq_item(7, content=answer(GONE, NOT_AN_IMAGE)),
        faq_item(8, content=answer(GONE), featured_media=404),
    ]
    out, err, code = run_import(items, tmp_path, media_dir=uploads)
    assert code == 0
    assert Image.objects.count() == 0
    lines = warnings(err)
    assert len(lines) == 3
    assert any(
        f"question 7 (question-7): image {SITE}/2023/12/gone.jpg" in line
        and "is not in" in line
        and "also in question 8 (question-8)" in line
        for line in lines
    )
    assert any(
        f"{SITE}/2024/03/notes.jpg" in line and "This is not an image we take" in line for line in lines
    )
    assert any("question 8 (question-8)" in line and "featured media 404" in line for line in lines)
    assert "images: 0 imported, 0 reused, 3 not found" in out
    assert f'src="{SITE}/2023/12/gone.jpg"' in Question.objects.get(pk=8).content


def test_markup_of_an_image_not_brought_in_is_left_exactly_as_it_was():
    html = answer(CHART_FIGURE, FEE_TABLE, GONE)["rendered"]
    met = []
    assert rewrite_images(html, lambda ref: met.append(ref) or None) == html
    assert [(ref.path, ref.alt_text, ref.caption, ref.attachment_id) for ref in met] == [
        ("2024/01/chart-300x200.jpg", "Pass rates by year", "CMA pass rates, 2024", 123),
        ("2024/02/fee-table.png", "Fee table", "", None),
        ("2023/12/gone.jpg", "Gone", "", None),
    ]


def test_without_media_dir_one_line_says_how_many_images_stayed_out(tmp_path):
    items = [
        faq_item(7, content=answer(CHART_FIGURE, FEE_TABLE)),
        faq_item(8, content=answer(GONE), featured_media=321),
        faq_item(9),
    ]
    out, err, code = run_import(items, tmp_path)
    assert code == 0 and Image.objects.count() == 0
    assert warnings(err) == [
        "warning: 4 image(s) in 2 answer(s) not brought into the library: "
        "give --media-dir (WordPress's wp-content/uploads folder, copied here)"
    ]
    assert "images:" not in out


def test_a_dry_run_stores_nothing_and_says_what_it_would_do(tmp_path, uploads, media_root):
    items = [faq_item(7, content=answer(CHART_FIGURE, FEE_TABLE, NOT_AN_IMAGE))]
    out, err, _ = run_import(items, tmp_path, media_dir=uploads, dry_run=True)
    assert Image.objects.count() == 0 and Question.objects.count() == 0
    assert not media_root.exists() or not any(path.is_file() for path in media_root.rglob("*"))
    assert "would have:" in out and "images: 2 imported, 0 reused, 1 not found" in out
    assert any("notes.jpg" in line and "This is not an image we take" in line for line in warnings(err))


def test_a_path_leaving_the_uploads_folder_is_refused(tmp_path, uploads):
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(image_bytes("JPEG", (40, 30)))
    (uploads / "2024" / "link.jpg").symlink_to(secret)
    outside = {**FEE_ATTACHMENT, "media_details": {"file": str(secret)}}  # an absolute path
    escaping = [
        f'<img src="{SITE}/../secret.jpg" alt="">',
        f'<img src="{SITE}/2024/%2e%2e/%2E%2E/secret.jpg" alt="">',
        f'<img src="{SITE}/2024/link.jpg" alt="">',
    ]
    items = [outside, faq_item(7, content=answer(*escaping), featured_media=321)]
    out, err, code = run_import(items, tmp_path, media_dir=uploads)
    assert code == 0 and Image.objects.count() == 0
    assert sum("leaves the uploads folder: refused" in line for line in warnings(err)) == 3
    assert "images: 0 imported, 0 reused, 4 not found" in out


def test_a_media_dir_that_does_not_exist_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="--media-dir .*nope: no such folder"):
        call_command(
            "import_wordpress",
            str(write_json(tmp_path / "i.json", [faq_item(7)])),
            media_dir=tmp_path / "nope",
        )
    assert Question.objects.count() == 0


@pytest.mark.parametrize(
    "path, original",
    [
        ("2024/01/chart-300x200.jpg", "2024/01/chart.jpg"),
        ("2024/01/photo-scaled.jpg", "2024/01/photo.jpg"),
        ("2024/01/photo-scaled-1024x768.jpg", "2024/01/photo.jpg"),
        ("2024/01/1024x768.jpg", "2024/01/1024x768.jpg"),
        ("2024/01/chart.jpg", "2024/01/chart.jpg"),
    ],
)
def test_the_original_of_a_wordpress_size_variant(path, original):
    assert original_path(path) == original


def test_imported_answers_whose_images_resolve_to_the_library_open_in_the_rich_editor(
    tmp_path, uploads, admin_client
):
    run_import([faq_item(549, content=answer(CHART_FIGURE, FEE_TABLE))], tmp_path, media_dir=str(uploads))
    question = Question.objects.get(pk=549)
    page = admin_client.get(f"/resources/admin/faqs/question/{question.pk}/change/").content.decode()
    assert "data-django-prose-editor-configurable" in page  # not the HTML box
    assert "cannot show" not in page


def test_a_certfaq_export_brings_its_featured_image_back_without_an_uploads_folder(tmp_path):
    """certfaq's own export embeds the featured image as ?_embed does; its address is the
    library's, so a restore finds the image without --media-dir, and warns of nothing."""
    from tests.media.images import a_library_image

    image = a_library_image("Fee chart")
    item = faq_item(549, content=answer())
    run_import([item], tmp_path)
    question = Question.objects.get(pk=549)
    question.featured_image = image
    question.save()
    call_command("export_wordpress", str(tmp_path / "export"), stdout=io.StringIO())
    Question.objects.all().delete()  # restored into a site that kept its library
    out, err, code = run_import_directory(tmp_path / "export")
    assert code == 0 and "warning" not in err, err
    assert Question.objects.get(pk=549).featured_image == image


def run_import_directory(directory: Path) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_wordpress", str(directory), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue() + str(error), error.returncode
    return out.getvalue(), err.getvalue(), 0
