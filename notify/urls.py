"""The IndexNow key file, included by faqs.urls under SITE_URL's path (its name stays
in the `faqs` namespace: faqs:indexnow_key), before the site pages' catch-all."""

from django.urls import path

from notify import views

urlpatterns = [
    path("<str:key>.txt", views.indexnow_key, name="indexnow_key"),
]
