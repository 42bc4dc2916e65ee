"""Public pages: what a visitor sees, what a crawler gets, and what they cost."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from faqs.models import Question
from faqs.views import server_error
from tests.bulk_site import import_questions
from tests.factories import make_category, make_editor, make_question

pytestmark = pytest.mark.django_db

MAX_QUERIES = 6
# A search is counted too (faqs/search/analytics.py): its first of the day, in the
# test's transaction, is a savepoint (2 statements), an update that finds no row, the
# day's row count, the prune of old rows, the insert and the update again.
COUNTED_SEARCH_QUERIES = 7
# The footer's site pages (site_pages), read by the first page made after a change of the
# site and kept as a fragment for every other: a page no fragment covers (a search
# results page, a preview) may be that first one.
FOOTER_QUERIES = 1


def query_budget(url: str) -> int:
    """MAX_QUERIES, plus the counting of a search for a results page that has a query."""
    searched = "?s=" in url and not url.endswith("?s=")
    return MAX_QUERIES + (COUNTED_SEARCH_QUERIES + FOOTER_QUERIES if searched else 0)


def make_site(size: int):
    """`size` published questions over two categories and a few tags."""
    cma = make_category(name="CMA Exam", slug="cma-exam")
    ptcb = make_category(name="PTCB Exam", slug="ptcb-exam")
    questions = [
        make_question(
            title=f"CMA question number {n}?",
            categories=[cma if n % 2 else ptcb],
            tags=["retake", f"tag{n % 3}"],
        )
        for n in range(size)
    ]
    return questions[0]


PAGE_URLS = [
    lambda q: reverse("faqs:home"),
    lambda q: reverse("faqs:home") + "?s=CMA+question",
    lambda q: reverse("faqs:archive"),
    lambda q: reverse("faqs:archive_page", kwargs={"page_number": 2}),
    lambda q: q.get_absolute_url(),
    lambda q: reverse("faqs:category", kwargs={"slug": "cma-exam"}),
    lambda q: reverse("faqs:tag", kwargs={"slug": "retake"}),
]


@pytest.mark.parametrize("size", [25, 120])
def test_page_query_count_is_small_and_independent_of_site_size(client, django_assert_max_num_queries, size):
    question = make_site(size)  # once for every page type: building the site is the slow part
    for url_of in PAGE_URLS:
        url = url_of(question)
        with django_assert_max_num_queries(query_budget(url), info=url):
            response = client.get(url)
        assert response.status_code == 200, url


def test_home_shows_intro_categories_latest_and_search(client):
    make_site(3)
    html = client.get(reverse("faqs:home")).content.decode()
    # The site's name once, in the header; the heading says what the page holds.
    assert "<h1>A hub for all your certification exams</h1>" in html
    assert html.count(">Certilyst<") == 1
    assert "CMA Exam" in html and "PTCB Exam" in html
    assert "CMA question number 2?" in html
    assert 'name="s"' in html


def test_question_page_shows_everything_a_reader_needs(client):
    category = make_category(name="CMA Exam", slug="cma-exam")
    question = make_question(
        title="How long is the CMA exam?",
        content="<p>About four hours.</p>",
        categories=[category],
        tags=["timing"],
    )
    related = make_question(title="Is the CMA exam hard?", categories=[category])
    html = client.get(question.get_absolute_url()).content.decode()
    assert html.count("<h1") == 1
    assert "<h1>How long is the CMA exam?</h1>" in html
    assert 'aria-label="Breadcrumb"' in html
    assert '<a href="/resources/">Home</a>' in html and '<a href="/resources/faq/">faqs</a>' in html
    assert '<span aria-current="page">How long is the CMA exam?</span>' in html
    assert "<p>About four hours.</p>" in html
    assert "1 min read" in html
    assert 'href="/resources/faq-categories/cma-exam/"' in html
    assert 'href="/resources/tag/timing/"' in html
    assert related.title in html
    assert question.modified_at.strftime("%Y") in html


def test_archive_paginates_twenty_a_page_newest_first(client):
    now = timezone.now()
    import_questions(
        [f"Question {n:02d}?" for n in range(45)],
        published_at=[now - timedelta(hours=n + 1) for n in range(45)],
    )
    first = client.get(reverse("faqs:archive")).content.decode()
    third = client.get(reverse("faqs:archive_page", kwargs={"page_number": 3})).content.decode()
    assert first.count('class="card"') == 20
    assert first.index("Question 00?") < first.index("Question 01?")
    assert third.count('class="card"') == 5
    assert 'rel="next" href="/resources/faq/page/2/"' in first
    assert 'rel="prev" href="/resources/faq/page/2/"' in third


def test_category_archive_includes_child_categories(client):
    parent = make_category(name="CMA Exam", slug="cma-exam")
    child = make_category(name="CMA Retakes", slug="cma-retakes", parent=parent)
    make_question(title="Parent question?", categories=[parent])
    make_question(title="Child question?", categories=[child])
    html = client.get(reverse("faqs:category", kwargs={"slug": "cma-exam"})).content.decode()
    assert "Parent question?" in html and "Child question?" in html
    child_html = client.get(reverse("faqs:category", kwargs={"slug": "cma-retakes"})).content.decode()
    assert "Parent question?" not in child_html


def test_tag_archive_lists_tagged_public_questions(client):
    make_question(title="Tagged?", tags=["retake"])
    make_question(title="Tagged draft?", tags=["retake"], status=Question.Status.DRAFT)
    make_question(title="Untagged?")
    html = client.get(reverse("faqs:tag", kwargs={"slug": "retake"})).content.decode()
    assert "Tagged?" in html
    assert "Tagged draft?" not in html and "Untagged?" not in html


def test_search_puts_title_matches_before_content_matches(client):
    now = timezone.now()
    make_question(title="Study plans", content="<p>How to pass the PTCB exam.</p>", published_at=now)
    make_question(
        title="PTCB passing score?", content="<p>Numbers.</p>", published_at=now - timedelta(days=9)
    )
    make_question(title="Unrelated", content="<p>Nothing here.</p>")
    html = client.get(reverse("faqs:home"), {"s": "ptcb"}).content.decode()
    assert html.index("passing score?") < html.index("Study plans")
    assert "Unrelated" not in html
    assert "2 questions found" in html


def test_search_needs_every_word_and_ignores_markup(client):
    make_question(title="A", content='<p>The <a href="https://example.com/strong">exam</a> fee.</p>')
    html = client.get(reverse("faqs:home"), {"s": "exam fee"}).content.decode()
    assert "1 question found" in html
    assert "0 questions found" in client.get(reverse("faqs:home"), {"s": "strong"}).content.decode()


def test_search_never_shows_unpublished_questions(client):
    make_question(title="Secret draft", status=Question.Status.DRAFT)
    make_question(title="Secret private", status=Question.Status.PRIVATE)
    html = client.get(reverse("faqs:home"), {"s": "secret"}).content.decode()
    assert "0 questions found" in html


@pytest.mark.parametrize("status", [Question.Status.DRAFT, Question.Status.PRIVATE])
def test_unpublished_questions_are_404_for_the_public(client, status):
    question = make_question(status=status)
    assert client.get(question.get_absolute_url()).status_code == 404


def test_scheduled_question_is_404_until_due(client, clock):
    question = make_question(
        status=Question.Status.SCHEDULED, published_at=timezone.now() + timedelta(days=1)
    )
    assert client.get(question.get_absolute_url()).status_code == 404
    clock.advance(timedelta(days=1, seconds=1))
    assert client.get(question.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("permissions, status", [((), 404), (("faqs.view_question",), 200)])
@pytest.mark.parametrize("question_status", [Question.Status.DRAFT, Question.Status.PRIVATE])
def test_only_staff_who_may_view_questions_preview_unpublished_ones(
    client, django_assert_max_num_queries, permissions, status, question_status
):
    question = make_question(title="Not for everyone?", status=question_status)
    client.force_login(make_editor(*permissions))
    # The user and their permissions; a preview's sources (issue 20) are read with it.
    with django_assert_max_num_queries(MAX_QUERIES + 3 + FOOTER_QUERIES):
        response = client.get(question.get_absolute_url())
    assert response.status_code == status
    assert ("Not for everyone?" in response.content.decode()) == (status == 200)


def test_staff_preview_drafts_with_a_banner(admin_client):
    question = make_question(title="Draft in progress?", status=Question.Status.DRAFT)
    response = admin_client.get(question.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this question is draft" in response.content.decode()


@pytest.mark.parametrize(
    "url, status",
    [
        ("/resources/faq/page/0/", 404),
        ("/resources/faq/page/99/", 404),
        ("/resources/faq/page/abc/", 404),
        ("/resources/faq/page/99999999999999999999999/", 404),
        ("/resources/faq/no-such-question/", 404),
        ("/resources/faq-categories/nope/", 404),
        ("/resources/tag/nope/", 404),
        ("/resources/?s=x&paged=abc", 404),
        ("/resources/?s=x&paged=%C2%B2", 404),  # "²" passes str.isdigit() but is no number
        ("/resources/?p=%C2%B2", 404),
        ("/resources/?s=x&paged=0", 404),
        ("/resources/?s=x&paged=99", 404),
        ("/resources/?s=", 200),
        ("/resources/?s=%00%ff", 200),
        ("/resources/?s=a%00b&paged=1%00", 200),
        ("/resources/faq/%00/", 404),
        ("/resources/faq-categories/a%00b/", 404),
        ("/resources/tag/%00/page/2/", 404),
        ("/resources/?s=" + "long+" * 500, 200),
        ("/resources/?s[]=array", 200),
        ("/resources/?page=abc&utm_source=x", 200),
        ("/resources/faq/?orderby=<script>", 200),
        ("/resources/nothing-here/", 404),
    ],
)
def test_bad_input_is_404_or_200_never_500(client, url, status):
    make_site(2)
    assert client.get(url).status_code == status


def test_first_page_urls_redirect_to_the_archive_itself(client):
    make_category(slug="cma-exam")
    response = client.get("/resources/faq/page/1/")
    assert response.status_code == 301 and response["Location"] == "/resources/faq/"
    response = client.get("/resources/faq-categories/cma-exam/page/1/")
    assert response.status_code == 301 and response["Location"] == "/resources/faq-categories/cma-exam/"


def test_pages_answer_head_requests_and_refuse_posts(client):
    question = make_question()
    assert client.head(question.get_absolute_url()).status_code == 200
    assert client.post(question.get_absolute_url()).status_code in (403, 405)


def test_404_page_has_a_search_box_and_is_noindex(client):
    response = client.get("/resources/faq/missing/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'role="search"' in html and 'name="s"' in html
    assert '<meta name="robots" content="noindex, follow" />' in html


def test_500_page_has_a_search_box_and_needs_no_database(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/resources/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert 'action="/resources/"' in html and 'name="s"' in html


def test_bare_host_goes_to_the_site(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/resources/"


def test_a_deleted_questions_url_answers_410_with_a_search_box(client):
    question = make_question(slug="removed")
    question.delete()
    response = client.get("/resources/faq/removed/")
    html = response.content.decode()
    assert response.status_code == 410
    assert "<h1>This question is gone</h1>" in html and 'name="s"' in html


def test_health_check_answers_200_when_the_database_answers(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/resources/health/")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


def test_head_answers_carry_headers_and_no_body(client):
    question = make_question()
    get, head = client.get(question.get_absolute_url()), client.head(question.get_absolute_url())
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == str(len(get.content))


def test_cookies_stay_under_the_sites_path(client, settings):
    assert settings.SESSION_COOKIE_PATH == settings.CSRF_COOKIE_PATH == "/resources/"
    response = client.get("/resources/admin/login/")
    # Own names too: a same-named cookie of the main site would otherwise be read.
    assert response.cookies["certfaq_csrftoken"]["path"] == "/resources/"


def test_answer_links_written_with_the_old_address_point_here(client, settings):
    settings.SITE_URL_ALIASES = ["https://certilyst.com/resources/"]
    question = make_question(content='<p><a href="https://certilyst.com/resources/faq/x/">x</a></p>')
    html = client.get(question.get_absolute_url()).content.decode()
    assert f'href="{settings.SITE_URL}faq/x/"' in html
    api = client.get(f"/resources/wp-json/wp/v2/faq/{question.pk}").json()
    assert (
        "https://certilyst.com/resources/faq/x/" in api["content"]["rendered"]
    )  # the API gives it as stored


def test_health_check_is_exempt_from_the_https_redirect(settings):
    from django.test import Client

    settings.SECURE_SSL_REDIRECT = True
    client = Client()  # the security middleware reads the setting when it starts
    assert client.get("/resources/").status_code == 301
    response = client.get("/resources/health/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "href, shown",
    [
        ("https://certilyst.com/resources/faq/x/", "SITE/faq/x/"),
        ("http://Certilyst.com/resources/faq/x/?a=1#b", "SITE/faq/x/?a=1#b"),
        ("https://certilyst.com/shop/", "https://certilyst.com/shop/"),  # another app of the old host
        ("SITE/faq/y/", "SITE/faq/y/"),  # already here, though an alias is a prefix of it
        ("http://127.0.0.1:8000/about/", "SITE/about/"),
        ("https://example.com/resources/faq/x/", "https://example.com/resources/faq/x/"),
    ],
)
def test_old_address_links_are_localised_once_and_only_under_an_alias(client, settings, href, shown):
    # The old origin, and a root alias that is a prefix of SITE_URL (http://127.0.0.1:8000/resources/).
    settings.SITE_URL_ALIASES = ["https://certilyst.com/resources/", "http://127.0.0.1:8000/"]
    site = settings.SITE_URL.rstrip("/")
    question = make_question(content=f'<p><a href="{href.replace("SITE", site)}">x</a></p>')
    html = client.get(question.get_absolute_url()).content.decode()
    assert f'href="{shown.replace("SITE", site)}"' in html.replace("&amp;", "&")


def test_control_characters_never_reach_the_feed(client):
    make_question(title="Ctrl\x0bchar?", excerpt="Escape \x1b here.")
    response = client.get("/resources/feed/")
    assert response.status_code == 200
    assert b"<title>Ctrlchar?</title>" in response.content


TERM_NAMES = ["++", ">", "🙂", "<script>alert(1)</script>", "C++ & C#"]


@pytest.mark.parametrize("name", TERM_NAMES)
def test_no_page_fails_on_a_term_name(client, django_assert_max_num_queries, name):
    question = make_question(tags=[name, "+"], categories=[make_category(name=name)])
    tag = Tag.objects.get(name=name)
    urls = [
        question.get_absolute_url(),
        reverse("faqs:tag", kwargs={"slug": tag.slug}),
        reverse("faqs:feed"),
        f"/resources/wp-json/wp/v2/faq/{question.pk}?_embed",
        "/resources/wp-json/wp/v2/faq-categories",
    ]
    for url in urls:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(url)
        assert response.status_code == 200, url
    html = client.get(question.get_absolute_url()).content.decode()
    assert f'href="/resources/tag/{tag.slug}/"' in html


class SearchLandmarks(HTMLParser):
    """The accessible name of each search landmark of a page (<search>, or any element
    with role="search"): its aria-label, or the text of what aria-labelledby names."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.landmarks: list[dict] = []
        self.text_by_id: dict[str, str] = {}
        self._open_ids: list[str | None] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "search" or attrs.get("role") == "search":
            self.landmarks.append(attrs)
        if tag not in self.VOID:
            self._open_ids.append(attrs.get("id"))
            if attrs.get("id"):
                self.text_by_id[attrs["id"]] = ""

    def handle_endtag(self, tag):
        if tag not in self.VOID and self._open_ids:
            self._open_ids.pop()

    def handle_data(self, data):
        for element_id in filter(None, self._open_ids):
            self.text_by_id[element_id] += data

    def names(self) -> list[str]:
        return [self._name(attrs) for attrs in self.landmarks]

    def _name(self, attrs: dict) -> str:
        if attrs.get("aria-label", "").strip():
            return attrs["aria-label"].strip()
        labels = [self.text_by_id.get(ref, "") for ref in attrs.get("aria-labelledby", "").split()]
        return " ".join(" ".join(labels).split())


@pytest.mark.parametrize(
    "url, status",
    [
        ("/resources/", 200),
        ("/resources/?s=CMA", 200),
        ("/resources/?s=", 200),
        ("/resources/faq/missing/", 404),
    ],
)
def test_every_page_has_one_named_search_landmark(client, django_assert_max_num_queries, url, status):
    make_site(2)
    with django_assert_max_num_queries(query_budget(url)):
        response = client.get(url)
    assert response.status_code == status
    names = SearchLandmarks(response.content.decode()).names()
    assert names == ["Site"]  # the header's only (issue 20: not a second box beside it)
