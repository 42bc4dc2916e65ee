"""Sources (issue 20, point 2): an ordered list under the answer, the page's citations
in the graph, and a warning for the editor when one was not checked for a year."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from faqs import seo
from sources.models import Source
from tests.factories import make_question
from tests.headparse import graph_by_id, head_tags, schema_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def sourced():
    question = make_question(title="What does the CMA exam cost?")
    Source.objects.create(
        question=question,
        position=2,
        title="Fee schedule",
        url="https://example.org/fees",
        checked_on=timezone.localdate() - timedelta(days=400),
    )
    Source.objects.create(
        question=question,
        position=1,
        title="Candidate Handbook",
        url="https://example.org/handbook",
        publisher="AAMA",
        checked_on=date(2026, 10, 1),
    )
    return question


def test_sources_are_listed_under_the_answer_in_their_order(client, sourced):
    html = client.get(sourced.get_absolute_url()).content.decode()
    answer_end = html.index("</div>", html.index('class="answer"'))
    sources = html.index('<h2 id="sources-heading">Sources</h2>')
    assert answer_end < sources
    handbook = html.index('<a href="https://example.org/handbook">Candidate Handbook</a>, AAMA')
    assert handbook < html.index('<a href="https://example.org/fees">Fee schedule</a>')
    assert '(checked <time datetime="2026-10-01">October 1, 2026</time>)' in html


def test_sources_are_the_pages_citations(client, sourced):
    schema = schema_of(head_tags(client.get(sourced.get_absolute_url()).content.decode()))
    page = graph_by_id(schema)[f"http://127.0.0.1:8000/resources/faq/{sourced.slug}/"]
    assert page["citation"] == [
        {
            "@type": "CreativeWork",
            "name": "Candidate Handbook",
            "url": "https://example.org/handbook",
            "publisher": {"@type": "Organization", "name": "AAMA"},
        },
        {"@type": "CreativeWork", "name": "Fee schedule", "url": "https://example.org/fees"},
    ]


def test_a_question_without_sources_has_no_section_and_no_citation(client):
    question = make_question()
    assert b"sources-heading" not in client.get(question.get_absolute_url()).content
    assert "citation" not in seo.build_head(seo.question_page(question))["schema"]["@graph"][0]


def test_a_source_added_outside_the_form_shows_on_the_kept_page(client):
    question = make_question()
    client.get(question.get_absolute_url())
    Source.objects.create(question=question, title="New rule", url="https://example.org/rule")
    assert b"New rule" in client.get(question.get_absolute_url()).content


def test_a_source_is_stale_after_a_year_or_when_never_checked():
    today = date(2026, 12, 7)
    assert not Source(checked_on=date(2026, 1, 1)).is_stale(today)
    assert Source(checked_on=date(2025, 12, 1)).is_stale(today)
    assert Source(checked_on=None).is_stale(today)


def test_the_editor_is_warned_of_a_source_checked_over_a_year_ago(admin_client, sourced):
    response = admin_client.get(f"/resources/admin/faqs/question/{sourced.pk}/change/")
    html = response.content.decode()
    assert "“Fee schedule” was last checked over a year ago (or never)" in html
    assert "Checked over a year ago: check it again" in html
    assert "“Candidate Handbook” was" not in html


def test_sources_are_saved_with_the_question_from_its_form(admin_client, sourced):
    url = f"/resources/admin/faqs/question/{sourced.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        {
            "title": sourced.title,
            "slug": sourced.slug,
            "content": sourced.content,
            "status": "published",
            "published_at_0": sourced.published_at.strftime("%Y-%m-%d"),
            "published_at_1": sourced.published_at.strftime("%H:%M:%S"),
            "categories": [],
            "tags": "",
            "sources-TOTAL_FORMS": "3",
            "sources-INITIAL_FORMS": "2",
        }
    )
    for index, source in enumerate(Source.objects.filter(question=sourced)):
        data.update(
            {
                f"sources-{index}-id": source.pk,
                f"sources-{index}-question": sourced.pk,
                f"sources-{index}-position": source.position,
                f"sources-{index}-title": source.title,
                f"sources-{index}-url": source.url,
                f"sources-{index}-publisher": source.publisher,
                f"sources-{index}-checked_on": source.checked_on.isoformat(),
            }
        )
    data.update(
        {
            "sources-2-question": sourced.pk,
            "sources-2-position": "3",
            "sources-2-title": "Retake policy",
            "sources-2-url": "https://example.org/retakes",
        }
    )
    data = {
        key: value
        for key, value in data.items()
        if not isinstance(value, (list, dict)) or key == "categories"
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert list(Source.objects.filter(question=sourced).values_list("title", flat=True)) == [
        "Candidate Handbook",
        "Fee schedule",
        "Retake policy",
    ]
    assert b"Retake policy" in Client().get(sourced.get_absolute_url()).content


def test_a_form_posted_without_the_sources_table_keeps_them(admin_client, sourced):
    from tests.history.test_history import form_data

    url = f"/resources/admin/faqs/question/{sourced.pk}/change/"
    data = form_data(admin_client.get(url), title="What does the CMA exam cost in 2027?")
    assert admin_client.post(url, data).status_code == 302
    assert Source.objects.filter(question=sourced).count() == 2
