"""faqs.context_processors.site: the addresses every page links to (home, archive,
instant search) and its icon, stylesheet and script are found once a process, not by
`{% url %}` and `{% static %}` on every page, and stay right for each script prefix
and after a settings change."""

import re

import pytest
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.template.defaulttags import URLNode
from django.test import Client
from django.urls import set_script_prefix

pytestmark = pytest.mark.django_db


@pytest.fixture
def lookups(monkeypatch) -> list:
    """Every static file URL asked of the storage, and every {% url %} rendered, from here on."""
    asked = []
    real_url, real_render = StaticFilesStorage.url, URLNode.render

    def storage_url(storage, name, *args, **kwargs):
        asked.append(name)
        return real_url(storage, name, *args, **kwargs)

    def render(node, context):
        asked.append(node.view_name.token)
        return real_render(node, context)

    monkeypatch.setattr(StaticFilesStorage, "url", storage_url)
    monkeypatch.setattr(URLNode, "render", render)
    return asked


def test_a_page_asks_neither_the_urlconf_nor_the_static_storage_for_its_links(settings, lookups):
    settings.PAGE_CACHE = False
    Client().get("/resources/faq/")  # found once
    lookups.clear()
    page = Client().get("/resources/faq/").content.decode()
    assert lookups == []
    assert '<a href="/resources/faq/">All questions</a>' in page
    assert 'action="/resources/"' in page and 'data-suggest-url="/resources/search/suggest/"' in page
    assert re.search(r'<link rel="stylesheet" href="/resources/static/css/site\.css">', page)


def test_each_script_prefix_gets_its_own_links(settings):
    """Under a SCRIPT_NAME (Django's handler sets the prefix reverse() reads from it)."""
    settings.PAGE_CACHE = False
    settings.PAGE_FRAGMENTS = False
    set_script_prefix("/mounted/")
    try:
        mounted = Client().get("/resources/faq/").content.decode()
    finally:
        set_script_prefix("/")
    assert 'action="/mounted/resources/"' in mounted
    plain = Client().get("/resources/faq/").content.decode()
    assert 'action="/resources/"' in plain and "/mounted/" not in plain


def test_a_settings_change_names_the_static_files_anew(settings):
    settings.PAGE_CACHE = False
    Client().get("/resources/faq/")
    settings.STATIC_URL = "/elsewhere/static/"
    assert 'href="/elsewhere/static/css/site.css"' in Client().get("/resources/faq/").content.decode()
