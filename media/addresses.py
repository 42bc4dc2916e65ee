"""Which image addresses an answer may hold: the one rule, asked by the sanitiser
(faqs.content) for every <img src> and srcset, and by media.inline to find the library
image an address names.

- The library's own files: the storage's base URL (MEDIA_URL on the local disk, the
  bucket's or CDN's address on S3-compatible storage), written relative (as the editor
  inserts it) or absolute on the site's own host (SITE_URL's).
- Any file on a host listed in IMAGE_HOSTS (the environment's comma-separated list: the
  old WordPress site's host while its uploads are not yet imported, a CDN). The
  Content-Security-Policy's img-src lists the same hosts (certfaq.settings).

Anything else (a tracking pixel, a hot-linked picture) is dropped: a reader's browser
fetches only what the site chose to serve.
"""

from __future__ import annotations

import functools
from posixpath import normpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage

# Library files live under these folders of the storage (media.models upload_to).
LIBRARY_FOLDER = "images/"


def library_name(url: str) -> str | None:
    """The storage name of the library file at `url` ("images/chart-1a2b.jpg"), or None
    for an address outside the library."""
    parts = urlsplit((url or "").strip())
    base = _library_base(_storage_key(), settings.MEDIA_URL, settings.SITE_URL)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or parts.netloc.lower() not in base.hosts:
            return None
    elif not parts.path.startswith("/"):
        return None  # a relative path ("x.png") means a different file on every page
    if not parts.path.startswith(base.path):
        return None
    name = unquote(parts.path[len(base.path) :])
    if not name.startswith(LIBRARY_FOLDER) or normpath(name) != name or "\\" in name:
        return None  # "images/../../etc": not a name the library gave
    return name


def is_allowed(url: str) -> bool:
    """Whether an answer's image may be fetched from `url`: a library file, or a file on
    a host of IMAGE_HOSTS."""
    if library_name(url) is not None:
        return True
    parts = urlsplit((url or "").strip())
    return parts.scheme in ("http", "https") and (parts.hostname or "") in allowed_hosts()


def allowed_hosts() -> frozenset[str]:
    return frozenset(host.lower() for host in getattr(settings, "IMAGE_HOSTS", ()))


class _Base:
    def __init__(self, hosts: frozenset[str], path: str) -> None:
        self.hosts, self.path = hosts, path


def _storage_key() -> str:
    return repr(settings.STORAGES.get("default"))


@functools.lru_cache(maxsize=8)
def _library_base(storage: str, media_url: str, site_url: str) -> _Base:
    """The hosts and path prefix of the storage's files, for one configuration (the
    arguments are its key: tests and S3 settings change it)."""
    probe = default_storage.url("x")
    parts = urlsplit(probe)
    path = parts.path[: -len("x")]
    if parts.netloc:  # S3, a CDN: its own host
        return _Base(frozenset({parts.netloc.lower()}), path)
    return _Base(frozenset({urlsplit(site_url).netloc.lower()}), path)
