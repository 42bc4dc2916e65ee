"""People in WordPress's shapes (issue 20, point 1): wp-json items carry `author` with
`_links.author`, wp/v2/users answers for authors with public questions, and the
importer maps WordPress authors (and `_embedded.author`) to profiles."""

from __future__ import annotations

import pytest

from faqs.models import Question
from people.models import Person
from tests.factories import make_question
from tests.wordpress.test_wordpress_import import run_import
from tests.wordpress.wordpress_items import faq_item, reference_item, write_json

pytestmark = pytest.mark.django_db

API = "/resources/wp-json/wp/v2"
SITE = "http://127.0.0.1:8000/resources/"


@pytest.fixture
def jane():
    return Person.objects.create(
        name="Jane Doe", credentials="CMA (AAMA)", bio="Exam coach.", profile_links="https://example.org/jane"
    )


def test_an_item_with_a_byline_carries_author_and_its_link(client, jane):
    question = make_question(written_by=jane)
    item = client.get(f"{API}/faq/{question.pk}").json()
    keys = list(item)
    assert item["author"] == jane.pk
    assert keys.index("content") < keys.index("author") < keys.index("template")
    assert item["_links"]["author"] == [{"embeddable": True, "href": f"{SITE}wp-json/wp/v2/users/{jane.pk}"}]
    assert list(item["_links"]).index("author") == list(item["_links"]).index("about") + 1


def test_an_item_without_a_byline_has_no_author_key(client):
    question = make_question()
    item = client.get(f"{API}/faq/{question.pk}").json()
    assert "author" not in item and "author" not in item["_links"]


def test_a_user_answers_as_wordpress_shows_an_author(client, jane):
    make_question(written_by=jane)
    response = client.get(f"{API}/users/{jane.pk}")
    assert response.status_code == 200
    user = response.json()
    assert list(user) == [
        "id", "name", "url", "description", "link", "slug", "yoast_head", "yoast_head_json", "meta", "_links",
    ]  # fmt: skip
    assert (user["id"], user["name"], user["slug"]) == (jane.pk, "Jane Doe", "jane-doe")
    assert user["url"] == "https://example.org/jane" and user["description"] == "Exam coach."
    assert user["link"] == f"{SITE}author/jane-doe/"
    assert user["yoast_head_json"]["schema"]["@graph"][0]["@type"] == "ProfilePage"
    assert user["_links"]["collection"] == [{"href": f"{SITE}wp-json/wp/v2/users"}]


def test_users_without_public_questions_are_not_shown(client, jane):
    make_question(written_by=jane, status=Question.Status.DRAFT)
    response = client.get(f"{API}/users/{jane.pk}")
    assert (response.status_code, response.json()["code"]) == (401, "rest_user_cannot_view")
    assert client.get(f"{API}/users/987654").json()["code"] == "rest_user_invalid_id"
    assert client.get(f"{API}/users").json() == []


def test_the_user_list_names_writers_and_reviewers_of_public_questions(client, jane):
    omar = Person.objects.create(name="Omar Reyes")
    Person.objects.create(name="Nobody Yet")
    make_question(written_by=jane, reviewed_by=omar)
    response = client.get(f"{API}/users")
    assert [user["name"] for user in response.json()] == ["Jane Doe", "Omar Reyes"]
    assert response["X-WP-Total"] == "2"
    assert client.post(f"{API}/users").status_code == 401
    assert client.get(f"{API}/users", {"per_page": "x"}).status_code == 400


def test_the_importer_maps_authors_to_profiles_with_embedded_details(tmp_path):
    embedded = faq_item(
        701,
        author=12,
        _embedded={
            "author": [
                {
                    "id": 12,
                    "name": "Dana Whitfield",
                    "slug": "dana-w",
                    "description": "CMA since 2010.",
                    "url": "https://example.org/dana",
                }
            ]
        },
    )
    bare = faq_item(702, author=13)
    out, err, code = run_import(write_json(tmp_path / "items.json", [embedded, bare]))
    assert code == 0, err
    dana = Person.objects.get(pk=12)
    assert (dana.name, dana.slug, dana.bio, dana.same_as) == (
        "Dana Whitfield",
        "dana-w",
        "CMA since 2010.",
        ["https://example.org/dana"],
    )
    assert Question.objects.get(pk=701).written_by_id == 12
    assert Person.objects.get(pk=13).name == "Author 13"
    assert "author 13: not described in the import" in out + err
    assert Question.objects.get(pk=702).written_by_id == 13


def test_reimporting_keeps_edited_profiles_and_bylines_of_items_without_author(tmp_path):
    Person.objects.create(id=12, name="Dana Whitfield, edited here")
    out, err, code = run_import(write_json(tmp_path / "a.json", [faq_item(701, author=12)]))
    assert code == 0, err
    assert Person.objects.get(pk=12).name == "Dana Whitfield, edited here"
    later = faq_item(701, modified_gmt="2030-01-01T00:00:00")
    out, err, code = run_import(write_json(tmp_path / "b.json", [later]))
    assert code == 0, err
    assert Question.objects.get(pk=701).written_by_id == 12


def test_the_reference_item_has_no_author_and_imports_without_one(tmp_path):
    assert "author" not in reference_item()
    out, err, code = run_import(write_json(tmp_path / "549.json", reference_item()))
    assert code == 0, err
    assert Question.objects.get(pk=549).written_by is None
    assert not Person.objects.exists()


@pytest.mark.parametrize("bad", ["five", -1, 1.5, [3]])
def test_a_malformed_author_skips_the_item_with_a_reason(tmp_path, bad):
    out, err, code = run_import(write_json(tmp_path / "bad.json", [faq_item(703, author=bad)]))
    assert not Question.objects.filter(pk=703).exists()
    assert "'author' must be a whole number" in out + err


def test_a_backup_brings_back_profiles_review_and_sources(tmp_path):
    import io
    from datetime import date

    from django.core.management import call_command

    from sources.models import Source

    jane = Person.objects.create(
        name="Jane Doe", credentials="CMA (AAMA)", job_title="Coach", bio="Bio.", email="jane@example.org"
    )
    omar = Person.objects.create(name="Omar Reyes", credentials="RN", profile_links="https://example.org/o")
    question = make_question(written_by=jane, reviewed_by=omar, last_reviewed=date(2026, 5, 1))
    Source.objects.create(question=question, position=1, title="Handbook", url="https://example.org/h")
    Source.objects.create(
        question=question, position=2, title="Fees", url="https://example.org/f", checked_on=date(2026, 4, 2)
    )
    profiles = list(Person.objects.order_by("pk").values())
    call_command("export_wordpress", str(tmp_path), stdout=io.StringIO())
    Question.objects.all().delete()
    Person.objects.all().delete()
    call_command("import_wordpress", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    back = Question.objects.get(pk=question.pk)
    assert (back.written_by_id, back.reviewed_by_id, back.last_reviewed) == (
        jane.pk,
        omar.pk,
        date(2026, 5, 1),
    )
    assert list(Person.objects.order_by("pk").values()) == profiles
    assert list(back.sources.values_list("title", "url", "checked_on")) == [
        ("Handbook", "https://example.org/h", None),
        ("Fees", "https://example.org/f", date(2026, 4, 2)),
    ]


def test_a_wordpress_author_whose_id_another_profile_holds_gets_a_profile_of_its_own(tmp_path):
    ours = Person.objects.create(id=1, name="Dr. Real Reviewer")
    item = faq_item(
        704, author=1, _embedded={"author": [{"id": 1, "name": "wpadmin", "slug": "wpadmin", "url": ""}]}
    )
    out, err, code = run_import(write_json(tmp_path / "a.json", [item]))
    assert code == 0, err
    credited = Question.objects.get(pk=704).written_by
    assert credited.name == "wpadmin" and credited.pk != ours.pk
    assert "id 1 is the profile 'Dr. Real Reviewer'" in out + err
    out, err, code = run_import(
        write_json(tmp_path / "b.json", [{**item, "modified_gmt": "2031-01-01T00:00:00"}])
    )
    assert Person.objects.filter(name="wpadmin").count() == 1  # the same again, not a second copy
    assert Question.objects.get(pk=704).written_by == credited


@pytest.mark.parametrize(
    "extension, reason",
    [
        ({"sources": [{"title": "Evil", "url": "javascript:alert(1)"}]}, "url"),
        ({"sources": [{"title": "Long", "url": "https://example.org", "publisher": "p" * 400}]}, "publisher"),
        ({"written_by": {"id": 9, "name": "n" * 400}}, "name"),
        ({"written_by": {"id": 9, "name": "Ann", "email": "not an email"}}, "email"),
    ],
)
def test_imported_sources_and_profiles_are_checked_as_the_forms_check_them(tmp_path, extension, reason):
    item = faq_item(705, certfaq=extension)
    out, err, code = run_import(write_json(tmp_path / "bad.json", [item]))
    assert not Question.objects.filter(pk=705).exists()
    assert reason in out + err


def test_a_source_written_past_the_form_is_never_linked(client):
    from sources.models import Source

    question = make_question()
    Source.objects.create(question=question, title="Evil", url="javascript:alert(1)")
    html = client.get(question.get_absolute_url()).content.decode()
    assert "javascript:" not in html and "Evil" in html


def test_embed_adds_the_author_as_wordpress_embeds_it(client, jane):
    question = make_question(written_by=jane)
    make_question()  # without a byline: nothing to embed
    items = client.get(f"{API}/faq", {"_embed": "1"}).json()
    with_author = next(item for item in items if item["id"] == question.pk)
    assert list(with_author["_embedded"]) == ["author", "wp:term"]
    assert with_author["_embedded"]["author"] == [
        {
            "id": jane.pk,
            "name": "Jane Doe",
            "url": "https://example.org/jane",
            "description": "Exam coach.",
            "link": f"{SITE}author/jane-doe/",
            "slug": "jane-doe",
            "_links": {
                "self": [{"href": f"{SITE}wp-json/wp/v2/users/{jane.pk}", "targetHints": {"allow": ["GET"]}}],
                "collection": [{"href": f"{SITE}wp-json/wp/v2/users"}],
            },
        }
    ]
    without = next(item for item in items if item["id"] != question.pk)
    assert "author" not in without["_embedded"]


def test_questions_filter_by_author_as_in_wordpress(client, jane):
    mine = make_question(written_by=jane)
    other = make_question()
    by_jane = client.get(f"{API}/faq", {"author": str(jane.pk)}).json()
    assert [item["id"] for item in by_jane] == [mine.pk]
    not_jane = client.get(f"{API}/faq", {"author_exclude": str(jane.pk)}).json()
    assert [item["id"] for item in not_jane] == [other.pk]
    assert client.get(f"{API}/faq", {"author": "x"}).status_code == 400


def test_a_reexport_through_embed_imports_back_with_its_author(client, jane, tmp_path):
    question = make_question(written_by=jane)
    items = client.get(f"{API}/faq", {"_embed": "1"}).json()
    Question.objects.all().delete()
    Person.objects.all().delete()
    out, err, code = run_import(write_json(tmp_path / "items.json", items))
    assert code == 0, err
    back = Question.objects.get(pk=question.pk).written_by
    assert (back.pk, back.name, back.slug, back.bio) == (jane.pk, "Jane Doe", "jane-doe", "Exam coach.")
