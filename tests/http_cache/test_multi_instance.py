"""Two gunicorn instances of the site on one PostgreSQL database and one Redis, as
behind a load balancer: what one instance writes or caches, the other serves at once.

Whatever database the rest of the suite runs on, this test makes its own PostgreSQL
database and keeps its Redis keys under a prefix of its own, and removes both at the
end. Every request carries the site's host name, as a load balancer passes it on:
a page's cache key includes the host, so both instances answer for the same site.
"""

from __future__ import annotations

import secrets
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
import redis

from tests.certfaq.test_serving import (
    QUESTION_SLUG,
    REQUEST_TIMEOUT,
    Server,
    fetch,
    free_port,
    manage,
    server_env,
    start_gunicorn,
    stop,
    wait_until_up,
)

pytestmark = pytest.mark.serving

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"
HOST = "certfaq.test"  # the site's name, sent to both instances
EDITOR, PASSWORD = "editor", "multi-instance-editor-password"
DUE_IN_SECONDS = 5  # a scheduled question's time, from its save
DUE_WAIT_SECONDS = 15  # the longest wait for that time to come

SIGN_UP = f"""
from django.contrib.auth.models import User
from faqs.models import Question
User.objects.create_superuser({EDITOR!r}, "editor@example.com", {PASSWORD!r})
print(Question.objects.get(slug={QUESTION_SLUG!r}).pk)
"""
SCHEDULE = f"""
from datetime import timedelta
from django.utils import timezone
from faqs import publishing
from faqs.models import Question
question = Question(
    title="A question scheduled on two instances",
    content="<p>Due on both at once.</p>",
    status=Question.Status.SCHEDULED,
    published_at=timezone.now() + timedelta(seconds={DUE_IN_SECONDS}),
)
publishing.save_question(question)
print(question.slug, question.published_at.timestamp())
"""


@dataclass
class Shared:
    """The database and Redis both instances use."""

    database_url: str
    key_prefix: str


def postgres_connection() -> psycopg.Connection:
    try:
        return psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.fail(f"The multi-instance test needs PostgreSQL at {POSTGRES_URL} (trust auth): {error}")


def redis_client() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"The multi-instance test needs Redis at {REDIS_URL}: {error}")
    return client


@pytest.fixture(scope="module")
def shared():
    """A PostgreSQL database and a Redis key prefix of this run's own, removed after."""
    name = f"certfaq_multi_{secrets.token_hex(6)}"
    client = redis_client()
    with postgres_connection() as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Shared(database_url=f"postgres://postgres@127.0.0.1:5432/{name}", key_prefix=name)
    finally:
        with postgres_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        keys = list(client.scan_iter(match=f"{name}:*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


def site_env(folder: Path, shared: Shared) -> dict[str, str]:
    return {
        **server_env(folder, 0),
        "DATABASE_URL": shared.database_url,
        "CACHE_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": shared.key_prefix,
        "PAGE_CACHE": "true",
        "SITE_URL": f"http://{HOST}/resources/",
        "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
    }


def start(env: dict, folder: Path) -> Server:
    """One instance, on a port of its own, its logs (and gunicorn's runtime files) in `folder`."""
    folder.mkdir()
    return start_gunicorn({**env, "XDG_RUNTIME_DIR": str(folder)}, free_port(), folder)


@dataclass
class Site:
    one: Server
    two: Server
    env: dict
    question_pk: str


@pytest.fixture(scope="module")
def instances(tmp_path_factory, shared, collected_static):
    folder = tmp_path_factory.mktemp("multi-instance")
    env = {**site_env(folder, shared), "STATIC_ROOT": str(collected_static)}
    servers = []
    try:
        manage(env, "migrate", "--noinput")
        assert "Loaded" in manage(env, "load_demo")
        question_pk = manage(env, "shell", "--no-imports", "-c", SIGN_UP).strip()
        for name in ("one", "two"):
            servers.append(start(env, folder / name))
        for server in servers:
            wait_until_up(server)
        yield Site(*servers, env=env, question_pk=question_pk)
    finally:
        for server in servers:
            stop(server.process)
    for server in servers:
        errors = server.error_log.read_text(errors="replace")
        assert "Traceback" not in errors, errors[-4000:]


def get(server: Server, path: str) -> tuple[int, str, str]:
    """(status, X-Page-Cache, body) of an anonymous GET sent for the site's host."""
    status, headers, body = fetch(server.url + path, {"Host": HOST})
    return status, headers["X-Page-Cache"], body.decode()


class FormFields(HTMLParser):
    """The name/value pairs a browser posts from the form with the given id: text and
    hidden inputs, checked boxes, selected options, textareas (the answer's editor
    writes its HTML back into its textarea) and the button clicked."""

    def __init__(self, form_id: str, button: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id, self.button = form_id, button
        self.pairs: list[tuple[str, str]] = []
        self._in_form = False
        self._select: str | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_form = attrs.get("id") == self.form_id
        if not self._in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            self.take_input(name, attrs)
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.pairs.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def take_input(self, name: str, attrs: dict) -> None:
        kind = attrs.get("type", "text").lower()
        if kind in ("checkbox", "radio") and "checked" not in attrs:
            return
        if kind in ("submit", "button", "image", "reset", "file") and name != self.button:
            return
        self.pairs.append((name, attrs.get("value", "on" if kind in ("checkbox", "radio") else "")))

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            name, text = self._textarea
            # The HTML parser drops the newline right after <textarea>; so does a browser.
            self.pairs.append((name, "".join(text).removeprefix("\n")))
            self._textarea = None


def form_fields(page: str, form_id: str, button: str = "") -> list[tuple[str, str]]:
    parser = FormFields(form_id, button)
    parser.feed(page)
    return parser.pairs


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is the answer itself


class Editor:
    """A browser signed in to one instance's admin: its cookies, and redirects not followed."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirects
        )

    def request(self, path: str, fields: list[tuple[str, str]] | None = None) -> tuple[int, dict, str]:
        data = urlencode(fields).encode() if fields is not None else None
        request = urllib.request.Request(self.server.url + path, data=data, headers={"Host": HOST})
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers, error.read().decode()

    def sign_in(self) -> None:
        status, _, page = self.request("/resources/admin/login/")
        assert status == 200, page[:500]
        fields = dict(form_fields(page, "login-form"))
        fields.update(username=EDITOR, password=PASSWORD)
        status, headers, page = self.request("/resources/admin/login/", list(fields.items()))
        assert status == 302, f"sign-in refused ({status}):\n{page[:2000]}"
        assert headers["Location"] == "/resources/admin/", headers["Location"]

    def change(self, path: str, **changes: str) -> None:
        """Open a change form and save it with these fields changed, as an editor would."""
        status, _, page = self.request(path)
        assert status == 200, page[:500]
        fields = form_fields(page, "question_form", button="_save")
        names = {name for name, _ in fields}
        assert set(changes) <= names, f"the change form has no {set(changes) - names}: {sorted(names)}"
        posted = [(name, changes.get(name, value)) for name, value in fields]
        status, headers, page = self.request(path, posted)
        assert status == 302, f"the save was refused ({status}):\n{page[-3000:]}"


def test_two_instances_on_one_database_and_one_redis_serve_one_site(instances):
    """One journey, so that pytest-xdist starts the two instances once, not once per
    worker that a test of this module lands on."""
    a_page_cached_by_one_is_served_from_the_cache_by_the_other(instances)
    a_question_saved_through_one_is_shown_fresh_by_the_other(instances)
    a_scheduled_question_comes_due_on_both_at_once(instances)


def a_page_cached_by_one_is_served_from_the_cache_by_the_other(instances: Site) -> None:
    path = f"/resources/faq/{QUESTION_SLUG}/"
    status, outcome, first = get(instances.one, path)
    assert status == 200 and outcome in ("miss", "hit")
    status, outcome, second = get(instances.two, path)
    assert (status, outcome) == (200, "hit")
    assert second == first


def a_question_saved_through_one_is_shown_fresh_by_the_other(instances: Site) -> None:
    path = f"/resources/faq/{QUESTION_SLUG}/"
    for server in (instances.one, instances.two, instances.two):
        get(server, path)
    assert get(instances.two, path)[1] == "hit"

    editor = Editor(instances.one)
    editor.sign_in()
    editor.change(
        f"/resources/admin/faqs/question/{instances.question_pk}/change/",
        title="What Happens If You Fail the CMA Exam Twice?",
        content="<p>You wait, study the sections you missed and sit the exam again.</p>",
    )

    status, outcome, page = get(instances.two, path)
    assert (status, outcome) == (200, "miss"), "instance two answered its next request from before the save"
    assert "<h1>What Happens If You Fail the CMA Exam Twice?</h1>" in page
    assert "study the sections you missed" in page
    status, outcome, again = get(instances.two, path)
    assert (status, outcome) == (200, "hit") and again == page


def a_scheduled_question_comes_due_on_both_at_once(instances: Site) -> None:
    slug, due = manage(instances.env, "shell", "--no-imports", "-c", SCHEDULE).split()
    due = float(due)
    title = "A question scheduled on two instances"
    question_path = f"/resources/faq/{slug}/"

    for server in (instances.one, instances.two):
        for path in ("/resources/", "/resources/faq/"):
            get(server, path)
            status, outcome, page = get(server, path)
            assert (status, outcome) == (200, "hit"), (server.url, path)
            assert title not in page, (server.url, path)
        assert get(server, question_path)[0] == 404
    assert time.time() < due, "the machine was too slow: the question came due while the pages were cached"

    # Poll the clock, not the site: the first requests after the time are the ones under test.
    deadline = time.monotonic() + DUE_WAIT_SECONDS
    while time.time() <= due:
        assert time.monotonic() < deadline, "the scheduled time never came"
        time.sleep(0.05)

    # The first request on each instance after the time, both at once: whichever
    # renews the stamp first, neither serves a page made before the time.
    both = (instances.one, instances.two)
    with ThreadPoolExecutor(max_workers=2) as pool:
        homes = list(pool.map(lambda server: get(server, "/resources/"), both))
    for server, (status, _, page) in zip(both, homes, strict=True):
        assert status == 200, server.url
        assert title in page, (
            f"{server.url}/resources/ still without the question at the first request after its time"
        )
    for server in reversed(both):
        status, _, page = get(server, question_path)
        assert status == 200, f"{server.url}{question_path} answered {status} after its time"
        assert f"<h1>{title}</h1>" in page, server.url
        status, _, page = get(server, "/resources/faq/")
        assert status == 200 and title in page, (
            f"{server.url}/resources/faq/ lacks the question after its time"
        )
