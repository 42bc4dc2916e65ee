from django.conf import settings


def site(request) -> dict:
    """Site-wide names for every template; no database access."""
    return {
        "site_name": settings.SITE_NAME,
        "site_tagline": settings.SITE_TAGLINE,
        "site_language": settings.LANGUAGE,
    }
