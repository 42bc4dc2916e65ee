from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse


def site(request) -> dict:
    """Site-wide names and addresses for every template; no database access."""
    return {
        "site_name": settings.SITE_NAME,
        "site_tagline": settings.SITE_TAGLINE,
        "site_language": settings.LANGUAGE,
        **page_addresses(get_script_prefix()),
    }


@cache
def page_addresses(script_prefix: str) -> dict:
    """What every page's header and search boxes link to, and its icon, stylesheet and
    script: fixed by the URLconf (under the script prefix reverse() reads) and the
    static files' manifest, so found once a process instead of by `{% url %}` and
    `{% static %}` on every page (at 10k questions, a tenth of a page made from its
    kept fragments)."""
    return {
        "home_url": reverse("faqs:home"),
        "archive_url": reverse("faqs:archive"),
        "search_suggest_url": reverse("faqs:search_suggest"),
        "icon_url": static("favicon.svg"),
        "stylesheet_url": static("css/site.css"),
        "instant_search_url": static("faqs/instant-search.js"),
    }


@receiver(setting_changed)
def _forget_page_addresses(**kwargs) -> None:
    """A test's settings (the URLconf, SITE_URL, the static storage) name them anew."""
    page_addresses.cache_clear()
