"""Images in answers (issue 21, point 4): the sanitiser keeps an image only from the
library or a host of IMAGE_HOSTS (CSP's img-src lists the same), the page shows each
library image as a responsive <picture> (lazy unless near the top), and the library
knows which answers show each image ("used by", unused, the delete warning, an edit
renewing the pages)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from certfaq import config
from faqs import content, publishing
from http_cache import stamp
from media import inline
from media.models import Image, InlineImage
from tests.certfaq.test_config import production_env, run_manage
from tests.certfaq.test_security import HEADERS_SCRIPT
from tests.factories import make_question
from tests.media.images import a_library_image

pytestmark = pytest.mark.django_db

MEDIA = "/resources/media/images/"


def figure(image: Image, alt: str = "An exam room", caption: str = "The room") -> str:
    """As the editor's image button inserts it."""
    return f'<figure class="figure"><img src="{image.file.url}" alt="{alt}" data-file="{image.pk}"><figcaption>{caption}</figcaption></figure>'  # noqa: E501


# --- the sanitiser: where an image may come from, what it may say


@pytest.mark.parametrize(
    "html",
    [
        f'<img src="{MEDIA}room-1a2b.jpg" alt="A room">',
        f'<img src="http://127.0.0.1:8000{MEDIA}room-1a2b.jpg" alt="A room">',  # the site's own host
        f'<figure class="figure"><img src="{MEDIA}a.png" alt="A" data-file="12">'
        "<figcaption>Fees</figcaption></figure>",
        f'<img src="{MEDIA}a.png" alt="A" width="640" height="360" loading="lazy" decoding="async" '
        f'srcset="{MEDIA}a-320w.png 320w, {MEDIA}a-640w.png 640w" '
        'sizes="(max-width: 44rem) calc(100vw - 2rem), 42rem">',
    ],
)
def test_library_images_and_their_responsive_markup_are_kept(html):
    assert content.sanitize(html) == html


@pytest.mark.parametrize(
    "html",
    [
        '<img src="https://tracker.example.com/pixel.gif" alt="">',  # a host nobody listed
        '<img src="//tracker.example.com/pixel.gif" alt="">',
        f'<img src="https://evil.example.com{MEDIA}a.png" alt="">',  # the library's path elsewhere
        '<img src="/resources/media/../static/x.png" alt="">',  # outside the library's folder
        f'<img src="{MEDIA}../../admin/x.png" alt="">',
        '<img src="room.png" alt="">',  # relative: another file on every page
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">',
        '<img src="javascript:alert(1)" alt="">',
        '<img alt="no source">',
    ],
)
def test_an_image_from_anywhere_else_is_dropped_whole(html):
    assert content.sanitize(f"<p>Before{html}after.</p>") == "<p>Beforeafter.</p>"


def test_hosts_listed_in_image_hosts_are_kept(settings):
    html = '<img src="https://certilyst.com/wp-content/uploads/2024/01/fees.png" alt="Fees">'
    assert content.sanitize(html) == ""
    settings.IMAGE_HOSTS = ["certilyst.com"]
    assert content.sanitize(html) == html


@pytest.mark.parametrize(
    "attribute",
    [
        'width="100%"',
        'height="-1"',
        'loading="whenever"',
        'decoding="x"',
        'data-file="abc"',
        'sizes="url(https://evil.example.com/)"',
        'sizes="100vw; background: red"',
        'srcset="https://tracker.example.com/a.png 1x"',  # one foreign candidate is one too many
        f'srcset="{MEDIA}a.png 1x, https://tracker.example.com/a.png 2x"',
    ],
)
def test_malformed_or_foreign_image_attributes_are_dropped(attribute):
    kept = f'<img src="{MEDIA}a.png" alt="A">'
    assert content.sanitize(kept.replace(">", f" {attribute}>")) == kept


def test_a_figure_keeps_only_the_editors_class():
    assert content.sanitize('<figure class="figure">x</figure>') == '<figure class="figure">x</figure>'
    assert content.sanitize('<figure class="wp-block-image evil">x</figure>') == "<figure>x</figure>"


def test_image_hosts_come_from_the_environment_as_host_names():
    assert config.image_hosts({"IMAGE_HOSTS": "Certilyst.com, https://cdn.example.com/"}) == [
        "certilyst.com",
        "cdn.example.com",
    ]
    assert config.image_hosts({}) == []
    with pytest.raises(config.ConfigError, match="IMAGE_HOSTS must list host names"):
        config.image_hosts({"IMAGE_HOSTS": "cdn.example.com/path *"})


def test_the_policy_lets_browsers_load_images_from_the_same_hosts_and_the_bucket(tmp_path):
    env = {
        **production_env(tmp_path),
        "IMAGE_HOSTS": "certilyst.com",
        "MEDIA_S3_BUCKET": "certfaq-media",
        "MEDIA_S3_ENDPOINT_URL": "https://objects.example.net",
    }
    result = run_manage("shell", "-v", "0", "-c", HEADERS_SCRIPT, env=env)
    enforced = result.stdout.strip().splitlines()[-2]
    directives = dict(part.strip().split(" ", 1) for part in enforced.split(";"))
    assert directives["img-src"] == "'self' https://objects.example.net certilyst.com", result.stderr[-2000:]


def test_the_library_origin_of_each_storage():
    assert config.media_origins({}) == []
    bucket = {"MEDIA_S3_BUCKET": "b"}
    assert config.media_origins(bucket) == ["https://*.amazonaws.com"]
    assert config.media_origins({**bucket, "MEDIA_S3_ENDPOINT_URL": "http://127.0.0.1:9000/"}) == [
        "http://127.0.0.1:9000"
    ]
    assert config.media_origins({**bucket, "MEDIA_S3_CUSTOM_DOMAIN": "cdn.example.com"}) == [
        "https://cdn.example.com"
    ]


# --- the page: a responsive <picture>, lazy below the top


def pictures(html: str) -> list[str]:
    return re.findall(r"<picture>.*?</picture>", html, re.DOTALL)


def test_a_library_image_in_an_answer_is_a_responsive_picture(client):
    image = a_library_image()
    answer = "<p>One.</p><p>Two.</p>" + figure(image) + "<p>Three.</p>"
    question = make_question(content=answer)
    html = client.get(question.get_absolute_url()).content.decode()
    [picture] = pictures(html)
    assert '<source type="image/webp" srcset="' in picture and " 320w, " in picture
    assert 'sizes="(max-width: 44rem) calc(100vw - 2rem), 42rem"' in picture
    img = re.search(r"<img [^>]*>", picture).group(0)
    assert 'width="400" height="300"' in img and 'alt="An exam room"' in img
    assert 'loading="lazy" decoding="async"' in img
    assert "<figcaption>The room</figcaption>" in html
    # What is stored is what the editor wrote: it opens in the rich editor again.
    assert Question_content(question) == content.sanitize(answer)


def Question_content(question) -> str:  # noqa: N802
    return type(question).objects.values_list("content", flat=True).get(pk=question.pk)


def test_an_image_near_the_top_is_fetched_first_not_lazily(client):
    image = a_library_image()
    question = make_question(content="<p>Intro.</p>" + figure(image) + figure(image, alt="Again"))
    html = client.get(question.get_absolute_url()).content.decode()
    first, second = pictures(html)
    assert 'fetchpriority="high" decoding="async"' in first and 'loading="lazy"' not in first
    assert 'loading="lazy"' in second and 'alt="Again"' in second  # the answer's alt text, not the library's


def test_below_a_featured_image_every_inline_image_is_lazy(client):
    image = a_library_image()
    question = make_question(content=figure(image), featured_image=a_library_image("Chart"))
    html = client.get(question.get_absolute_url()).content.decode()
    featured, answer_image = pictures(html)
    assert 'fetchpriority="high"' in featured
    assert 'loading="lazy"' in answer_image


def test_an_image_deleted_from_the_library_stays_as_stored_and_the_page_still_answers(client):
    image = a_library_image()
    question = make_question(content=figure(image))
    url = image.file.url
    image.delete()
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    assert f'<img src="{url}" alt="An exam room" data-file="' in response.content.decode()


def test_an_answer_without_images_is_shown_as_before():
    assert inline.responsive("<p>No picture.</p>", featured=False) == "<p>No picture.</p>"


def test_the_wordpress_api_gives_the_answer_as_stored(client):
    """wp-json's content is the stored answer (as WordPress gives its post content)."""
    image = a_library_image()
    question = make_question(content=figure(image))
    item = client.get(f"/resources/wp-json/wp/v2/faq/{question.pk}").json()
    assert f'src="{image.file.url}"' in item["content"]["rendered"]


# --- which answers show an image: InlineImage rows, the library's "used by"


def test_the_rows_follow_the_answer():
    image, other = a_library_image(), a_library_image("Chart")
    question = make_question(content=figure(image))
    assert list(InlineImage.objects.values_list("question_id", "image_id")) == [(question.pk, image.pk)]
    question.content = figure(other) + figure(other)
    publishing.save_question(question)
    assert list(InlineImage.objects.values_list("question_id", "image_id")) == [(question.pk, other.pk)]
    question.content = "<p>No picture now.</p>"
    publishing.save_question(question)
    assert not InlineImage.objects.exists()


def test_rebuilding_the_derived_tables_makes_the_rows_again():
    image = a_library_image()
    question = make_question(content=figure(image))
    InlineImage.objects.all().delete()
    assert inline.deriver.is_missing()
    call_command("rebuild_derived", verbosity=0)
    assert list(InlineImage.objects.values_list("question_id", "image_id")) == [(question.pk, image.pk)]
    assert not inline.deriver.is_missing()


def test_the_library_sees_inline_use(admin_client):
    image, unused = a_library_image(), a_library_image("Spare")
    question = make_question(title="What should you bring?", content=figure(image))
    changelist = reverse("admin:media_image_changelist")
    listed = admin_client.get(changelist).content.decode()
    assert question.title in listed
    assert list(Image.objects.unused()) == [unused]
    assert list(Image.objects.used()) == [image]
    unused_page = admin_client.get(changelist, {"use": "unused"}).content.decode()
    assert "Spare" in unused_page and "Exam room" not in unused_page
    warning = admin_client.get(reverse("admin:media_image_delete", args=[image.pk])).content.decode()
    assert question.title in warning


def test_editing_an_image_an_answer_shows_renews_the_cached_pages():
    image = a_library_image()
    make_question(content=figure(image))
    before = stamp.stored()
    image.alt_text = "A quiet exam room"
    image.save()
    assert stamp.stored() != before


def test_the_change_form_opens_an_answer_with_a_library_figure_in_the_rich_editor(admin_client):
    image = a_library_image()
    question = make_question(content=figure(image))
    page = admin_client.get(reverse("admin:faqs_question_change", args=[question.pk])).content.decode()
    assert "data-django-prose-editor-configurable" in page
    assert reverse("admin:media_image_picker") in page  # the image button's library
