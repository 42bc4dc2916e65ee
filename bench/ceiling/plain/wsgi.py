"""startproject's wsgi.py for the ceiling project."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plain.settings")

application = get_wsgi_application()
