import json
import socket
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from http_cache import stamp

# The browser fixtures (chromium, the live site) for every test module, not only the
# one that defines them.
from tests.test_e2e import allow_orm_beside_playwright, browser, site  # noqa: F401, E402
from wordpress.demo import REFERENCE_FILE

PRODUCTION_SITE_URL = "https://certilyst.com/resources/"


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Unit tests render templates without running collectstatic first; the hashed,
    compressed storage is exercised by the gunicorn serving test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def empty_page_cache(settings, tmp_path_factory):
    """Each test starts with no cached page, and each test process (xdist worker)
    keeps its own page-cache stamp, so one's writes never make another's pages miss."""
    settings.PAGE_CACHE_STAMP_FILE = tmp_path_factory.getbasetemp() / "page-cache.stamp"
    stamp.unreachable.clear()  # a test's unreachable cache is not the next test's
    cache.clear()
    yield
    stamp.unreachable.clear()


PAGE_CACHE_REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(params=["locmem", "redis"])
def backend(request, settings):
    """The configured cache: local memory, or Redis under a prefix of this test's own
    (removed afterwards), so parallel test processes never see each other's pages."""
    if request.param == "locmem":
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


@pytest.fixture
def reference() -> dict:
    """The old site's REST output for question 549: the project's own copy."""
    return json.loads(Path(REFERENCE_FILE).read_text(encoding="utf-8"))


@pytest.fixture
def production_site(settings):
    """SITE_URL as in production; the path (/resources/) is the same as locally."""
    settings.SITE_URL = PRODUCTION_SITE_URL
    return settings
