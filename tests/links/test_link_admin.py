"""The link graph in the admin: what an editor sees before readers do."""

import pytest
from django.urls import reverse

from faqs.models import Question
from links.suggestions import linkable_phrase, suggest_links
from tests.factories import make_category, make_editor, make_question
from wordpress.demo import load_reference_question

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:faqs_question_changelist")


def change_form(admin_client, question) -> str:
    return admin_client.get(reverse("admin:faqs_question_change", args=[question.pk])).content.decode()


def test_question_form_shows_outgoing_links_with_status_and_anchor_warnings(admin_client, production_site):
    reference = load_reference_question()
    make_question(
        title="What Happens If You Fail the PTCB Exam?", slug="what-happens-if-you-fail-the-ptcb-exam"
    )
    html = change_form(admin_client, reference)
    assert "Links in this answer" in html
    assert html.count(">Broken<") == 3
    assert ">OK<" in html and ">External<" in html
    assert "anchor text does not describe it" in html  # "CMA" → the PTCB question


def test_question_form_shows_linked_from(admin_client, production_site):
    load_reference_question()
    target = make_question(
        title="Which Countries Accept the CMA Certification?", slug="which-countries-accept-cma-certilyst"
    )
    html = change_form(admin_client, target)
    assert "Linked from" in html
    assert "What Happens If You Fail the CMA Exam?</a> as “Certified Medical Assistant”" in html


def test_changelist_shows_link_counts_and_filters(admin_client):
    make_question(
        title="Hub?",
        slug="hub",
        content='<p><a href="/resources/faq/spoke/">spoke</a> <a href="/resources/faq/gone/">x</a></p>',
    )
    make_question(title="Spoke?", slug="spoke")
    make_question(title="Lonely?", slug="lonely")
    response = admin_client.get(CHANGELIST)
    rows = {
        q.title: (q.incoming_count, q.outgoing_count, q.has_broken_links)
        for q in response.context["cl"].result_list
    }
    assert rows["Hub?"] == (0, 2, True)
    assert rows["Spoke?"] == (1, 0, False)

    def titles(**params):
        return {q.title for q in admin_client.get(CHANGELIST, params).context["cl"].result_list}

    assert titles(links="broken") == {"Hub?"}
    assert titles(links="orphan") == {"Hub?", "Lonely?"}
    assert titles(incoming="1-2") == {"Spoke?"}
    assert titles(outgoing="0") == {"Spoke?", "Lonely?"}
    html = response.content.decode()
    assert html.count('title="Published, yet no published question links here">orphan</span>') == 2
    assert html.count('title="The answer has a broken link">✗ broken</span>') == 1
    assert '<span class="visually-hidden">2 outgoing links</span>' in html


def test_link_report_page_lists_broken_unpublished_mismatched_and_orphans(admin_client, production_site):
    load_reference_question()
    make_question(title="The draft target?", slug="draft-target", status=Question.Status.DRAFT)
    make_question(title="Linker?", content='<p><a href="/resources/faq/draft-target/">draft target</a></p>')
    response = admin_client.get(reverse("admin:faqs_question_link_report"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Broken links (4)" in html
    assert "Links to unpublished questions (1)" in html
    assert "Anchor text that does not describe its target (1)" in html
    assert "Orphans (2)" in html
    assert (
        'href="/resources/admin/faqs/question/link-report/"' in admin_client.get(CHANGELIST).content.decode()
    )


def test_suggestions_rank_questions_sharing_the_subject_with_a_phrase_to_link():
    category = make_category()
    question = make_question(
        title="How do I prepare for a retake?",
        content="<p>Before your CMA exam retake, review the passing score and plan your study weeks.</p>",
        categories=[category],
    )
    score = make_question(title="What Is the Passing Score for the CMA Exam?")
    make_question(title="How Long Should You Study?", categories=[category])
    make_question(title="Unrelated pharmacy rules")
    make_question(title="A draft about the CMA exam", status=Question.Status.DRAFT)
    suggestions = suggest_links(question)
    assert suggestions[0].question == score
    assert suggestions[0].phrase == "CMA exam"  # the first of the longest runs of title words
    assert "Unrelated pharmacy rules" not in [s.question.title for s in suggestions]
    assert all(s.question.is_public() for s in suggestions)
    assert len(suggestions) <= 5


def test_suggestions_leave_out_questions_already_linked():
    target = make_question(title="CMA exam passing score", slug="score")
    question = make_question(
        content='<p>The <a href="/resources/faq/score/">CMA exam passing score</a> matters.</p>'
    )
    assert target not in [s.question for s in suggest_links(question)]


def test_linkable_phrase_is_the_longest_run_of_subject_words():
    text = "Most candidates pass the CMA exam on their first attempt."
    assert linkable_phrase(text, {"cma", "exam", "first", "attempt"}) == "CMA exam on their first attempt"
    assert linkable_phrase(text, {"ptcb"}) == ""
    assert linkable_phrase("Failing the (CMA) exam is hard.", {"cma", "exam"}) == "CMA"
    assert linkable_phrase("Pass the CMA, then the exam.", {"cma", "exam"}) == "CMA"


def test_question_form_shows_suggestions(admin_client):
    make_question(title="What Is the Passing Score for the CMA Exam?")
    question = make_question(content="<p>Know the passing score before your CMA exam.</p>")
    html = change_form(admin_client, question)
    assert "Questions worth linking to" in html
    assert "What Is the Passing Score for the CMA Exam?" in html


def test_link_report_page_stays_readable_on_a_large_site(admin_client, monkeypatch):
    monkeypatch.setattr("links.admin.REPORT_ROWS", 3)
    for n in range(5):
        make_question(slug=f"src-{n}", content=f'<p><a href="/resources/faq/gone-{n}/">gone</a></p>')
    html = admin_client.get(reverse("admin:faqs_question_link_report")).content.decode()
    assert "Broken links (5)" in html
    assert html.count("/resources/faq/gone-") == 3
    assert "Showing the first 3 of 5." in html


@pytest.mark.parametrize("permissions, status", [((), 403), (("faqs.view_question",), 200)])
def test_the_link_report_is_only_for_editors_who_may_view_questions(
    client, django_assert_max_num_queries, permissions, status
):
    make_question(title="Unannounced draft?", slug="unannounced", status=Question.Status.DRAFT)
    make_question(content='<p><a href="/resources/faq/unannounced/">soon</a></p>')
    client.force_login(make_editor(*permissions))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("admin:faqs_question_link_report"))
    assert response.status_code == status
    assert ("Unannounced draft?" in response.content.decode()) == (status == 200)
