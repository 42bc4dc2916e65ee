"""Turn environment variables into Django settings values.

Kept apart from settings.py so the parsing rules are small, named and tested.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
import zoneinfo
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """An environment variable holds a value the site cannot run with."""


def env_bool(environ: dict, name: str, default: bool) -> bool:
    raw = environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def env_int(environ: dict, name: str, default: int, minimum: int = 0) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    if not raw.strip().isascii() or not raw.strip().isdigit() or int(raw) < minimum:
        at_least = f" of at least {minimum}" if minimum else ""
        raise ConfigError(f"{name} must be a whole number{at_least}, not {raw!r}")
    return int(raw)


def env_choice(environ: dict, name: str, choices: tuple[str, ...], default: str) -> str:
    raw = (environ.get(name) or default).strip().upper()
    if raw not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {environ.get(name)!r}")
    return raw


def time_zone(environ: dict, default: str = "UTC") -> str:
    name = (environ.get("TIME_ZONE") or default).strip()
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"TIME_ZONE must be a zone name such as Europe/Paris, not {name!r}") from None
    return name


def env_list(environ: dict, name: str, default: list[str]) -> list[str]:
    raw = environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def site_language(environ: dict, default: str = "en-US") -> str:
    """SITE_LANGUAGE, else LANGUAGE when it is a BCP 47 tag such as en-US.

    LANGUAGE is also gettext's variable ("en_US:en" on many desktops): a value of that
    shape is the system's, not a setting for this site, so it falls back to the default."""
    explicit = environ.get("SITE_LANGUAGE")
    if explicit is not None:
        if not _LANGUAGE_TAG.match(explicit):
            raise ConfigError(f"SITE_LANGUAGE must be a language tag such as en-US, not {explicit!r}")
        return explicit
    candidate = environ.get("LANGUAGE", "")
    return candidate if _LANGUAGE_TAG.match(candidate) else default


def client_address_settings(environ: dict) -> dict[str, object]:
    """How the site reads a client's address (sign-in throttling, the search log's
    per-reader bounds: both through django-axes, which asks django-ipware), from
    TRUSTED_PROXY_COUNT, the number of our reverse proxies in front of gunicorn.

    0 (no proxy): REMOTE_ADDR alone; an X-Forwarded-For a client sends is ignored.
    N: each of our proxies appends the address it saw to X-Forwarded-For, so the
    client is the N-th entry from the right, whatever a client wrote to its left.
    ipware counts the entries after the client (N - 1), and not strictly: a chain
    that a client lengthened (or salted with junk) still gives the entry our proxies
    wrote, where strict reading would refuse it and pool such clients under one
    address. A request that passed fewer than N proxies has none (with 1, a request
    sent straight to gunicorn, such as a health check, has its REMOTE_ADDR)."""
    proxies = env_int(environ, "TRUSTED_PROXY_COUNT", 0)
    headers = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if proxies else ("REMOTE_ADDR",)
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": headers,
        "AXES_IPWARE_PROXY_COUNT": proxies - 1 if proxies else None,
        "AXES_IPWARE_PROXY_ORDER": "left-most",  # the client first, as proxies append
        "AXES_IPWARE_PROXY_TRUSTED_IPS": None,  # counted, not listed
        "IPWARE_STRICT": False,  # ipware's own setting: axes passes no `strict`
    }


# What CSP_EXTRA_SOURCES may widen: where images, fonts, media, frames, scripts,
# styles and fetches may come from, and where forms may post.
CSP_EXTENDABLE_DIRECTIVES = (
    "default-src",
    "script-src",
    "style-src",
    "img-src",
    "font-src",
    "connect-src",
    "media-src",
    "frame-src",
    "worker-src",
    "manifest-src",
    "form-action",
)
_CSP_HOST_SOURCE = re.compile(
    r"^(https?|wss?)://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:(\d{1,5}|\*))?(/[^\s;,'\"*]*)?$"
)
# A scheme allows a whole class of origins: fine for images or fonts, never for scripts.
_CSP_SCHEME_SOURCES = ("https:", "wss:", "data:", "blob:")


def csp_extra_sources(environ: dict, name: str = "CSP_EXTRA_SOURCES") -> dict[str, list[str]]:
    """Sources added to the Content Security Policy, written as in the header:
    "img-src https://cdn.example.com; connect-src https://stats.example.com".

    Hosts (https://cdn.example.com, https://*.example.com) and, outside script-src, the
    schemes https:, wss:, data: and blob:. Keywords ('unsafe-inline', 'unsafe-eval')
    and a bare * are refused: they would undo the policy, not extend it."""
    extra: dict[str, list[str]] = {}
    for part in (environ.get(name) or "").split(";"):
        words = part.split()
        if not words:
            continue
        directive, sources = words[0].lower(), words[1:]
        if directive not in CSP_EXTENDABLE_DIRECTIVES:
            known = ", ".join(CSP_EXTENDABLE_DIRECTIVES)
            raise ConfigError(f"{name}: {words[0]!r} is not a directive it can extend ({known})")
        if not sources:
            raise ConfigError(f"{name}: {directive} names no source")
        expected = "a host such as https://cdn.example.com"
        if directive != "script-src":
            expected += " or one of " + ", ".join(_CSP_SCHEME_SOURCES)
        for source in sources:
            if not _is_csp_source(directive, source):
                raise ConfigError(f"{name}: {source!r} in {directive} is not {expected}")
        extra.setdefault(directive, []).extend(sources)
    return extra


def _is_csp_source(directive: str, source: str) -> bool:
    if source.lower() in _CSP_SCHEME_SOURCES:
        return directive != "script-src"
    return bool(_CSP_HOST_SOURCE.match(source))


def csp_report_uri(environ: dict, name: str = "CSP_REPORT_URI") -> str | None:
    """Where browsers post violation reports: an absolute http(s) URL or a path on this site."""
    raw = (environ.get(name) or "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    is_path = raw.startswith("/") and not raw.startswith("//")
    is_url = parts.scheme in ("http", "https") and bool(parts.netloc)
    if not (is_path or is_url) or any(character in raw for character in " ;,'\""):
        raise ConfigError(f"{name} must be an absolute http(s) URL or a path starting with /, not {raw!r}")
    return raw


def site_url(raw: str) -> str:
    """SITE_URL normalised to an absolute http(s) URL ending in a slash."""
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"SITE_URL must be an absolute http(s) URL, not {raw!r}")
    if parts.query or parts.fragment:
        raise ConfigError(f"SITE_URL must not have a query or fragment: {raw!r}")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
}


def email_from_url(url: str) -> dict:
    """Django's EMAIL_* settings from EMAIL_URL: console:// (the default: mail written
    to the server's output), file:///folder (one file a message), smtp://user:pass@host:25
    (a relay, plain), smtp+tls://…:587 (STARTTLS) or smtps://…:465 (TLS from the start).
    User and password are percent-decoded."""
    parts = urlsplit(url)
    if parts.scheme not in EMAIL_BACKENDS:
        raise ConfigError(
            f"EMAIL_URL scheme must be one of {', '.join(EMAIL_BACKENDS)}, not {parts.scheme!r}"
        )
    settings = {"EMAIL_BACKEND": EMAIL_BACKENDS[parts.scheme]}
    if parts.scheme == "file":
        if parts.netloc or not parts.path.startswith("/"):
            raise ConfigError(
                f"EMAIL_URL file:// needs an absolute folder, as file:///var/mail/certfaq: {url!r}"
            )
        settings["EMAIL_FILE_PATH"] = parts.path
    elif parts.scheme.startswith("smtp"):
        if not parts.hostname:
            raise ConfigError(f"EMAIL_URL needs the mail server's host: {url!r}")
        try:
            port = parts.port
        except ValueError as error:
            raise ConfigError(f"EMAIL_URL has a bad port: {url!r}") from error
        settings |= {
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": port or {"smtp": 25, "smtp+tls": 587, "smtps": 465}[parts.scheme],
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_TIMEOUT": 10,  # a stuck relay must not hold a worker for long
        }
    return settings


def database_from_url(url: str, base_dir: Path) -> dict:
    """A Django DATABASES entry from sqlite:///path or postgres://user:pass@host:port/name."""
    parts = urlsplit(url)
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme == "sqlite":
        return sqlite_database(_sqlite_path(parts.path, base_dir), options)
    if parts.scheme in ("postgres", "postgresql", "pgsql"):
        return postgres_database(parts, options)
    raise ConfigError(f"DATABASE_URL scheme must be sqlite or postgres, not {parts.scheme!r}")


def _sqlite_path(path: str, base_dir: Path) -> Path:
    # sqlite:///db.sqlite3 is relative to the project, sqlite:////abs/db.sqlite3 absolute.
    name = unquote(path[1:] if path.startswith("/") else path)
    if not name:
        raise ConfigError(
            "DATABASE_URL for sqlite needs a file name after three slashes: "
            "sqlite:///db.sqlite3 (in the project) or sqlite:////var/lib/certfaq/db.sqlite3"
        )
    candidate = Path(name)
    return candidate if candidate.is_absolute() else base_dir / candidate


def sqlite_database(path: Path, options: dict | None = None) -> dict:
    """SQLite tuned for gunicorn: WAL lets readers run beside one writer, and
    IMMEDIATE transactions take the write lock up front, so a worker waits
    (up to the timeout) instead of failing with "database is locked". A worker keeps
    its connection for a minute: opening the file and running the four PRAGMAs cost
    0.75 ms of every request that reads the database (issue 18); a file replaced under
    the site (a restored backup) is opened anew within the minute."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "CONN_MAX_AGE": 60,
        "OPTIONS": {
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": float((options or {}).get("timeout", 20)),
        },
    }


def postgres_database(parts, options: dict) -> dict:
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ConfigError("DATABASE_URL for postgres needs a database name")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": int(options.pop("conn_max_age", 60)),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
    }


# Seconds to wait for Redis to connect or answer: a round trip takes a tenth of a
# millisecond on a LAN; a Redis that takes a second is down, for a page's purposes.
REDIS_TIMEOUT = 1.0


# The cache's bound in bytes when CACHE_MAX_BYTES is not set. Local memory's is each
# worker's own (a copy in each); the disk cache's is the machine's, on disk: a pass over
# every question page of a 100,000-question site by a client that takes no coding
# (wrk) left 4.3 GB kept as sent (bench/serve.py, makerun mode); browsers' Brotli
# copies are a fifth of that.
DEFAULT_MAX_BYTES = {"locmem": 32 * 2**20, "disk": 8 * 2**30}


def cache_kind(url: str) -> str:
    """CACHE_URL's kind: disk, locmem, redis or dummy."""
    scheme = urlsplit(url).scheme
    kinds = {"disk": "disk", "locmem": "locmem", "redis": "redis", "rediss": "redis", "dummy": "dummy"}
    if scheme not in kinds:
        raise ConfigError(f"CACHE_URL scheme must be disk, locmem, redis or dummy, not {scheme!r}")
    return kinds[scheme]


def cache_from_url(
    url: str,
    *,
    default_folder: Path | None = None,
    max_entries: int = 20_000,
    key_prefix: str = "certfaq",
    max_bytes: int | None = None,
) -> dict:
    """A Django CACHES entry from disk:// (the default: a folder on this machine that
    every process shares, `default_folder` or disk:///absolute/path), locmem://,
    redis://… or dummy://. The disk cache and local memory hold at most `max_bytes`
    (local memory also at most `max_entries`: Django's default, 300, is fewer pages than
    a site has); Redis keys start with `key_prefix`, so two sites (or test runs) can
    share one Redis, whose own maxmemory bounds it."""
    kind = cache_kind(url)
    if kind in DEFAULT_MAX_BYTES and max_bytes is None:
        max_bytes = DEFAULT_MAX_BYTES[kind]
    if kind == "disk":
        return {
            "BACKEND": "certfaq.disk_cache.DiskCache",
            "LOCATION": str(disk_cache_folder(url, default_folder)),
            "OPTIONS": {"size_limit": max_bytes},
        }
    if kind == "locmem":
        return {
            "BACKEND": "certfaq.locmem_cache.LocMemCache",
            "LOCATION": "certfaq",
            "OPTIONS": {"MAX_ENTRIES": max_entries, "MAX_BYTES": max_bytes},
        }
    if kind == "redis":
        return {
            "BACKEND": "certfaq.redis_cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": key_prefix,
            # redis-py waits 5 s on a Redis that does not answer, for every read; the page
            # cache then makes pages without it. The URL's own ?socket_timeout= wins.
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


def disk_cache_folder(url: str, default_folder: Path | None) -> Path:
    """disk:// is `default_folder`; disk:///var/cache/certfaq names an absolute folder."""
    parts = urlsplit(url)
    named = parts.path not in ("", "/")
    if parts.netloc or (named and not parts.path.startswith("/")) or (default_folder is None and not named):
        raise ConfigError(f"CACHE_URL must be disk:// or disk:///absolute/folder, not {url!r}")
    if not named:
        return default_folder
    return Path(unquote(parts.path))


def cache_folder(database: dict) -> Path:
    """The disk cache's folder when CACHE_URL names none: the database's own."""
    return beside_database(database, "-cache")


def stamp_file(database: dict) -> Path:
    """Where the page-cache stamp of this database is kept when the cache is this
    machine's (disk or local memory): the database's own file, so every process
    writing to it (each gunicorn worker, a `manage.py` command) renews the one stamp
    its readers check."""
    return beside_database(database, "-page-cache.stamp")


def beside_database(database: dict, suffix: str) -> Path:
    """A path of this database's own on this machine, whatever its name was spelt like
    (the stamp, the disk cache, the search log's buffer). A SQLite database keeps it
    beside its file (resolved: `db/../db/x` is `db/x`), where no TMPDIR can move it;
    PostgreSQL's is named for its server and database (host and port as a client
    reaches them by default) in the temporary folder."""
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return Path(f"{os.path.realpath(database['NAME'])}{suffix}")
    host = (database.get("HOST") or "localhost").lower().rstrip(".")
    if host in ("127.0.0.1", "::1", "[::1]") or host.startswith("/"):  # loopback or a local socket
        host = "localhost"
    port = str(database.get("PORT") or "5432")
    digest = hashlib.md5(f"{host}|{port}|{database['NAME']}".encode(), usedforsecurity=False).hexdigest()
    return Path(tempfile.gettempdir()) / f"certfaq-{digest[:12]}{suffix}"


def local_secret_key(path: Path) -> str:
    """The secret key kept in a git-ignored file, made once on first use.

    The key is written to a temporary file and linked into place, so when several
    gunicorn workers start at once the first link wins and nobody reads half a file.
    """
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50) + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    key = path.read_text().strip()
    if not key:
        raise ConfigError(f"{path} is empty: delete it or set SECRET_KEY")
    return key


def media_storage(environ: dict) -> dict:
    """The media library's storage (Django's STORAGES["default"]): the local folder,
    or, with MEDIA_S3_BUCKET, django-storages' S3 backend on any S3-compatible service
    (MEDIA_S3_ENDPOINT_URL for one that is not AWS; keys from boto3's own
    AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). Files are public and never overwritten
    (names are unique), kept a year by browsers and CDNs (MEDIA_S3_CUSTOM_DOMAIN: a CDN's
    host in their addresses)."""
    bucket = environ.get("MEDIA_S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "endpoint_url": environ.get("MEDIA_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("MEDIA_S3_REGION") or None,
        "custom_domain": environ.get("MEDIA_S3_CUSTOM_DOMAIN") or None,
        "querystring_auth": False,  # public pictures: plain, cacheable addresses
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        "addressing_style": environ.get("MEDIA_S3_ADDRESSING_STYLE") or "path",
        # "public-read" where the bucket takes ACLs; unset where its policy makes objects
        # public (AWS's default Object Ownership refuses ACLs).
        "default_acl": environ.get("MEDIA_S3_DEFAULT_ACL") or None,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def media_origins(environ: dict) -> list[str]:
    """Where readers' browsers fetch the library's files from when it is not the site
    itself (CSP img-src): the CDN's host, the S3-compatible endpoint, else AWS's S3."""
    if not environ.get("MEDIA_S3_BUCKET"):
        return []
    if domain := environ.get("MEDIA_S3_CUSTOM_DOMAIN"):
        return [f"https://{domain}"]
    if endpoint := environ.get("MEDIA_S3_ENDPOINT_URL"):
        parts = urlsplit(endpoint)
        return [f"{parts.scheme}://{parts.netloc}"]
    return ["https://*.amazonaws.com"]


_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


def image_hosts(environ: dict, name: str = "IMAGE_HOSTS") -> list[str]:
    """IMAGE_HOSTS="certilyst.com, cdn.example.com": host names, lower-cased; an address
    given whole (https://cdn.example.com/) counts as its host."""
    hosts = []
    for item in env_list(environ, name, []):
        host = (urlsplit(item).hostname or "") if "://" in item else item.lower().rstrip("/")
        if not _HOST.match(host):
            raise ConfigError(
                f"{name} must list host names separated by commas, like cdn.example.com; not {item!r}"
            )
        hosts.append(host)
    return hosts
