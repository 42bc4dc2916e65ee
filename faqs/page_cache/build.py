"""What, besides the data, makes a page: the code and templates that render it, the
static files' hashed names it links and the settings it reads. Part of every key, so
a deploy never serves a page made by the code before it, and machines running the
same release share their pages."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings

SOURCES = ("certfaq", "faqs", "templates")
SUFFIXES = {".py", ".html", ".txt", ".xml", ".json"}
# The settings a page shows or is built from, and those of the headers it is kept with.
SHOWN_SETTINGS = (
    "SITE_URL", "SITE_NAME", "SITE_TAGLINE", "LANGUAGE", "TIME_ZONE", "DEBUG", "STATIC_URL",
    "CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY", "PERMISSIONS_POLICY",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_REFERRER_POLICY", "CACHE_MAX_AGE", "CACHE_S_MAXAGE", "CACHE_STALE_WHILE_REVALIDATE",
)  # fmt: skip


@cache
def identity() -> str:
    """A digest of this release: read once a process (about 10 ms)."""
    digest = hashlib.md5(usedforsecurity=False)
    for name in SHOWN_SETTINGS:
        digest.update(f"{name}={getattr(settings, name, '')!r}\n".encode())
    base = Path(settings.BASE_DIR)
    for folder in SOURCES:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]
