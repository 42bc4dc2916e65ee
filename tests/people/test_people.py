"""People (issue 20, point 1): author and reviewer profiles, the byline, the Person
nodes of the graph, and the author pages at author/<slug>/."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from faqs import seo
from faqs.models import Question
from people.models import Person
from sources.models import Source
from tests.factories import make_question
from tests.faqs.test_seo_publisher import defined_ids, id_references
from tests.headparse import graph_by_id, head_tags, schema_of

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000/resources/"


@pytest.fixture
def author():
    return Person.objects.create(
        name="Jane Doe",
        job_title="Medical assistant and exam coach",
        credentials="CMA (AAMA)",
        bio="Jane has prepared candidates for the CMA exam since 2012.",
        profile_links="https://www.linkedin.com/in/jane-doe\nnot a link\nhttps://aama-ntl.org/jane",
    )


@pytest.fixture
def reviewer():
    return Person.objects.create(name="Omar Reyes", credentials="RN, BSN", job_title="Nurse educator")


@pytest.fixture
def credited(author, reviewer):
    question = make_question(
        title="How long is the CMA exam?",
        written_by=author,
        reviewed_by=reviewer,
        last_reviewed=date(2026, 11, 2),
    )
    Source.objects.create(
        question=question, position=2, title="Exam content outline", url="https://example.org/outline"
    )
    Source.objects.create(
        question=question,
        position=1,
        title="CMA (AAMA) Candidate Handbook",
        url="https://example.org/handbook",
        publisher="AAMA",
        checked_on=date(2026, 10, 1),
    )
    return question


def page_schema(response) -> dict:
    return schema_of(head_tags(response.content.decode()))


def test_a_profile_gets_a_slug_from_its_name_and_keeps_only_real_addresses(author):
    assert author.slug == "jane-doe"
    assert Person.objects.create(name="Jane Doe").slug == "jane-doe-2"
    assert author.same_as == ["https://www.linkedin.com/in/jane-doe", "https://aama-ntl.org/jane"]
    assert author.get_absolute_url() == "/resources/author/jane-doe/"


def test_the_question_page_shows_the_byline_with_links_and_the_review_date(
    client, credited, author, reviewer
):
    html = client.get(credited.get_absolute_url()).content.decode()
    assert (
        'Written by <a href="/resources/author/jane-doe/" rel="author">Jane Doe</a>, CMA (AAMA); '
        'Reviewed by <a href="/resources/author/omar-reyes/">Omar Reyes</a>, RN, BSN, '
        'on <time datetime="2026-11-02">November 2, 2026</time>'
    ) in html


def test_a_byline_with_only_a_review_date(client):
    question = make_question(last_reviewed=date(2026, 1, 5))
    html = client.get(question.get_absolute_url()).content.decode()
    assert 'Reviewed on <time datetime="2026-01-05">January 5, 2026</time>' in html
    assert "Written by" not in html


def test_a_question_without_people_has_no_byline_and_no_new_nodes(client):
    question = make_question()
    response = client.get(question.get_absolute_url())
    assert b'class="byline"' not in response.content
    head = seo.build_head(seo.question_page(question))
    page = head["schema"]["@graph"][0]
    assert not {"author", "reviewedBy", "lastReviewed", "citation"} & set(page)
    assert [node["@type"] for node in head["schema"]["@graph"]] == [
        ["WebPage", "FAQPage"],
        "BreadcrumbList",
        "WebSite",
        "Question",
    ]


def test_the_graph_names_author_and_reviewer_as_persons_and_every_id_resolves(client, credited):
    schema = page_schema(client.get(credited.get_absolute_url()))
    graph = graph_by_id(schema)
    url = f"{SITE}faq/{credited.slug}/"
    page = graph[url]
    assert page["author"] == {"@id": f"{SITE}author/jane-doe/#person"}
    assert page["reviewedBy"] == {"@id": f"{SITE}author/omar-reyes/#person"}
    assert page["lastReviewed"] == "2026-11-02"
    jane = graph[f"{SITE}author/jane-doe/#person"]
    assert jane == {
        "@type": "Person",
        "@id": f"{SITE}author/jane-doe/#person",
        "name": "Jane Doe",
        "honorificSuffix": "CMA (AAMA)",
        "jobTitle": "Medical assistant and exam coach",
        "description": "Jane has prepared candidates for the CMA exam since 2012.",
        "sameAs": ["https://www.linkedin.com/in/jane-doe", "https://aama-ntl.org/jane"],
        "url": f"{SITE}author/jane-doe/",
    }
    assert set(id_references(schema)) <= set(defined_ids(schema))


def test_an_author_who_reviews_their_own_answer_is_one_node(client, author):
    question = make_question(written_by=author, reviewed_by=author)
    head = seo.build_head(seo.question_page(question))
    persons = [node for node in head["schema"]["@graph"] if node["@type"] == "Person"]
    assert len(persons) == 1


def test_the_author_page_is_a_profile_page_listing_their_questions(
    client, credited, author, django_assert_max_num_queries
):
    reviewed_only = make_question(title="Can you bring a calculator?", reviewed_by=author)
    make_question(title="Someone else's question")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("people:author", args=["jane-doe"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Jane Doe" in html and "CMA (AAMA)" in html
    assert credited.title in html and reviewed_only.title in html
    assert "Someone else" not in html
    assert 'rel="me noopener">linkedin.com</a>' in html
    schema = page_schema(response)
    graph = graph_by_id(schema)
    profile = graph[f"{SITE}author/jane-doe/"]
    assert profile["@type"] == "ProfilePage"
    assert profile["mainEntity"] == {"@id": f"{SITE}author/jane-doe/#person"}
    assert f"{SITE}author/jane-doe/#person" in graph
    assert set(id_references(schema)) <= set(defined_ids(schema))


def test_the_author_page_pages_through_their_archive(client, author, settings):
    settings.QUESTIONS_PER_PAGE = 20
    for number in range(22):
        make_question(title=f"Question number {number}?", written_by=author)
    first = client.get("/resources/author/jane-doe/")
    second = client.get("/resources/author/jane-doe/page/2/")
    assert first.status_code == second.status_code == 200
    assert client.get("/resources/author/jane-doe/page/1/").status_code == 301
    assert client.get("/resources/author/jane-doe/page/99/").status_code == 404
    assert client.get("/resources/author/Jane-Doe/").status_code == 301
    assert client.get("/resources/author/nobody/").status_code == 404


def test_a_question_leaves_the_author_page_when_unpublished_or_reassigned(client, credited, author, reviewer):
    other = Person.objects.create(name="Lee Park")
    credited.written_by = other
    credited.reviewed_by = None
    from faqs import publishing

    publishing.save_question(credited)
    assert credited.title not in client.get(author.get_absolute_url()).content.decode()
    assert credited.title in client.get(other.get_absolute_url()).content.decode()


def test_a_profile_edit_shows_on_the_cached_question_page(client, credited, author):
    url = credited.get_absolute_url()
    client.get(url)
    author.credentials = "CMA (AAMA), CPC"
    author.save()
    assert "Jane Doe</a>, CMA (AAMA), CPC" in client.get(url).content.decode()


def test_deleting_a_profile_keeps_the_question_without_its_byline(client, credited, author):
    url = credited.get_absolute_url()
    client.get(url)
    author.delete()
    html = client.get(url).content.decode()
    assert "Jane Doe" not in html
    assert Question.objects.get(pk=credited.pk).written_by is None


def test_a_mistyped_profile_link_is_refused_in_the_form_and_never_breaks_a_page(client, admin_client):
    response = admin_client.post(
        reverse("admin:people_person_add"),
        {"name": "Ann Lee", "profile_links": "https://[linkedin.com/in/ann"},
    )
    assert response.status_code == 200 and "is not a web address" in response.content.decode()
    ann = Person.objects.create(
        name="Ann Lee", profile_links="https://[linkedin.com/in/ann\nhttps://ok.example/ann"
    )
    question = make_question(written_by=ann)
    assert ann.same_as == ["https://ok.example/ann"]
    assert client.get(question.get_absolute_url()).status_code == 200
    assert client.get(ann.get_absolute_url()).status_code == 200
    assert client.get(f"/resources/wp-json/wp/v2/users/{ann.pk}").status_code == 200


def test_a_profile_slug_is_lower_case(client):
    ann = Person.objects.create(name="Ann Lee", slug="Ann-Lee")
    make_question(written_by=ann)
    assert ann.slug == "ann-lee"
    assert client.get(ann.get_absolute_url()).status_code == 200


def test_a_byline_with_a_credentialed_reviewer_and_no_date_ends_cleanly(client, reviewer):
    question = make_question(reviewed_by=reviewer)
    assert "Omar Reyes</a>, RN, BSN</p>" in client.get(question.get_absolute_url()).content.decode()


def test_an_author_page_naming_no_public_question_is_kept_out_of_search_engines(client, author):
    make_question(written_by=author, status=Question.Status.DRAFT)
    html = client.get(author.get_absolute_url()).content.decode()
    assert '<meta name="robots" content="noindex, follow" />' in html
