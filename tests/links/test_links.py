"""The link graph: derived on save, resolved through redirects, reported."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from faqs import publishing
from faqs.models import Question
from links.models import InternalLink
from links.report import build_link_report
from links.words import anchor_matches
from listings import related
from tests.factories import make_category, make_question
from wordpress.demo import load_reference_question

pytestmark = pytest.mark.django_db

REFERENCE_TARGETS = [
    "which-countries-accept-cma-certilyst",
    "what-grade-do-you-need-to-pass-the-cma-exam",
    "can-you-pass-the-cma-exam-on-your-first-attempt",
    "what-happens-if-you-fail-the-ptcb-exam",
]


def links_of(question: Question) -> list[tuple]:
    return list(
        question.outgoing_links.values_list("href", "anchor", "is_internal", "target_slug", "target_id")
    )


def test_every_form_of_internal_href_resolves(settings):
    target = make_question(slug="retake-rules")
    hrefs = [
        f"{settings.SITE_URL}faq/retake-rules/",  # absolute
        "/resources/faq/retake-rules/",  # root-relative
        "../retake-rules/",  # relative to the source page
        "https://certilyst.com/resources/faq/retake-rules/",  # an alias of the site (the old origin)
        "/resources/faq/Retake-Rules",  # case and missing slash
        f"/resources/?p={target.pk}",  # legacy WordPress link
        "https://example.com/faq/retake-rules/",  # another site
        "/resources/faq-categories/x/",  # not a question page
        "mailto:a@b.c",
    ]
    anchors = "".join(f'<a href="{href}">link {n}</a> ' for n, href in enumerate(hrefs))
    source = make_question(slug="source", content=f"<p>{anchors}</p>")
    rows = links_of(source)
    assert [row[4] for row in rows[:6]] == [target.pk] * 6
    assert [row[2] for row in rows[6:]] == [False, False, False]


def test_links_are_rederived_on_every_save():
    make_question(slug="a")
    source = make_question(content='<p><a href="/resources/faq/a/">A</a></p>')
    source.content = '<p><a href="/resources/faq/b/">B</a> and <a href="/resources/faq/a/">A again</a></p>'
    publishing.save_question(source)
    assert [(row[1], row[3]) for row in links_of(source)] == [("B", "b"), ("A again", "a")]


def test_reference_links_are_four_broken_and_one_mismatch(production_site):
    load_reference_question()
    report = build_link_report()
    assert [issue.href.rsplit("/", 2)[-2] for issue in report.broken] == REFERENCE_TARGETS
    assert [issue.anchor for issue in report.broken] == [
        "Certified Medical Assistant",
        "CMA exam",
        "first attempt",
        "CMA",
    ]
    assert [(issue.anchor, issue.href) for issue in report.mismatched] == [
        ("CMA", "https://certilyst.com/resources/faq/what-happens-if-you-fail-the-ptcb-exam/")
    ]
    assert report.unpublished == []
    assert InternalLink.objects.filter(source_id=549, is_internal=False).count() == 1  # cmaexamacademy.com


def test_adding_a_question_at_a_linked_slug_resolves_the_link(production_site, client):
    reference = load_reference_question()
    target = make_question(title="Which Countries Accept the CMA Certification?", slug=REFERENCE_TARGETS[0])
    link = reference.outgoing_links.get(target_slug=REFERENCE_TARGETS[0])
    assert link.target == target and link.status == InternalLink.Status.OK
    assert [issue.anchor for issue in build_link_report().broken] == ["CMA exam", "first attempt", "CMA"]
    assert list(target.incoming_links.values_list("source_id", flat=True)) == [549]


@pytest.mark.parametrize(
    "anchor, title, matches",
    [
        ("Certified Medical Assistant", "Which Countries Accept the CMA Certification?", True),
        ("CMA", "What Happens If You Fail the PTCB Exam?", False),
        ("CMA exam", "What Grade Do You Need to Pass the CMA Exam?", True),
        ("CMA exam", "What Happens If You Fail the PTCB Exam?", False),  # "exam" alone proves nothing
        ("exam", "What Happens If You Fail the PTCB Exam?", True),
        ("first attempt", "Can You Pass the CMA Exam on Your First Attempt?", True),
        ("PMP", "Project Management Professional eligibility", True),
        ("retakes", "How many times can you retake the exam?", True),
        ("pharmacy technician", "What happens if you fail the CMA exam?", False),
        ("here", "Anything at all", True),  # no subject word: not judged
    ],
)
def test_anchor_matching(anchor, title, matches):
    assert anchor_matches(anchor, title) is matches


def test_link_statuses():
    draft = make_question(slug="draft-target", status=Question.Status.DRAFT)
    source = make_question(
        content=(
            '<p><a href="/resources/faq/draft-target/">draft</a> '
            '<a href="/resources/faq/nowhere/">gone</a> <a href="https://example.com/">out</a></p>'
        )
    )
    statuses = [link.status for link in source.outgoing_links.select_related("target")]
    assert statuses == ["unpublished", "broken", "external"]
    assert [issue.target_id for issue in build_link_report().unpublished] == [draft.pk]


def test_orphans_are_public_questions_no_public_question_links_to():
    linked = make_question(slug="linked")
    make_question(content='<p><a href="/resources/faq/linked/">linked</a></p>', slug="hub")
    only_from_draft = make_question(slug="lonely")
    make_question(status=Question.Status.DRAFT, content='<p><a href="/resources/faq/lonely/">x</a></p>')
    selfish = make_question(slug="selfish", content='<p><a href="/resources/faq/selfish/">me</a></p>')
    orphans = build_link_report().orphans
    assert selfish.pk in orphans  # linking to itself does not count
    assert linked.pk not in orphans
    assert only_from_draft.pk in orphans
    assert Question.objects.get(slug="hub").pk in orphans


def test_link_report_command_json_and_exit_code(production_site):
    load_reference_question()
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("link_report", "--json", stdout=out)
    assert failure.value.returncode == 1
    report = json.loads(out.getvalue())
    assert set(report) == {"broken", "unpublished", "mismatched", "orphans"}
    assert len(report["broken"]) == 4 and report["orphans"] == [549]
    assert {"source_id", "href", "anchor"} <= set(report["broken"][0])
    assert [item["anchor"] for item in report["mismatched"]] == ["CMA"]


def test_link_report_command_exits_0_when_nothing_is_broken():
    make_question(slug="t")
    make_question(content='<p><a href="/resources/faq/t/">t</a></p>')
    out = io.StringIO()
    call_command("link_report", stdout=out)
    assert "Broken links: 0" in out.getvalue()


@pytest.mark.parametrize("existing", [5, 60])
def test_saving_a_question_costs_the_same_queries_whatever_the_site_size(existing):
    for n in range(existing):
        make_question(slug=f"q{n}", content=f'<p><a href="/resources/faq/q{n - 1}/">previous</a></p>')
    question = make_question(content="<p>No links yet.</p>")
    question.content = "".join(f'<p><a href="/resources/faq/q{n}/">q{n}</a></p>' for n in range(5))
    with CaptureQueriesContext(connection) as queries:
        publishing.save_question(question)
    # Links, redirects, archives, related lists and the search index: a fixed number
    # of steps, each a query or a few, whatever the number of questions.
    assert len(queries) <= 54, [q["sql"][:80] for q in queries]


def test_related_questions_use_links_and_terms_and_never_unpublished(client):
    category = make_category()
    question = make_question(
        title="Hub?",
        slug="hub",
        categories=[category],
        content='<p><a href="/resources/faq/linked/">l</a></p>',
    )
    linked = make_question(title="Linked only?", slug="linked")
    in_category = make_question(title="Same category?", categories=[category])
    make_question(title="Draft in category?", categories=[category], status=Question.Status.DRAFT)
    question = Question.objects.prefetch_related("categories", "tags").get(pk=question.pk)
    assert related.related_for_page(question, 5) == [linked, in_category]
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Linked only?" in html and "Draft in category?" not in html


def test_related_questions_of_a_question_with_only_links_are_listed_once(client):
    category = make_category()
    first = make_question(title="First?", slug="first", categories=[category], tags=["a", "b"])
    second = make_question(title="Second?", slug="second", categories=[category], tags=["a"])
    links = '<p><a href="/resources/faq/first/">1</a> <a href="/resources/faq/second/">2</a></p>'
    hub = make_question(title="Hub?", content=links)
    hub = Question.objects.prefetch_related("categories", "tags").get(pk=hub.pk)
    assert related.related_for_page(hub, 5) in ([first, second], [second, first])
    html = client.get(hub.get_absolute_url()).content.decode()
    assert html.count(">First?</a>") == 1 and html.count(">Second?</a>") == 1
