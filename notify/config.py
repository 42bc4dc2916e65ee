"""The environment variables of search-engine and CDN notification (notify/), read
by certfaq/settings.py: each checked here, with a message that names the variable.
Plain functions over the environment, as certfaq/config.py's are (imports no Django)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from certfaq.config import ConfigError, env_list

# IndexNow's rule for a key: 8 to 128 letters, digits and dashes (indexnow.org).
_INDEXNOW_KEY = re.compile(r"^[A-Za-z0-9-]{8,128}$")
# A Cloudflare zone's ID (its Overview page): 32 hexadecimal characters.
_CLOUDFLARE_ZONE = re.compile(r"^[0-9a-fA-F]{32}$")
# What an API token may hold and still travel in a header.
_TOKEN = re.compile(r"^[A-Za-z0-9._~+/=-]{1,512}$")


def indexnow_key(environ: dict, name: str = "INDEXNOW_KEY") -> str:
    """The site's IndexNow key, or "" (IndexNow off)."""
    raw = (environ.get(name) or "").strip()
    if raw and not _INDEXNOW_KEY.match(raw):
        raise ConfigError(f"{name} must be 8 to 128 letters, digits or dashes (IndexNow's rule), not {raw!r}")
    return raw


def web_address(environ: dict, name: str, default: str) -> str:
    """An absolute http(s) URL (an API's endpoint), without a trailing slash."""
    raw = (environ.get(name) or "").strip() or default
    if not _is_web_address(raw):
        raise ConfigError(f"{name} must be an absolute http(s) URL, not {raw!r}")
    return raw.rstrip("/")


def cloudflare_zone(environ: dict) -> tuple[str, str]:
    """CDN_CLOUDFLARE_ZONE and CDN_CLOUDFLARE_TOKEN: both, or neither (Cloudflare off).
    The token is a secret: no message repeats it."""
    zone = (environ.get("CDN_CLOUDFLARE_ZONE") or "").strip()
    token = (environ.get("CDN_CLOUDFLARE_TOKEN") or "").strip()
    if bool(zone) != bool(token):
        raise ConfigError(
            "CDN_CLOUDFLARE_ZONE and CDN_CLOUDFLARE_TOKEN go together: set both (the zone's ID and an "
            "API token allowed to purge its cache), or neither"
        )
    if zone and not _CLOUDFLARE_ZONE.match(zone):
        raise ConfigError(
            f"CDN_CLOUDFLARE_ZONE must be the zone's ID (32 hexadecimal characters, shown on the "
            f"zone's Overview page), not {zone!r}"
        )
    if token and not _TOKEN.match(token):
        raise ConfigError("CDN_CLOUDFLARE_TOKEN must be an API token (letters, digits and - _ . ~ + / =)")
    return zone, token


def purge_addresses(environ: dict, name: str = "CDN_PURGE_URLS") -> list[str]:
    """CDN_PURGE_URLS="http://127.0.0.1:6081, http://10.0.0.2:6081": the caches (Varnish,
    a caching proxy, Fastly) that take `PURGE <path>`, as scheme://host[:port]."""
    addresses = []
    for item in env_list(environ, name, []):
        parts = urlsplit(item)
        if not _is_web_address(item) or parts.path not in ("", "/") or parts.query:
            raise ConfigError(
                f"{name} must list cache addresses separated by commas, like http://127.0.0.1:6081 "
                f"(scheme, host and port, no path); not {item!r}"
            )
        addresses.append(f"{parts.scheme}://{parts.netloc}")
    return addresses


def _is_web_address(raw: str) -> bool:
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError for a port that is no number
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in raw)
