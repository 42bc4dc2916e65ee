"""Compression (http_cache.response.CompressionMiddleware): gzip, or Brotli when accepted,
on the public text answers; never on the admin or anything that carries a secret."""

import gzip

import brotli
import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from http_cache.response import CompressionMiddleware, accepted_coding
from tests.factories import make_category, make_question, make_staff_user

pytestmark = pytest.mark.django_db

ANSWER = "<p>" + "Retake the exam after sixty days; the fee is charged again. " * 20 + "</p>"


def question_path() -> str:
    question = make_question(title="Can I retake the exam?", content=ANSWER, categories=[make_category()])
    return question.get_absolute_url()


def test_gzip_is_negotiated_and_decompresses_to_the_same_page(client):
    path = question_path()
    plain = client.get(path)
    packed = client.get(path, headers={"accept-encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    # The security headers are still there.
    assert "script-src 'self'" in packed["Content-Security-Policy"]
    assert packed["X-Content-Type-Options"] == "nosniff"


def test_brotli_is_preferred_when_accepted(client):
    path = question_path()
    plain = client.get(path)
    packed = client.get(path, headers={"accept-encoding": "gzip, deflate, br, zstd"})
    assert packed["Content-Encoding"] == "br"
    assert brotli.decompress(packed.content) == plain.content


@pytest.mark.parametrize("accept", ["", "identity", "gzip;q=0, br;q=0", "deflate", "*"])
def test_identity_when_no_coding_we_have_is_accepted(client, accept):
    path = question_path()
    response = client.get(path, headers={"accept-encoding": accept})
    assert "Content-Encoding" not in response
    assert b"Can I retake the exam?" in response.content


def test_q_zero_refuses_only_that_coding():
    assert accepted_coding("br;q=0, gzip") == "gzip"
    assert accepted_coding("br, gzip;q=0.5") == "br"
    assert accepted_coding("GZIP;Q=1.0") == "gzip"
    assert accepted_coding("gzip;q=nonsense") is None


def test_head_has_the_compressed_get_headers_and_no_body(client):
    path = question_path()
    get = client.get(path, headers={"accept-encoding": "br"})
    head = client.head(path, headers={"accept-encoding": "br"})
    assert head["Content-Encoding"] == "br"
    assert head.content == b""
    assert head["Content-Length"] == get["Content-Length"]


def test_short_answers_are_not_compressed(client):
    response = client.get("/resources/robots.txt", headers={"accept-encoding": "gzip, br"})
    assert response.status_code == 200 and len(response.content) < 500
    assert "Content-Encoding" not in response


def test_json_xml_and_the_feed_are_compressed(client):
    for number in range(12):
        make_question(title=f"Exam question number {number}?", content=ANSWER)
    for path, content_type in [
        ("/resources/wp-json/wp/v2/faq?per_page=100", "application/json"),
        ("/resources/faq-sitemap.xml", "application/xml"),
        ("/resources/feed/", "application/rss+xml"),
    ]:
        plain = client.get(path)
        packed = client.get(path, headers={"accept-encoding": "gzip"})
        assert plain.status_code == 200 and plain["Content-Type"].startswith(content_type), path
        assert packed["Content-Encoding"] == "gzip", path
        assert gzip.decompress(packed.content) == plain.content, path
    # The index names two sitemaps: about 330 bytes, under the threshold.
    index = client.get("/resources/sitemap_index.xml", headers={"accept-encoding": "gzip"})
    assert index["Content-Type"].startswith("application/xml") and len(index.content) < 500
    assert "Content-Encoding" not in index


def test_the_admin_is_never_compressed(client):
    """BREACH: admin forms carry a CSRF token beside input they echo back."""
    login = client.get("/resources/admin/login/", headers={"accept-encoding": "gzip, br"})
    assert login.status_code == 200 and b"csrfmiddlewaretoken" in login.content
    assert "Content-Encoding" not in login

    question = make_question(content=ANSWER)
    client.force_login(make_staff_user())
    change = client.get(
        f"/resources/admin/faqs/question/{question.pk}/change/", headers={"accept-encoding": "gzip, br"}
    )
    assert change.status_code == 200 and b"csrfmiddlewaretoken" in change.content
    assert "Content-Encoding" not in change


def test_public_pages_hold_no_secret_to_leak(client):
    """What makes compressing the search page (which reflects ?s=) safe."""
    path = question_path()
    for url in ["/resources/", path, "/resources/?s=retake+exam", "/resources/faq/"]:
        response = client.get(url, headers={"accept-encoding": "gzip"})
        assert response.status_code == 200, url
        assert response["Content-Encoding"] == "gzip", url
        page = gzip.decompress(response.content)
        assert b"csrfmiddlewaretoken" not in page and b"csrftoken" not in page, url
        assert not response.cookies, url


def compressed_by_middleware(response, accept: str = "gzip, br"):
    request = RequestFactory().get("/resources/faq/", headers={"accept-encoding": accept})
    return CompressionMiddleware(lambda request: response)(request)


def long_page(**headers) -> HttpResponse:
    return HttpResponse(b"<p>a page long enough to compress</p>" * 40, headers=headers)


def test_no_transform_cookies_and_compressed_types_are_left_alone():
    assert "Content-Encoding" in compressed_by_middleware(long_page())
    assert "Content-Encoding" not in compressed_by_middleware(long_page(**{"Cache-Control": "no-transform"}))
    with_cookie = long_page()
    with_cookie.set_cookie("certfaq_session", "secret")
    assert "Content-Encoding" not in compressed_by_middleware(with_cookie)
    image = HttpResponse(b"\x89PNG" + bytes(2000), content_type="image/png")
    assert "Content-Encoding" not in compressed_by_middleware(image)


@pytest.mark.parametrize(
    "accept, decompress", [("gzip", gzip.decompress), ("br", brotli.decompress)], ids=["gzip", "br"]
)
def test_streamed_answers_are_compressed_as_they_go(accept, decompress):
    chunks = [b"<url><loc>https://certilyst.com/resources/faq/q-%d/</loc></url>" % n for n in range(200)]
    response = compressed_by_middleware(
        StreamingHttpResponse(iter(chunks), content_type="application/xml"), accept
    )
    assert response["Content-Encoding"] == accept
    assert decompress(b"".join(response.streaming_content)) == b"".join(chunks)
