"""The results page's click beacon, included by faqs.urls under SITE_URL's path (its
name stays in the `faqs` namespace: faqs:search_opened)."""

from django.urls import path

from search_insights import views

urlpatterns = [
    path("search/opened/", views.search_opened, name="search_opened"),
]
