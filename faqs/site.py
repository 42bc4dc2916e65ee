"""The site's absolute URLs: built from SITE_URL, never from the request's Host."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse


def home_url() -> str:
    """SITE_URL itself, e.g. https://certilyst.com/resources/."""
    return settings.SITE_URL


def absolute_url(path: str) -> str:
    """An absolute URL for a root-relative path such as reverse() returns."""
    parts = urlsplit(settings.SITE_URL)
    return f"{parts.scheme}://{parts.netloc}{path}"


def absolute_reverse(viewname: str, *args, **kwargs) -> str:
    return absolute_url(reverse(viewname, args=args or None, kwargs=kwargs or None))
