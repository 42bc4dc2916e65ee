"""Reader feedback as editors read it: counts in the question list, a filter, the
reasons on the question's form, the month's least helpful answers, the votes
read-only; authors see none of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from faqs import publishing
from feedback import votes
from feedback.helpfulness import most_helpful
from feedback.models import Vote, month_start
from tests.factories import make_member, make_question, make_staff_user
from wordpress.demo import load_demo

pytestmark = pytest.mark.django_db

QUESTION_LIST = reverse("admin:faqs_question_changelist")
REPORT = reverse("admin:faqs_question_feedback_report")
VOTES = reverse("admin:feedback_vote_changelist")


@pytest.fixture
def voted():
    """Two questions with votes: one with reasons this month and one from last month."""
    nclex = make_question(title="How long is the NCLEX?")
    pmp = make_question(title="What is the PMP?")
    quiet = make_question(title="Nobody voted here")
    for _ in range(12):
        votes.add_vote(nclex, True)
    votes.add_vote(nclex, False, reason=Vote.Reason.OUTDATED, comment="The fee is now $200.")
    votes.add_vote(nclex, False, reason=Vote.Reason.OUTDATED)
    votes.add_vote(nclex, False, reason=Vote.Reason.WRONG, comment="It is 85 questions.")
    last_month = month_start() - timedelta(days=2)
    for _ in range(5):  # more than nclex's, but last month: not in the report
        votes.add_vote(pmp, False, reason=Vote.Reason.UNCLEAR, at=last_month)
    votes.add_vote(pmp, False)
    return nclex, pmp, quiet


def test_the_question_list_shows_each_questions_counts(client, voted, django_assert_max_num_queries):
    nclex, pmp, quiet = voted
    client.force_login(make_staff_user())
    client.get(QUESTION_LIST)  # the admin's first reads (content types, sites) out of the way
    with django_assert_max_num_queries(16):
        html = client.get(QUESTION_LIST).content.decode()

    assert "12 helpful, 3 not helpful" in html
    assert "0 helpful, 6 not helpful" in html
    assert "No votes" in html


def test_the_list_column_adds_no_query_per_row(client, django_assert_num_queries):
    client.force_login(make_staff_user())
    questions = [make_question() for _ in range(3)]
    votes.add_vote(questions[0], True)
    client.get(QUESTION_LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(QUESTION_LIST)
    for question in questions[1:]:
        votes.add_vote(question, False)
    for _ in range(3):
        make_question()
    with django_assert_num_queries(len(few), exact=True):
        client.get(QUESTION_LIST)


@pytest.mark.parametrize(
    ("choice", "shown", "hidden"),
    [
        ("not_helpful_month", ["How long is the NCLEX?", "What is the PMP?"], ["Nobody voted here"]),
        ("not_helpful", ["How long is the NCLEX?", "What is the PMP?"], ["Nobody voted here"]),
        ("none", ["Nobody voted here"], ["How long is the NCLEX?", "What is the PMP?"]),
    ],
)
def test_the_list_filters_by_reader_feedback(client, voted, choice, shown, hidden):
    client.force_login(make_staff_user())
    html = client.get(QUESTION_LIST, {"feedback": choice}).content.decode()
    assert "By reader feedback" in html
    assert all(title in html for title in shown)
    assert not any(title in html for title in hidden)


def test_not_helpful_this_month_leaves_out_last_months_votes(client):
    old = make_question(title="Voted down last month only")
    votes.add_vote(old, False, at=month_start() - timedelta(hours=1))
    client.force_login(make_staff_user())
    html = client.get(QUESTION_LIST, {"feedback": "not_helpful_month"}).content.decode()
    assert "Voted down last month only" not in html
    assert (
        "Voted down last month only"
        in client.get(QUESTION_LIST, {"feedback": "not_helpful"}).content.decode()
    )


def test_the_question_form_shows_the_newest_reasons(client, voted):
    nclex, _, _ = voted
    client.force_login(make_staff_user())
    html = client.get(reverse("admin:faqs_question_change", args=[nclex.pk])).content.decode()

    assert "Reader feedback" in html
    assert "12 readers found this answer helpful, 3 did not." in html
    assert html.index("It is 85 questions.") < html.index("The fee is now $200.")  # newest first
    assert "Outdated" in html and "Wrong" in html


def test_the_report_lists_this_months_least_helpful_answers_by_reason(
    client, voted, django_assert_max_num_queries
):
    nclex, pmp, _ = voted
    client.force_login(make_staff_user())
    client.get(REPORT)
    with django_assert_max_num_queries(6):
        response = client.get(REPORT)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("How long is the NCLEX?") < html.index("What is the PMP?")
    rows = {row["question"].title: row for row in response.context["rows"]}
    assert rows["How long is the NCLEX?"]["total"] == 3
    assert dict(rows["How long is the NCLEX?"]["by_reason"]) == {
        "Outdated": 2, "Unclear": 0, "Wrong": 1, "Missing information": 0,
    }  # fmt: skip
    assert rows["What is the PMP?"]["total"] == 1  # the five of last month are not counted
    assert reverse("admin:faqs_question_change", args=[nclex.pk]) in html


def test_an_editor_sees_feedback_and_an_author_none(client, voted):
    nclex, _, _ = voted
    editor, author = make_member("Editor", "editor"), make_member("Author", "author")
    change = reverse("admin:faqs_question_change", args=[nclex.pk])

    client.force_login(editor)
    assert "12 helpful, 3 not helpful" in client.get(QUESTION_LIST).content.decode()
    assert client.get(REPORT).status_code == 200
    assert client.get(VOTES).status_code == 200
    assert "It is 85 questions." in client.get(change).content.decode()

    client.force_login(author)
    assert "not helpful" not in client.get(QUESTION_LIST).content.decode()
    assert client.get(REPORT).status_code == 403
    assert client.get(VOTES).status_code == 403
    assert "It is 85 questions." not in client.get(change).content.decode()


def test_votes_are_read_only_in_the_admin(client, voted):
    client.force_login(make_staff_user())
    vote = Vote.objects.filter(comment__startswith="It is").get()
    listed = client.get(VOTES)
    shown = client.get(reverse("admin:feedback_vote_change", args=[vote.pk]))

    assert listed.status_code == shown.status_code == 200
    assert "It is 85 questions." in listed.content.decode()
    assert REPORT in listed.content.decode()
    assert client.get(reverse("admin:feedback_vote_add")).status_code == 403
    assert client.get(reverse("admin:feedback_vote_delete", args=[vote.pk])).status_code == 403
    assert 'name="_save"' not in shown.content.decode()


def test_most_helpful_lists_public_questions_by_helpful_votes():
    best, second, tied, hidden = (make_question() for _ in range(4))
    for question, helpful, not_helpful in ((best, 5, 0), (second, 3, 0), (tied, 3, 2), (hidden, 9, 0)):
        for _ in range(helpful):
            votes.add_vote(question, True)
        for _ in range(not_helpful):
            votes.add_vote(question, False)
    hidden.status = "draft"
    publishing.save_question(hidden)

    assert most_helpful(3) == [best, second, tied]
    assert most_helpful(1) == [best]
    assert most_helpful(0) == []


def test_the_demo_votes_fill_the_report(client):
    load_demo()
    assert Vote.objects.count() > 20 and Vote.objects.exclude(comment="").exists()
    assert most_helpful(1)[0].slug == "how-many-times-can-you-retake-the-cma-exam"
    client.force_login(make_staff_user())
    assert "How Many Questions Are on the NCLEX?" in client.get(REPORT).content.decode() or (
        timezone.localtime().day == 1  # the demo's votes of the last two days may be last month's
    )
