"""The IndexNow key file: <SITE_URL><key>.txt answers the key, as text, so a search
engine can check that whoever sends the site's URLs holds it."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from faqs import views as faqs_views


@require_safe
@never_cache  # kept by no cache: a key set or changed answers at once
def indexnow_key(request: HttpRequest, key: str) -> HttpResponse:
    """The key as its file's body; any other .txt name (or any, with no key set) is
    the site's 404."""
    if not settings.INDEXNOW_KEY or key != settings.INDEXNOW_KEY:
        return faqs_views.page_not_found(request, None)
    return HttpResponse(settings.INDEXNOW_KEY, content_type="text/plain; charset=utf-8")
