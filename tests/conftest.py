import json
import shutil
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.test import Client, override_settings
from django.utils import timezone

from certfaq import config
from http_cache import near, stamp
from tests.certfaq.test_serving import manage, server_env

# The browser fixtures (chromium, the live site) for every test module, not only the
# one that defines them.
from tests.faqs.test_e2e import CHROMIUM_RUN, allow_orm_beside_playwright, browser, site  # noqa: F401, E402
from wordpress.demo import REFERENCE_FILE, load_demo

PRODUCTION_SITE_URL = "https://certilyst.com/resources/"

# The one marker per kind of test that needs a process of its own making (chromium, a
# gunicorn): each kind runs on one xdist worker (`--dist loadgroup`), so its setup is
# made once a session, not once per worker.
XDIST_GROUPS = ("browser", "serving")
# Fixtures (pytest-django's, and those built on them) that open the test database.
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_addoption(parser):
    parser.addoption(
        "--database-only",
        action="store_true",
        help="run only the tests that use the test database, and no browser or serving "
        "test (make test-postgres: the SQLite run covers everything else once)",
    )


# Browser tests mostly wait on chromium: two groups (two workers, a chromium each) halve
# the longest queue of the run without starting a browser per test.
BROWSER_GROUPS = 2


def module_of(item: pytest.Item) -> str:
    return item.nodeid.split("::")[0]


def uses_the_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def own_server_kind(item: pytest.Item) -> str | None:
    """The kind of server a test drives, "browser" (chromium, by marker or fixture) or
    "serving" (a gunicorn of its own), else None."""
    for kind in XDIST_GROUPS:
        if item.get_closest_marker(kind) or kind in getattr(item, "fixturenames", ()):
            return kind
    return None


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """Browser tests share BROWSER_GROUPS workers (whole modules each), serving tests one.
    With --database-only, only the
    tests that use the test database are kept, and none of those: they run their own
    servers on their own databases (or the SQLite live server), once is enough."""
    browser_modules = sorted({module_of(item) for item in items if own_server_kind(item) == "browser"})
    for item in items:
        kind = own_server_kind(item)
        if kind == "browser":  # modules dealt alternately to the browser groups
            kind = f"browser-{browser_modules.index(module_of(item)) % BROWSER_GROUPS}"
        if kind:
            item.add_marker(pytest.mark.xdist_group(kind))
    demo_site_last(items)
    items.sort(key=lambda item: item.get_closest_marker("long") is None)  # stable: long ones first
    if not config.getoption("--database-only"):
        return
    kept = [item for item in items if uses_the_database(item) and not own_server_kind(item)]
    kept_ids = {id(item) for item in kept}
    config.hook.pytest_deselected(items=[item for item in items if id(item) not in kept_ids])
    items[:] = kept


def demo_site_last(items: list[pytest.Item]) -> None:
    """Within each module, the tests that use the demo_site fixture run after those that
    do not: the demo, loaded at the first test that asks and kept to the module's end,
    is then seen only by the tests that asked for it."""
    first_place: dict = {}
    for place, item in enumerate(items):
        first_place.setdefault(item.nodeid.split("::")[0], place)
    items.sort(
        key=lambda item: (
            first_place[item.nodeid.split("::")[0]],
            "demo_site" in getattr(item, "fixturenames", ()),
        )
    )


@pytest.hookimpl(trylast=True)  # after the test's own fixtures are torn down
def pytest_runtest_teardown(item, nextitem):
    """Chromium stops after the last browser test of a run, before anything else runs
    beside Playwright's event loop."""
    if CHROMIUM_RUN.running and (nextitem is None or "browser" not in nextitem.fixturenames):
        CHROMIUM_RUN.stop()


def pytest_sessionfinish(session):
    """An interrupted run leaves no chromium behind either."""
    CHROMIUM_RUN.stop()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> Iterator[None]:
    """On SQLite, the test database is a file (in memory-backed /dev/shm where there is
    one), one per test process, as the site's is: each thread opens its own connection.

    Django's default, a shared in-memory database, hands the live server's request
    threads the test's own connection object. Two threads in it at once share one
    transaction state: a snippet preview beside an editing-presence write failed with
    "database table is locked", and its atomic block stayed open for the worker's
    later tests, whose on_commit callbacks then never ran (a CI run, 2026-12-07)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        yield
        return
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(prefix="certfaq-test-db-", dir=shm if shm.is_dir() else None))
    database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")
    yield
    shutil.rmtree(folder, ignore_errors=True)  # the database's -wal and -shm files too


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """The site's static files as `make run` collects them (hashed names, manifest,
    gzip and brotli copies: about 20 s), once a session for every gunicorn test."""
    folder = tmp_path_factory.mktemp("collected-static")
    env = server_env(folder, 0)
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    static_root = Path(env["STATIC_ROOT"])
    assert (static_root / "staticfiles.json").is_file()
    return static_root


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Unit tests render templates without running collectstatic first; the hashed,
    compressed storage is exercised by the gunicorn serving test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def searches_counted_at_once(settings):
    """Searches are counted in the table as they are made, on SQLite as on PostgreSQL
    (the test database being a file would otherwise give SQLite runs a buffer beside it,
    kept from test to test); the buffer's own tests name theirs."""
    settings.SEARCH_LOG_BUFFER = ""


@pytest.fixture(scope="session", autouse=True)
def worker_media_root(tmp_path_factory):
    """The media library's files (a demo's featured image, an upload) in a folder of
    each test process's own, never the checkout's uploads/."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.getbasetemp() / "media"):
        yield


def worker_stamp_file(tmp_path_factory) -> Path:
    return tmp_path_factory.getbasetemp() / "page-cache.stamp"


@pytest.fixture(scope="session", autouse=True)
def worker_cache(tmp_path_factory):
    """The site's default cache (the disk cache), in a folder of each test process's
    own: xdist workers clearing it never clear each other's, nor a developer's."""
    folder = tmp_path_factory.getbasetemp() / "cache"
    with override_settings(CACHES={"default": config.cache_from_url("disk://", default_folder=folder)}):
        yield folder


@pytest.fixture(autouse=True)
def empty_page_cache(settings, tmp_path_factory):
    """Each test starts with no cached page, and each test process (xdist worker)
    keeps its own page-cache stamp, so one's writes never make another's pages miss."""
    settings.PAGE_CACHE_STAMP_FILE = worker_stamp_file(tmp_path_factory)
    stamp.unreachable.clear()  # a test's unreachable cache is not the next test's
    near.pages.clear()  # nor are the pages this process kept beside Redis
    cache.clear()
    yield
    stamp.unreachable.clear()


PAGE_CACHE_REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(params=["disk", "locmem", "redis"])
def backend(request, settings):
    """The configured cache: the default (the disk cache, the test process's own),
    local memory, or Redis under a prefix of this test's own (removed afterwards), so
    parallel test processes never see each other's pages."""
    if request.param == "disk":
        yield "disk"
        return
    if request.param == "locmem":
        settings.CACHES = {"default": config.cache_from_url("locmem://", default_folder=Path("unused"))}
        cache.clear()  # the process's one store, kept from an earlier test
        yield "locmem"
        return
    prefix = f"certfaq-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "certfaq.redis_cache.RedisCache",
            "LOCATION": PAGE_CACHE_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.CACHE_KIND = "redis"  # as CACHE_URL=redis://… says it: pages are also kept near
    yield "redis"
    client = redis.Redis.from_url(PAGE_CACHE_REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


class SilentServer:
    """A port on 127.0.0.1 that accepts connections and never answers: a Redis that
    hangs. `connections` counts the clients that tried it."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self.accept, daemon=True).start()

    @property
    def connections(self) -> int:
        time.sleep(0.05)  # the accepting thread's turn
        return len(self.accepted)

    def accept(self) -> None:
        while True:
            try:
                self.accepted.append(self.listener.accept()[0])
            except OSError:  # closed
                return

    def close(self) -> None:
        self.listener.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def hung_redis():
    server = SilentServer()
    yield server
    server.close()


class Clock:
    """Django's clock (`timezone.now()`), held still and moved by the test."""

    def __init__(self, monkeypatch):
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """A real hasher costs about 0.8 s a sign-in; tests check sign-in, not its cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class SignInClient(Client):
    """Django's test client whose login() hands authenticate() a request, as a sign-in
    through the site always has: django-axes' backend refuses to judge one without."""

    def login(self, **credentials) -> bool:
        credentials.setdefault("request", HttpRequest())
        return super().login(**credentials)


@pytest.fixture
def client() -> Client:
    """pytest-django's client, with a login() that works beside django-axes
    (force_login() needs no help: it skips authentication)."""
    return SignInClient()


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo site, loaded once for a module's tests that only read it, in a
    transaction rolled back after the module. Each test's own transaction nests in it
    (a savepoint), so what a test writes is still gone after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(PAGE_CACHE_STAMP_FILE=worker_stamp_file(tmp_path_factory)),
        transaction.atomic(),
    ):
        assert load_demo() > 0
        yield
        transaction.set_rollback(True)


@pytest.fixture
def reference() -> dict:
    """The old site's REST output for question 549: the project's own copy."""
    return json.loads(Path(REFERENCE_FILE).read_text(encoding="utf-8"))


@pytest.fixture
def production_site(settings):
    """SITE_URL as in production; the path (/resources/) is the same as locally."""
    settings.SITE_URL = PRODUCTION_SITE_URL
    return settings
