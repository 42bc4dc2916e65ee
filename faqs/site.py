"""The site's absolute URLs, built from SITE_URL (never from the request's Host), and
whether an address is one of this site's (SITE_URL and SITE_URL_ALIASES)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def home_url() -> str:
    """SITE_URL itself, e.g. https://certilyst.com/resources/."""
    return settings.SITE_URL


def absolute_url(path: str) -> str:
    """An absolute URL for a root-relative path such as reverse() returns."""
    parts = urlsplit(settings.SITE_URL)
    return f"{parts.scheme}://{parts.netloc}{path}"


def absolute_reverse(viewname: str, *args, **kwargs) -> str:
    return absolute_url(reverse(viewname, args=args or None, kwargs=kwargs or None))


def site_hosts() -> set[str]:
    """The hosts (with port) of SITE_URL and SITE_URL_ALIASES: every address of this site."""
    return {urlsplit(url).netloc.lower() for url in [settings.SITE_URL, *settings.SITE_URL_ALIASES]}


def stays_on_site(url: str) -> bool:
    """Whether a browser sent to `url` stays on this site: a path, or an http(s) address
    of one of its hosts. Scheme-relative `//other.host/`, `/\\other.host/` and other
    schemes (javascript:, mailto:) do not."""
    return url_has_allowed_host_and_scheme(url, allowed_hosts=site_hosts())


def is_web_address(url: str) -> bool:
    """An absolute http(s) address of some host, written so every browser reads the same host."""
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed IPv6 bracket, say: no address at all
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and url_has_allowed_host_and_scheme(url, allowed_hosts={parts.netloc})
    )
