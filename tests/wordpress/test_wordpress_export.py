"""manage.py export_wordpress writes what import_wordpress reads back, losing nothing."""

import io
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.redirects.models import Redirect
from django.core.management import call_command
from taggit.models import Tag

from faqs import publishing
from faqs.models import Category, Question
from tests.factories import make_category, make_question, make_staff_user

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Every field of every question and category, relations by natural key."""
    questions = {}
    for question in Question.objects.prefetch_related("categories", "tags").select_related("author"):
        # saved_at is when this database last wrote the row (the import's time), not site data.
        fields = [field for field in Question._meta.concrete_fields if field.name != "saved_at"]
        row = {field.name: getattr(question, field.attname) for field in fields}
        row["author"] = question.author.get_username() if question.author else None
        row["categories"] = sorted(c.pk for c in question.categories.all())
        row["tags"] = sorted(question.tags.names())
        questions[question.pk] = row
    # wp_import_hash is the importer's own note of what it last read, not site data.
    fields = [f.attname for f in Category._meta.concrete_fields if f.name != "wp_import_hash"]
    categories = {c["id"]: c for c in Category.objects.values(*fields)}
    redirects = set(Redirect.objects.values_list("old_path", "new_path"))
    return {"questions": questions, "categories": categories, "redirects": redirects}


def build_site() -> None:
    editor = make_staff_user("maria")
    top = make_category(
        name="CMA & Medical", slug="cma-exam", description="About <em>AT&amp;T</em> &lt;tags&gt;.", ordering=2
    )
    child = make_category(name="CMA Retakes", slug="cma-retakes", parent=top, ordering=1)
    make_category(name="Empty", slug="empty")
    make_question(
        title="Can’t pass? Q&A <about> retakes",
        content='<h2>Rules</h2><p>See <a href="/resources/faq/x/">this</a>.</p><ul><li>One</li></ul>',
        excerpt="A manual excerpt & more.",
        categories=[top, child],
        tags=["retake", "cma"],
        seo_title="Retakes explained",
        meta_description="Hand-written description.",
        canonical_url="https://example.com/original/",
        noindex=True,
        nofollow=True,
        focus_keyphrase="CMA retake",
        keyphrase_synonyms="retaking the CMA, CMA second attempt",
        cornerstone=True,
        author=editor,
        published_at=datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC),
    )
    make_question(title="Draft?", status=Question.Status.DRAFT)
    moved = make_question(title="Moved?", slug="moved-from")
    moved.slug = "moved-to"
    publishing.save_question(moved)
    gone = make_question(title="Gone?", slug="gone")
    gone.delete()
    make_question(title="Private?", status=Question.Status.PRIVATE, tags=["secret"])
    make_question(
        title="Later?", status=Question.Status.SCHEDULED, published_at=datetime(2099, 1, 1, tzinfo=UTC)
    )
    for n in range(3):
        make_question(title=f"Plain {n}?", categories=[child])


def test_export_then_import_into_an_empty_database_loses_nothing(tmp_path):
    build_site()
    before = snapshot()
    call_command("export_wordpress", str(tmp_path / "export"), stdout=io.StringIO())
    Question.objects.all().delete()
    Category.objects.all().delete()
    Tag.objects.all().delete()
    Redirect.objects.all().delete()
    get_user_model().objects.all().delete()
    call_command("import_wordpress", str(tmp_path / "export"), stdout=io.StringIO(), stderr=io.StringIO())
    after = snapshot()
    assert after["categories"] == before["categories"]
    assert (
        after["redirects"]
        == before["redirects"]
        == {
            ("/resources/faq/moved-from/", "/resources/faq/moved-to/"),
            ("/resources/faq/gone/", ""),
        }
    )
    assert set(after["questions"]) == set(before["questions"])
    for question_id, row in before["questions"].items():
        assert after["questions"][question_id] == row, question_id


def test_export_writes_wordpress_shaped_files(tmp_path):
    build_site()
    out = io.StringIO()
    call_command("export_wordpress", str(tmp_path), stdout=out)
    assert "Wrote 8 questions and 3 categories" in out.getvalue()
    import json

    items = json.loads((tmp_path / "faq" / "faq-0001.json").read_text())
    assert {item["status"] for item in items} == {"publish", "draft", "private", "future"}
    assert all(item["type"] == "faq" and "yoast_head_json" in item for item in items)
    terms = json.loads((tmp_path / "faq-categories.json").read_text())
    assert {term["taxonomy"] for term in terms} == {"faq-categories"}


def test_export_twice_into_the_same_directory_is_fine_and_reimport_changes_nothing(tmp_path):
    build_site()
    call_command("export_wordpress", str(tmp_path), stdout=io.StringIO())
    call_command("export_wordpress", str(tmp_path), stdout=io.StringIO())
    before = snapshot()
    out = io.StringIO()
    call_command("import_wordpress", str(tmp_path), stdout=out, stderr=io.StringIO())
    assert "0 created, 0 updated, 8 unchanged" in out.getvalue()
    assert snapshot() == before


def test_exporting_a_smaller_site_into_the_same_directory_leaves_no_stale_file(tmp_path, monkeypatch):
    monkeypatch.setattr("wordpress.exporter.ITEMS_PER_FILE", 2)
    for n in range(5):
        make_question(title=f"Q{n}?")
    call_command("export_wordpress", str(tmp_path), stdout=io.StringIO())
    assert len(list((tmp_path / "faq").glob("faq-*.json"))) == 3
    Question.objects.filter(title__in=["Q0?", "Q1?", "Q2?"]).delete()
    call_command("export_wordpress", str(tmp_path), stdout=io.StringIO())
    assert len(list((tmp_path / "faq").glob("faq-*.json"))) == 1
