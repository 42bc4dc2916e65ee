"""Bulk work on the question list, tag suggestions, the Tags admin, the public edit
link for editors and the admin's favicon."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from faqs.models import Question
from listings.models import ArchiveEntry
from listings.models.archive import category_key, tag_key
from tests.factories import make_category, make_editor, make_question

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:faqs_question_changelist")
SUGGESTIONS = reverse("admin:faqs_question_tag_suggestions")


def run_action(admin_client, action: str, questions, **choice):
    data = {"action": action, "_selected_action": [q.pk for q in questions]}
    asked = admin_client.post(CHANGELIST, data)
    assert asked.status_code == 200 and b'name="apply"' in asked.content  # the page that asks which
    return admin_client.post(CHANGELIST, {**data, "apply": "Apply", **choice}, follow=True)


def test_a_category_is_added_to_and_removed_from_selected_questions(admin_client):
    exam, other = make_category(name="CMA Exam"), make_category(name="PMP")
    first, second = make_question(categories=[other]), make_question()
    untouched = make_question()
    response = run_action(admin_client, "add_category", [first, second], category=exam.pk)
    assert "Category “CMA Exam” added to 2 question(s)." in response.content.decode()
    assert set(exam.questions.all()) == {first, second}
    assert set(first.categories.all()) == {exam, other}
    # Through the save path: the category's archive lists them at once.
    listed = set(
        ArchiveEntry.objects.filter(archive=category_key(exam.pk)).values_list("question_id", flat=True)
    )
    assert listed == {first.pk, second.pk}
    response = run_action(admin_client, "remove_category", [first, untouched], category=exam.pk)
    assert "Category “CMA Exam” removed from 1 question(s)." in response.content.decode()
    assert set(exam.questions.all()) == {second}


def test_a_tag_is_added_to_and_removed_from_selected_questions(admin_client):
    first, second = make_question(tags=["Retake"]), make_question(tags=["cma"])
    response = run_action(admin_client, "add_tag", [first, second], tag="retake")
    assert "Tag “Retake” added to 1 question(s)." in response.content.decode()  # first has it already
    # The tag that exists is reused, whatever the case typed: no second "retake".
    assert sorted(t.name for t in second.tags.all()) == ["Retake", "cma"]
    tag = Tag.objects.get(name__iexact="retake")  # one tag
    assert ArchiveEntry.objects.filter(archive=tag_key(tag.pk)).count() == 2
    run_action(admin_client, "remove_tag", [first, second], tag="RETAKE")
    assert not Question.objects.filter(tags__name__iexact="retake").exists()


def test_a_bulk_action_without_a_choice_asks_again(admin_client):
    question = make_question()
    response = run_action(admin_client, "add_tag", [question], tag="")
    assert response.status_code == 200 and "This field is required." in response.content.decode()


def test_tag_suggestions_start_with_the_typed_name_and_count_questions(
    admin_client, django_assert_max_num_queries
):
    make_question(tags=["retake", "exam-retakes"])
    make_question(tags=["retake"])
    make_question(tags=["pre-retake advice"])
    with django_assert_max_num_queries(6):
        response = admin_client.get(SUGGESTIONS, {"q": "ret"})
    assert response.json()["results"] == [
        {"name": "retake", "questions": 2},
        {"name": "exam-retakes", "questions": 1},
        {"name": "pre-retake advice", "questions": 1},
    ]
    assert admin_client.get(SUGGESTIONS, {"q": ""}).json() == {"results": []}
    assert admin_client.get(SUGGESTIONS, {"q": "%" * 500}).status_code == 200


def test_tag_suggestions_are_for_those_who_may_write_questions(client):
    client.force_login(make_editor("faqs.view_question"))
    assert client.get(SUGGESTIONS, {"q": "re"}).status_code == 403


def test_the_tags_admin_counts_questions_under_a_readable_section(admin_client):
    make_question(tags=["retake"])
    make_question(tags=["retake"])
    page = admin_client.get(reverse("admin:taggit_tag_changelist")).content.decode()
    assert '<td class="field-question_count">2</td>' in page
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert 'title="Models in the Tags application">Tags</a>' in index and "Taggit" not in index
    assert 'title="Models in the Sign-in attempts application">Sign-in attempts</a>' in index


def test_editors_see_an_edit_link_that_never_reaches_a_shared_cache(admin_client, client):
    question = make_question()
    edit = reverse("admin:faqs_question_change", args=[question.pk])
    response = admin_client.get(question.get_absolute_url())
    assert f'<a href="{edit}">Edit this question</a>' in response.content.decode()
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    anonymous = client.get(question.get_absolute_url())
    assert "Edit this question" not in anonymous.content.decode()
    assert "private" not in anonymous.get("Cache-Control", "")


def test_staff_who_may_not_change_questions_get_no_edit_link(client):
    question = make_question()
    client.force_login(make_editor("faqs.view_question"))
    assert "Edit this question" not in client.get(question.get_absolute_url()).content.decode()


def test_the_admin_has_the_site_favicon(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert '<link rel="icon" href="/resources/static/favicon.svg" type="image/svg+xml">' in page


def test_bulk_terms_leave_alone_what_the_user_may_not_change(client):
    """An author (no publish permission) may tag their drafts, not published questions."""
    author = make_editor("faqs.view_question", "faqs.change_question", username="author")
    client.force_login(author)
    draft, published = make_question(status=Question.Status.DRAFT, author=author), make_question()
    response = run_action(client, "add_tag", [draft, published], tag="retake")
    assert "Tag “retake” added to 1 question(s)." in response.content.decode()
    assert [t.name for t in draft.tags.all()] == ["retake"]
    assert not published.tags.exists()
