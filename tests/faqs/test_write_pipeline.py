"""The one write pipeline: a save loads the written rows, their categories and tags
once and hands them to every deriver (faqs.derivers), so its cost does not grow with
the number of derived tables; the page-cache stamp is renewed once per save."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from faqs import derivers, publishing
from faqs.derivers import Deriver
from http_cache import stamp
from listings import related
from tests.factories import make_category, make_question, make_staff_user
from tests.history.test_history import form_data

pytestmark = pytest.mark.django_db

# An admin save, whether its answer changed (the search entry written anew, links
# derived again) or not (only the version, the dates and the stamp). One of them asks
# whether the question has draft changes (drafts), which the form would show; three
# keep its content analysis (a search for near-twin titles, its row replaced).
ADMIN_SAVE_QUERIES = 39
SAVE_QUESTION_QUERIES = 25


@pytest.fixture
def renewals(monkeypatch) -> list:
    """Each renewal of the page-cache stamp asked for (`site_changed()`), still made."""
    made = []
    real = stamp.site_changed

    def counted(**kwargs):
        made.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(stamp, "site_changed", counted)
    return made


def a_linked_question():
    """A published question with 3 categories, 5 tags and 10 links to other questions."""
    targets = [make_question(slug=f"target-{n}") for n in range(10)]
    links = "".join(f'<p>See <a href="{q.get_absolute_url()}">{q.title}</a>.</p>' for q in targets)
    return make_question(
        title="How are the exams linked?",
        content=f"<p>Many ways.</p>{links}",
        categories=[make_category() for _ in range(3)],
        tags=["fees", "retakes", "scores", "dates", "centres"],
    )


def show(captured: CaptureQueriesContext) -> str:
    return "\n".join(f"{n:>3} {query['sql'][:300]}" for n, query in enumerate(captured.captured_queries, 1))


def answer_edit(data: dict) -> dict:
    """A sentence of the answer changed, its links kept."""
    return {**data, "content": data["content"].replace("Many ways.", "Many ways, in fact.")}


@pytest.mark.parametrize(
    "edit",
    [
        # Nothing derived changes but the version, the dates and the stamp.
        lambda data: {**data, "excerpt": "Edited in the admin."},
        # The search entry is written anew; links are derived again and found unchanged.
        answer_edit,
    ],
    ids=["excerpt", "answer"],
)
def test_an_admin_save_of_a_linked_question_is_bounded_and_renews_the_stamp_once(renewals, edit):
    question = a_linked_question()
    editor = Client()
    editor.force_login(make_staff_user())
    url = reverse("admin:faqs_question_change", args=[question.pk])
    data = edit(form_data(editor.get(url)))
    renewals.clear()
    with CaptureQueriesContext(connection) as captured:
        assert editor.post(url, data).status_code == 302
    print(f"admin save: {len(captured)} queries, {len(renewals)} stamp renewals\n{show(captured)}")
    assert len(captured) <= ADMIN_SAVE_QUERIES, show(captured)
    assert len(renewals) == 1
    question.refresh_from_db()
    assert (question.excerpt, question.content) == (data["excerpt"], data["content"])
    assert question.outgoing_links.exclude(target=None).count() == 10


def test_save_question_is_bounded_and_renews_the_stamp_once(renewals):
    question = a_linked_question()
    categories, tags = list(question.categories.all()), list(question.tags.names())
    question.excerpt = "Edited by a script."
    renewals.clear()
    with CaptureQueriesContext(connection) as captured:
        publishing.save_question(question, categories=categories, tags=tags)
    print(f"save_question: {len(captured)} queries, {len(renewals)} stamp renewals\n{show(captured)}")
    assert len(captured) <= SAVE_QUESTION_QUERIES, show(captured)
    assert len(renewals) == 1


class Recorder(Deriver):
    """A derived table of a test's own: notes each step the pipeline runs on it."""

    steps: list[tuple] = []

    def after_write(self, ctx):
        self.steps.append(
            ("write", tuple(ctx.ids), len(ctx.categories[ctx.ids[0]]), len(ctx.tags[ctx.ids[0]]))
        )

    def after_delete(self, ctx):
        self.steps.append(("delete", tuple(ctx.ids)))

    def after_term_change(self, change):
        self.steps.append(("term", change.kind, tuple(change.question_ids), change.renamed, change.deleted))

    def rebuild(self):
        self.steps.append(("rebuild",))

    def is_missing(self):
        return True  # as for a site upgraded from before this table existed


recorder = Recorder()


@pytest.fixture
def recorded(monkeypatch) -> list[tuple]:
    """A deriver added to DERIVERS, before the stamp's (which stays last)."""
    monkeypatch.setattr(
        derivers, "DERIVERS", [*derivers.DERIVERS[:-1], f"{__name__}.recorder", derivers.DERIVERS[-1]]
    )
    monkeypatch.setattr(Recorder, "steps", [])
    return Recorder.steps


def test_a_deriver_added_to_the_list_is_run_by_a_save_a_delete_and_rebuild_derived(recorded):
    question = make_question(categories=[make_category(), make_category()], tags=["fees"])
    call_command("rebuild_derived", stdout=None)
    question_id = question.pk
    question.delete()
    assert recorded == [("write", (question_id,), 2, 1), ("rebuild",), ("delete", (question_id,))]


def test_a_deriver_added_to_the_list_hears_term_renames_and_deletes_by_any_writer(recorded):
    category = make_category(name="Fees")
    question = make_question(categories=[category], tags=["retake"])
    recorded.clear()
    category.name = "Exam fees"
    category.save()  # a writer that bypasses the save path: a shell
    Tag.objects.get(name="retake").delete()
    assert recorded == [
        ("term", "category", (question.pk,), True, False),
        ("term", "tag", (question.pk,), False, True),
    ]


def test_after_migrate_a_deriver_whose_table_is_missing_is_derived_anew(recorded):
    make_question()
    recorded.clear()
    publishing.derive_missing()
    assert recorded == [("rebuild",)]


def test_the_save_path_reaches_the_derived_apps_only_through_the_list():
    """faqs.publishing names no derived app: a new derived table is one deriver and one
    line in DERIVERS, not an edit of the save path."""
    tree = ast.parse(Path(publishing.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module.partition(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and not _type_checking_only(tree, node)
    }
    derived_apps = {"listings", "links", "search", "search_insights", "history", "editing", "http_cache"}
    assert imported & derived_apps == set()


def _type_checking_only(tree: ast.Module, node: ast.ImportFrom) -> bool:
    guards = [block for block in tree.body if isinstance(block, ast.If)]
    return any(
        getattr(guard.test, "id", "") == "TYPE_CHECKING" and node in ast.walk(guard) for guard in guards
    )


def test_rebuild_derived_runs_every_deriver_in_the_lists_order(monkeypatch):
    ran = []
    for deriver in derivers.load():
        monkeypatch.setattr(
            deriver, "rebuild", lambda deriver=deriver, real=deriver.rebuild: (ran.append(deriver), real())
        )
    make_question()
    publishing.rebuild_derived()
    assert ran == derivers.load()


def test_links_that_attach_to_a_new_slug_make_the_two_questions_related():
    """The related lists are skipped when nothing they read changed: links that start
    reaching a question because it took their slug are such a change."""
    waiting = make_question(content='<p>See <a href="/resources/faq/new-home/">there</a>.</p>')
    moved = make_question(slug="old-home")
    assert related.related_for_page(moved, 5) == []
    moved.slug = "new-home"
    publishing.save_question(moved)
    assert related.related_for_page(moved, 5) == [waiting]
    assert related.related_for_page(waiting, 5) == [moved]


def test_an_answer_edit_that_keeps_its_links_keeps_their_rows():
    question = a_linked_question()
    kept = set(question.outgoing_links.values_list("pk", flat=True))
    question.content = question.content.replace("Many ways.", "Many ways, in fact.")
    publishing.save_question(question)
    assert set(question.outgoing_links.values_list("pk", flat=True)) == kept
