"""Content analysis in the site (issue 19, point 2): stored per question on every save
(one save or a whole import), read by the question list's column and filters and the
content health panel; the change form's lights made live by an admin endpoint running
the same module on the unsaved form; `manage.py content_report` for pipelines."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from analysis import stored as stored_analysis
from analysis.models import QuestionAnalysis
from analysis.stored import analyse_question
from drafts import changes
from drafts.models import PendingChange
from faqs import publishing
from faqs.models import Question
from tests.bulk_site import import_questions
from tests.factories import make_member, make_question, make_staff_user
from tests.history.test_history import form_data

pytestmark = pytest.mark.django_db

ENDPOINT = reverse("admin:faqs_question_content_analysis")
LONG_ANSWER = "".join(
    f"<p>The CMA exam retake rules are simple, and candidate {number} can read them in a minute. "
    "You may sit each part up to three times in twelve months. Each attempt needs a new fee.</p>"
    for number in range(12)
)


def checks_of(question: Question) -> dict[str, str]:
    return {check.id: check.rating for check in analyse_question(question).checks}


def stored(question: Question) -> QuestionAnalysis:
    return QuestionAnalysis.objects.get(question=question)


def test_every_save_stores_the_ratings_and_what_was_not_good():
    question = make_question(title="Can you retake the CMA exam?", content="<p>Yes.</p>")
    row = stored(question)
    assert (row.seo, row.readability, row.keyphrase) == ("bad", *[row.readability], "")
    assert "textLength:bad" in row.problems.split() and "keyphraseLength:bad" in row.problems.split()
    question.content = LONG_ANSWER
    question.focus_keyphrase = "CMA Exam retake"
    publishing.save_question(question)
    row = stored(question)
    assert row.keyphrase == "cma exam retake"
    assert "textLength:bad" not in row.problems.split() and "keyphraseLength" not in row.problems


def test_a_keyphrase_another_question_has_is_named():
    first = make_question(title="CMA exam retake rules?", focus_keyphrase="CMA retake")
    second = make_question(title="How often can you retake the CMA?", focus_keyphrase="cma  Retake")
    check = next(c for c in analyse_question(second).checks if c.id == "previouslyUsedKeywords")
    assert check.rating == "bad" or check.rating == "ok"
    assert "previouslyUsedKeywords:" in stored(second).problems
    assert checks_of(first)["previouslyUsedKeywords"] != "good"  # the first sees the second now too
    alone = make_question(title="What is the CMA pass rate?", focus_keyphrase="cma pass rate")
    assert checks_of(alone)["previouslyUsedKeywords"] == "good"


def test_a_nearly_identical_published_title_is_a_duplicate_question():
    make_question(title="How much does the CMA exam cost?")
    twin = make_question(title="How much does the CMA exam cost in 2026?")
    assert checks_of(twin)["duplicateQuestion"] == "bad"
    assert "duplicateQuestion:bad" in stored(twin).problems
    other = make_question(title="Can you take the PMP exam online?")
    assert checks_of(other)["duplicateQuestion"] == "good"


def test_a_small_import_is_analysed_as_it_is_written():
    import_questions([f"Imported question number {number}?" for number in range(40)])
    assert QuestionAnalysis.objects.count() == Question.objects.count() == 40
    QuestionAnalysis.objects.all().delete()
    publishing.derive_missing()
    assert QuestionAnalysis.objects.count() == 40


def test_a_large_import_is_analysed_after_it_in_worker_processes(monkeypatch):
    monkeypatch.setattr(stored_analysis, "BACKGROUND_FROM", 10)
    monkeypatch.setattr(stored_analysis, "TASK_SIZE", 7)
    started = []
    real_pool = stored_analysis.ProcessPoolExecutor

    def counted(*args, **kwargs):
        started.append(kwargs["max_workers"])
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(stored_analysis, "ProcessPoolExecutor", counted)
    import_questions(
        ["How much does the CMA exam cost?", "How much does the CMA exam cost?"]
        + [f"Imported question number {number}?" for number in range(28)]
    )
    assert started and QuestionAnalysis.objects.count() == Question.objects.count() == 30
    twins = QuestionAnalysis.objects.filter(problems__contains="duplicateQuestion:bad")
    assert twins.count() == 2  # the same title twice in one import
    # The same ratings a save in this process gives.
    question = Question.objects.get(title="Imported question number 3?")
    row = stored_analysis.row_of(question, analyse_question(question))
    assert (row[1], row[2], row[3]) == tuple(
        QuestionAnalysis.objects.filter(pk=question.pk).values_list("seo", "readability", "problems").get()
    )


def test_an_analysis_left_without_worker_processes_is_made_here(monkeypatch):
    monkeypatch.setattr(stored_analysis, "BACKGROUND_FROM", 10)

    def refused(*args, **kwargs):
        raise OSError("no processes here")

    monkeypatch.setattr(stored_analysis, "ProcessPoolExecutor", refused)
    import_questions([f"Imported question number {number}?" for number in range(12)])
    assert QuestionAnalysis.objects.count() == 12


def test_the_endpoint_rates_the_unsaved_form_live(admin_client):
    question = make_question(title="Can you retake the CMA exam?", content=LONG_ANSWER)
    data = form_data(admin_client.get(reverse("admin:faqs_question_change", args=[question.pk])))
    before = admin_client.post(f"{ENDPOINT}?id={question.pk}", data).json()
    assert "Yoast" not in before["html"] and 'data-check="keyphraseLength"' in before["html"]
    typed = admin_client.post(f"{ENDPOINT}?id={question.pk}", data | {"focus_keyphrase": "CMA exam retake"})
    result = typed.json()
    assert (
        'data-check="keyphraseDensity"' in result["html"] and 'data-check="keyphraseLength"' in result["html"]
    )
    assert result["seo"] in ("good", "ok", "bad") and result["readability"] in ("good", "ok", "bad")
    assert stored(question).keyphrase == ""  # nothing saved
    new = admin_client.post(ENDPOINT, {"title": "A new question?", "content": "<p>Short.</p>"}).json()
    assert 'data-check="textLength"' in new["html"]
    assert admin_client.get(ENDPOINT).status_code == 405


def test_the_endpoint_keeps_the_forms_permissions(client):
    author = make_member("Author", "al")
    others = make_question(title="Someone else's?", status=Question.Status.DRAFT)
    client.force_login(author)
    assert client.post(f"{ENDPOINT}?id={others.pk}", {"title": "x"}).status_code == 403
    assert client.post(f"{ENDPOINT}?id=999999", {"title": "x"}).status_code == 404


def test_the_form_shows_the_lights_and_the_keyphrase_fields(admin_client):
    question = make_question(title="Can you retake the CMA exam?", content=LONG_ANSWER)
    html = admin_client.get(reverse("admin:faqs_question_change", args=[question.pk])).content.decode()
    assert 'class="analysis-panel"' in html and f'data-endpoint="{ENDPOINT}?id={question.pk}"' in html
    for name in ("focus_keyphrase", "keyphrase_synonyms", "cornerstone"):
        assert f'name="{name}"' in html
    assert "SEO: Needs improvement" in html and "Readability:" in html
    assert "analysis/lights.js" in html


def test_the_list_shows_and_filters_by_the_stored_ratings(admin_client):
    thin = make_question(title="Thin?", content="<p>Yes.</p>")
    keyed = make_question(title="Keyed?", content=LONG_ANSWER, focus_keyphrase="cma exam retake")
    listing = reverse("admin:faqs_question_changelist")
    html = admin_client.get(listing).content.decode()
    assert 'class="analysis-light analysis-light--bad" title="SEO: Needs improvement"' in html

    def shown(query: str) -> set[int]:
        return {row.pk for row in admin_client.get(listing + query).context["cl"].result_list}

    seo_bad = set(QuestionAnalysis.objects.filter(seo="bad").values_list("pk", flat=True))
    assert shown("?seo=bad") == seo_bad and thin.pk in seo_bad
    assert shown("?seo=no_keyphrase") == {thin.pk}
    readable = stored(keyed).readability
    assert keyed.pk in shown(f"?readability={readable}")
    QuestionAnalysis.objects.filter(question=thin).delete()
    assert shown("?seo=none") == {thin.pk}


def test_the_dashboard_counts_red_seo_and_readability(admin_client):
    make_question(title="Thin?", content="<p>Yes.</p>")
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "SEO needs improvement" in html and "Readability needs improvement" in html
    assert "1 without a focus keyphrase" in html
    listing = admin_client.get(reverse("admin:faqs_question_changelist") + "?health=seo_bad")
    assert [row.title for row in listing.context["cl"].result_list] == ["Thin?"]


def run_report(*args) -> str:
    out = io.StringIO()
    call_command("content_report", *args, stdout=out)
    return out.getvalue()


def test_content_report_prints_json_for_pipelines():
    first = make_question(
        title="Can you retake the CMA exam?", content=LONG_ANSWER, focus_keyphrase="cma retake"
    )
    second = make_question(title="Thin?", content="<p>Yes.</p>")
    report = json.loads(run_report("--json"))
    assert [item["id"] for item in report["questions"]] == [first.pk, second.pk]
    item = report["questions"][0]
    assert set(item) == {"id", "title", "seo", "readability", "checks"}
    assert item["title"] == "Can you retake the CMA exam?"
    assert {item["seo"], item["readability"]} <= {"good", "ok", "bad"}
    assert all(set(check) == {"id", "rating", "text"} for check in item["checks"])
    assert all(check["rating"] in ("good", "ok", "bad") for check in item["checks"])
    ids = {check["id"] for check in item["checks"]}
    assert {"keyphraseDensity", "answerFirst", "datedPhrases", "duplicateQuestion", "passiveVoice"} <= ids
    only = json.loads(run_report("--json", "--slug", second.slug))
    assert [item["id"] for item in only["questions"]] == [second.pk]
    assert "textLength (bad)" in run_report("--slug", second.slug)
    with pytest.raises(CommandError, match="No question has the slug nope"):
        run_report("--slug", "nope")
    assert json.loads(run_report("--json", "--slug", second.slug, "--slug", first.slug))["questions"]


def test_draft_changes_and_history_keep_the_analysis_fields():
    question = make_question(title="Can you retake the CMA exam?")
    editor = Client()
    editor.force_login(make_staff_user())
    url = reverse("admin:faqs_question_change", args=[question.pk])
    data = form_data(editor.get(url), focus_keyphrase="cma retake", cornerstone="on") | {"_draft": "1"}
    assert editor.post(url, data).status_code == 302
    kept = changes.snapshot_of(PendingChange.objects.get(question=question))
    assert (kept.focus_keyphrase, kept.cornerstone) == ("cma retake", True)
    question.refresh_from_db()
    assert (question.focus_keyphrase, question.cornerstone) == ("", False)
    page = editor.get(url)
    assert page.context["adminform"].form["focus_keyphrase"].value() == "cma retake"
    assert editor.post(url, form_data(page)).status_code == 302  # Save publishes them
    question.refresh_from_db()
    assert (question.focus_keyphrase, question.cornerstone) == ("cma retake", True)
    assert stored(question).keyphrase == "cma retake"


def test_questions_written_together_see_each_others_keyphrase():
    """An import's questions have no stored analysis yet: they are compared among
    themselves as well as with the stored ones."""
    first = Question(pk=901, title="First?", focus_keyphrase="CMA retake")
    second = Question(pk=902, title="Second?", focus_keyphrase="cma  retake")
    third = Question(pk=903, title="Third?", focus_keyphrase="pmp fee")
    stored_one = make_question(title="Stored?", focus_keyphrase="pmp fee")
    users = stored_analysis.keyphrase_users([first, second, third])
    assert users == {901: ("Second?",), 902: ("First?",), 903: (stored_one.title,)}
