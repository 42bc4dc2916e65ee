"""Demo content: a living site on first run, never a change to an existing one."""

import pytest
from django.core.management import call_command

from faqs.models import Category, Question
from tests.factories import make_question
from tests.headparse import graph_by_id, head_tags, schema_of, tag_names
from wordpress.demo import load_demo

pytestmark = pytest.mark.django_db

LINKED_SLUGS = [
    "which-countries-accept-cma-certilyst",
    "what-grade-do-you-need-to-pass-the-cma-exam",
    "can-you-pass-the-cma-exam-on-your-first-attempt",
    "what-happens-if-you-fail-the-ptcb-exam",
]


def test_demo_loads_the_reference_question_and_a_dozen_more():
    assert load_demo() == 14
    reference = Question.objects.get(pk=549)
    assert reference.slug == "what-happens-if-you-fail-the-cma-exam-2"
    assert reference.published_at.isoformat() == "2025-12-17T09:02:33+00:00"
    assert reference.modified_at.isoformat() == "2025-12-18T09:36:06+00:00"
    assert reference.wp_guid == "https://certilyst.com/resources/?post_type=faq&p=549"
    assert Question.objects.published().count() == 14
    assert Category.objects.count() >= 3


def test_demo_includes_every_question_the_reference_links_to():
    load_demo()
    assert set(Question.objects.filter(slug__in=LINKED_SLUGS).values_list("slug", flat=True)) == set(
        LINKED_SLUGS
    )


def test_demo_never_overwrites_existing_content():
    question = make_question(title="Ours?")
    assert load_demo() == 0
    assert list(Question.objects.all()) == [question]


def test_demo_command_twice_changes_nothing(capsys):
    call_command("load_demo")
    before = list(Question.objects.values_list("pk", "slug", "modified_at"))
    call_command("load_demo")
    assert list(Question.objects.values_list("pk", "slug", "modified_at")) == before
    assert "nothing changed" in capsys.readouterr().out


def test_questions_created_after_the_demo_continue_after_its_ids():
    load_demo()
    assert make_question().pk > 549


def test_demo_reference_page_has_the_reference_tags_and_graph_shape(client, reference):
    load_demo()
    html = client.get(Question.objects.get(pk=549).get_absolute_url()).content.decode()
    ours, theirs = head_tags(html), head_tags(reference["yoast_head"])
    assert tag_names(ours) == tag_names(theirs)
    our_graph, their_graph = schema_of(ours)["@graph"], schema_of(theirs)["@graph"]
    assert [node["@type"] for node in our_graph] == [
        ["WebPage", "FAQPage"],
        "BreadcrumbList",
        "WebSite",
        "Question",
    ]
    for our_node, their_node in zip(our_graph, their_graph, strict=False):
        assert set(their_node) <= set(our_node)
    assert len(graph_by_id(schema_of(ours))) == 4
