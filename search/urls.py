"""Instant search's endpoint, included by faqs.urls under SITE_URL's path (its names
stay in the `faqs` namespace: faqs:search_suggest)."""

from django.urls import path

from search import views

urlpatterns = [
    path("search/suggest/", views.search_suggest, name="search_suggest"),
]
