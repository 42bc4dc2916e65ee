"""wp-json's items kept with the page cache's fragments (wordpress.kept): a page of
100 is made from them, byte for byte what building each item gives, and an edit
shows in the next answer."""

import hashlib

import pytest
from django.http import QueryDict
from django.test import Client

from faqs import publishing
from faqs.models import Question
from tests.factories import make_category, make_question, make_staff_user
from wordpress import kept, representation
from wordpress.demo import load_reference_question
from wordpress.params import ParamReader
from wordpress.rest import finish_item, json_list, json_text

API = "/resources/wp-json/wp/v2"


@pytest.fixture(autouse=True)
def every_answer_made(settings):
    """No whole answers kept: every request makes its answer, from kept items."""
    settings.PAGE_CACHE = False


def made_afresh(query: str, ids: list[int]) -> bytes:
    """What the API answered before items were kept: each item built, shaped and the
    list encoded at once."""
    reader = ParamReader(QueryDict(query))
    questions = Question.objects.prefetch_related("categories").in_bulk(ids)
    items = [
        finish_item(
            representation.question_json(questions[pk]),
            reader,
            representation.question_embeds(
                [representation.term_embed_json(category) for category in questions[pk].categories.all()]
            ),
        )
        for pk in ids
    ]
    return json_text(items)


@pytest.mark.parametrize("count", [0, 1, 3])
def test_a_list_of_encoded_items_is_the_encoded_list(count):
    items = [{"id": n, "title": {"rendered": f"Qué {n}?"}, "list": [1, None, True]} for n in range(count)]
    assert json_list([json_text(item) for item in items]) == json_text(items)


@pytest.mark.django_db
def test_a_page_of_100_is_made_from_kept_items(client, monkeypatch, django_assert_max_num_queries):
    category = make_category()
    for _ in range(30):
        make_question(categories=[category])
    first = client.get(f"{API}/faq", {"per_page": 100})
    monkeypatch.setattr(representation, "question_json", lambda question: pytest.fail("an item was built"))
    # The count, the page's ids from the archive, their rows' pks: no item built.
    with django_assert_max_num_queries(3):
        again = client.get(f"{API}/faq", {"per_page": 100})
    assert again.content == first.content and len(first.json()) == 30


@pytest.mark.django_db
def test_embedded_terms_are_added_to_kept_items_without_decoding_them(client, monkeypatch):
    category = make_category(name="Nursing", slug="nursing")
    for _ in range(3):
        make_question(categories=[category])
    client.get(f"{API}/faq")
    monkeypatch.setattr(kept, "decoded", lambda items: pytest.fail("the items were decoded"))
    items = client.get(f"{API}/faq", {"_embed": "1"}).json()
    assert [item["_embedded"]["wp:term"][0][0]["slug"] for item in items] == ["nursing"] * 3


@pytest.mark.django_db
def test_an_edit_shows_in_the_next_answer(client):
    category = make_category(name="Nursing", slug="nursing")
    question = make_question(title="Old title", categories=[category])
    make_question(title="Another", categories=[category])
    assert "Old title" in client.get(f"{API}/faq").content.decode()
    question.title = "New title"
    publishing.save_question(question)
    category.slug = "nursing-exams"
    publishing.save_category(category)
    items = client.get(f"{API}/faq").json()
    assert [item["title"]["rendered"] for item in items] == ["Another", "New title"]
    assert all("faq-categories-nursing-exams" in item["class_list"] for item in items)
    assert (
        client.get(f"{API}/faq/{question.pk}").json()["yoast_head_json"]["og_title"].startswith("New title")
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "",
        "per_page=2&page=2",
        "_fields=id,title.rendered,yoast_head_json.robots",
        "_embed=1",
        "_embed=author",
        "_embed=wp:term&_fields=id,_embedded",
        "context=embed",
        "search=answer&orderby=id&order=asc",
    ],
)
def test_answers_from_kept_items_are_those_built_afresh(client, query):
    parent = make_category(name="Parent", slug="parent")
    child = make_category(name="Child", slug="child", parent=parent)
    for number in range(5):
        make_question(title=f"Question {number}?", categories=[child, parent][: number % 3])
    for attempt in ("made", "kept"):
        response = client.get(f"{API}/faq?{query}")
        ids = [item["id"] for item in response.json()]
        assert ids, attempt
        assert response.content == made_afresh(query, ids), attempt


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "_fields=yoast_head,yoast_head_json.schema", "_embed=1"])
def test_the_reference_item_is_unchanged_byte_for_byte(client, query):
    question = load_reference_question()
    expected = made_afresh(query, [question.pk])[1:-1]  # the one item, not a list of it
    for url in (f"{API}/faq/{question.pk}?{query}", f"{API}/faq/{question.pk}?{query}"):
        assert client.get(url).content == expected


@pytest.mark.django_db
def test_etags_are_the_bodies_and_change_with_them(client):
    question = make_question(title="Tagged?")
    listed, one = client.get(f"{API}/faq"), client.get(f"{API}/faq/{question.pk}")
    # The one item's is Django's own: the MD5 of the body.
    assert one["ETag"] == f'"{hashlib.md5(one.content).hexdigest()}"'
    assert client.get(f"{API}/faq", headers={"If-None-Match": listed["ETag"]}).status_code == 304
    assert client.get(f"{API}/faq")["ETag"] == listed["ETag"]
    question.title = "Retagged?"
    publishing.save_question(question)
    assert client.get(f"{API}/faq", headers={"If-None-Match": listed["ETag"]}).status_code == 200
    assert client.get(f"{API}/faq")["ETag"] != listed["ETag"]


@pytest.mark.django_db
def test_a_signed_in_reader_gets_no_etag_and_no_store():
    make_question()
    editor = Client()
    editor.force_login(make_staff_user())
    response = editor.get(f"{API}/faq")
    assert response.status_code == 200 and len(response.json()) == 1
    assert "no-store" in response["Cache-Control"] and not response.has_header("ETag")
