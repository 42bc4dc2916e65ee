"""The demo shows issue 20 at once (point 6): authors and a reviewer with credentials,
sources on several questions, review dates with one overdue, and the graph of a
demo question with people and sources resolving every @id."""

from __future__ import annotations

import pytest
from django.test import Client

from faqs.models import Question
from people.models import Person
from review import cycle
from sources.models import Source
from tests.faqs.test_seo_publisher import defined_ids, id_references
from tests.headparse import head_tags, schema_of
from wordpress.demo import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()


def test_the_demo_has_people_sources_and_reviews(demo):
    assert Person.objects.filter(credentials__gt="").count() >= 3
    assert Question.objects.exclude(reviewed_by=None).count() >= 3
    assert Source.objects.values("question").distinct().count() >= 4
    assert cycle.overdue().count() >= 1
    assert Question.objects.get(pk=549).written_by is None  # the reference stays as imported
    assert not Source.objects.filter(question_id=549).exists()


def test_a_demo_question_with_people_and_sources_resolves_every_id(demo):
    question = Question.objects.get(slug="how-many-times-can-you-retake-the-cma-exam")
    html = Client().get(question.get_absolute_url()).content.decode()
    assert "Written by" in html and "Reviewed by" in html and 'id="sources-heading"' in html
    schema = schema_of(head_tags(html))
    types = [node["@type"] for node in schema["@graph"]]
    assert types.count("Person") == 2
    page = schema["@graph"][0]
    assert {"author", "reviewedBy", "lastReviewed", "citation"} <= set(page)
    assert set(id_references(schema)) <= set(defined_ids(schema))


def test_the_demo_has_a_question_with_a_featured_image(demo):
    question = Question.objects.get(slug="how-many-times-can-you-retake-the-cma-exam")
    image = question.featured_image
    assert image is not None and image.alt_text and image.caption
    assert image.renditions.filter(kind="card", width=1200, height=630).exists()
    html = Client().get(question.get_absolute_url()).content.decode()
    assert '<figure class="featured">' in html and 'property="og:image"' in html
    assert Question.objects.exclude(featured_image=None).count() == 1  # the reference has none
