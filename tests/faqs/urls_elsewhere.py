"""The public URLs under another path: tests/faqs/test_slug_paths.py's change of URLconf."""

from django.urls import include, path

urlpatterns = [path("elsewhere/", include("faqs.urls"))]
