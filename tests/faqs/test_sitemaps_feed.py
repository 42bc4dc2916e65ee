"""Sitemaps, robots.txt and the feed at the old site's URLs, on SITE_URL."""

import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser

import pytest

from faqs.models import Question
from tests.factories import make_category, make_question

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
HOME = "https://certilyst.com/resources/"


def locations(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    return [loc.text for loc in ElementTree.fromstring(response.content).iterfind(".//sm:loc", NS)]


def test_sitemap_index_names_both_sitemaps_on_site_url(client, production_site):
    make_question(categories=[make_category()])
    found = locations(client, "/resources/sitemap_index.xml")
    assert found == [f"{HOME}faq-sitemap.xml", f"{HOME}faq-categories-sitemap.xml"]


def test_question_sitemap_lists_only_what_search_engines_may_index(client, production_site):
    public = make_question(slug="public")
    make_question(slug="draft", status=Question.Status.DRAFT)
    make_question(slug="hidden", noindex=True)
    make_question(slug="copy", canonical_url="https://example.com/original/")
    assert locations(client, "/resources/faq-sitemap.xml") == [f"{HOME}faq/{public.slug}/"]


def test_category_sitemap_lists_categories_with_public_questions(client, production_site):
    used, _ = make_category(slug="used"), make_category(slug="empty")
    drafts_only = make_category(slug="drafts-only")
    make_question(categories=[used])
    make_question(categories=[drafts_only], status=Question.Status.DRAFT)
    assert locations(client, "/resources/faq-categories-sitemap.xml") == [f"{HOME}faq-categories/used/"]


def test_large_sitemaps_are_paged_and_the_index_names_every_page(client, production_site, monkeypatch):
    monkeypatch.setattr("faqs.sitemaps.SiteUrlSitemap.limit", 2)
    for n in range(5):
        make_question(slug=f"q{n}")
    index = locations(client, "/resources/sitemap_index.xml")
    assert [url for url in index if "faq-sitemap" in url] == [
        f"{HOME}faq-sitemap.xml",
        f"{HOME}faq-sitemap.xml?p=2",
        f"{HOME}faq-sitemap.xml?p=3",
    ]
    assert len(locations(client, "/resources/faq-sitemap.xml?p=3")) == 1
    assert client.get("/resources/faq-sitemap.xml?p=9").status_code == 404
    assert client.get("/resources/other-sitemap.xml").status_code == 404


@pytest.mark.parametrize("size", [3, 40])
def test_sitemaps_cost_few_queries_whatever_the_size(client, django_assert_max_num_queries, size):
    category = make_category()
    for _ in range(size):
        make_question(categories=[category])
    for url, budget in (
        # 4, and the site pages' count (site_pages: page-sitemap.xml is listed once there are any).
        ("/resources/sitemap_index.xml", 5),
        ("/resources/faq-sitemap.xml", 4),
        ("/resources/faq-categories-sitemap.xml", 4),
    ):
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200


def test_robots_txt_points_at_the_sitemap_index_and_keeps_out_of_the_admin(client, production_site):
    response = client.get("/resources/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /resources/admin/",
        "",
        f"Sitemap: {HOME}sitemap_index.xml",
    ]


def test_feed_lists_the_newest_public_questions_with_absolute_links(client, production_site):
    production_site.ALLOWED_HOSTS = ["*"]  # whatever the Host header says, links use SITE_URL
    question = make_question(title="Fresh question?", slug="fresh")
    make_question(title="Secret draft?", status=Question.Status.DRAFT)
    response = client.get("/resources/feed/", HTTP_HOST="attacker.example")
    channel = ElementTree.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Fresh question?"]
    assert items[0].findtext("link") == f"{HOME}faq/fresh/"
    assert items[0].findtext("guid") == question.guid
    assert channel.findtext("link") == HOME


class ReaderView(HTMLParser):
    """What a feed reader shows of a field it renders as HTML: elements and text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[str] = []
        self.text = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)

    def handle_data(self, data):
        self.text += data


def test_feed_readers_see_titles_as_text_and_descriptions_as_safe_html(client, django_assert_max_num_queries):
    title = "Is <script>alert(1)</script> & <b>co</b> safe?"
    excerpt = "Try <script>alert(2)</script><img src=x onerror=alert(3)> & see."
    make_question(title=title, excerpt=excerpt)
    with django_assert_max_num_queries(4):
        response = client.get("/resources/feed/")
    assert response.status_code == 200
    item = ElementTree.fromstring(response.content).find("channel/item")
    shown_title, shown_description = (
        ReaderView(item.findtext("title")),
        ReaderView(item.findtext("description")),
    )
    assert (shown_title.elements, shown_title.text) == ([], title)
    assert (shown_description.elements, shown_description.text) == ([], excerpt)
