"""Conditional requests and shared caches: every public answer carries an ETag and a
Cache-Control a CDN may follow, revalidation is answered 304, and nothing a signed-in
editor sees is ever kept."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from faqs import publishing
from faqs.models import Category, Question
from tests.certfaq.test_config import production_env, run_manage
from tests.factories import make_category, make_question, make_staff_user

pytestmark = pytest.mark.django_db

PUBLIC = "public, max-age=60, s-maxage=300, stale-while-revalidate=30"
YESTERDAY = timezone.now().replace(microsecond=0) - timedelta(days=1)


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


@pytest.fixture
def site_pages() -> dict[str, str]:
    """One address of every public page type, on a small site last changed yesterday."""
    category = make_category(slug="nclex")
    question = make_question(slug="retake", categories=[category], tags=["exam"])
    Question.objects.update(published_at=YESTERDAY, modified_at=YESTERDAY, saved_at=YESTERDAY)
    Category.objects.update(last_modified=YESTERDAY)
    return {
        "home": reverse("faqs:home"),
        "archive": reverse("faqs:archive"),
        "question": question.get_absolute_url(),
        "category": category.get_absolute_url(),
        "tag": reverse("faqs:tag", kwargs={"slug": "exam"}),
        "not found": "/resources/faq/no-such-question/",
        "feed": reverse("faqs:feed"),
        "robots": reverse("faqs:robots"),
        "sitemap index": reverse("faqs:sitemap_index"),
        "question sitemap": reverse("faqs:sitemap", kwargs={"section": "faq"}),
        "category sitemap": reverse("faqs:sitemap", kwargs={"section": "faq-categories"}),
        "wp-json collection": "/resources/wp-json/wp/v2/faq",
        "wp-json item": f"/resources/wp-json/wp/v2/faq/{question.pk}",
        "suggestions": reverse("faqs:search_suggest") + "?s=retake",
    }


PAGE_TYPES = [
    "home",
    "archive",
    "question",
    "category",
    "tag",
    "feed",
    "robots",
    "sitemap index",
    "question sitemap",
    "category sitemap",
    "wp-json collection",
    "wp-json item",
    "suggestions",
]
DATED = ["question", "feed", "sitemap index", "question sitemap", "category sitemap"]


@pytest.mark.parametrize("page", PAGE_TYPES)
def test_a_public_page_may_be_kept_by_a_cdn_and_revalidates_with_its_etag(client, site_pages, page):
    first = client.get(site_pages[page])
    assert first.status_code == 200
    assert directives(first) == set(PUBLIC.split(", "))
    assert first["ETag"].startswith('"') and "cookie" not in vary(first)
    again = client.get(site_pages[page], HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"] and directives(again) == directives(first)
    assert Session.objects.count() == 0 and not first.cookies


def test_a_missing_page_is_kept_by_a_cdn_but_asked_for_again_by_a_browser(client, site_pages):
    """A draft's address is a 404 until it is published: a browser must not keep that.
    A 304 only ever confirms a 200 (RFC 9110), so the 404 is sent again."""
    first = client.get(site_pages["not found"])
    assert first.status_code == 404 and directives(first) == {"public", "max-age=0", "s-maxage=300"}
    again = client.get(site_pages["not found"], HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 404 and "cookie" not in vary(again)


def test_a_deleted_questions_410_is_kept_like_a_page(client):
    question = make_question(slug="withdrawn")
    url = question.get_absolute_url()
    question.delete()
    gone = client.get(url)
    assert gone.status_code == 410 and directives(gone) == set(PUBLIC.split(", "))


@pytest.mark.parametrize("page", PAGE_TYPES)
def test_a_head_request_gets_the_get_answers_etag(client, site_pages, page):
    etag = client.get(site_pages[page])["ETag"]
    head = client.head(site_pages[page])
    assert head["ETag"] == etag and head.content == b""
    not_modified = client.head(site_pages[page], HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and "Content-Length" not in not_modified


@pytest.mark.parametrize("page", DATED)
def test_a_dated_page_answers_if_modified_since_until_it_changes(client, site_pages, page):
    first = client.get(site_pages[page])
    assert first["Last-Modified"] == http_date(YESTERDAY.timestamp())
    assert client.get(site_pages[page], HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    question = Question.objects.get(slug="retake")
    question.title = "How do I retake the exam?"
    publishing.save_question(question)
    changed = client.get(site_pages[page], HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert changed.status_code == 200 and changed["Last-Modified"] != first["Last-Modified"]


def test_a_question_page_answers_304_for_what_its_200_costs(
    client, site_pages, django_assert_max_num_queries
):
    etag = client.get(site_pages["question"])["ETag"]
    with django_assert_max_num_queries(6):
        assert client.get(site_pages["question"], HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_changed_page_gets_a_new_etag(client, site_pages):
    etag = client.get(site_pages["question"])["ETag"]
    question = Question.objects.get(slug="retake")
    question.content = "<p>A new answer.</p>"
    publishing.save_question(question)
    response = client.get(site_pages["question"], HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_search_results_are_never_kept_so_every_search_is_counted(client, site_pages):
    response = client.get(reverse("faqs:home"), {"s": "retake"})
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response) and "public" not in directives(response)
    assert "ETag" not in response and "cookie" not in vary(response)


@pytest.mark.parametrize("page", ["home", "archive", "question", "not found", "wp-json item"])
def test_a_signed_in_editor_gets_pages_no_cache_keeps(client, site_pages, page):
    client.force_login(make_staff_user())
    response = client.get(site_pages[page])
    assert {"private", "no-store"} <= directives(response) and "public" not in directives(response)
    assert "ETag" not in response


def test_an_editors_preview_of_a_draft_is_private_and_varies_on_the_cookie(client):
    draft = make_question(status=Question.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(make_staff_user())
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200 and {"private", "no-store"} <= directives(response)
    assert "cookie" in vary(response)


def test_the_admin_is_private_and_never_stored(client):
    client.force_login(make_staff_user())
    for response in (
        client.get(reverse("admin:index")),
        client.get(reverse("admin:faqs_question_changelist")),
    ):
        assert response.status_code == 200 and {"private", "no-store"} <= directives(response)
    client.logout()
    sign_in = client.get(reverse("admin:login"))
    assert {"private", "no-store"} <= directives(sign_in)


def test_writes_and_errors_are_never_stored(client, site_pages):
    beacon = client.post(reverse("faqs:search_opened"), {"query": "retake", "question": "1"})
    refused = client.post("/resources/wp-json/wp/v2/faq")
    bad_parameter = client.get("/resources/wp-json/wp/v2/faq", {"per_page": "many"})
    for response in (beacon, refused, bad_parameter):
        assert "no-store" in directives(response) and "public" not in directives(response)
        assert "ETag" not in response
    assert {"private", "no-store"} <= directives(refused) and {"private", "no-store"} <= directives(
        bad_parameter
    )


def test_wp_json_varies_on_origin_so_a_cdn_keeps_its_cors_answer_apart(client, site_pages):
    plain = client.get(site_pages["wp-json collection"])
    cross_origin = client.get(site_pages["wp-json collection"], HTTP_ORIGIN="https://app.example.com")
    assert "origin" in vary(plain) and "origin" in vary(cross_origin)
    assert cross_origin["Access-Control-Allow-Origin"] == "https://app.example.com"


def test_cache_lifetimes_come_from_the_environment(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.CACHE_MAX_AGE, s.CACHE_S_MAXAGE, s.CACHE_STALE_WHILE_REVALIDATE)"
    )
    env = {**production_env(tmp_path), "CACHE_MAX_AGE": "0", "CACHE_S_MAXAGE": "3600"}
    result = run_manage("shell", "-v", "0", "-c", code, env=env)
    assert result.stdout.strip() == "0 3600 30", result.stderr


@pytest.mark.parametrize("name", ["CACHE_MAX_AGE", "CACHE_S_MAXAGE", "CACHE_STALE_WHILE_REVALIDATE"])
def test_a_cache_lifetime_that_is_not_seconds_stops_the_site(tmp_path, name):
    result = run_manage("check", env={**production_env(tmp_path), name: "5m"})
    assert result.returncode != 0
    assert f"{name} must be a whole number, not '5m'" in result.stderr


def test_cache_lifetimes_from_settings_reach_the_header(client, site_pages, settings):
    settings.CACHE_MAX_AGE, settings.CACHE_S_MAXAGE, settings.CACHE_STALE_WHILE_REVALIDATE = 0, 86400, 600
    response = client.get(site_pages["archive"])
    assert directives(response) == {"public", "max-age=0", "s-maxage=86400", "stale-while-revalidate=600"}
