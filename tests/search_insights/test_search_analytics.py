"""Search as a source of questions to write: every search counted (its logged form, the
day, what it found) and nothing about the reader; the table bounded; clicks counted by
the beacon; the editors' reports; promotions; zero-result searches marked answered
when a question that finds them is published."""

from __future__ import annotations

import importlib
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from faqs import publishing
from faqs.models import Question
from search import engine as search
from search_insights import analytics, promotions
from search_insights.models import SearchLog, SearchPromotion
from tests.bulk_site import import_questions
from tests.factories import make_member, make_question

pytestmark = pytest.mark.django_db

ROLES_MIGRATION = importlib.import_module("faqs.migrations.0009_publishing_roles")
ANALYTICS_MIGRATION = importlib.import_module("faqs.migrations.0012_search_analytics")
HOME = reverse("faqs:home")
OPENED = reverse("faqs:search_opened")
REPORT = reverse("admin:search_insights_searchlog_changelist")
ADD_PROMOTION = reverse("admin:search_insights_searchpromotion_add")


def today():
    return timezone.localdate()


def logged(query: str) -> SearchLog:
    return SearchLog.objects.get(query=query, day=today())


def log_row(query: str, *, days_ago: int = 0, **fields) -> SearchLog:
    """A row of the log as the site would have written it `days_ago` days ago."""
    return SearchLog.objects.create(query=query, day=today() - timedelta(days=days_ago), **fields)


def search_page(client: Client, query: str, **params):
    return client.get(HOME, {"s": query, **params})


def opened(client: Client, query: str, question_id) -> object:
    return client.post(OPENED, {"query": query, "question": question_id})


@pytest.fixture
def editor(client):
    """A member of the Editor group as migrations 0009 and 0012 make it (a
    transactional test earlier in the process may have flushed the groups)."""
    schema_editor = SimpleNamespace(connection=connection)
    ROLES_MIGRATION.create_roles(apps, schema_editor)
    ANALYTICS_MIGRATION.grant_to_editors(apps, schema_editor)
    user = make_member("Editor", "editor")
    client.force_login(user)
    return user


# --- counting ------------------------------------------------------------------------


def test_a_search_is_counted_once_a_day_in_its_logged_form(client):
    make_question(title="How many times can you retake the CMA exam?")

    search_page(client, "CMA  Retake")
    search_page(client, "cma retake")

    row = SearchLog.objects.get()
    assert (row.query, row.day, row.searches, row.result_count) == ("cma retake", today(), 2, 1)


def test_the_result_count_is_the_last_searchs(client):
    question = make_question(title="What is the passing score of the CPA exam?")
    search_page(client, "passing score")
    question.status = Question.Status.DRAFT
    publishing.save_question(question)

    search_page(client, "passing score")

    assert (logged("passing score").searches, logged("passing score").result_count) == (2, 0)


def test_blank_searches_further_pages_and_head_requests_are_not_counted(client):
    import_questions([f"Exam day question {number}?" for number in range(25)])

    search_page(client, "   ")
    search_page(client, "")
    search_page(client, "exam day")
    response = search_page(client, "exam day", paged=2)
    client.head(HOME, {"s": "exam day"})

    assert response.status_code == 200
    assert list(SearchLog.objects.values_list("query", "searches")) == [("exam day", 1)]


def test_the_log_keeps_the_words_and_the_day_and_nothing_about_the_reader(client, editor):
    columns = {field.column for field in SearchLog._meta.get_fields() if field.concrete}
    assert columns == {
        "id",
        "query",
        "day",
        "searches",
        "result_count",
        "opened",
        "answered_by_id",
        "answered_at",
    }

    anonymous = Client()
    response = search_page(anonymous, "retake rules", REMOTE_ADDR="203.0.113.9")
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers
    search_page(client, "retake rules")  # a signed-in editor's search is the same count

    assert list(SearchLog.objects.values_list("query", "searches")) == [("retake rules", 2)]


def test_a_query_is_logged_no_longer_than_the_search_box_keeps_it():
    assert SearchLog._meta.get_field("query").max_length == search.MAX_QUERY_CHARS
    assert SearchPromotion._meta.get_field("query").max_length == search.MAX_QUERY_CHARS

    analytics.record_search("word " * 100, 0)

    assert SearchLog.objects.get().query == search.logged_form("word " * 100)


# --- bounded -------------------------------------------------------------------------


def test_beyond_the_days_limit_only_queries_already_logged_that_day_are_counted():
    SearchLog.objects.bulk_create(
        SearchLog(query=f"query {number}", day=today(), result_count=1)
        for number in range(analytics.QUERIES_PER_DAY)
    )

    analytics.record_search("one query too many", 0)
    analytics.record_search("query 7", 3)

    assert SearchLog.objects.count() == analytics.QUERIES_PER_DAY
    assert not SearchLog.objects.filter(query="one query too many").exists()
    assert (logged("query 7").searches, logged("query 7").result_count) == (2, 3)


def test_the_days_first_search_deletes_the_rows_older_than_the_kept_days():
    log_row("too old", days_ago=analytics.KEPT_DAYS)
    log_row("oldest kept", days_ago=analytics.KEPT_DAYS - 1)

    analytics.record_search("first of the day", 0)

    assert set(SearchLog.objects.values_list("query", flat=True)) == {"oldest kept", "first of the day"}


def test_pruning_runs_once_a_day_not_on_every_search():
    analytics.record_search("first of the day", 0)
    log_row("too old", days_ago=analytics.KEPT_DAYS + 3)  # as if written by a clock gone back

    analytics.record_search("second of the day", 0)

    assert SearchLog.objects.filter(query="too old").exists()


def test_a_database_error_while_counting_does_not_break_the_search_page(client, caplog):
    make_question(title="How many times can you retake the CMA exam?")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {SearchLog._meta.db_table}")  # rolled back with the test

    with caplog.at_level(logging.ERROR, logger="search_insights.analytics"):
        response = search_page(client, "retake")
        beacon = opened(client, "retake", Question.objects.get().pk)

    assert response.status_code == 200
    assert 'data-question-id="' in response.content.decode()  # the result is listed
    assert beacon.status_code == 204
    assert [record.message for record in caplog.records] == [
        "A search was not counted",
        "A click on a search result was not counted",
    ]


# --- the beacon ------------------------------------------------------------------------


def test_the_beacon_counts_an_opened_result_without_a_csrf_token():
    question = make_question(title="How many times can you retake the CMA exam?")
    reader = Client(enforce_csrf_checks=True)
    search_page(reader, "CMA Retake")

    response = opened(reader, "CMA Retake", question.pk)

    assert response.status_code == 204
    assert response.content == b""
    assert response.cookies == {}
    assert (logged("cma retake").searches, logged("cma retake").opened) == (1, 1)


def test_the_beacon_only_counts_it_writes_no_row_and_counts_no_unpublished_question(client):
    public = make_question(title="How many times can you retake the CMA exam?")
    draft = make_question(title="A draft about retakes", status=Question.Status.DRAFT)
    search_page(client, "retake")

    assert opened(client, "never searched", public.pk).status_code == 204
    assert opened(client, "retake", draft.pk).status_code == 204
    assert opened(client, "retake", 999_999).status_code == 204

    assert list(SearchLog.objects.values_list("query", "opened")) == [("retake", 0)]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"question": "1"},
        {"query": "retake"},
        {"query": "   ", "question": "1"},
        {"query": "retake", "question": "one"},
        {"query": "retake", "question": "-1"},
        {"query": "retake", "question": "0"},
        {"query": "retake", "question": "9" * 40},
        {"query": "r" * (search.MAX_QUERY_CHARS + 1), "question": "1"},
    ],
)
def test_the_beacon_refuses_bad_input_with_400(client, data):
    question = make_question(title="How many times can you retake the CMA exam?")
    search_page(client, "retake")
    data = {key: (str(question.pk) if value == "1" else value) for key, value in data.items()}

    response = client.post(OPENED, data)

    assert response.status_code == 400
    assert logged("retake").opened == 0


def test_the_beacon_answers_a_body_it_cannot_read_with_400(client):
    response = client.post(OPENED, data=b"--x\r\nbroken", content_type="multipart/form-data; boundary=x")

    assert response.status_code == 400


def test_the_beacon_answers_only_post(client):
    assert client.get(OPENED).status_code == 405
    assert client.head(OPENED).status_code == 405


# --- the reports ---------------------------------------------------------------------


def test_the_reports_list_most_searched_zero_results_and_never_opened_over_a_period():
    log_row("cma retake", searches=9, result_count=3, opened=4)
    log_row("cma retake", days_ago=1, searches=5, result_count=2, opened=0)
    log_row("passport rules", searches=4, result_count=0)
    log_row("exam fees", days_ago=3, searches=6, result_count=5, opened=0)
    log_row("old question", days_ago=20, searches=50, result_count=0)

    week = analytics.most_searched(7)
    assert [(row.query, row.searches, row.results, row.opened) for row in week] == [
        ("cma retake", 14, 3, 4),
        ("exam fees", 6, 5, 0),
        ("passport rules", 4, 0, 0),
    ]
    assert [row.query for row in analytics.most_searched(30)][0] == "old question"
    assert [(row.query, row.searches) for row in analytics.zero_results(7)] == [("passport rules", 4)]
    assert [row.query for row in analytics.zero_results(30)] == ["old question", "passport rules"]
    assert [(row.query, row.searches, row.results) for row in analytics.never_opened(7)] == [
        ("exam fees", 6, 5)
    ]


def test_zero_results_lists_the_unanswered_first_and_names_the_answer():
    question = make_question(title="What are the passport rules for the exam?")
    log_row("passport rules", searches=9, result_count=0, answered_by=question, answered_at=timezone.now())
    log_row("calculator models", searches=2, result_count=0)

    rows = analytics.zero_results(30)

    assert [(row.query, row.answered_by) for row in rows] == [
        ("calculator models", None),
        ("passport rules", question),
    ]


def test_the_search_terms_page_shows_the_three_lists_with_links_to_the_results_and_to_promote(
    client, editor, django_assert_max_num_queries
):
    question = make_question(title="What are the passport rules for the exam?")
    log_row("cma retake", searches=9, result_count=3, opened=2)
    log_row("exam fees", searches=6, result_count=5)
    log_row("passport rules", searches=4, result_count=0, answered_by=question, answered_at=timezone.now())
    log_row("calculator models", searches=2, result_count=0)
    SearchPromotion.objects.create(query="exam fees", question=question)

    # The session, the user and their permissions (4); each list and its last result
    # counts (2, 3 with the answering questions, 2); the promotion counts (1).
    with django_assert_max_num_queries(12):
        response = client.get(REPORT, {"days": "7"})

    assert response.status_code == 200
    page = response.content.decode()
    lists = response.context
    assert [row.query for row in lists["most_searched"]] == [
        "cma retake",
        "exam fees",
        "passport rules",
        "calculator models",
    ]
    assert [row.query for row in lists["zero_results"]] == ["calculator models", "passport rules"]
    assert [row.query for row in lists["never_opened"]] == ["exam fees"]
    assert f'href="{HOME}?s=cma+retake"' in page  # faqs.site.search_url
    assert f'href="{ADD_PROMOTION}?query=cma%20retake"' in page
    assert "1 promoted" in page
    change_url = reverse("admin:faqs_question_change", args=[question.pk])
    assert f'Answered by <a href="{change_url}">What are the passport rules for the exam?</a>' in page
    assert 'aria-current="page">Last 7 days' in page


def test_the_search_terms_page_is_for_editors_only(client):
    ROLES_MIGRATION.create_roles(apps, SimpleNamespace(connection=connection))
    client.force_login(make_member("Author", "author"))

    assert client.get(REPORT).status_code == 403
    assert client.get(ADD_PROMOTION).status_code == 403


def test_the_editor_group_may_read_the_report_and_manage_promotions_but_not_edit_the_log(editor):
    granted = {
        "search_insights.view_searchlog",
        *(f"search_insights.{action}_searchpromotion" for action in ("add", "change", "delete", "view")),
    }
    editor = type(editor).objects.get(pk=editor.pk)
    assert granted <= editor.get_all_permissions()
    assert (
        not {f"search_insights.{action}_searchlog" for action in ("add", "change", "delete")}
        & editor.get_all_permissions()
    )


# --- promotions ----------------------------------------------------------------------


def test_promoted_questions_come_in_the_editors_order_and_only_when_public():
    second = make_question(title="Second pick")
    first = make_question(title="First pick")
    draft = make_question(title="Not yet written", status=Question.Status.DRAFT)
    due_later = make_question(
        title="Scheduled", status=Question.Status.SCHEDULED, published_at=timezone.now() + timedelta(days=2)
    )
    other = make_question(title="For another search")
    SearchPromotion.objects.create(query="cma retake", question=second, sort_order=2)
    SearchPromotion.objects.create(query="cma retake", question=first, sort_order=1)
    SearchPromotion.objects.create(query="cma retake", question=draft, sort_order=0)
    SearchPromotion.objects.create(query="cma retake", question=due_later, sort_order=0)
    SearchPromotion.objects.create(query="cma exam", question=other)

    assert promotions.promoted_ids("  CMA   Retake ") == [first.pk, second.pk]
    assert promotions.promoted_ids("cma") == []
    assert promotions.promoted_ids("   ") == []


def test_an_editor_promotes_a_question_from_the_form_the_report_prefills(client, editor):
    question = make_question(title="How many times can you retake the CMA exam?")

    form = client.get(ADD_PROMOTION, {"query": "cma retake"})
    assert form.context["adminform"].form.initial["query"] == "cma retake"
    response = client.post(
        ADD_PROMOTION, {"query": "  CMA   Retake", "question": question.pk, "sort_order": "0"}
    )
    again = client.post(ADD_PROMOTION, {"query": "cma retake", "question": question.pk, "sort_order": "1"})

    assert response.status_code == 302
    assert list(SearchPromotion.objects.values_list("query", "question")) == [("cma retake", question.pk)]
    assert again.status_code == 200
    assert "This question is already promoted for this search." in again.content.decode()


def test_the_promotions_list_shows_them_by_search_term_in_order(client, editor):
    first = make_question(title="First pick")
    second = make_question(title="Second pick")
    SearchPromotion.objects.create(query="exam fees", question=second, sort_order=5)
    SearchPromotion.objects.create(query="exam fees", question=first, sort_order=1)
    SearchPromotion.objects.create(query="cma retake", question=second)

    response = client.get(reverse("admin:search_insights_searchpromotion_changelist"))

    assert response.status_code == 200
    shown = [(p.query, p.question.title) for p in response.context["cl"].result_list]
    assert shown == [("cma retake", "Second pick"), ("exam fees", "First pick"), ("exam fees", "Second pick")]
    filtered = client.get(reverse("admin:search_insights_searchpromotion_changelist"), {"query": "exam fees"})
    assert len(filtered.context["cl"].result_list) == 2


# --- zero-result replay ----------------------------------------------------------


def passport_question(**fields) -> Question:
    fields.setdefault("status", Question.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - timedelta(minutes=1))
    return Question(
        title="What are the passport rules at the exam centre?",
        content="<p>Bring a valid passport: the name must match your booking.</p>",
        **fields,
    )


def test_publishing_a_question_marks_the_zero_result_search_it_answers(client):
    search_page(client, "passport rules")
    assert logged("passport rules").result_count == 0
    before = timezone.now().replace(microsecond=0)

    question = passport_question()
    publishing.save_question(question)

    row = logged("passport rules")
    assert row.answered_by == question
    assert row.answered_at >= before
    assert search.matches_among("passport rules", [question.pk]) == {question.pk}


def test_a_draft_save_marks_nothing_and_its_publication_does(client):
    search_page(client, "passport rules")
    question = passport_question(status=Question.Status.DRAFT, published_at=None)

    publishing.save_question(question)
    assert logged("passport rules").answered_by is None
    question.status = Question.Status.PENDING
    publishing.save_question(question)
    assert logged("passport rules").answered_by is None

    question.status = Question.Status.PUBLISHED
    publishing.save_question(question)
    assert logged("passport rules").answered_by == question


def test_a_scheduled_question_marks_the_search_when_it_is_scheduled(client):
    search_page(client, "passport rules")

    question = passport_question(
        status=Question.Status.SCHEDULED, published_at=timezone.now() + timedelta(days=3)
    )
    publishing.save_question(question)

    assert logged("passport rules").answered_by == question


def test_a_search_answered_once_keeps_its_first_answer_and_others_are_left_alone(client):
    make_question(title="Where is the exam centre?")
    search_page(client, "passport rules")
    search_page(client, "calculator models")
    search_page(client, "exam centre")  # found something: nothing to answer
    first = passport_question()
    publishing.save_question(first)

    second = Question(
        title="Passport rules, again", status=Question.Status.PUBLISHED, published_at=timezone.now()
    )
    publishing.save_question(second)

    assert logged("passport rules").answered_by == first
    assert logged("calculator models").answered_by is None
    assert logged("exam centre").answered_by is None


def test_older_days_of_the_same_search_are_marked_too():
    log_row("passport rules", days_ago=5, result_count=0)
    log_row("passport rules", days_ago=2, result_count=0)

    question = passport_question()
    publishing.save_question(question)

    assert list(SearchLog.objects.values_list("answered_by", flat=True)) == [question.pk, question.pk]


def test_the_replay_tries_only_the_most_recent_waiting_searches():
    log_row("passport rules", days_ago=30, result_count=0)
    for number in range(analytics.REPLAYED_QUERIES):
        log_row(f"unanswerable {number}", days_ago=number % 20, result_count=0)

    publishing.save_question(passport_question())

    assert len(analytics.waiting_queries()) == analytics.REPLAYED_QUERIES
    assert SearchLog.objects.get(query="passport rules").answered_by is None


@pytest.mark.django_db(transaction=True)
def test_a_count_outside_any_transaction_commits_without_waiting_for_the_disk():
    """The request path: record_search's own transaction (on PostgreSQL with
    synchronous_commit off for it) commits the count, and leaves the setting as it was."""
    analytics.record_search("proctor rules", 3)
    analytics.record_search("proctor rules", 3)
    assert SearchLog.objects.get(query="proctor rules").searches == 2
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"


def test_the_search_terms_page_sits_in_its_own_section_of_the_admin(client, editor):
    page = client.get(REPORT).content.decode()
    section = reverse("admin:app_list", args=["search_insights"])
    assert f'<a href="{section}">Search insights</a> › Search terms' in page


@pytest.mark.parametrize(
    "old, new",
    [
        ("/resources/admin/faqs/searchlog/?period=7", "admin:search_insights_searchlog_changelist"),
        ("/resources/admin/faqs/searchpromotion/?period=7",
         "admin:search_insights_searchpromotion_changelist"),
    ],
)
def test_a_bookmark_of_the_old_admin_lists_lands_on_their_new_address(client, editor, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == reverse(new) + "?period=7"


def test_a_corrected_misspelling_is_counted_as_the_search_it_was_corrected_to(client):
    make_question(title="How many times can you retake the CMA exam?")
    search_page(client, "cma exam")
    search_page(client, "cma exm")  # shown the results for "cma exam"
    search_page(client, "cma exm", as_typed="1")  # the reader insisted: counted as typed
    rows = dict(SearchLog.objects.values_list("query", "searches"))
    assert rows == {"cma exam": 2, "cma exm": 1}
    assert logged("cma exam").result_count == 1
