"""Public URLs, the old WordPress site's, under SITE_URL's path."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.http import require_safe

from faqs import views
from faqs.feeds import LatestQuestionsFeed
from faqs.sitemaps import SITEMAPS

app_name = "faqs"

urlpatterns = [
    path("", views.home, name="home"),
    path("index.php", views.home),  # old links: index.php?p=549
    path("health/", views.health, name="health"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("feed/", require_safe(LatestQuestionsFeed()), name="feed"),
    path("sitemap_index.xml", views.sitemap_index, name="sitemap_index"),
    path(
        "<str:section>-sitemap.xml",
        require_safe(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("", include("search.urls")),
    path("", include("search_insights.urls")),
    path("", include("feedback.urls")),
    path("", include("machine_copies.urls")),  # llms.txt, llms/<n>.txt, faq/<slug>.md
    path("faq/", views.archive, name="archive"),
    path("faq/page/<int:page_number>/", views.archive, name="archive_page"),
    path("faq/<str:slug>/", views.question_detail, name="question"),
    path("faq-categories/<str:slug>/", views.category_archive, name="category"),
    path("faq-categories/<str:slug>/page/<int:page_number>/", views.category_archive, name="category_page"),
    path("tag/<str:slug>/", views.tag_archive, name="tag"),
    path("tag/<str:slug>/page/<int:page_number>/", views.tag_archive, name="tag_page"),
    path("wp-json/", include("wordpress.urls")),
    path("", include("notify.urls")),  # the IndexNow key file, <key>.txt
    # Last: an editor's site page (about/, editorial-policy/…) at any address not taken above.
    path("", include("site_pages.urls")),
]
