"""The stand-in servers, with the settings that point notify/ at them."""

from __future__ import annotations

import pytest

from tests.notify.standins import CLOUDFLARE_OK, Answer, running

KEY = "a1b2c3d4-test-key"
ZONE = "0123456789abcdef0123456789abcdef"
TOKEN = "purge-token_1"


@pytest.fixture
def indexnow_endpoint(settings):
    """IndexNow on, its endpoint a stand-in answering 202 (received, key being checked)."""
    with running(Answer(202)) as endpoint:
        settings.INDEXNOW_KEY = KEY
        settings.INDEXNOW_ENDPOINT = f"{endpoint.url}/indexnow"
        yield endpoint


@pytest.fixture
def cloudflare_api(settings):
    """Cloudflare on, its API a stand-in answering success."""
    with running(CLOUDFLARE_OK) as api:
        settings.CDN_CLOUDFLARE_ZONE = ZONE
        settings.CDN_CLOUDFLARE_TOKEN = TOKEN
        settings.CDN_CLOUDFLARE_API = f"{api.url}/client/v4"
        yield api


@pytest.fixture
def purge_proxy(settings):
    """A cache that takes PURGE (Varnish's way), answering 200."""
    with running(Answer(200)) as cache:
        settings.CDN_PURGE_URLS = [cache.url]
        yield cache
