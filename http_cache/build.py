"""What, besides the data, makes a page: the code and templates that render it, the
static files' hashed names it links and the settings it reads. Part of every key, so
a deploy never serves a page made by the code before it, and machines running the
same release share their pages."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings

SOURCES = ("certfaq", "templates")  # and every app of this project (project_folders())
SUFFIXES = {".py", ".html", ".txt", ".xml", ".json"}
# The settings a page shows or is built from, and those of the headers it is kept with.
SHOWN_SETTINGS = (
    "SITE_URL", "SITE_NAME", "SITE_TAGLINE", "ORGANIZATION_NAME", "ORGANIZATION_LOGO_URL",
    "EDITORIAL_POLICY_URL", "FOOTER_PAGES", "LANGUAGE", "TIME_ZONE", "DEBUG", "STATIC_URL",
    "CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY", "PERMISSIONS_POLICY",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_REFERRER_POLICY", "CACHE_MAX_AGE", "CACHE_S_MAXAGE", "CACHE_STALE_WHILE_REVALIDATE",
    "SOCIAL_IMAGE_ID", "MEDIA_URL",
)  # fmt: skip


@cache
def identity() -> str:
    """A digest of this release: read once a process (about 10 ms)."""
    digest = hashlib.md5(usedforsecurity=False)
    for name in SHOWN_SETTINGS:
        digest.update(f"{name}={getattr(settings, name, '')!r}\n".encode())
    base = Path(settings.BASE_DIR)
    for folder in project_folders(base):
        for path in sorted(folder.rglob("*")):
            if path.suffix in SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


def project_folders(base: Path) -> list[Path]:
    """The project's own folders: SOURCES and each installed app that lives in it."""
    apps_here = {Path(config.path) for config in apps.get_app_configs() if Path(config.path).parent == base}
    return sorted({base / folder for folder in SOURCES} | apps_here)
