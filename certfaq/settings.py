"""certfaq settings: every value comes from the environment, with defaults that
work locally with no variable set. See README.md for the table of variables."""

import os
from datetime import timedelta
from email.utils import formataddr
from pathlib import Path
from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from certfaq import config
from notify import config as notify_config

BASE_DIR = Path(__file__).resolve().parent.parent
ENV = os.environ

DEBUG = config.env_bool(ENV, "DEBUG", False)
SECRET_KEY = ENV.get("SECRET_KEY") or config.local_secret_key(BASE_DIR / ".secret_key")

# The public address of the site. Every absolute URL (canonical, og:url, JSON-LD,
# sitemaps, API links) is built from it, never from the request's Host header.
SITE_URL = config.site_url(ENV.get("SITE_URL", "http://127.0.0.1:8000/resources/"))
# Other addresses of this same site (the old WordPress origin, a staging host): links
# written with them in answers count as internal links.
SITE_URL_ALIASES = [
    config.site_url(alias)
    for alias in config.env_list(ENV, "SITE_URL_ALIASES", ["https://certilyst.com/resources/"])
]
SITE_NAME = ENV.get("SITE_NAME", "Certilyst")
SITE_TAGLINE = ENV.get("SITE_TAGLINE", "A hub for all your certification exams")
# The publisher in the pages' schema.org graph (an Organization node, the WebSite's
# publisher), only when named: unset, the graph is the old site's. Its logo (an image
# URL) and the page stating its editorial policy (publishingPrinciples) are optional.
ORGANIZATION_NAME = ENV.get("ORGANIZATION_NAME", "")
ORGANIZATION_LOGO_URL = ENV.get("ORGANIZATION_LOGO_URL", "")
EDITORIAL_POLICY_URL = ENV.get("EDITORIAL_POLICY_URL", "")
# The site pages the footer links to (their flatpage urls), in this order; a page that
# does not exist, or asks for a sign-in, is left out.
FOOTER_PAGES = config.env_list(
    ENV, "FOOTER_PAGES", ["/about/", "/editorial-policy/", "/contact/", "/privacy/", "/disclaimer/"]
)
# The review cycle (issue 20): an answer is due to be checked again this many months
# after its last review (a category may ask for less or more). 0 turns the cycle off.
REVIEW_EVERY_MONTHS = config.env_int(ENV, "REVIEW_EVERY_MONTHS", 12)
# The app is mounted under SITE_URL's path ("resources/"), as WordPress was.
SITE_PATH = urlsplit(SITE_URL).path.lstrip("/")
SITE_IS_HTTPS = SITE_URL.startswith("https://")

ALLOWED_HOSTS = config.env_list(ENV, "ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = config.env_list(
    ENV, "CSRF_TRUSTED_ORIGINS", ["{0.scheme}://{0.netloc}".format(urlsplit(SITE_URL))]
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.redirects",
    "django.contrib.flatpages",  # the site pages (site_pages/)
    "django.contrib.sitemaps",
    "django.contrib.humanize",  # the results count: 1,000 not 1000
    "faqs.apps.TagsConfig",  # django-taggit, named "Tags" in the admin
    "django_prose_editor",
    "csp",
    "faqs.apps.SignInAttemptsConfig",  # django-axes, named for editors in the admin
    "reversion",
    "people",  # author and reviewer profiles: a dependency of faqs, as taggit is
    "faqs",
    # One job each; dependencies point one way: they use faqs (docs/ARCHITECTURE.md).
    "listings",
    "sources",  # the sources an answer relies on: shown under it, its citations
    "media",  # the media library: images, their renditions (a dependency of faqs, as people)
    "links",
    "search",
    "search_insights",
    "history",
    "editing",
    "review",
    "drafts",  # draft changes on a live question, previewed, scheduled, published
    "analysis",  # content analysis: Yoast's checks and the FAQ site's own
    "dashboard",  # content health: the admin index's first panel
    "feedback",  # "Was this helpful?" under each answer, and what editors read of it
    "http_cache",
    "notify",  # search engines (IndexNow) and the CDN told of changed pages
    "wordpress",  # a leaf: nothing above imports it
    "accounts",  # people: invitations, roles, password resets
    "site_pages",  # About, Editorial policy, Contact…: flatpages on the site, the footer
    "machine_copies",  # llms.txt and each question as Markdown (faq/<slug>.md)
]
SITE_ID = 1

MIDDLEWARE = [
    # Outermost: a HEAD answer (made or kept) gets the GET's headers and no body.
    "http_cache.response.HeadWithoutBodyMiddleware",
    # Whole answers for anonymous readers, as they leave the site (headers, ETag,
    # Cache-Control, compression all in): a hit runs nothing below. A miss runs the
    # rest, and the cookies the session, CSRF and auth middleware set keep it out.
    "http_cache.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy and Content-Security-Policy.
    "faqs.middleware.BrowserPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache-Control, then ETag and 304s, then compression (its order is in its code).
    # Inside WhiteNoise (it serves its own pre-compressed files), inside HEAD's body
    # removal (a HEAD answer gets the compressed GET's length) and outside everything
    # that sets cookies or renders CSRF tokens, which it must see.
    "http_cache.response.ResponseShapingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, plus NUL bytes refused before any database sees them.
    "faqs.middleware.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, without reading the session of a request that has no session cookie.
    "http_cache.caching.AuthenticationMiddleware",
    # Django's, with the message store opened only by a request that uses it.
    "faqs.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "links.middleware.RedirectFallbackMiddleware",
    "wordpress.middleware.WordPressMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# How long anonymous public pages (HTML, wp-json reads, sitemaps, the feed,
# robots.txt) may be kept: a browser for CACHE_MAX_AGE seconds, a shared cache (a
# CDN) for CACHE_S_MAXAGE, and either may serve a stale copy for
# CACHE_STALE_WHILE_REVALIDATE more while it asks again. Short by default: an editor's
# save shows to readers within a minute, and the CDN, which keeps pages longer, can be
# purged after a save that cannot wait five minutes. Every revalidation is cheap: it
# carries the ETag (and Last-Modified) and is answered 304 when nothing changed.
CACHE_MAX_AGE = config.env_int(ENV, "CACHE_MAX_AGE", 60)
CACHE_S_MAXAGE = config.env_int(ENV, "CACHE_S_MAXAGE", 300)
CACHE_STALE_WHILE_REVALIDATE = config.env_int(ENV, "CACHE_STALE_WHILE_REVALIDATE", 30)

ROOT_URLCONF = "certfaq.urls"
WSGI_APPLICATION = "certfaq.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "faqs.context_processors.site",
                "site_pages.context_processors.footer",
            ],
        },
    },
]

DATABASES = {"default": config.database_from_url(ENV.get("DATABASE_URL", "sqlite:///db.sqlite3"), BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache (pages, fragments, the search log's per-reader counts). By default a folder
# on this machine (certfaq/disk_cache.py) that every gunicorn worker and manage.py
# process shares, kept across a worker's recycling and a restart: beside a SQLite
# database, or named for a PostgreSQL one in the temporary folder; disk:///path puts it
# elsewhere. redis://… when several machines serve the site; locmem:// keeps a copy
# in each process (tests, a single process).
CACHE_URL = ENV.get("CACHE_URL") or "disk://"
CACHE_KIND = config.cache_kind(CACHE_URL)
CACHE_MAX_ENTRIES = config.env_int(ENV, "CACHE_MAX_ENTRIES", 20_000, minimum=1)  # local memory's
# The bound in bytes of the disk cache (8 GiB: every page of a 100,000-question site,
# its fragments and compressed copies) and of local memory (32 MiB per worker; no
# stream of distinct query strings grows a worker past it). Redis: its maxmemory.
CACHE_MAX_BYTES = config.env_int(
    ENV, "CACHE_MAX_BYTES", config.DEFAULT_MAX_BYTES.get(CACHE_KIND, 0), minimum=2**20
)
# Every key this site keeps in Redis starts with CACHE_KEY_PREFIX: sites sharing one
# Redis need one each (sites sharing a database share it).
CACHE_KEY_PREFIX = ENV.get("CACHE_KEY_PREFIX") or "certfaq"
CACHES = {
    "default": config.cache_from_url(
        CACHE_URL,
        default_folder=config.cache_folder(DATABASES["default"]),
        max_entries=CACHE_MAX_ENTRIES,
        key_prefix=CACHE_KEY_PREFIX,
        max_bytes=CACHE_MAX_BYTES,
    )
}
# The page cache (http_cache): anonymous public pages served from CACHES, never
# stale (every write replaces the site's stamp). PAGE_CACHE_SECONDS bounds how long an
# entry takes room, not how long it is right. With this machine's cache (disk, local
# memory) the stamp is a file that every process on the machine reads; with Redis it is
# kept in Redis.
PAGE_CACHE = config.env_bool(ENV, "PAGE_CACHE", True)
# The costly parts of pages (a question's head, terms and related list; the category
# tree), kept under the same stamp, so a page that misses is quick to make too.
PAGE_FRAGMENTS = config.env_bool(ENV, "PAGE_FRAGMENTS", True)
PAGE_CACHE_SECONDS = config.env_int(ENV, "PAGE_CACHE_SECONDS", 3600, minimum=1)
# With Redis, each worker's copies of the pages it served lately (http_cache.near), in
# bytes; 0 reads every hit's page from Redis.
PAGE_CACHE_NEAR_BYTES = config.env_int(ENV, "PAGE_CACHE_NEAR_BYTES", 32 * 2**20)
PAGE_CACHE_STAMP_FILE = Path(ENV.get("PAGE_CACHE_STAMP_FILE") or config.stamp_file(DATABASES["default"]))
# Searches waiting to be written to the search log (search_insights/log_buffer.py): by
# default a file beside a SQLite database; "" writes each search at once (as PostgreSQL
# always does).
SEARCH_LOG_BUFFER = ENV.get("SEARCH_LOG_BUFFER")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# The page language as a BCP 47 tag (inLanguage "en-US", og:locale en_US). Many
# systems set LANGUAGE for gettext ("en_US:en"); such a value is not ours and is ignored.
LANGUAGE = config.site_language(ENV)
LANGUAGE_CODE = LANGUAGE.lower()
TIME_ZONE = config.time_zone(ENV)
# The site and its admin are in one language (LANGUAGE): with translation on, every
# {{ value }} in a template asked for the active language, 12-16 % of a page made anew
# (issue 18).
USE_I18N = False
USE_TZ = True

STATIC_URL = f"/{SITE_PATH}static/"
STATIC_ROOT = Path(ENV.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# The media library's files (issue 21), through Django's storage API: this folder by
# default (served by media.views under MEDIA_URL), S3-compatible storage when set.
MEDIA_URL = f"/{SITE_PATH}media/"
MEDIA_ROOT = Path(ENV.get("MEDIA_ROOT", BASE_DIR / "uploads"))
MEDIA_MAX_UPLOAD_MB = config.env_int(ENV, "MEDIA_MAX_UPLOAD_MB", 10, minimum=1)
# An upload's pixels (width × height × an animation's frames) at most: a small file can
# decode to gigabytes (a decompression bomb). 40 MP is a 7,700 × 5,200 photo.
MEDIA_MAX_PIXELS = config.env_int(ENV, "MEDIA_MAX_PIXELS", 40_000_000, minimum=1_000_000)
# The library image (its id) a shared page shows when its question has none: 0, none.
SOCIAL_IMAGE_ID = config.env_int(ENV, "SOCIAL_IMAGE_ID", 0)
# Hosts an answer's <img> may load from besides the library (media.addresses): the old
# WordPress site's while its uploads are not imported, a CDN. CSP's img-src lists them.
IMAGE_HOSTS = config.image_hosts(ENV)
# Others told when public pages change (notify/, issue 22): each off unless set, sent by
# cron (`send_indexnow`, `purge_cdn`) from an outbox the save writes in its transaction.
# IndexNow: the site's key (8-128 letters, digits, dashes), served at <SITE_URL><key>.txt.
INDEXNOW_KEY = notify_config.indexnow_key(ENV)
INDEXNOW_ENDPOINT = notify_config.web_address(ENV, "INDEXNOW_ENDPOINT", "https://api.indexnow.org/indexnow")
# Cloudflare: the zone's ID and an API token that may purge its cache (both, or neither).
CDN_CLOUDFLARE_ZONE, CDN_CLOUDFLARE_TOKEN = notify_config.cloudflare_zone(ENV)
CDN_CLOUDFLARE_API = notify_config.web_address(
    ENV, "CDN_CLOUDFLARE_API", "https://api.cloudflare.com/client/v4"
)
# Caches that take `PURGE <path>` (Varnish, Fastly, a caching proxy): http://host:port, …
CDN_PURGE_URLS = notify_config.purge_addresses(ENV)
# A write (or a batch of the outbox) changing more pages than this purges everything.
CDN_PURGE_ALL_ABOVE = config.env_int(ENV, "CDN_PURGE_ALL_ABOVE", 500, minimum=1)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # The media library's files: MEDIA_ROOT, or S3-compatible storage when MEDIA_S3_BUCKET
    # names a bucket (several machines serving the site; config.media_storage()).
    "default": config.media_storage(ENV),
    # Hashed names + gzip/brotli copies; whitenoise then serves them with
    # far-future cache headers.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "admin:login"
# django-axes first: it refuses a locked-out user name before any password is checked.
# The standalone backend authenticates no one; ModelBackend still does.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Mail: invitations, password resets and review requests (accounts). EMAIL_URL names
# the way out (config.email_from_url): console:// by default, so `make run` prints each
# message on its output; smtp+tls://user:password@host:587 for a real relay.
EMAIL_URL = ENV.get("EMAIL_URL") or "console://"
globals().update(config.email_from_url(EMAIL_URL))
# formataddr quotes a name with a comma or quote in it ("Acme, Inc."), which mail refuses bare.
NOREPLY = f"noreply@{urlsplit(SITE_URL).hostname}"
DEFAULT_FROM_EMAIL = ENV.get("DEFAULT_FROM_EMAIL") or formataddr((SITE_NAME, NOREPLY))
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Password reset requests (accounts.passwords): a mail per address, and requests per
# client, at most this many an hour. Counted in the cache, which every worker shares.
PASSWORD_RESETS_PER_ADDRESS = config.env_int(ENV, "PASSWORD_RESETS_PER_ADDRESS", 3, minimum=1)
PASSWORD_RESETS_PER_CLIENT = config.env_int(ENV, "PASSWORD_RESETS_PER_CLIENT", 10, minimum=1)

# Sign-in throttling (django-axes). Failures are counted in the database, so every
# gunicorn worker and every machine sees the same count. They are counted per user
# name and address together: a guesser is stopped after the limit, while an editor
# signing in from elsewhere is not locked out by someone else's guesses (counting per
# address alone would also lock out everyone behind one office's address). Behind a
# reverse proxy every request's REMOTE_ADDR is the proxy's: TRUSTED_PROXY_COUNT says how
# many of ours stand in front of gunicorn, and the address is then read from the
# X-Forwarded-For they append to (by django-ipware, which axes asks). Left at 0 behind
# a proxy, the count is per user name: someone who knows an editor's user name can lock
# it for the cool-off; hence a short one and `manage.py axes_reset_username NAME`
# (README, Deployment). The search log's per-reader bounds read the same address.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = config.env_int(ENV, "LOGIN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=config.env_int(ENV, "LOGIN_COOLOFF_MINUTES", 15, minimum=1))
# Tries during a lock-out are refused without restarting it, so the page can say when
# it ends; a successful sign-in clears the user name's count.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "faqs.admin.signin.locked_out"
AXES_USERNAME_CALLABLE = "faqs.admin.signin.attempted_username"
_CLIENT_ADDRESS = config.client_address_settings(ENV)
AXES_IPWARE_META_PRECEDENCE_ORDER = _CLIENT_ADDRESS["AXES_IPWARE_META_PRECEDENCE_ORDER"]
AXES_IPWARE_PROXY_COUNT = _CLIENT_ADDRESS["AXES_IPWARE_PROXY_COUNT"]
AXES_IPWARE_PROXY_ORDER = _CLIENT_ADDRESS["AXES_IPWARE_PROXY_ORDER"]
AXES_IPWARE_PROXY_TRUSTED_IPS = _CLIENT_ADDRESS["AXES_IPWARE_PROXY_TRUSTED_IPS"]
IPWARE_STRICT = _CLIENT_ADDRESS["IPWARE_STRICT"]
# No banner at every start (manage.py commands print it too); failures and lock-outs
# are still logged, with the user name and address masked.
AXES_VERBOSE = False

# Production hardening: on when the site is served over https. Behind a proxy
# that terminates TLS, the proxy must set X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = config.env_bool(ENV, "SECURE_SSL_REDIRECT", SITE_IS_HTTPS)
SESSION_COOKIE_SECURE = SITE_IS_HTTPS
CSRF_COOKIE_SECURE = SITE_IS_HTTPS
# The site shares its host with others (certilyst.com/ is not ours): keep our cookies
# under our path so they never collide with the main site's.
# Own names too: a browser sends a same-named cookie of the main site as well, and
# Django would read that one.
SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = f"/{SITE_PATH}"
SESSION_COOKIE_NAME = "certfaq_session"
CSRF_COOKIE_NAME = "certfaq_csrftoken"
# A load balancer probes the health check over plain http.
SECURE_REDIRECT_EXEMPT = [rf"^{SITE_PATH}health/$"]
# HSTS covers the whole host and, with these defaults, its subdomains and the browsers'
# preload list, as `check --deploy` asks; set them to false if other parts of the
# domain are not all on https yet (README, Deployment).
SECURE_HSTS_SECONDS = config.env_int(ENV, "SECURE_HSTS_SECONDS", 31536000 if SITE_IS_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = config.env_bool(ENV, "SECURE_HSTS_INCLUDE_SUBDOMAINS", SITE_IS_HTTPS)
SECURE_HSTS_PRELOAD = config.env_bool(ENV, "SECURE_HSTS_PRELOAD", SITE_IS_HTTPS)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp) on every response, public and admin: scripts
# only from our own files, never eval, and inline only for the answer editor's import
# map, which carries the request's nonce (django-csp puts the nonce in the header only
# on a response that used it: every other page stays 'self' alone). The JSON-LD blocks
# (<script type="application/ld+json">) are data, which script-src does not govern.
# Stylesheets only from our files too (no <style> element), but style attributes are
# allowed: the admin's widgets write them (the question title's width; editor
# libraries size tables and menus with them), and an attribute can neither run script
# nor read the page (the CSS tricks that leak data need selectors, that is, a
# stylesheet). Answers cannot carry one: the sanitiser drops style attributes.
TIPTAP_BASE_STYLE = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"
_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    # The answer editor (Tiptap in django-prose-editor 0.28.0) adds one fixed <style>
    # element of base rules; its hash allows exactly that text. A new editor version
    # with other rules fails the browser CSP test, which names the new hash.
    "style-src": [SELF, TIPTAP_BASE_STYLE],
    "style-src-attr": [UNSAFE_INLINE],
    # Our files, the library's storage when it is elsewhere (a bucket, a CDN) and the
    # hosts answers may show images from (media.addresses: the sanitiser's same list).
    "img-src": [SELF, *config.media_origins(ENV), *IMAGE_HOSTS],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [NONE],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
# CSP_EXTRA_SOURCES="img-src https://cdn.example.com; ..." widens a directive; one not
# listed above starts from 'self', as it would have inherited from default-src.
for _directive, _sources in config.csp_extra_sources(ENV).items():
    _CSP_DIRECTIVES.setdefault(_directive, [SELF]).extend(_sources)
if _report_uri := config.csp_report_uri(ENV):
    _CSP_DIRECTIVES["report-uri"] = [_report_uri]
# CSP_REPORT_ONLY=true sends the same policy as Content-Security-Policy-Report-Only:
# browsers report what it would block and block nothing (for trying out new sources).
if config.env_bool(ENV, "CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None

# Browser features the site never uses, off for it and anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

LOG_LEVEL = config.env_choice(ENV, "LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # django-axes narrates each sign-in in several INFO lines; its failures and
    # lock-outs are warnings, and those are what the log needs.
    "loggers": {"axes": {"level": "WARNING" if LOG_LEVEL == "INFO" else LOG_LEVEL}},
}
