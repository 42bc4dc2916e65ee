"""The review cycle (issue 20, point 3): due dates from the last review and the
period (a category's, else REVIEW_EVERY_MONTHS), "Mark as reviewed" that keeps the
modified date, the filter and the Reviews due page, and `review_digest`."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from faqs.models import Question
from people.models import Person
from review import cycle
from tests.factories import make_category, make_member, make_question, make_staff_user

pytestmark = pytest.mark.django_db


def days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


@pytest.fixture
def omar():
    return Person.objects.create(name="Omar Reyes", credentials="RN", email="omar@example.org")


@pytest.fixture
def questions(omar):
    return {
        "overdue": make_question(title="Overdue answer?", last_reviewed=days_ago(400), reviewed_by=omar),
        "soon": make_question(title="Soon due answer?", last_reviewed=days_ago(350), reviewed_by=omar),
        "fresh": make_question(title="Fresh answer?", last_reviewed=days_ago(10)),
        "never": make_question(
            title="Never reviewed answer?", published_at=timezone.now() - timedelta(days=500)
        ),
        "draft": make_question(
            title="Draft answer?", status=Question.Status.DRAFT, last_reviewed=days_ago(900)
        ),
    }


def titles(queryset) -> set[str]:
    return set(queryset.values_list("title", flat=True))


def test_overdue_and_due_soon_follow_the_site_period(questions):
    assert titles(cycle.overdue()) == {"Overdue answer?", "Never reviewed answer?"}
    assert titles(cycle.due_soon()) == {"Soon due answer?"}


def test_a_category_period_counts_and_the_site_period_comes_from_settings(questions, settings):
    monthly = make_category(name="Fees", review_every_months=6)
    fresh = questions["fresh"]
    fresh.categories.add(monthly)
    stale_fee = make_question(title="Fee answer?", last_reviewed=days_ago(200), categories=[monthly])
    assert "Fee answer?" in titles(cycle.overdue())
    assert "Fresh answer?" not in titles(cycle.overdue())
    settings.REVIEW_EVERY_MONTHS = 24
    assert titles(cycle.overdue()) == {"Fee answer?"}
    assert stale_fee.pk in set(cycle.overdue().values_list("pk", flat=True))
    settings.REVIEW_EVERY_MONTHS = 0  # the cycle off for questions without a category period
    assert titles(cycle.overdue()) == {"Fee answer?"}


def editor_client(omar) -> Client:
    user = make_staff_user()
    omar.account = user
    omar.save()
    client = Client()
    client.force_login(user)
    return client


def test_mark_as_reviewed_on_the_form_keeps_content_and_modified_date(questions, omar):
    client = editor_client(omar)
    question = questions["never"]
    modified, content = question.modified_at, question.content
    change = reverse("admin:faqs_question_change", args=[question.pk])
    form = client.get(change).content.decode()
    assert "Overdue since" in form and 'formaction="/resources/admin/faqs/question/' in form
    response = client.post(
        reverse("admin:faqs_question_mark_reviewed", args=[question.pk]), {"title": "ignored"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.last_reviewed == timezone.localdate()
    assert question.reviewed_by == omar
    assert (question.modified_at, question.content, question.title) == (
        modified,
        content,
        "Never reviewed answer?",
    )
    page = Client().get(question.get_absolute_url()).content.decode()
    omar_link = '<a href="/resources/author/omar-reyes/">Omar Reyes</a>'
    assert f'Reviewed by {omar_link}, RN, on <time datetime="{timezone.localdate():%Y-%m-%d}">' in page
    assert f'"lastReviewed":"{timezone.localdate():%Y-%m-%d}"' in page
    assert question.pk not in set(cycle.overdue().values_list("pk", flat=True))


def test_mark_as_reviewed_refuses_a_get_and_an_author(questions, omar):
    question = questions["overdue"]
    url = reverse("admin:faqs_question_mark_reviewed", args=[question.pk])
    assert editor_client(omar).get(url).status_code == 405
    author = Client()
    author.force_login(make_member("Author", "writer"))
    assert author.post(url).status_code == 403
    question.refresh_from_db()
    assert question.last_reviewed == days_ago(400)


def test_the_bulk_action_marks_several(questions, omar):
    admin_client = editor_client(omar)
    picked = [questions["overdue"].pk, questions["never"].pk]
    response = admin_client.post(
        reverse("admin:faqs_question_changelist"), {"action": "mark_reviewed", "_selected_action": picked}
    )
    assert response.status_code == 302
    assert set(Question.objects.filter(pk__in=picked).values_list("last_reviewed", flat=True)) == {
        timezone.localdate()
    }


def test_the_list_filter_and_the_reviews_due_page(questions, admin_client, django_assert_max_num_queries):
    changelist = reverse("admin:faqs_question_changelist")
    overdue = admin_client.get(changelist, {"review": "overdue"}).content.decode()
    assert "Overdue answer?" in overdue and "Fresh answer?" not in overdue
    soon = admin_client.get(changelist, {"review": "soon"}).content.decode()
    assert "Soon due answer?" in soon and "Overdue answer?" not in soon
    with django_assert_max_num_queries(10):
        page = admin_client.get(reverse("admin:faqs_question_reviews")).content.decode()
    assert (
        page.index("Overdue (2)") < page.index("Overdue answer?") < page.index("Due in the next 30 days (1)")
    )
    assert page.index("Due in the next 30 days (1)") < page.index("Soon due answer?")
    assert "Draft answer?" not in page and "Fresh answer?" not in page


def test_the_digest_mails_each_reviewer_their_overdue_answers(questions, omar):
    out = io.StringIO()
    call_command("review_digest", stdout=out)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["omar@example.org"]
    assert message.subject == "[Certilyst] 1 answer is due for review"
    assert "Overdue answer?" in message.body and "Soon due answer?" not in message.body
    assert f"/resources/admin/faqs/question/{questions['overdue'].pk}/change/" in message.body
    assert "not mailed (no reviewer, no address): Never reviewed answer?" in out.getvalue()


def test_the_digest_dry_run_sends_nothing(questions):
    out = io.StringIO()
    call_command("review_digest", "--dry-run", stdout=out)
    assert mail.outbox == []
    assert "would mail Omar Reyes <omar@example.org>: 1 overdue" in out.getvalue()


def test_the_question_list_links_the_reviews_due_and_least_helpful_pages(admin_client):
    html = admin_client.get(reverse("admin:faqs_question_changelist")).content.decode()
    assert f'<a href="{reverse("admin:faqs_question_reviews")}">Reviews due</a>' in html
    assert f'<a href="{reverse("admin:faqs_question_feedback_report")}">Least helpful</a>' in html


def test_nobody_is_named_reviewer_of_a_review_they_did_not_make(questions, admin_client):
    """An editor without a profile cannot record a review under the last reviewer's name."""
    question = questions["overdue"]
    response = admin_client.post(
        reverse("admin:faqs_question_mark_reviewed", args=[question.pk]), follow=True
    )
    assert "your account has none" in response.content.decode()
    changelist = reverse("admin:faqs_question_changelist")
    admin_client.post(changelist, {"action": "mark_reviewed", "_selected_action": [question.pk]})
    question.refresh_from_db()
    assert question.last_reviewed == days_ago(400)


def test_authors_cannot_set_the_review_themselves(omar):
    author = make_member("Author", "writer")
    client = Client()
    client.force_login(author)
    form = client.get(reverse("admin:faqs_question_add")).context["adminform"].form
    assert "reviewed_by" not in form.fields and "last_reviewed" not in form.fields
    assert "written_by" in form.fields


@pytest.mark.parametrize(
    "reviewed, months, due",
    [
        ("2026-08-31", 6, "2027-02-28"),  # no 31 February: the month's last day
        ("2026-01-31", 1, "2026-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2026-03-15", 12, "2027-03-15"),
    ],
)
def test_a_review_is_due_on_its_date_and_overdue_the_day_after(reviewed, months, due):
    from datetime import date

    category = make_category(review_every_months=months)
    question = make_question(last_reviewed=date.fromisoformat(reviewed), categories=[category])
    due_on = date.fromisoformat(due)
    annotated = cycle.with_review_dates(Question.objects.filter(pk=question.pk)).get()
    assert cycle.next_review(annotated) == due_on
    assert question.pk not in set(cycle.overdue(due_on).values_list("pk", flat=True))
    assert question.pk in set(cycle.due_soon(due_on).values_list("pk", flat=True))
    assert question.pk in set(cycle.overdue(due_on + timedelta(days=1)).values_list("pk", flat=True))
    assert question.pk not in set(cycle.due_soon(due_on - timedelta(days=31)).values_list("pk", flat=True))


def test_a_category_period_is_one_to_ten_years_and_a_huge_one_never_crashes(admin_client):
    from datetime import date

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_category(review_every_months=0).full_clean()
    category = make_category(review_every_months=500)  # past the form: the shell, an import
    category.review_every_months = 30000
    category.save()
    make_question(categories=[category])
    assert admin_client.get(reverse("admin:faqs_question_reviews")).status_code == 200
    assert cycle.months_before(timezone.localdate(), 30000) == date.min
