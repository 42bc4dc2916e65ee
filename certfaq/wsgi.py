import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certfaq.settings")
django_application = get_wsgi_application()

# Imported once Django is set up: page-cache hits are answered before Django's handler.
from http_cache.wsgi import CachedPagesApplication  # noqa: E402

application = CachedPagesApplication(django_application)
