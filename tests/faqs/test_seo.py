"""The head and schema graph, checked against the old site's reference output."""

import pytest
from django.urls import reverse

from faqs import publishing, seo
from faqs.models import Question
from tests.bulk_site import import_questions
from tests.factories import make_category, make_question
from tests.faqs.test_views import query_budget
from tests.headparse import assert_graph_matches_reference, graph_by_id, head_tags, schema_of, tag_names
from wordpress.demo import load_reference_question

pytestmark = pytest.mark.django_db

QUESTION_URL = "https://certilyst.com/resources/faq/what-happens-if-you-fail-the-cma-exam-2/"


@pytest.fixture
def imported(production_site) -> Question:
    return load_reference_question()


def question_head(question: Question) -> dict:
    question = Question.objects.prefetch_related("categories", "tags").get(pk=question.pk)
    return seo.build_head(seo.question_page(question))


def test_head_dict_holds_every_key_and_value_of_the_reference(imported, reference):
    head = question_head(imported)
    theirs = reference["yoast_head_json"]
    assert list(head) == list(theirs)  # same keys, same order
    for key, value in theirs.items():
        if key != "schema":
            assert head[key] == value, key
    assert_graph_matches_reference(head["schema"], theirs["schema"])


def test_question_entity_makes_the_page_an_faq_page(imported):
    graph = graph_by_id(question_head(imported)["schema"])
    webpage, question = graph[QUESTION_URL], graph[f"{QUESTION_URL}#question"]
    assert webpage["mainEntity"] == [{"@id": question["@id"]}]
    assert question["@type"] == "Question"
    assert question["name"] == "What Happens If You Fail the CMA Exam?"
    assert question["acceptedAnswer"]["@type"] == "Answer"
    assert "Certified Medical Assistant" in question["acceptedAnswer"]["text"]


def test_every_id_reference_resolves_inside_the_graph(imported):
    schema = question_head(imported)["schema"]
    ids = set(graph_by_id(schema))

    def references(value):
        if isinstance(value, dict):
            if set(value) == {"@id"}:
                yield value["@id"]
            for child in value.values():
                yield from references(child)
        elif isinstance(value, list):
            for child in value:
                yield from references(child)

    found = list(references(schema["@graph"]))
    assert found  # isPartOf, breadcrumb and mainEntity at least
    assert set(found) <= ids


def test_question_page_head_has_the_reference_tags_in_the_reference_order(client, imported, reference):
    response = client.get(reverse("faqs:question", kwargs={"slug": imported.slug}))
    ours, theirs = head_tags(response.content.decode()), head_tags(reference["yoast_head"])
    assert tag_names(ours) == tag_names(theirs)
    for (kind, name, our_value), (_, _, their_value) in zip(ours, theirs, strict=True):
        if kind != "script":
            assert our_value == their_value, name
    assert_graph_matches_reference(schema_of(ours), schema_of(theirs))


def test_rendered_head_has_no_yoast_comment(imported):
    assert "Yoast SEO plugin" not in seo.render_head(question_head(imported))


def test_canonical_comes_from_site_url_not_the_host_header(client, settings, imported):
    settings.ALLOWED_HOSTS = ["*"]
    response = client.get(imported.get_absolute_url(), HTTP_HOST="attacker.example")
    tags = dict(((kind, name), value) for kind, name, value in head_tags(response.content.decode()))
    assert tags[("link", "canonical")] == QUESTION_URL
    assert tags[("meta", "og:url")] == QUESTION_URL
    assert "attacker.example" not in response.content.decode()


def test_noindex_and_nofollow_reach_the_robots_tag(imported):
    imported.noindex = imported.nofollow = True
    publishing.save_question(imported)
    head = question_head(imported)
    assert head["robots"] == {"index": "noindex", "follow": "nofollow"}
    assert "canonical" not in head
    assert 'content="noindex, nofollow"' in seo.render_head(head)


def test_a_canonical_override_is_used_for_canonical_and_og_url(imported):
    imported.canonical_url = "https://example.com/original/"
    publishing.save_question(imported)
    head = question_head(imported)
    assert head["canonical"] == head["og_url"] == "https://example.com/original/"


def test_seo_title_override_is_the_title(imported):
    imported.seo_title = "CMA retakes explained"
    publishing.save_question(imported)
    head = question_head(imported)
    assert head["title"] == head["og_title"] == "CMA retakes explained"


@pytest.mark.parametrize("evil", ["</script><script>alert(1)</script>", "<!--", "a & b > c"])
def test_json_ld_cannot_be_broken_out_of(client, evil):
    question = make_question(title=f"Title {evil}", content=f"<p>Answer {evil}</p>")
    html = client.get(question.get_absolute_url()).content.decode()
    script = html.split('<script type="application/ld+json" class="yoast-schema-graph">', 1)[1]
    json_text = script.split("</script>", 1)[0]
    assert "<" not in json_text and ">" not in json_text
    schema = schema_of(head_tags(html))
    question_node = next(node for node in schema["@graph"] if node["@type"] == "Question")
    assert question_node["name"] == f"Title {evil}"


def test_archive_pages_are_collection_pages(client):
    category = make_category(name="CMA Exam", slug="cma-exam", description="All about the CMA.")
    make_question(categories=[category], tags=["retake"])
    for url in [
        reverse("faqs:home"),
        reverse("faqs:archive"),
        reverse("faqs:category", kwargs={"slug": "cma-exam"}),
        reverse("faqs:tag", kwargs={"slug": "retake"}),
    ]:
        schema = schema_of(head_tags(client.get(url).content.decode()))
        webpage = schema["@graph"][0]
        assert webpage["@type"] == "CollectionPage", url
        assert webpage["isPartOf"] == {"@id": f"{seo.home_url()}#website"}


def test_category_head_has_title_description_and_breadcrumbs(client):
    parent = make_category(name="CMA Exam", slug="cma-exam")
    make_category(
        name="CMA Retakes",
        slug="cma-retakes",
        parent=parent,
        description="<p>Retake <b>rules</b>.</p><p>More.</p>",
    )
    tags = head_tags(client.get(reverse("faqs:category", kwargs={"slug": "cma-retakes"})).content.decode())
    values = {(kind, name): value for kind, name, value in tags}
    assert values[("title", "")] == "CMA Retakes Archives - Certilyst"
    assert values[("meta", "description")] == "Retake rules."
    crumbs = next(n for n in schema_of(tags)["@graph"] if n["@type"] == "BreadcrumbList")["itemListElement"]
    assert [crumb["name"] for crumb in crumbs] == ["Home", "CMA Exam", "CMA Retakes"]  # Yoast's term trail
    assert "item" not in crumbs[-1]
    assert values[("meta", "og:type")] == "article"  # as Yoast's term archives


def test_search_results_are_noindex(client):
    tags = head_tags(client.get(reverse("faqs:home"), {"s": "cma"}).content.decode())
    values = {(kind, name): value for kind, name, value in tags}
    assert values[("meta", "robots")] == "noindex, follow"
    assert ("link", "canonical") not in values
    assert schema_of(tags)["@graph"][0]["@type"] == "SearchResultsPage"


def test_second_archive_page_title_says_which_page(client):
    import_questions([f"What is archive question {n}?" for n in range(21)])
    tags = head_tags(client.get(reverse("faqs:archive_page", kwargs={"page_number": 2})).content.decode())
    values = {(kind, name): value for kind, name, value in tags}
    assert values[("title", "")] == "FAQ Archive - Page 2 of 2 - Certilyst"
    assert values[("link", "canonical")].endswith("/resources/faq/page/2/")


def test_draft_preview_is_never_indexed(admin_client):
    draft = make_question(status=Question.Status.DRAFT)
    response = admin_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    values = {(kind, name): value for kind, name, value in head_tags(response.content.decode())}
    assert values[("meta", "robots")].startswith("noindex")
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_category_description_markup_is_shown_as_html_and_described_as_text(client):
    make_category(name="CMA", slug="cma", description="<p>About <b>the</b> CMA.</p><script>x()</script>")
    html = client.get(reverse("faqs:category", kwargs={"slug": "cma"})).content.decode()
    assert '<div class="lead"><p>About <b>the</b> CMA.</p></div>' in html
    assert '<meta name="description" content="About the CMA." />' in html


@pytest.mark.parametrize(
    "url, description",
    [
        (reverse("faqs:archive"), "3 questions on Certilyst, newest first."),
        (reverse("faqs:category", kwargs={"slug": "cma-exam"}), "2 questions about CMA Exam."),
        (reverse("faqs:category", kwargs={"slug": "ptcb-exam"}), "All about the PTCB."),
        (reverse("faqs:tag", kwargs={"slug": "retake"}), "1 question tagged “retake”."),
        (reverse("faqs:home") + "?s=CMA", "2 questions found for “CMA”."),
        (reverse("faqs:home") + "?s=", "Search the questions on Certilyst."),
    ],
)
def test_list_and_search_pages_describe_themselves(client, django_assert_max_num_queries, url, description):
    cma = make_category(name="CMA Exam", slug="cma-exam")
    make_category(name="PTCB Exam", slug="ptcb-exam", description="<p>All about the <b>PTCB</b>.</p>")
    make_question(title="Is the CMA exam hard?", categories=[cma], tags=["retake"])
    make_question(title="How long is the CMA exam?", categories=[cma])
    make_question(title="What is the PTCB?")
    with django_assert_max_num_queries(query_budget(url)):
        response = client.get(url)
    assert response.status_code == 200
    values = {(kind, name): value for kind, name, value in head_tags(response.content.decode())}
    assert values[("meta", "description")] == values[("meta", "og:description")] == description
