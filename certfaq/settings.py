"""certfaq settings: every value comes from the environment, with defaults that
work locally with no variable set. See README.md for the table of variables."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from certfaq import config

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
    "django.contrib.sitemaps",
    "taggit",
    "reversion",
    "faqs",
    "faqs.wordpress",
]
SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "faqs.middleware.HeadWithoutBodyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "faqs.middleware.RejectNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "faqs.middleware.RedirectFallbackMiddleware",
    "faqs.wordpress.middleware.WordPressMiddleware",
]

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
            ],
        },
    },
]

DATABASES = {"default": config.database_from_url(ENV.get("DATABASE_URL", "sqlite:///db.sqlite3"), BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": config.cache_from_url(ENV.get("CACHE_URL", "locmem://"))}

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
USE_I18N = True
USE_TZ = True

STATIC_URL = f"/{SITE_PATH}static/"
STATIC_ROOT = Path(ENV.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names + gzip/brotli copies; whitenoise then serves them with
    # far-future cache headers.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "admin:login"

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": config.env_choice(
            ENV, "LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), "INFO"
        ),
    },
}
