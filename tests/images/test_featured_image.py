"""Featured and social images (issue 21, point 5): og:image with its size, type and alt,
twitter:image, the graph's primaryImageOfPage ImageObject in Yoast's shape, wp-json's
featured_media and wp/v2/media/<id>; a question without one keeps the old head."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image as Picture

from faqs import seo
from media.models import Image, Rendition
from tests.factories import make_question
from tests.headparse import graph_by_id, head_tags, schema_of

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000/resources/"
API = "/resources/wp-json/wp/v2"


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Picture.new("RGB", (width, height), (30, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def chart(settings, tmp_path):
    """A library image with its social card, as media.uploads leaves one."""
    settings.MEDIA_ROOT = tmp_path
    data = png(1600, 900)
    image = Image(
        title="Fee chart",
        alt_text="CMA exam fees by attempt",
        caption="Fees as of 2026",
        width=1600,
        height=900,
        format="PNG",
        size=len(data),
    )
    image.file.save("fee-chart.png", ContentFile(data), save=False)
    image.save()
    card = Rendition(image=image, kind="card", format="PNG", width=1200, height=630)
    card.file.save("fee-chart-card.png", ContentFile(png(1200, 630)), save=False)
    card.save()
    return image


def test_a_featured_image_is_the_shared_picture_as_yoast_emits_it(client, chart):
    question = make_question(featured_image=chart)
    html = client.get(question.get_absolute_url()).content.decode()
    card_url = f"http://127.0.0.1:8000{chart.renditions.get().file.url}"
    tags = [(kind, name, value) for kind, name, value in head_tags(html) if kind == "meta"]
    names = [name for _, name, _ in tags]
    assert ("meta", "og:image", card_url) in tags
    assert ("meta", "og:image:width", "1200") in tags and ("meta", "og:image:height", "630") in tags
    assert ("meta", "og:image:type", "image/png") in tags
    assert ("meta", "og:image:alt", "CMA exam fees by attempt") in tags
    assert ("meta", "twitter:image", card_url) in tags
    assert names.index("og:site_name") < names.index("og:image") < names.index("twitter:card")
    assert names.index("twitter:card") < names.index("twitter:image")
    schema = schema_of(head_tags(html))
    graph = graph_by_id(schema)
    url = f"{SITE}faq/{question.slug}/"
    page = graph[url]
    assert page["primaryImageOfPage"] == page["image"] == {"@id": f"{url}#primaryimage"}
    assert page["thumbnailUrl"] == card_url
    assert graph[f"{url}#primaryimage"] == {
        "@type": "ImageObject",
        "inLanguage": "en-US",
        "@id": f"{url}#primaryimage",
        "url": card_url,
        "contentUrl": card_url,
        "width": 1200,
        "height": 630,
        "caption": "Fees as of 2026",
    }
    assert [node["@type"] for node in schema["@graph"]][:3] == [
        ["WebPage", "FAQPage"],
        "ImageObject",
        "BreadcrumbList",
    ]


def test_without_a_card_the_image_itself_is_shared(client, chart):
    chart.renditions.all().delete()
    question = make_question(featured_image=chart)
    head = seo.build_head(seo.question_page(question))
    assert head["og_image"][0]["width"] == 1600 and head["og_image"][0]["url"].endswith(chart.file.url)


def test_a_question_without_an_image_has_no_image_tags(client):
    question = make_question()
    head = seo.build_head(seo.question_page(question))
    assert not {"og_image", "twitter_image"} & set(head)
    assert "ImageObject" not in [node["@type"] for node in head["schema"]["@graph"]]


def test_the_site_default_image_when_set_and_only_then(client, chart, settings):
    question = make_question()
    settings.SOCIAL_IMAGE_ID = chart.pk
    head = seo.build_head(seo.question_page(question))
    assert head["og_image"][0]["url"].endswith(chart.renditions.get().file.url)
    settings.SOCIAL_IMAGE_ID = 0
    assert "og_image" not in seo.build_head(seo.question_page(question))


def test_wp_json_carries_featured_media_and_answers_for_the_image(client, chart):
    question = make_question(featured_image=chart)
    item = client.get(f"{API}/faq/{question.pk}").json()
    keys = list(item)
    assert item["featured_media"] == chart.pk and keys.index("content") < keys.index("featured_media")
    assert item["_links"]["wp:featuredmedia"] == [
        {"embeddable": True, "href": f"{SITE}wp-json/wp/v2/media/{chart.pk}"}
    ]
    media = client.get(f"{API}/media/{chart.pk}")
    assert media.status_code == 200
    body = media.json()
    assert (body["id"], body["type"], body["media_type"], body["mime_type"]) == (
        chart.pk,
        "attachment",
        "image",
        "image/png",
    )
    assert body["alt_text"] == "CMA exam fees by attempt"
    assert body["media_details"]["width"] == 1600 and "card-1200-png" in body["media_details"]["sizes"]
    assert body["source_url"].endswith(chart.file.url)


def test_an_image_no_public_question_features_is_not_shown(client, chart):
    from faqs.models import Question

    make_question(featured_image=chart, status=Question.Status.DRAFT)
    assert client.get(f"{API}/media/{chart.pk}").status_code == 404
    assert client.get(f"{API}/media/987654").status_code == 404
    item_without = client.get(f"{API}/faq/{make_question().pk}").json()
    assert "featured_media" not in item_without and "wp:featuredmedia" not in item_without["_links"]


def test_the_feed_carries_the_featured_image_as_an_enclosure(client, chart, django_assert_max_num_queries):
    make_question(featured_image=chart)
    make_question()
    with django_assert_max_num_queries(6):
        feed = client.get("/resources/feed/").content.decode()
    assert feed.count("<enclosure") == 1
    url = f"http://127.0.0.1:8000{chart.file.url}"
    assert f'<enclosure length="{chart.size}" type="image/png" url="{url}"/>' in feed


def test_the_page_opens_with_the_featured_image_responsive_and_not_lazy(client, chart):
    from media.models import Rendition

    for width in (320, 640):
        webp = Rendition(image=chart, kind="width", format="WEBP", width=width, height=width * 9 // 16)
        webp.file.save(f"fee-chart-{width}.webp", ContentFile(b"webp"), save=False)
        webp.save()
        fallback = Rendition(image=chart, kind="width", format="PNG", width=width, height=width * 9 // 16)
        fallback.file.save(f"fee-chart-{width}.png", ContentFile(png(width, width * 9 // 16)), save=False)
        fallback.save()
    question = make_question(featured_image=chart)
    html = client.get(question.get_absolute_url()).content.decode()
    figure = html[html.index('<figure class="featured">') : html.index("</figure>")]
    assert '<source type="image/webp" srcset="/resources/media/images/renditions/fee-chart-320' in figure
    assert 'alt="CMA exam fees by attempt" fetchpriority="high" decoding="async"' in figure
    assert 'loading="lazy"' not in figure
    assert 'width="640" height="360"' in figure
    assert "<figcaption>Fees as of 2026</figcaption>" in figure
    assert (
        html.index("question__meta") < html.index('<figure class="featured">') < html.index('class="answer"')
    )


def test_an_edit_of_the_featured_image_shows_on_the_kept_page(client, chart):
    question = make_question(featured_image=chart)
    client.get(question.get_absolute_url())
    chart.alt_text = "CMA exam fees, first to third attempt"
    chart.save()
    assert (
        'content="CMA exam fees, first to third attempt"'
        in client.get(question.get_absolute_url()).content.decode()
    )
