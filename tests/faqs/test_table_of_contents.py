"""A long answer's table of contents (issue 20, point 5): three or more subheadings
list their sections, each heading has an id to link to; the head is unchanged."""

from __future__ import annotations

import pytest

from tests.factories import make_question

pytestmark = pytest.mark.django_db

LONG = (
    "<p>Yes, up to three times a year.</p><h2>Retake fees</h2><p>$250 each time.</p>"
    "<h2>Waiting periods</h2><p>One testing window.</p><h3>After a third attempt</h3><p>Retrain.</p>"
)


def test_an_answer_with_three_subheadings_gets_a_table_of_contents(client):
    question = make_question(content=LONG)
    html = client.get(question.get_absolute_url()).content.decode()
    assert '<nav class="toc" aria-labelledby="toc-heading">' in html
    for anchor, title in (
        ("retake-fees", "Retake fees"),
        ("waiting-periods", "Waiting periods"),
        ("after-a-third-attempt", "After a third attempt"),
    ):
        assert f'<a href="#{anchor}">{title}</a>' in html
        assert f'id="{anchor}">{title}</h' in html


def test_a_short_answer_has_none_but_its_headings_have_ids(client):
    question = make_question(content="<p>Yes.</p><h2>Retake fees</h2><p>$250.</p><h2>Dates</h2><p>Any.</p>")
    html = client.get(question.get_absolute_url()).content.decode()
    assert 'class="toc"' not in html
    assert '<h2 id="retake-fees">Retake fees</h2>' in html


def test_the_stored_answer_and_its_head_are_unchanged(client):
    question = make_question(content=LONG)
    question.refresh_from_db()
    assert 'id="' not in question.content  # ids are the page's, made as it is shown
    html = client.get(question.get_absolute_url()).content.decode()
    head = html.split("</head>")[0]
    assert 'id="retake-fees"' not in head
