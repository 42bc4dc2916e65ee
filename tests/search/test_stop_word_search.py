"""wp-json's `search=` when every word is a stop word (`What`, `how to`): WordPress
then looks for the whole phrase in the title, excerpt and content, and so do we,
instead of answering []."""

from __future__ import annotations

import json

import pytest

from tests.factories import make_question

pytestmark = pytest.mark.django_db

FAQ_API = "/resources/wp-json/wp/v2/faq"


def titles_found(client, **params) -> list[str]:
    response = client.get(FAQ_API, params)
    assert response.status_code == 200
    return [item["title"]["rendered"] for item in json.loads(response.content)]


def test_a_search_of_stop_words_only_finds_the_questions_holding_the_phrase(client):
    make_question(title="What is the CMA exam?")
    make_question(title="Retake rules", content="<p>Here is what happens after a failed attempt.</p>")
    make_question(title="Passing score of the CPA", content="<p>75 on a scale of 0 to 99.</p>")

    assert titles_found(client, search="What") == ["What is the CMA exam?", "Retake rules"]
    assert titles_found(client, search="what is") == ["What is the CMA exam?"]
    assert sorted(titles_found(client, search="What", orderby="title", order="asc")) == [
        "Retake rules",
        "What is the CMA exam?",
    ]


def test_a_stop_word_phrase_finds_no_draft_and_a_search_with_a_subject_word_is_unchanged(client):
    make_question(title="What is the CMA exam?")
    make_question(title="What is a draft?", status="draft")

    assert titles_found(client, search="what") == ["What is the CMA exam?"]
    assert titles_found(client, search="what cma") == ["What is the CMA exam?"]
    assert titles_found(client, search="the of") == []
