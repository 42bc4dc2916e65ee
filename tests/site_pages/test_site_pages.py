"""Site pages (About, Editorial policy…): Django's flatpages on the site, with its
templates, head and page cache; the footer that links them; the demo's five pages."""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as ElementTree

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from faqs.models import Question
from faqs.views import slug_key
from feedback.votes import add_vote
from http_cache import build, fragments
from site_pages import pages
from tests.factories import make_category, make_question, make_site_page, make_staff_user
from tests.headparse import graph_by_id, head_tags, schema_of

pytestmark = pytest.mark.django_db

HOME = "/resources/"
ABOUT = "/resources/about/"
SITE_URL = "http://127.0.0.1:8000/resources/"


def get(path: str, client: Client | None = None):
    return (client or Client()).get(path)


def heads(html: str) -> dict:
    return {(kind, name): value for kind, name, value in head_tags(html) if kind != "script"}


def test_a_site_page_shows_its_title_and_cleaned_content_under_the_site_path():
    make_site_page(
        "/about/", "About Certilyst", '<p>We answer exam questions.</p><script>alert("x")</script>'
    )
    response = get(ABOUT)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>About Certilyst</h1>" in html
    assert "<p>We answer exam questions.</p>" in html
    assert "alert" not in html.split("</head>")[1]
    assert html.count("<h1") == 1


def test_a_site_page_has_the_sites_head_and_graph():
    make_site_page("/editorial-policy/", "Editorial policy", "<p>Every answer is reviewed. Then sourced.</p>")
    html = get("/resources/editorial-policy/").content.decode()
    url = f"{SITE_URL}editorial-policy/"
    found = heads(html)
    assert found[("title", "")] == "Editorial policy - Certilyst"
    assert found[("link", "canonical")] == url
    assert found[("meta", "og:url")] == url
    assert found[("meta", "og:type")] == "article"
    assert found[("meta", "description")] == "Every answer is reviewed. Then sourced."
    graph = graph_by_id(schema_of(head_tags(html)))
    page = graph[url]
    assert page["@type"] == "WebPage" and page["name"] == "Editorial policy - Certilyst"
    crumbs = graph[page["breadcrumb"]["@id"]]
    assert [item["name"] for item in crumbs["itemListElement"]] == ["Home", "Editorial policy"]
    assert crumbs["itemListElement"][0]["item"] == SITE_URL
    assert page["isPartOf"]["@id"] in graph
    assert '<nav class="breadcrumbs" aria-label="Breadcrumb">' in html


def test_a_site_page_is_kept_by_the_page_cache_and_an_admin_edit_shows_at_once(client):
    page = make_site_page("/about/", "About", "<p>First words.</p>")
    assert get(ABOUT)["X-Page-Cache"] == "miss"
    again = get(ABOUT)
    assert again["X-Page-Cache"] == "hit" and "First words." in again.content.decode()
    client.force_login(make_staff_user("root"))
    saved = client.post(
        f"{HOME}admin/flatpages/flatpage/{page.pk}/change/",
        {"url": "/about/", "title": "About us", "content": "<p>New words.</p>", "sites": [1]},
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    html = get(ABOUT).content.decode()
    assert "<h1>About us</h1>" in html and "New words." in html


def test_a_page_made_again_from_its_fragment_costs_no_query(settings, django_assert_num_queries):
    settings.PAGE_CACHE = False  # each request makes its page
    make_site_page("/about/", "About")
    assert get(ABOUT).status_code == 200
    with django_assert_num_queries(0):
        assert get(ABOUT).status_code == 200


def test_an_unknown_page_is_a_404_and_an_old_address_still_finds_its_redirect():
    assert get("/resources/no-such-page/").status_code == 404
    assert get("/resources/a/b/").status_code == 404
    Redirect.objects.create(site_id=1, old_path="/resources/old-about/", new_path=ABOUT)
    moved = get("/resources/old-about/")
    assert moved.status_code == 301 and moved["Location"] == ABOUT
    # A page without its slash is sent to it, as Django's APPEND_SLASH does.
    make_site_page("/about/", "About")
    assert get("/resources/about")["Location"] == ABOUT


def test_unknown_addresses_are_404s_that_keep_nothing_and_ask_no_page(settings):
    """The site pages' route answers every address ending in a slash that no other
    takes: the pages' urls are read once, and an address that is none of them is
    refused without a query for it, or a fragment kept for it."""
    settings.PAGE_CACHE = False  # each request reaches the view
    make_site_page("/about/", "About")
    assert get("/resources/first-unknown/").status_code == 404  # reads the pages' urls
    unknown = [f"unknown-{secrets.token_hex(6)}/" for _ in range(50)]

    with CaptureQueriesContext(connection) as queries:
        answers = [get(f"{HOME}{url}").status_code for url in unknown]

    assert answers == [404] * 50
    # Only the redirect fallback's look-up of an old address (links.middleware), one a 404.
    assert len(queries) == 50
    assert all("django_redirect" in query["sql"] for query in queries)
    kept = [url for url in unknown if cache.get(fragments.fragment_key(f"site-page:{slug_key(url)}"))]
    assert kept == []
    assert get(ABOUT).status_code == 200
    assert cache.get(fragments.fragment_key(f"site-page:{slug_key('about/')}")) is not None


def test_a_page_of_another_site_is_not_served():
    page = FlatPage.objects.create(url="/about/", title="About", content="<p>x</p>")
    assert get(ABOUT).status_code == 404
    page.sites.add(1)
    assert get(ABOUT).status_code == 200  # the new site renews the stamp


def test_a_page_for_signed_in_readers_sends_others_to_sign_in_and_is_never_kept(client):
    make_site_page("/staff-notes/", "Staff notes", registration_required=True)
    anonymous = get("/resources/staff-notes/")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    client.force_login(make_staff_user("root"))
    shown = client.get("/resources/staff-notes/")
    assert shown.status_code == 200 and "<h1>Staff notes</h1>" in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]


FOOTER = '<nav aria-label="Site">'


def footer_titles(html: str) -> list[str]:
    footer = html.split('<footer class="site-footer">')[1].split("</footer>")[0]
    return [part.split("</a>")[0].split(">")[-1] for part in footer.split("<li>")[1:]]


@pytest.fixture
def footer_pages():
    """Four pages of the five FOOTER_PAGES names (none at /contact/), one of them for
    signed-in readers only, made in another order than the setting's."""
    make_site_page("/disclaimer/", "Disclaimer")
    make_site_page("/privacy/", "Privacy", registration_required=True)
    make_site_page("/editorial-policy/", "Editorial policy")
    make_site_page("/about/", "About Certilyst")
    make_site_page("/careers/", "Careers")  # not in FOOTER_PAGES


def test_the_footer_links_the_existing_public_pages_in_the_settings_order(footer_pages):
    question = make_question(title="How long is the CMA exam?", categories=[make_category()])
    for path in (HOME, question.get_absolute_url(), "/resources/faq/", ABOUT, "/resources/missing/"):
        html = get(path).content.decode()
        assert FOOTER in html, path
        assert footer_titles(html) == ["About Certilyst", "Editorial policy", "Disclaimer"], path
    assert '<a href="/resources/editorial-policy/">Editorial policy</a>' in html


@pytest.fixture
def new_release():
    """FOOTER_PAGES is in the release's digest (http_cache.build): a deploy with another
    value keeps its pages apart. Read again after the test changes it, and after."""
    yield build.identity.cache_clear
    build.identity.cache_clear()


def test_the_footer_follows_the_setting_and_without_pages_has_no_nav(settings, footer_pages, new_release):
    settings.FOOTER_PAGES = ["/disclaimer/", "/about/"]
    new_release()
    assert footer_titles(get(HOME).content.decode()) == ["Disclaimer", "About Certilyst"]
    settings.FOOTER_PAGES = []
    new_release()
    html = get(HOME).content.decode()
    assert FOOTER not in html and "© " in html


def test_the_footer_costs_no_query_on_a_page_made_again(settings, footer_pages, django_assert_num_queries):
    settings.PAGE_CACHE = False  # each request makes its page, from its fragments
    question = make_question(categories=[make_category()])
    paths = (HOME, question.get_absolute_url(), "/resources/faq/")
    for path in paths:
        get(path)
    for path in paths:
        with django_assert_num_queries(0):
            assert "Editorial policy" in get(path).content.decode()


def test_renaming_a_page_renames_its_footer_link_at_once(footer_pages):
    assert "About Certilyst" in get(HOME).content.decode()
    page = FlatPage.objects.get(url="/about/")
    page.title = "About us"
    page.save()
    assert footer_titles(get(HOME).content.decode())[0] == "About us"
    page.delete()
    assert footer_titles(get(HOME).content.decode()) == ["Editorial policy", "Disclaimer"]


def hub_site() -> dict:
    """Two exams, one with a subcategory; five, two and one public questions."""
    cma = make_category(name="CMA Exam", slug="cma-exam")
    retakes = make_category(name="CMA Retakes", slug="cma-retakes", parent=cma)
    pmp = make_category(name="PMP", slug="pmp")
    make_category(name="Empty", slug="empty")
    for n in range(4):
        make_question(title=f"CMA question {n}?", categories=[cma])
    make_question(title="CMA retake question?", categories=[retakes])
    make_question(title="PMP question 0?", categories=[pmp])
    make_question(title="PMP question 1?", categories=[pmp])
    make_question(title="PMP draft?", categories=[pmp], status=Question.Status.DRAFT)
    return {"cma": cma, "pmp": pmp}


def hub(html: str, name: str) -> str:
    return html.split(f'">{name}</a></h3>')[1].split("</li>\n  \n")[0].split('class="hub__title"')[0]


def test_the_home_page_shows_each_exam_with_its_count_and_newest_questions(client):
    hub_site()
    html = client.get(HOME).content.decode()
    cma = hub(html, "CMA Exam")
    # Its page's count (the subcategory's question included) and its three newest.
    assert '<p class="hub__count">5 questions</p>' in cma
    assert cma.index("CMA retake question?") < cma.index("CMA question 3?") < cma.index("CMA question 2?")
    assert "CMA question 1?" not in cma
    assert 'Also in CMA Exam: <a href="/resources/faq-categories/cma-retakes/">CMA Retakes</a>' in cma
    assert 'href="/resources/faq-categories/cma-exam/">See all 5 CMA Exam questions&nbsp;→</a>' in cma
    pmp = hub(html, "PMP")
    assert '<p class="hub__count">2 questions</p>' in pmp and "PMP draft?" not in pmp
    assert "PMP question 1?" in pmp and "PMP question 0?" in pmp
    # No hub for an empty exam; a subcategory is named in its exam's hub only.
    assert ">Empty</a></h3>" not in html and ">CMA Retakes</a></h3>" not in html
    assert '<h2 id="latest-heading">Latest questions</h2>' in html


@pytest.mark.parametrize("extra_questions", [0, 60])
def test_the_home_page_costs_the_same_few_queries_at_any_size(
    settings, extra_questions, django_assert_num_queries
):
    """Made from nothing kept: the categories with their counts, the archive's count,
    the newest of every list, their rows (`faqs.views.home_parts`), the most helpful
    (the votes' counts, then their questions), and the footer."""
    settings.PAGE_CACHE = False
    categories = hub_site()
    for n in range(extra_questions):
        question = make_question(title=f"More {n}?", categories=[categories["cma" if n % 2 else "pmp"]])
        add_vote(question, helpful=n % 3 != 0)
    with django_assert_num_queries(7 if extra_questions else 6):
        html = get(HOME).content.decode()
    if extra_questions:
        assert '<h2 id="helpful-heading">Most helpful</h2>' in html
        start = html.index('id="helpful-heading"')
        helpful = html[start : html.index("</section>", start)]
        assert helpful.count("<li><a href=") == 5


def locations(response) -> list[str]:
    namespace = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [loc.text for loc in ElementTree.fromstring(response.content).iterfind(".//sm:loc", namespace)]


def test_the_public_pages_have_a_sitemap_named_in_the_index_once_there_are_any():
    make_question(categories=[make_category()])
    assert not any("page-sitemap" in url for url in locations(get("/resources/sitemap_index.xml")))
    make_site_page("/about/", "About")
    make_site_page("/staff-notes/", "Staff notes", registration_required=True)
    assert f"{SITE_URL}page-sitemap.xml" in locations(get("/resources/sitemap_index.xml"))
    assert locations(get("/resources/page-sitemap.xml")) == [f"{SITE_URL}about/"]


def test_the_admin_cleans_a_page_and_insists_on_the_slashes(client):
    client.force_login(make_staff_user("root"))
    add = f"{HOME}admin/flatpages/flatpage/add/"
    form = client.get(add).content.decode()
    assert "django-prose-editor" in form or "prose-editor" in form  # the answer's editor
    refused = client.post(add, {"url": "/about", "title": "About", "content": "<p>x</p>", "sites": [1]})
    assert "must end with a slash" in refused.content.decode()
    client.post(add, {"url": "/about/", "title": "About", "content": '<p onclick="x()">Hi</p>', "sites": [1]})
    page = FlatPage.objects.get(url="/about/")
    assert page.content == "<p>Hi</p>"
    assert pages.page_path(page) == ABOUT


@pytest.mark.parametrize(
    ("url", "owner"),
    [("/faq/", "faqs:archive"), ("/faq/some-question/", "faqs:question"), ("/feed/", "faqs:feed")],
)
def test_the_admin_refuses_an_address_the_site_already_answers(client, url, owner):
    """A page there would never be shown: the site pages' route comes last."""
    client.force_login(make_staff_user("root"))
    add = f"{HOME}admin/flatpages/flatpage/add/"
    refused = client.post(add, {"url": url, "title": "FAQ", "content": "<p>x</p>", "sites": [1]})

    assert refused.status_code == 200
    assert f"This address is taken by another page of the site (“{owner}”): choose another." in (
        refused.content.decode()
    )
    assert not FlatPage.objects.exists()
    # An address no other view takes, however deep, is the page's own.
    client.post(add, {"url": "/faq-help/more/", "title": "More", "content": "<p>x</p>", "sites": [1]})
    assert FlatPage.objects.get().url == "/faq-help/more/"


def test_the_admin_refuses_an_address_with_an_empty_part(client):
    client.force_login(make_staff_user("root"))
    add = f"{HOME}admin/flatpages/flatpage/add/"
    refused = client.post(add, {"url": "/about//us/", "title": "About", "content": "<p>x</p>", "sites": [1]})

    assert refused.status_code == 200
    assert "cannot have an empty part" in refused.content.decode()
    assert not FlatPage.objects.exists()


def test_the_demo_has_the_five_site_pages_in_the_footer(demo_site, client):
    assert set(pages.public_pages().values_list("url", flat=True)) == {
        "/about/", "/editorial-policy/", "/contact/", "/privacy/", "/disclaimer/",
    }  # fmt: skip
    html = client.get(HOME).content.decode()
    assert footer_titles(html) == ["About Certilyst", "Editorial policy", "Contact", "Privacy", "Disclaimer"]
    policy = client.get("/resources/editorial-policy/").content.decode()
    assert "credentialed reviewer" in policy and "<h1>Editorial policy</h1>" in policy
