"""Content health, the admin index's first panel: each count is what the question list
shows through the row's link; an author sees their own questions; the counts cost the
same number of queries however large the site (issue 19, point 3)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboard.models import QuestionHealth
from faqs import publishing
from faqs.models import Question
from search_insights.models import SearchLog
from tests.bulk_site import import_questions
from tests.factories import make_member, make_question

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
LIST = reverse("admin:faqs_question_changelist")
LONG_ANSWER = "<p>" + "Candidates book the exam through the testing centre and pay the fee. " * 30 + "</p>"


def panel(client) -> dict[str, tuple[int, str]]:
    """The panel's rows: label → (count, link)."""
    page = client.get(INDEX).content.decode()
    table = re.search(r'<div class="module content-health".*?</table>', page, re.S)
    assert table, "no content health panel"
    row = (
        r'<a href="([^"]+)">([^<]+)</a>(?:<span[^>]*>[^<]*</span>)?</th>\s*'
        r'<td class="content-health__count">([\d,]+)</td>'
    )
    rows = re.findall(row, table.group())
    return {
        label.replace("&amp;", "&"): (int(count.replace(",", "")), url.replace("&amp;", "&"))
        for url, label, count in rows
    }


def listed(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return {question.slug for question in response.context["cl"].result_list}


@pytest.fixture
def site():
    """One question for each row, and a healthy one."""
    now = timezone.now()
    make_question(slug="healthy", content=LONG_ANSWER, meta_description="A fine description of the fee.")
    make_question(slug="pending", status=Question.Status.PENDING, content=LONG_ANSWER)
    make_question(slug="soon", status=Question.Status.SCHEDULED, published_at=now + timedelta(days=2))
    make_question(slug="later", status=Question.Status.SCHEDULED, published_at=now + timedelta(days=20))
    make_question(slug="broken", content=f'{LONG_ANSWER}<p><a href="/resources/faq/no-such/">gone</a></p>')
    make_question(slug="draft-target", status=Question.Status.DRAFT)
    make_question(
        slug="to-draft", content=f'{LONG_ANSWER}<p><a href="/resources/faq/draft-target/">x</a></p>'
    )
    make_question(slug="long-description", content=LONG_ANSWER, meta_description="word " * 40)
    make_question(slug="twin-a", title="Is the CMA exam hard?", content=LONG_ANSWER)
    make_question(slug="twin-b", title="Is the CMA Exam hard?", content=LONG_ANSWER)
    make_question(slug="empty", content="", excerpt="")
    SearchLog.objects.create(query="cma in spanish", day=timezone.localdate(), result_count=0)


def test_each_count_is_what_its_link_lists(admin_client, site):
    rows = panel(admin_client)
    expected = {
        "Pending review": {"pending"},
        "Scheduled for the next 7 days": {"soon"},
        "With broken links": {"broken"},
        "With links to unpublished pages": {"to-draft"},
        "Meta description over 158 characters": {"long-description"},
        "Duplicate titles": {"twin-a", "twin-b"},
        "No description at all": {"empty"},
    }
    for label, slugs in expected.items():
        count, url = rows[label]
        assert listed(admin_client, url) == slugs, label
        assert count == len(slugs), label
    thin_count, thin_url = rows["Thin answers"]
    thin = listed(admin_client, thin_url)
    assert "healthy" not in thin and "empty" in thin and thin_count == len(thin)
    orphan_count, orphan_url = rows["Orphans"]
    assert orphan_count == len(listed(admin_client, orphan_url)) > 0
    assert rows["Searches that found nothing this week"][0] == 1


def test_an_author_sees_their_own_questions_and_no_search_report(client, site):
    author = make_member("Author", "al")
    make_question(slug="mine-pending", status=Question.Status.PENDING, author=author)
    make_question(slug="mine-empty", status=Question.Status.DRAFT, content="", author=author)
    client.force_login(author)
    page = client.get(INDEX).content.decode()
    assert "Content health: your questions" in page
    rows = panel(client)
    assert rows["Pending review"][0] == 1 and listed(client, rows["Pending review"][1]) == {"mine-pending"}
    assert rows["No description at all"][0] == 1
    assert "Searches that found nothing this week" not in rows


def index_queries(client) -> int:
    """Queries of the admin index with the panel made anew (the cache emptied)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(INDEX)
    return len(captured)


def test_the_counts_cost_the_same_queries_at_any_size(admin_client, site, django_assert_max_num_queries):
    small = index_queries(admin_client)
    for number in range(40):
        make_question(slug=f"more-{number}", content=LONG_ANSWER if number % 2 else "")
    assert index_queries(admin_client) == small
    # Kept under the stamp: only the search and draft-change counts are asked.
    with django_assert_max_num_queries(5):
        admin_client.get(INDEX)


def test_the_facts_follow_each_save():
    question = make_question(content="<p>Short.</p>", excerpt="")
    question.refresh_from_db()
    assert question.health.description == "fine" and question.health.answer_words < 10
    question.meta_description = "word " * 40
    publishing.save_question(question)
    assert QuestionHealth.objects.get(pk=question.pk).description == "long"
    question.content, question.meta_description = LONG_ANSWER, ""
    publishing.save_question(question)
    health = QuestionHealth.objects.get(pk=question.pk)
    assert health.description == "fine" and health.answer_words > 300


def test_an_import_derives_the_facts_and_migrate_fills_a_missing_table():
    import_questions([f"Imported question {number}?" for number in range(30)])
    assert QuestionHealth.objects.count() == Question.objects.count() == 30
    QuestionHealth.objects.all().delete()
    publishing.derive_missing()
    assert QuestionHealth.objects.count() == 30
