"""The page cache's front door (http_cache.wsgi): gunicorn's application answers a
plain GET of a kept page itself, before Django's request handler, with the answer the
middleware would give; everything else reaches Django. Requests go through
certfaq.wsgi.application as gunicorn calls it, with a WSGI environ as gunicorn makes
it; whether Django's handler ran is seen by its request_started signal."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certfaq.wsgi import application
from faqs import publishing
from faqs.models import Question
from tests.factories import make_category, make_question

pytestmark = pytest.mark.django_db

HEADER = "X-Page-Cache"


@dataclass
class Answer:
    status: str
    headers: dict[str, str]
    body: bytes
    by_django: bool  # False: answered before Django's handler


@pytest.fixture(autouse=True)
def keep_the_test_transaction():
    """Django's handler closes old connections at each request's start and end, which
    would end the test's transaction; its test client unhooks the same receiver."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def environ(path: str, method: str, headers: dict[str, str]) -> dict:
    """What gunicorn hands the application: PATH_INFO as the bytes sent, read as latin-1."""
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path.encode().decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **{"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()},
    }


def ask(path: str, method: str = "GET", **headers: str) -> Answer:
    started = []
    answer = {}

    def count(**kwargs):
        started.append(kwargs)

    def start_response(status, response_headers, exc_info=None):
        answer.update(status=status, headers=dict(response_headers))

    request_started.connect(count)
    try:
        chunks = application(environ(path, method, headers), start_response)
        body = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
    finally:
        request_started.disconnect(count)
    return Answer(answer["status"], answer["headers"], body, by_django=bool(started))


def kept(path: str, **headers: str) -> Answer:
    """Asks twice: the first answer made (or kept) by Django, the second from the front door."""
    first = ask(path, **headers)
    assert first.by_django and first.headers[HEADER] in ("miss", "hit"), (path, first.status)
    second = ask(path, **headers)
    assert not second.by_django and second.headers[HEADER] == "hit", (path, second.status)
    assert second.body == first.body and second.status == first.status
    return second


# `backend` (tests/conftest.py): each test with local memory and with Redis.


def test_a_kept_page_is_answered_before_djangos_handler_at_no_query(backend, django_assert_num_queries):
    question = make_question(title="Answered at the door?")
    first = ask(question.get_absolute_url())
    with django_assert_num_queries(0):
        second = ask(question.get_absolute_url())
    assert not second.by_django and second.status == "200 OK" and second.body == first.body
    assert "Answered at the door?" in second.body.decode()
    # The same answer as the middleware gives a hit, header for header.
    through_django = Client().get(question.get_absolute_url(), headers={"host": "127.0.0.1:8000"})
    assert through_django[HEADER] == "hit"
    assert second.headers == dict(through_django.items())
    assert second.body == through_django.content


def test_kept_404s_redirects_and_compressed_answers_keep_their_status_and_headers(backend):
    make_question(slug="kept")
    assert kept("/resources/faq/no-such-question/").status == "404 Not Found"
    moved = kept("/resources/faq/Kept/")
    assert moved.status == "301 Moved Permanently" and moved.headers["Location"].endswith("/faq/kept/")
    gzipped = kept("/resources/faq/kept/", accept_encoding="gzip")
    assert gzipped.headers["Content-Encoding"] == "gzip" and gzipped.body[:2] == b"\x1f\x8b"


def test_a_path_sent_in_utf_8_reaches_django_unchanged(backend):
    # The front door reads the request from a copy of the environ: Django's own read
    # of PATH_INFO (bytes sent, as latin-1) must find it as gunicorn left it.
    moved = kept("/resources/faq/Café/")
    assert moved.headers["Location"].endswith("/resources/faq/caf%C3%A9/")


@pytest.mark.parametrize(
    "method, path_suffix, headers, status, outcome",
    [
        ("HEAD", "", {}, "200 OK", "hit"),  # HEAD's body removal is Django's
        ("GET", "", {"If-None-Match": "<etag>"}, "304 Not Modified", "hit"),  # and its 304s
        ("GET", "", {"Cookie": "certfaq_session=not-a-session"}, "200 OK", "bypass"),
        ("GET", "?utm_source=newsletter", {}, "200 OK", "bypass"),
        ("POST", "", {}, "403 Forbidden", "bypass"),  # no CSRF token
    ],
)
def test_everything_but_a_plain_get_of_a_kept_page_reaches_django(
    backend, method, path_suffix, headers, status, outcome
):
    question = make_question()
    path = question.get_absolute_url()
    page = kept(path)
    if headers.get("If-None-Match"):
        headers = {"If-None-Match": page.headers["ETag"]}
    answer = ask(
        path + path_suffix, method, **{name.replace("-", "_"): value for name, value in headers.items()}
    )
    assert answer.by_django and answer.status == status and answer.headers[HEADER] == outcome
    if method == "HEAD" or status.startswith("304"):
        assert answer.body == b""


def test_the_admin_reaches_django(backend):
    for _ in range(2):
        answer = ask(reverse("admin:login"))
        assert answer.by_django and answer.headers[HEADER] == "bypass"


def test_a_saved_question_is_shown_by_the_next_request(backend):
    category = make_category(name="Nursing", slug="nursing")
    question = make_question(title="Old title", categories=[category])
    pages = [
        question.get_absolute_url(),
        "/resources/",
        category.get_absolute_url(),
        "/resources/wp-json/wp/v2/faq",
    ]
    for path in pages:
        assert "Old title" in kept(path).body.decode()
    question.title = "New title"
    publishing.save_question(question)
    for path in pages:
        answer = ask(path)
        assert answer.by_django and answer.headers[HEADER] == "miss" and "New title" in answer.body.decode()


def test_a_scheduled_question_comes_due_at_the_door_too(backend, clock):
    make_question(
        title="Coming soon",
        status=Question.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
    )
    assert "Coming soon" not in kept("/resources/").body.decode()
    clock.advance(timedelta(minutes=59, seconds=59))
    assert not ask("/resources/").by_django  # not yet
    clock.advance(timedelta(seconds=1))
    due = ask("/resources/")
    assert due.by_django and due.headers[HEADER] == "miss" and "Coming soon" in due.body.decode()


def test_a_host_not_allowed_gets_djangos_400(backend):
    question = make_question()
    kept(question.get_absolute_url())
    answer = ask(question.get_absolute_url(), host="evil.example")
    assert answer.by_django and answer.status == "400 Bad Request"


def test_an_unreachable_cache_leaves_the_answer_to_django(settings):
    settings.CACHES = {
        "default": {"BACKEND": "certfaq.redis_cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    question = make_question()
    for _ in range(2):
        answer = ask(question.get_absolute_url())
        assert answer.by_django and answer.status == "200 OK" and answer.headers[HEADER] == "bypass"


def test_a_cache_that_hangs_is_waited_on_once_for_the_door_and_django(settings, hung_redis):
    from certfaq import config

    settings.CACHES = {"default": config.cache_from_url(f"redis://127.0.0.1:{hung_redis.port}/0")}
    question = make_question()
    tried = hung_redis.connections  # the write above tried to renew the stamp
    answer = ask(question.get_absolute_url())
    assert answer.by_django and answer.status == "200 OK" and answer.headers[HEADER] == "bypass"
    assert hung_redis.connections == tried + 1


def test_with_the_page_cache_off_every_request_reaches_django(backend, settings):
    settings.PAGE_CACHE = False
    question = make_question()
    for _ in range(2):
        assert ask(question.get_absolute_url()).by_django


def test_a_miss_at_the_door_is_not_looked_up_again_by_django(backend, monkeypatch):
    """A page the door missed is made and kept after one look-up, not two (issue 18:
    each costs a read of the stamp and of the cache)."""
    from http_cache import entries

    question = make_question()
    looked_up = []
    find_page = entries.find_page
    monkeypatch.setattr(entries, "find_page", lambda key, **kw: looked_up.append(key) or find_page(key, **kw))
    first = ask(question.get_absolute_url())
    assert first.by_django and first.headers[HEADER] == "miss" and len(looked_up) == 1
    assert not ask(question.get_absolute_url()).by_django  # kept, and found at the door


def test_a_page_made_after_the_doors_look_up_is_kept_under_the_stamp_the_door_read(backend):
    """A write between the door's look-up and the page's making retires the stamp the
    page is kept under: it is never served, and the next request makes it again."""
    question = make_question(title="Before")

    def edit(**kwargs):
        question.title = "After"
        publishing.save_question(question)

    request_started.connect(edit)
    try:
        made = ask(question.get_absolute_url())
    finally:
        request_started.disconnect(edit)
    assert made.headers[HEADER] == "miss" and "After" in made.body.decode()
    again = ask(question.get_absolute_url())
    assert again.by_django and again.headers[HEADER] == "miss" and "After" in again.body.decode()
