"""Prepared queries (faqs.models.prepared): a question page's reads compiled to SQL
once a process, run again with each question's values, with the rows the querysets
themselves would give (issue 18: a page the cache does not hold costs less)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.models import Count
from django.db.models.sql.compiler import SQLCompiler
from django.test import Client
from django.test.utils import CaptureQueriesContext

from faqs import views
from faqs.models import Question
from faqs.models.prepared import NO_SUCH_ID, PreparedQuery
from faqs.models.question import load_credits
from listings import related
from sources.models import Source
from tests.factories import make_category, make_question

pytestmark = pytest.mark.django_db


def fields(rows, *names):
    return [tuple(getattr(row, name) for name in names) for row in rows]


@pytest.fixture
def hub():
    """A question with two categories, two tags, two sources and related questions."""
    exams, fees = make_category(name="Exams", ordering=2), make_category(name="Fees", ordering=1)
    question = make_question(
        title="What does a retake cost?", categories=[exams, fees], tags=["retake", "cost"]
    )
    make_question(title="How often can I retake?", categories=[exams], tags=["retake"])
    make_question(title="Is there a late fee?", categories=[fees], tags=["cost", "retake"])
    Source.objects.create(question=question, position=2, title="Fees", url="https://example.org/fees")
    Source.objects.create(
        question=question,
        position=1,
        title="Handbook",
        url="https://example.org/h",
        checked_on=date(2026, 1, 2),
    )
    return Question.objects.get(pk=question.pk)


def test_the_page_reads_give_the_rows_of_their_querysets(hub):
    assert fields(views.CATEGORIES_OF.rows(hub.pk), "pk", "name") == fields(
        hub.categories.all(), "pk", "name"
    )
    assert fields(views.TAGS_OF.rows(hub.pk), "pk", "slug") == fields(hub.tags.all(), "pk", "slug")
    assert [row.name for row in views.CATEGORIES_OF.rows(hub.pk)] == [
        "Fees",
        "Exams",
    ]  # the categories' order
    prepared = related.RELATED_OF.rows(hub.pk)
    expected = [row.related for row in hub.related_entries.order_by("-score", "-related__published_at")]
    assert len(prepared) == 2 and fields(prepared, "pk", "title", "published_at", "status") == fields(
        expected, "pk", "title", "published_at", "status"
    )
    (found,) = views.QUESTION_BY_SLUG.rows(hub.slug)
    assert (found.pk, found.title, found.published_at) == (hub.pk, hub.title, hub.published_at)
    assert "search_text" in found.get_deferred_fields() and views.QUESTION_BY_SLUG.rows("no-such") == []


def test_a_questions_sources_are_read_once_in_order_and_know_their_question(hub):
    load_credits([hub])
    with CaptureQueriesContext(connection) as queries:
        sources = list(hub.sources.all())
        assert [source.question for source in sources] == [hub, hub]
    assert [source.title for source in sources] == ["Handbook", "Fees"] and len(queries) == 0
    assert sources[0].checked_on == date(2026, 1, 2)  # the field's own converter


def test_a_question_page_the_cache_does_not_hold_compiles_no_sql_for_its_reads(hub, monkeypatch):
    """The first page compiles each read once; another question's page runs the same SQL."""
    client = Client()
    assert client.get(hub.get_absolute_url()).status_code == 200
    other = Question.objects.exclude(pk=hub.pk).first()
    compiled = []
    as_sql = SQLCompiler.as_sql

    def counting(compiler, *args, **kwargs):
        compiled.append(compiler.query.model)
        return as_sql(compiler, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(other.get_absolute_url())
    assert answer.status_code == 200 and answer["X-Page-Cache"] == "miss"
    assert (
        len(queries) >= 4 and compiled == []
    )  # the row, its terms, sources, related: all run, none compiled


def test_a_stand_in_must_be_exactly_one_of_the_parameters():
    twice = PreparedQuery(lambda pk: Question.objects.filter(pk=pk).exclude(author_id=pk), NO_SUCH_ID)
    with pytest.raises(ValueError, match="is 2 of"):
        twice.rows(1)
    absent = PreparedQuery(lambda pk: Question.objects.filter(slug="fixed"), NO_SUCH_ID)
    with pytest.raises(ValueError, match="is 0 of"):
        absent.rows(1)


def test_a_prepared_query_reads_its_models_own_columns_only():
    """Rows are made as the model's (from_db): a join's or an annotation's columns would
    be taken for the model's."""
    joined = PreparedQuery(lambda pk: Question.objects.filter(pk=pk).select_related("written_by"), NO_SUCH_ID)
    with pytest.raises(ValueError, match="more than its model's own columns"):
        joined.rows(1)
    annotated = PreparedQuery(lambda pk: Question.objects.filter(pk=pk).annotate(n=Count("tags")), NO_SUCH_ID)
    with pytest.raises(ValueError, match="more than its model's own columns"):
        annotated.rows(1)


def test_a_questions_byline_people_are_read_by_one_prepared_query(monkeypatch):
    """One query of the byline's two ids, its SQL compiled once a process (the first
    question's read compiles it; no later one compiles anything)."""
    from people.models import Person

    writer, reviewer = (
        Person.objects.create(name="Ana", slug="ana"),
        Person.objects.create(name="Bo", slug="bo"),
    )
    Person.objects.create(name="Cy", slug="cy")
    both = make_question(written_by=writer, reviewed_by=reviewer)
    one = make_question(reviewed_by=reviewer)
    load_credits([Question.objects.get(pk=both.pk)])  # the SQL compiled, as a first page would
    compiled = []
    as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler,
        "as_sql",
        lambda compiler, *a, **kw: compiled.append(compiler.query.model) or as_sql(compiler, *a, **kw),
    )
    for question, expected in ((both, (writer, reviewer)), (one, (None, reviewer))):
        row = Question.objects.get(pk=question.pk)
        compiled.clear()
        with CaptureQueriesContext(connection) as queries:
            load_credits([row])
        people_queries = [query for query in queries if "people_person" in query["sql"]]
        assert len(people_queries) == 1 and Person not in compiled
        with CaptureQueriesContext(connection) as queries:
            assert (row.written_by, row.reviewed_by) == expected and len(queries) == 0


def test_a_kept_question_page_leaves_behind_the_rows_read_to_make_it(hub):
    """The page's parts keep the question's own fields: not its answer (kept rendered),
    its sources or its people (a pickled queryset carries its whole query)."""
    from people.models import Person

    Question.objects.filter(pk=hub.pk).update(written_by=Person.objects.create(name="Ana", slug="ana"))
    page = views.public_question_page(hub.slug, [])
    row = page["question"]
    assert (row.pk, row.title) == (hub.pk, hub.title) and "Ana" in page["byline_html"]
    assert "content" in row.get_deferred_fields() and "_prefetched_objects_cache" not in row.__dict__
    assert row._state.fields_cache == {}
