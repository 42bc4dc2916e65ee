from django.conf import settings

from faqs.site import home_url


def site(request) -> dict:
    """Site-wide names for every template; no database access."""
    return {
        "site_name": settings.SITE_NAME,
        "site_tagline": settings.SITE_TAGLINE,
        "site_language": settings.LANGUAGE,
        "api_root": f"{home_url()}wp-json/",
    }
