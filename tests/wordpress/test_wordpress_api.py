"""wp-json/: WordPress's REST API shapes, parameters, headers and errors."""

import json
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from faqs.models import Question
from tests.certfaq.test_config import production_env, run_manage
from tests.factories import make_category, make_question
from tests.headparse import assert_graph_matches_reference, head_tags, schema_of, tag_names
from tests.wordpress.wordpress_items import reference_item
from wordpress.demo import load_reference_question

pytestmark = pytest.mark.django_db

API = "/resources/wp-json/wp/v2"


def get_json(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"] == "application/json; charset=UTF-8"
    return response, json.loads(response.content)


@pytest.fixture
def reference_site(production_site):
    production_site.TIME_ZONE = "UTC"
    return load_reference_question()


# --- parity with the reference -----------------------------------------------------


def test_item_matches_the_reference_field_by_field(client, reference_site):
    reference = reference_item()
    _, ours = get_json(client, f"{API}/faq/549")
    assert list(ours) == list(reference)  # every field, in WordPress's order
    for field, value in reference.items():
        if field == "yoast_head":
            their_tags, our_tags = head_tags(value), head_tags(ours[field])
            assert tag_names(our_tags) == tag_names(their_tags)
            for (kind, name, our_value), (_, _, their_value) in zip(our_tags, their_tags, strict=True):
                if kind != "script":
                    assert our_value == their_value, name
            assert_graph_matches_reference(schema_of(our_tags), schema_of(their_tags))
        elif field == "yoast_head_json":
            for key, head_value in value.items():
                if key == "schema":
                    assert_graph_matches_reference(ours[field]["schema"], head_value)
                else:
                    assert ours[field][key] == head_value, key
            assert set(ours[field]) == set(value)
        else:
            assert ours[field] == value, field


def test_page_head_and_api_yoast_head_have_the_same_tags_in_order(client, reference_site):
    _, item = get_json(client, f"{API}/faq/549")
    page = client.get(reverse("faqs:question", kwargs={"slug": reference_site.slug})).content.decode()
    assert head_tags(page) == head_tags(item["yoast_head"])
    assert "Yoast SEO plugin" not in item["yoast_head"]


# --- collection -----------------------------------------------------------------------


def make_questions(count: int) -> list[Question]:
    """Questions 00 … NN, one a day from 2025-01-01; answers hold no number, so a
    search for "05" can only match a title."""
    return [
        make_question(
            title=f"Question {n:02d}?",
            content="<p>A plain answer.</p>",
            published_at=datetime(2025, 1, n + 1, tzinfo=UTC),
        )
        for n in range(count)
    ]


def test_collection_pages_with_wordpress_headers(client):
    make_questions(25)
    response, items = get_json(client, f"{API}/faq", per_page=10, page=2)
    assert [item["title"]["rendered"] for item in items][:2] == ["Question 14?", "Question 13?"]
    assert response["X-WP-Total"] == "25" and response["X-WP-TotalPages"] == "3"
    link = response["Link"]
    assert '/wp-json/wp/v2/faq?per_page=10&page=1>; rel="prev"' in link
    assert '/wp-json/wp/v2/faq?per_page=10&page=3>; rel="next"' in link


def test_collection_defaults_to_ten_newest_first(client):
    make_questions(12)
    response, items = get_json(client, f"{API}/faq")
    assert len(items) == 10 and items[0]["title"]["rendered"] == "Question 11?"
    assert response["Link"].count("rel=") == 1


def test_collection_hides_unpublished_questions(client):
    make_question(title="Public?")
    make_question(title="Draft?", status=Question.Status.DRAFT)
    make_question(title="Private?", status=Question.Status.PRIVATE)
    make_question(
        title="Future?", status=Question.Status.SCHEDULED, published_at=datetime(2099, 1, 1, tzinfo=UTC)
    )
    response, items = get_json(client, f"{API}/faq")
    assert [item["title"]["rendered"] for item in items] == ["Public?"]
    assert response["X-WP-Total"] == "1"


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"slug": "question-03"}, ["Question 03?"]),
        ({"slug": "question-03,question-05"}, ["Question 05?", "Question 03?"]),
        ({"slug[]": ["question-03", "question-04"]}, ["Question 04?", "Question 03?"]),
        ({"search": "05"}, ["Question 05?"]),
        ({"orderby": "title", "order": "asc", "per_page": 2}, ["Question 00?", "Question 01?"]),
        ({"orderby": "id", "order": "asc", "per_page": 1}, ["Question 00?"]),
        ({"orderby": "slug", "order": "desc", "per_page": 1}, ["Question 05?"]),
        ({"after": "2025-01-04T12:00:00", "order": "asc"}, ["Question 04?", "Question 05?"]),
        ({"after": "2025-01-05T00:00:00"}, ["Question 05?"]),  # strictly after, as WordPress
        ({"before": "2025-01-02T12:00:00Z"}, ["Question 01?", "Question 00?"]),
        ({"modified_after": "2000-01-01T00:00:00", "per_page": 1}, ["Question 05?"]),
        ({"modified_before": "2000-01-01T00:00:00"}, []),
    ],
)
def test_collection_filters_and_orders(client, params, expected):
    make_questions(6)
    _, items = get_json(client, f"{API}/faq", **params)
    assert [item["title"]["rendered"] for item in items] == expected


def test_include_exclude_and_orderby_include(client):
    questions = make_questions(4)
    ids = [questions[2].pk, questions[0].pk, questions[3].pk]
    _, items = get_json(client, f"{API}/faq", include=",".join(map(str, ids)), orderby="include", order="asc")
    assert [item["id"] for item in items] == ids
    _, items = get_json(client, f"{API}/faq", exclude=questions[3].pk)
    assert questions[3].pk not in [item["id"] for item in items] and len(items) == 3


def test_filter_by_category_and_embed_terms(client):
    cma = make_category(name="CMA", slug="cma")
    inside = make_question(title="Inside?", categories=[cma])
    make_question(title="Outside?")
    _, items = get_json(client, f"{API}/faq", **{"faq-categories": cma.pk, "_embed": "1"})
    assert [item["id"] for item in items] == [inside.pk]
    assert items[0]["faq-categories"] == [cma.pk]
    assert "faq-categories-cma" in items[0]["class_list"]
    assert items[0]["_embedded"]["wp:term"][0][0]["slug"] == "cma"


def test_fields_limits_the_answer(client):
    make_question(title="Only some fields?")
    _, items = get_json(client, f"{API}/faq", _fields="id,title.rendered,slug")
    # In the item's own order, not the request's: WordPress intersects the item's keys.
    assert list(items[0]) == ["id", "slug", "title"]
    assert items[0]["title"] == {"rendered": "Only some fields?"}


@pytest.mark.parametrize(
    "params, bad",
    [
        ({"per_page": "0"}, "per_page"),
        ({"per_page": "101"}, "per_page"),
        ({"per_page": "ten"}, "per_page"),
        ({"page": "0"}, "page"),
        ({"page": "-3"}, "page"),
        ({"order": "sideways"}, "order"),
        ({"orderby": "random"}, "orderby"),
        ({"include": "1,two"}, "include"),
        ({"exclude": "x"}, "exclude"),
        ({"after": "not a date"}, "after"),
        ({"modified_before": "2025-13-45"}, "modified_before"),
        ({"faq-categories": "cma"}, "faq-categories"),
        ({"context": "admin"}, "context"),
        ({"page": "²"}, "page"),
        ({"include": "1,²"}, "include"),
        ({"after": "9999-12-31T23:59:59-05:00"}, "after"),
        ({"before": "0001-01-01T00:00:00+05:00"}, "before"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(client, params, bad):
    response, body = get_json(client, f"{API}/faq", **params)
    assert response.status_code == 400
    assert body["code"] == "rest_invalid_param"
    assert body["message"] == f"Invalid parameter(s): {bad}"
    assert bad in body["data"]["params"] and body["data"]["status"] == 400


def test_a_page_past_the_end_is_400(client):
    make_questions(3)
    response, body = get_json(client, f"{API}/faq", page=2)
    assert response.status_code == 400 and body["code"] == "rest_post_invalid_page_number"


def test_orderby_relevance_needs_a_search_and_include_needs_include(client):
    _, body = get_json(client, f"{API}/faq", orderby="relevance")
    assert body["code"] == "rest_no_search_term_defined"
    _, body = get_json(client, f"{API}/faq", orderby="include")
    assert body["code"] == "rest_orderby_include_missing_include"


# --- item and errors --------------------------------------------------------------


@pytest.mark.parametrize("status", [Question.Status.DRAFT, Question.Status.PRIVATE])
def test_unpublished_and_unknown_ids_are_404(client, status):
    hidden = make_question(status=status)
    for question_id in (hidden.pk, 987654):
        response, body = get_json(client, f"{API}/faq/{question_id}")
        assert response.status_code == 404
        assert body == {
            "code": "rest_post_invalid_id",
            "message": "Invalid post ID.",
            "data": {"status": 404},
        }


@pytest.mark.parametrize(
    "method, url, status, code",
    [
        ("post", "/faq", 401, "rest_cannot_create"),
        ("post", "/faq/ID", 401, "rest_cannot_edit"),
        ("put", "/faq/ID", 401, "rest_cannot_edit"),
        ("patch", "/faq/ID", 401, "rest_cannot_edit"),
        ("delete", "/faq/ID", 401, "rest_cannot_delete"),
        ("delete", "/faq", 405, "rest_no_route"),
        ("post", "/faq-categories", 401, "rest_cannot_create"),
        ("delete", "/faq-categories/1", 401, "rest_cannot_delete"),
    ],
)
def test_the_api_is_read_only(client, method, url, status, code):
    question = make_question()
    make_category(id=1)
    response = getattr(client, method)(
        API + url.replace("ID", str(question.pk)), data="{}", content_type="application/json"
    )
    assert response.status_code == status
    assert json.loads(response.content)["code"] == code
    assert Question.objects.filter(pk=question.pk).exists()


def test_edit_context_needs_a_login(client):
    response, body = get_json(client, f"{API}/faq", context="edit")
    assert response.status_code == 401 and body["code"] == "rest_forbidden_context"


@pytest.mark.parametrize(
    "url",
    [
        "/resources/wp-json/wp/v2/posts",
        "/resources/wp-json/wp/v2/faq/abc",
        "/resources/wp-json/wp/v3/faq",
        "/resources/wp-json/wp/v2/faq/1/revisions",
    ],
)
def test_unknown_routes_answer_rest_no_route(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert json.loads(response.content)["code"] == "rest_no_route"


@pytest.mark.parametrize(
    "query",
    ["page=1e9", "per_page=", "search=%00", "include[]=1&include[]=x", "slug[x]=a", "_fields=", "order=",
     "after=2025-01-01T00:00:00%2B99:00", "faq-categories[]=", "_embed", "page=99999999999999999999",
     "include=99999999999999999999", "exclude=99999999999999999999", "faq-categories=99999999999999999999"],
)  # fmt: skip
def test_no_query_string_makes_a_500(client, query):
    make_question()
    response = client.get(f"{API}/faq?{query}")
    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    "url",
    [
        "/faq/99999999999999999999",
        "/faq-categories/99999999999999999999",
        "/faq-categories?parent=99999999999999999999",
        "/faq-categories?post=99999999999999999999",
        "/faq-categories?include=1,99999999999999999999",
    ],
)
def test_ids_too_large_for_any_row_are_404_or_400(client, url):
    assert client.get(API + url).status_code in (400, 404)


# --- terms ------------------------------------------------------------------------


def test_terms_collection_and_item(client):
    parent = make_category(name="CMA Exam", slug="cma-exam", description="About the CMA.")
    child = make_category(name="CMA Retakes", slug="cma-retakes", parent=parent)
    make_question(categories=[child])
    make_question(categories=[child], status=Question.Status.DRAFT)
    response, items = get_json(client, f"{API}/faq-categories")
    assert response["X-WP-Total"] == "2"
    assert [item["slug"] for item in items] == ["cma-exam", "cma-retakes"]
    _, item = get_json(client, f"{API}/faq-categories/{child.pk}")
    expected = ["id", "count", "description", "link", "name", "slug", "taxonomy", "parent", "meta",
                "yoast_head", "yoast_head_json", "_links"]  # fmt: skip
    assert list(item) == expected
    assert (item["count"], item["parent"], item["taxonomy"]) == (1, parent.pk, "faq-categories")
    assert item["link"].endswith("/resources/faq-categories/cma-retakes/")
    assert item["yoast_head_json"]["title"] == "CMA Retakes Archives - Certilyst"


def test_terms_of_one_question_as_wp_term_link_asks(client):
    cma = make_category(slug="cma")
    make_category(slug="other")
    question = make_question(categories=[cma])
    _, item = get_json(client, f"{API}/faq/{question.pk}")
    term_link = item["_links"]["wp:term"][0]["href"]
    _, terms = get_json(client, term_link.split("certilyst.com")[-1].replace("http://127.0.0.1:8000", ""))
    assert [term["slug"] for term in terms] == ["cma"]


def test_unknown_term_is_404(client):
    response, body = get_json(client, f"{API}/faq-categories/999")
    assert response.status_code == 404 and body["code"] == "rest_term_invalid"


def test_index_names_the_routes(client, settings):
    settings.TIME_ZONE = "Asia/Kolkata"
    _, body = get_json(client, "/resources/wp-json/")
    assert (body["timezone_string"], body["gmt_offset"]) == ("Asia/Kolkata", 5.5)
    assert body["namespaces"] == ["wp/v2"]
    assert "/wp/v2/faq" in body["routes"] and "/wp/v2/faq-categories" in body["routes"]


# --- legacy links, CORS, query counts ---------------------------------------------


@pytest.mark.parametrize("query", ["p=ID", "post_type=faq&p=ID"])
def test_legacy_post_links_redirect_permanently_to_the_canonical_url(client, query):
    question = make_question(slug="retake-rules")
    response = client.get(f"/resources/?{query.replace('ID', str(question.pk))}")
    assert response.status_code == 301
    assert response["Location"] == "http://127.0.0.1:8000/resources/faq/retake-rules/"


@pytest.mark.parametrize("query", ["p=abc", "p=", "p=424242", "post_type=page&p=ID", "p=DRAFT"])
def test_legacy_links_to_nothing_public_are_404(client, query):
    question = make_question()
    draft = make_question(status=Question.Status.DRAFT)
    url = f"/resources/?{query.replace('DRAFT', str(draft.pk)).replace('ID', str(question.pk))}"
    assert client.get(url).status_code == 404


def test_rest_route_query_reaches_the_api(client):
    question = make_question()
    response = client.get(f"/resources/?rest_route=/wp/v2/faq/{question.pk}")
    assert json.loads(response.content)["id"] == question.pk


def test_slug_routing_as_headless_clients_use_it(client):
    question = make_question(slug="how-to-retake")
    _, items = get_json(client, f"{API}/faq", slug="how-to-retake")
    assert [item["id"] for item in items] == [question.pk]


def test_cross_origin_reads_are_allowed(client):
    make_question()
    response = client.get(f"{API}/faq", HTTP_ORIGIN="https://app.example")
    assert response["Access-Control-Allow-Origin"] == "https://app.example"
    assert "X-WP-Total" in response["Access-Control-Expose-Headers"]


@pytest.mark.parametrize("size", [5, 60])
def test_api_query_counts_do_not_grow_with_the_site(client, django_assert_max_num_queries, size):
    category = make_category()
    questions = [make_question(categories=[category]) for _ in range(size)]
    # The count, the page's ids from the archive, their rows' pks; then, for the
    # items not kept yet (wordpress.kept), their rows (with their people, joined),
    # their categories and their sources (issue 20: the head's citations).
    with django_assert_max_num_queries(6):
        assert client.get(f"{API}/faq", per_page=100).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(f"{API}/faq/{questions[-1].pk}", _fields="id").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(f"{API}/faq-categories").status_code == 200


# --- second-round parity -------------------------------------------------------------


@pytest.mark.parametrize("empty", ["include=", "slug=", "faq-categories=", "search=%20", "exclude="])
def test_empty_filters_are_ignored_as_in_wordpress(client, empty):
    make_questions(3)
    response = client.get(f"{API}/faq?{empty}")
    assert response.status_code == 200 and response["X-WP-Total"] == "3"


def test_fields_reach_any_depth(client):
    make_question()
    _, items = get_json(client, f"{API}/faq", _fields="id,yoast_head_json.robots.index,nope.x")
    assert items[0]["yoast_head_json"] == {"robots": {"index": "index"}}
    assert set(items[0]) == {"id", "yoast_head_json"}


def test_other_statuses_are_forbidden_to_anonymous_clients(client):
    response, body = get_json(client, f"{API}/faq", status="draft")
    assert (response.status_code, body["code"]) == (401, "rest_forbidden_status")
    response, body = get_json(client, f"{API}/faq", status="publish")
    assert response.status_code == 200


def test_terms_of_an_unknown_or_hidden_post(client):
    draft = make_question(status=Question.Status.DRAFT)
    response, body = get_json(client, f"{API}/faq-categories", post=987654)
    assert (response.status_code, body["code"]) == (400, "rest_post_invalid_id")
    response, body = get_json(client, f"{API}/faq-categories", post=draft.pk)
    assert (response.status_code, body["code"]) == (401, "rest_forbidden_context")


def test_every_link_of_an_item_leads_somewhere(client):
    category = make_category()
    question = make_question(categories=[category])
    _, item = get_json(client, f"{API}/faq/{question.pk}")
    _, term = get_json(client, f"{API}/faq-categories/{category.pk}")
    hrefs = [link["href"] for links in (item["_links"], term["_links"]) for rel, entries in links.items()
             if rel != "curies" for link in entries]  # fmt: skip
    for href in hrefs:
        path = href.replace("http://127.0.0.1:8000", "")
        assert client.get(path).status_code == 200, path


def test_embed_can_name_relations_and_terms_embed_their_parent(client):
    parent = make_category(name="Parent", slug="parent")
    child = make_category(name="Child", slug="child", parent=parent)
    make_question(categories=[child])
    _, items = get_json(client, f"{API}/faq", _embed="author")
    assert "_embedded" not in items[0]
    _, items = get_json(client, f"{API}/faq", _embed="wp:term")
    assert items[0]["_embedded"]["wp:term"][0][0]["slug"] == "child"
    _, term = get_json(client, f"{API}/faq-categories/{child.pk}", _embed="1")
    assert term["_embedded"]["up"][0]["slug"] == "parent"


def test_cors_preflight_says_what_a_browser_may_send(client):
    response = client.options(f"{API}/faq", HTTP_ORIGIN="https://app.example")
    assert response.status_code == 200
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "X-WP-Nonce" in response["Access-Control-Allow-Headers"]


def test_rest_route_answers_writes_and_pages_like_wp_json(client):
    make_questions(3)
    response = client.post("/resources/?rest_route=/wp/v2/faq")
    assert (response.status_code, json.loads(response.content)["code"]) == (401, "rest_cannot_create")
    response = client.get("/resources/?rest_route=/wp/v2/faq&per_page=1")
    assert "rest_route" not in response["Link"]
    assert "/wp-json/wp/v2/faq?per_page=1&page=2" in response["Link"]


def test_pages_announce_the_api(client):
    question = make_question()
    response = client.get(question.get_absolute_url())
    assert '<http://127.0.0.1:8000/resources/wp-json/>; rel="https://api.w.org/"' in response["Link"]
    assert (
        f'<http://127.0.0.1:8000/resources/wp-json/wp/v2/faq/{question.pk}>; rel="alternate"'
        in response["Link"]
    )
    # Once, in the header (as WordPress's rest_output_link_header): not again in the page.
    assert response["Link"].count("https://api.w.org/") == 1
    assert "wp-json" not in response.content.decode()


@pytest.mark.parametrize(
    "url, location",
    [
        ("/resources/faq/Retake-Rules/", "/resources/faq/retake-rules/"),
        ("/resources/faq-categories/CMA-Exam/", "/resources/faq-categories/cma-exam/"),
        ("/resources/tag/Retake/", "/resources/tag/retake/"),
        ("/resources/index.php?p=ID", "http://127.0.0.1:8000/resources/faq/retake-rules/"),
        ("/resources/?faq=retake-rules", "http://127.0.0.1:8000/resources/faq/retake-rules/"),
        ("/resources/?post_type=faq&name=retake-rules", "http://127.0.0.1:8000/resources/faq/retake-rules/"),
        ("/resources/?faq-categories=cma-exam", "http://127.0.0.1:8000/resources/faq-categories/cma-exam/"),
        ("/resources/?tag=retake", "http://127.0.0.1:8000/resources/tag/retake/"),
    ],
)
def test_old_wordpress_url_forms_redirect_permanently(client, url, location):
    question = make_question(
        slug="retake-rules", categories=[make_category(slug="cma-exam")], tags=["retake"]
    )
    response = client.get(url.replace("ID", str(question.pk)))
    assert (response.status_code, response["Location"]) == (301, location)


@pytest.mark.parametrize(
    "query", ["faq=nope", "post_type=page&name=retake-rules", "faq-categories=nope", "tag=nope"]
)
def test_old_url_forms_to_nothing_are_404(client, query):
    make_question(slug="retake-rules")
    assert client.get(f"/resources/?{query}").status_code == 404


# With the database down: a script in its own process, on a database nobody listens for.
DOWN_SCRIPT = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
connection.force_debug_cursor = True  # count the queries that run
answers = {}
for url in %r:
    response = Client(raise_request_exception=False).get(url, secure=True)
    answers[url] = [response.status_code, response["Content-Type"], response.content.decode()]
print(json.dumps({"answers": answers, "queries": len(connection.queries_log)}))
"""


def test_with_the_database_down_the_api_answers_wordpress_json_errors(tmp_path):
    failing = [f"{API}/faq", f"{API}/faq/549", f"{API}/faq-categories/3", "/resources/?rest_route=/wp/v2/faq"]
    unknown = f"{API}/no-such-route"
    unreachable = "postgres://postgres@127.0.0.1:1/nothing"  # nothing listens on port 1
    env = {**production_env(tmp_path), "DATABASE_URL": unreachable}
    result = run_manage("shell", "-v", "0", "-c", DOWN_SCRIPT % [*failing, unknown], env=env)
    run = json.loads(result.stdout.splitlines()[-1])
    answers = run["answers"]
    critical = {
        "code": "internal_server_error",
        "message": "There has been a critical error on this website.",
        "data": {"status": 500},
    }
    for url in failing:
        status, content_type, body = answers[url]
        assert (status, content_type, json.loads(body)) == (500, "application/json; charset=UTF-8", critical)
    status, _, body = answers[unknown]
    assert (status, json.loads(body)["code"]) == (404, "rest_no_route")  # a route needs no database
    assert run["queries"] == 0  # none could run
