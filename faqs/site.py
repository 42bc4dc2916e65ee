"""SITE_URL and its aliases: every absolute URL of the site, and every answer to
"is this address ours?". Built from settings, never from the request's Host."""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import SplitResult, quote, urlsplit, urlunsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS, url_has_allowed_host_and_scheme, urlencode


def home_url() -> str:
    """SITE_URL itself, e.g. https://certilyst.com/resources/."""
    return settings.SITE_URL


def search_url(query: str, *, page: int = 1, as_typed: bool = False) -> str:
    """The results page of `query`: the home page with `?s=`, as on WordPress (and
    `paged=` for a further page, `as_typed=1` for "Search instead for"). The one place
    a search URL is built; its root-relative path, as reverse() gives."""
    params = {"s": query}
    if page > 1:
        params["paged"] = page
    if as_typed:
        params["as_typed"] = "1"
    return f"{reverse('faqs:home')}?{urlencode(params)}"


# What reverse() leaves unquoted in a path; a slug of only the first pattern's
# characters (as most are) is left as it is without asking quote().
SAFE_IN_PATH = RFC3986_SUBDELIMS + "/~:@"
UNQUOTED_SLUG = re.compile(r"[-A-Za-z0-9_.~]+")
# Stands for the slug in an address reversed once (no slug of the site is this long).
SLUG_PLACEHOLDER = "slug-placeholder-" + "0" * 180


def slug_path(viewname: str, slug: str) -> str:
    """reverse(viewname, kwargs={"slug": slug}) for a `<str:slug>` address (a question's,
    a category's, a tag's, an author's): the same path, without reverse()'s search of
    the URLconf on each call (12 µs; a question page names ten such addresses, a list
    page forty). A slug reverse() would refuse (empty, or with a slash) goes to it."""
    if not slug or "/" in slug:
        return reverse(viewname, kwargs={"slug": slug})
    head, tail = _slug_path_around(viewname, get_urlconf(), get_script_prefix())
    quoted = slug if UNQUOTED_SLUG.fullmatch(slug) else quote(slug, safe=SAFE_IN_PATH)
    return f"{head}{quoted}{tail}"


@cache
def _slug_path_around(viewname: str, urlconf: str | None, script_prefix: str) -> tuple[str, str]:
    """What comes before and after the slug in viewname's path, under this URLconf and
    script prefix (quote() works a character at a time: quoting the slug alone gives
    what quoting the whole path does)."""
    head, _, tail = reverse(viewname, urlconf=urlconf, kwargs={"slug": SLUG_PLACEHOLDER}).partition(
        SLUG_PLACEHOLDER
    )
    return head, tail


@receiver(setting_changed)
def _forget_slug_paths(setting: str, **kwargs) -> None:
    """A test's URLconf names its own addresses."""
    if setting == "ROOT_URLCONF":
        _slug_path_around.cache_clear()


def parts() -> SplitResult:
    return urlsplit(settings.SITE_URL)


def scheme() -> str:
    return parts().scheme


def domain() -> str:
    """host[:port] of SITE_URL."""
    return parts().netloc


def path_prefix() -> str:
    """The path the site is served under, e.g. /resources/."""
    return parts().path


def absolute_url(path: str) -> str:
    """An absolute URL for a root-relative path such as reverse() returns."""
    return f"{scheme()}://{domain()}{path}"


def addresses() -> list[tuple[str, str]]:
    """(host, path) of SITE_URL and each alias (the old origin, staging): links
    written with any of them are this site's. Hosts in lower case; http and https
    count alike."""
    found = []
    for url in [settings.SITE_URL, *settings.SITE_URL_ALIASES]:
        address = urlsplit(url)
        found.append((address.netloc.lower(), address.path))
    return found


def site_hosts() -> set[str]:
    """The hosts (with port) of SITE_URL and SITE_URL_ALIASES: every address of this site."""
    return {host for host, _ in addresses()}


def stays_on_site(url: str) -> bool:
    """Whether a browser sent to `url` stays on this site: a path, or an http(s) address
    of one of its hosts. Scheme-relative `//other.host/`, `/\\other.host/` and other
    schemes (javascript:, mailto:) do not."""
    return url_has_allowed_host_and_scheme(url, allowed_hosts=site_hosts())


def is_web_address(url: str) -> bool:
    """An absolute http(s) address of some host, written so every browser reads the same host."""
    try:
        address = urlsplit(url)
    except ValueError:  # an unclosed IPv6 bracket, say: no address at all
        return False
    return (
        address.scheme in ("http", "https")
        and bool(address.hostname)
        and url_has_allowed_host_and_scheme(url, allowed_hosts={address.netloc})
    )


def localized(href: str) -> str | None:
    """`href` written with an alias (the old origin, production on a staging copy)
    pointed at SITE_URL instead; None when it is already on SITE_URL or on no alias.
    The longest alias path wins."""
    link = urlsplit(href)
    if link.scheme not in ("http", "https") or href.startswith(settings.SITE_URL):
        return None
    home = parts()
    aliases = sorted(
        (urlsplit(alias) for alias in settings.SITE_URL_ALIASES if alias != settings.SITE_URL),
        key=lambda alias: len(alias.path),
        reverse=True,
    )
    for alias in aliases:
        if link.netloc.lower() == alias.netloc.lower() and link.path.startswith(alias.path):
            local_path = home.path + link.path[len(alias.path) :]
            return urlunsplit(link._replace(scheme=home.scheme, netloc=home.netloc, path=local_path))
    return None


def error_page_context() -> dict:
    """What the 410 and 500 pages show: rendered without the database, the context
    processors or the static manifest, since any of them may be what failed. Their
    stylesheet and icon go by their plain names, which WhiteNoise serves beside the
    hashed copies (and runserver's finders too)."""
    return {
        "site_name": settings.SITE_NAME,
        "home_url": reverse("faqs:home"),
        "stylesheet_url": f"{settings.STATIC_URL}css/site.css",
        "icon_url": f"{settings.STATIC_URL}favicon.svg",
    }
