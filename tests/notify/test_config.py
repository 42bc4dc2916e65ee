"""The notification settings read from the environment: each checked, with a message
naming the variable (and never repeating the Cloudflare token)."""

from __future__ import annotations

import pytest

from certfaq.config import ConfigError
from notify import config

ZONE = "0123456789abcdef0123456789abcdef"


def test_an_indexnow_key_of_letters_digits_and_dashes_is_taken():
    assert config.indexnow_key({"INDEXNOW_KEY": " a1b2c3d4-e5f6 "}) == "a1b2c3d4-e5f6"
    assert config.indexnow_key({}) == ""


@pytest.mark.parametrize("key", ["short", "has space in it", "x" * 129, "key/with/slashes", "ключ-ключ"])
def test_an_indexnow_key_protocol_refuses_is_refused_by_name(key):
    with pytest.raises(ConfigError, match="INDEXNOW_KEY must be 8 to 128 letters"):
        config.indexnow_key({"INDEXNOW_KEY": key})


def test_endpoints_are_http_addresses():
    assert config.web_address({}, "INDEXNOW_ENDPOINT", "https://api.indexnow.org/indexnow/") == (
        "https://api.indexnow.org/indexnow"
    )
    for bad in ("ftp://example.com", "api.indexnow.org", "http://", "http://host:port/"):
        with pytest.raises(ConfigError, match="INDEXNOW_ENDPOINT must be an absolute http"):
            config.web_address({"INDEXNOW_ENDPOINT": bad}, "INDEXNOW_ENDPOINT", "https://x.test/")


def test_cloudflare_needs_its_zone_and_its_token_together():
    assert config.cloudflare_zone({}) == ("", "")
    both = {"CDN_CLOUDFLARE_ZONE": ZONE, "CDN_CLOUDFLARE_TOKEN": "t0k-en"}
    assert config.cloudflare_zone(both) == (ZONE, "t0k-en")
    with pytest.raises(ConfigError, match="go together"):
        config.cloudflare_zone({"CDN_CLOUDFLARE_ZONE": ZONE})
    with pytest.raises(ConfigError, match="the zone's ID"):
        config.cloudflare_zone({"CDN_CLOUDFLARE_ZONE": "example.com", "CDN_CLOUDFLARE_TOKEN": "t0k-en"})


def test_a_token_that_cannot_travel_in_a_header_is_refused_without_repeating_it():
    secret = "secret\nX-Injected: yes"
    with pytest.raises(ConfigError) as refused:
        config.cloudflare_zone({"CDN_CLOUDFLARE_ZONE": ZONE, "CDN_CLOUDFLARE_TOKEN": secret})
    assert "secret" not in str(refused.value)


def test_purge_addresses_are_caches_scheme_host_and_port():
    environ = {"CDN_PURGE_URLS": "http://127.0.0.1:6081, https://cache.example.com/"}
    assert config.purge_addresses(environ) == ["http://127.0.0.1:6081", "https://cache.example.com"]
    for bad in ("127.0.0.1:6081", "http://cache/resources/", "gopher://cache"):
        with pytest.raises(ConfigError, match="CDN_PURGE_URLS must list cache addresses"):
            config.purge_addresses({"CDN_PURGE_URLS": bad})
