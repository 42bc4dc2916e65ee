"""manage.py import_wordpress: WordPress REST JSON in, nothing lost, nothing doubled."""

import io
import json
import os
import sys
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from faqs.models import Category, Question
from tests.certfaq.test_config import run_manage
from tests.factories import make_question
from tests.wordpress.wordpress_items import faq_item, reference_item, term_item, write_json

pytestmark = pytest.mark.django_db


def run_import(*paths, stdin: str | None = None, dry_run: bool = False) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    args = [str(p) for p in paths] + (["--dry-run"] if dry_run else [])
    code = 0
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin or "")
    try:
        call_command("import_wordpress", *args, stdout=out, stderr=err)
    except CommandError as error:
        code = error.returncode
        err.write(str(error))
    finally:
        sys.stdin = old_stdin
    return out.getvalue(), err.getvalue(), code


def test_imports_the_reference_item_keeping_id_slug_guid_and_dates(tmp_path, production_site):
    out, err, code = run_import(write_json(tmp_path / "549.json", reference_item()))
    assert code == 0, err
    question = Question.objects.get(pk=549)
    assert question.slug == "what-happens-if-you-fail-the-cma-exam-2"
    assert question.title == "What Happens If You Fail the CMA Exam?"
    assert question.status == Question.Status.PUBLISHED
    assert question.published_at == datetime(2025, 12, 17, 9, 2, 33, tzinfo=UTC)
    assert question.modified_at == datetime(2025, 12, 18, 9, 36, 6, tzinfo=UTC)
    assert question.guid == "https://certilyst.com/resources/?post_type=faq&p=549"
    assert question.content == reference_item()["content"]["rendered"]
    assert (question.seo_title, question.meta_description, question.canonical_url) == ("", "", "")
    assert "1 created" in out


def test_reimport_changes_nothing_and_creates_no_duplicate(tmp_path):
    path = write_json(tmp_path / "items.json", [reference_item(), faq_item(7), term_item(3)])
    run_import(path)
    before = list(Question.objects.order_by("pk").values())
    out, _, code = run_import(path)
    assert code == 0
    assert list(Question.objects.order_by("pk").values()) == before
    assert Question.objects.count() == 2 and Category.objects.count() == 1
    assert "0 created, 0 updated, 2 unchanged" in out


def test_a_newer_modified_gmt_updates_the_row(tmp_path):
    run_import(write_json(tmp_path / "a.json", faq_item(7)))
    newer = faq_item(7, modified_gmt="2025-11-01T00:00:00", title={"rendered": "Renamed?"})
    older = faq_item(7, modified_gmt="2025-01-01T00:00:00", title={"rendered": "Stale?"})
    out, _, _ = run_import(write_json(tmp_path / "b.json", [newer]))
    assert "1 updated" in out
    run_import(write_json(tmp_path / "c.json", [older]))
    assert Question.objects.get(pk=7).title == "Renamed?"


def test_entities_in_titles_are_decoded_once(tmp_path):
    item = faq_item(8, title={"rendered": "Can&#8217;t pass? Q&amp;A about &amp;amp;"})
    run_import(write_json(tmp_path / "e.json", item))
    assert Question.objects.get(pk=8).title == "Can’t pass? Q&A about &amp;"


def test_content_goes_through_the_sanitiser(tmp_path):
    item = faq_item(9, content={"rendered": '<p onclick="x()">Hi</p><script>alert(1)</script>'})
    run_import(write_json(tmp_path / "s.json", item))
    assert Question.objects.get(pk=9).content == "<p>Hi</p>"


def test_terms_are_created_with_parents_and_linked(tmp_path):
    items = [
        term_item(12, name="CMA Retakes", slug="cma-retakes", parent=11),  # child before parent
        term_item(11, name="CMA &amp; Medical", slug="cma-exam", description="About the CMA."),
        faq_item(20, **{"faq-categories": [11, 12]}),
    ]
    run_import(write_json(tmp_path / "t.json", items))
    parent, child = Category.objects.get(pk=11), Category.objects.get(pk=12)
    assert (parent.name, parent.slug, parent.description) == ("CMA & Medical", "cma-exam", "About the CMA.")
    assert child.parent == parent
    assert set(Question.objects.get(pk=20).categories.values_list("pk", flat=True)) == {11, 12}


def test_unknown_terms_become_placeholders_named_from_their_slug(tmp_path):
    item = faq_item(
        21, **{"faq-categories": [40], "class_list": ["post-21", "faq", "faq-categories-ptcb-exam"]}
    )
    _, err, code = run_import(write_json(tmp_path / "p.json", item))
    placeholder = Category.objects.get(pk=40)
    assert (placeholder.slug, placeholder.name) == ("ptcb-exam", "Ptcb exam")
    assert code == 0 and "placeholder" in err
    run_import(write_json(tmp_path / "terms.json", [term_item(40, name="PTCB Exam", slug="ptcb-exam")]))
    assert Category.objects.get(pk=40).name == "PTCB Exam"


def test_malformed_items_are_reported_with_place_and_the_rest_is_imported(tmp_path):
    good = write_json(tmp_path / "good.json", [faq_item(30), faq_item(31)])
    mixed = write_json(
        tmp_path / "mixed.json",
        [
            faq_item(32),
            {"title": {"rendered": "No id"}},
            faq_item(33, title=None),
            faq_item(34, **{"faq-categories": "cma"}),
            faq_item(35, date_gmt="yesterday"),
            faq_item(36, status="weird"),
            "just a string",
            {"id": 37, "type": "post", "title": {"rendered": "A post"}},
            faq_item(38),
        ],
    )
    broken = tmp_path / "broken.json"
    broken.write_text('[{"id": 1,', encoding="utf-8")
    out, err, code = run_import(good, mixed, broken)
    assert code == 1
    assert set(Question.objects.values_list("pk", flat=True)) == {30, 31, 32, 38}
    places = [
        "mixed.json: item 2: missing 'id'",
        "mixed.json: item 3: missing 'title'",
        "mixed.json: item 4: 'faq-categories' must be a list",
        "mixed.json: item 5: 'date_gmt' or 'date' is not a date",
        "mixed.json: item 6: unknown status",
        "mixed.json: item 7: expected an object",
        "mixed.json: item 8: type 'post'",
        "broken.json: line 1 column",
    ]
    for place in places:
        assert place in err, place
    assert "skipped: 8" in out


def test_a_directory_and_stdin_are_read(tmp_path):
    folder = tmp_path / "export"
    (folder / "faq").mkdir(parents=True)
    write_json(folder / "faq" / "one.json", [faq_item(41)])
    write_json(folder / "terms.json", [term_item(5)])
    _, _, code = run_import(folder)
    assert code == 0
    run_import("-", stdin=json.dumps(faq_item(42)))
    assert set(Question.objects.values_list("pk", flat=True)) == {41, 42}
    assert Category.objects.filter(pk=5).exists()


def test_dry_run_reports_and_writes_nothing(tmp_path):
    out, _, code = run_import(write_json(tmp_path / "d.json", [faq_item(50), term_item(6)]), dry_run=True)
    assert code == 0
    assert "would have: questions: 1 created" in out
    assert not Question.objects.exists() and not Category.objects.exists()


def test_statuses_map_and_trash_is_skipped(tmp_path):
    items = [
        faq_item(60, status="draft", date_gmt="0000-00-00T00:00:00"),
        faq_item(61, status="private"),
        faq_item(62, status="future", date_gmt="2099-01-01T00:00:00"),
        faq_item(63, status="trash"),
    ]
    _, _, code = run_import(write_json(tmp_path / "st.json", items))
    statuses = dict(Question.objects.values_list("pk", "status"))
    assert statuses == {60: "draft", 61: "private", 62: "scheduled"}
    assert Question.objects.get(pk=60).published_at is None
    assert code == 1  # the trashed item is reported


def test_yoast_overrides_become_seo_fields(tmp_path):
    head = {
        "title": "Custom SEO title - Certilyst",
        "description": "A hand-written description.",
        "canonical": "https://example.com/original/",
        "robots": {"index": "noindex", "follow": "nofollow"},
    }
    run_import(write_json(tmp_path / "y.json", faq_item(70, yoast_head_json=head)))
    question = Question.objects.get(pk=70)
    assert question.seo_title == "Custom SEO title - Certilyst"
    assert question.meta_description == "A hand-written description."
    assert question.canonical_url == "https://example.com/original/"
    assert question.noindex and question.nofollow


def test_a_taken_slug_gets_a_suffix_and_a_warning(tmp_path):
    make_question(slug="question-80")
    _, err, code = run_import(write_json(tmp_path / "c.json", faq_item(80)))
    assert code == 0
    assert Question.objects.get(pk=80).slug == "question-80-2"
    assert "slug 'question-80' is taken" in err


def test_questions_created_after_an_import_continue_after_its_ids(tmp_path):
    run_import(write_json(tmp_path / "hi.json", faq_item(9000)))
    assert make_question().pk > 9000


@pytest.mark.parametrize(
    "bad, reason",
    [
        (faq_item(2**63), "'id' must be a whole number"),
        (faq_item(91, **{"faq-categories": [2**63]}), "'faq-categories' must be a list of term ids"),
        (faq_item(92, title={"rendered": "Q" * 256}), "title is longer than 255 characters"),
        (faq_item(93, slug="s" * 201), "slug is longer than 200 characters"),
        (faq_item(94, date_gmt=20250101), "'date_gmt' must be a date string"),
        (faq_item(95, date_gmt="9999-12-31T23:59:59-05:00"), "'date_gmt' or 'date' is not a date"),
        (term_item(2**63), "'id' must be a whole number"),
        (term_item(96, name="N" * 201), "name is longer than 200 characters"),
        (faq_item(98, certfaq={"tags": ["ok", "t" * 91]}), "tag 'tttt"),
        (faq_item(99, content={"rendered": "<p>" + "x" * 200_000 + "</p>"}), "The answer is 200,007 bytes"),
    ],
)
def test_items_that_do_not_fit_are_skipped_and_the_rest_imported(tmp_path, bad, reason):
    path = write_json(tmp_path / "mixed.json", [faq_item(90), bad, faq_item(97)])
    _, err, code = run_import(path)
    assert code == 1
    assert f"mixed.json: item 2: {reason}" in err
    assert set(Question.objects.values_list("pk", flat=True)) == {90, 97}


def test_percent_encoded_wordpress_slugs_keep_their_urls(tmp_path, client):
    run_import(write_json(tmp_path / "u.json", faq_item(98, slug="caf%c3%a9-exam")))
    question = Question.objects.get(pk=98)
    assert question.slug == "café-exam"
    assert question.get_absolute_url() == "/resources/faq/caf%C3%A9-exam/"
    assert client.get("/resources/faq/caf%C3%A9-exam/").status_code == 200
    item = json.loads(client.get("/resources/wp-json/wp/v2/faq/98").content)
    assert item["slug"] == "caf%c3%a9-exam"
    found = json.loads(client.get("/resources/wp-json/wp/v2/faq", {"slug": "caf%c3%a9-exam"}).content)
    assert [entry["id"] for entry in found] == [98]


def test_slugs_made_from_titles_stay_ascii_as_in_wordpress():
    assert make_question(title="Café exam: what to expect?").slug == "cafe-exam-what-to-expect"


def test_reimporting_a_term_keeps_editors_later_changes(tmp_path):
    path = write_json(tmp_path / "t.json", [term_item(6, name="CMA", slug="cma")])
    run_import(path)
    Category.objects.filter(pk=6).update(name="CMA (renamed here)")
    out, _, _ = run_import(path)
    assert "categories: 0 created, 0 updated, 1 unchanged" in out
    assert Category.objects.get(pk=6).name == "CMA (renamed here)"
    run_import(write_json(tmp_path / "new.json", [term_item(6, name="CMA at the source", slug="cma")]))
    assert Category.objects.get(pk=6).name == "CMA at the source"  # the source changed: it wins


def test_term_parent_loops_are_broken_with_a_warning(tmp_path):
    items = [term_item(1, parent=2), term_item(2, parent=1)]
    _, err, code = run_import(write_json(tmp_path / "loop.json", items))
    parents = dict(Category.objects.values_list("pk", "parent_id"))
    assert code == 0 and "would make a loop" in err
    assert None in parents.values()  # someone is on top: no cycle


def test_a_dry_run_leaves_id_sequences_alone(tmp_path):
    run_import(write_json(tmp_path / "big.json", faq_item(9_000_000)), dry_run=True)
    assert make_question().pk < 9_000_000


def test_imported_redirects_never_replace_local_ones_or_shadow_live_pages(tmp_path):
    from django.contrib.redirects.models import Redirect

    make_question(slug="alive")
    Redirect.objects.create(site_id=1, old_path="/resources/faq/edited/", new_path="/resources/faq/alive/")
    rows = [
        {"old_path": "/resources/faq/edited/", "new_path": "/resources/faq/elsewhere/"},
        {"old_path": "/resources/faq/alive/", "new_path": ""},
        {"old_path": "/resources/faq/old/", "new_path": "/resources/faq/alive/"},
    ]
    out, _, code = run_import(write_json(tmp_path / "redirects.json", rows))
    assert code == 0 and "redirects: 1 written" in out
    assert set(Redirect.objects.values_list("old_path", "new_path")) == {
        ("/resources/faq/edited/", "/resources/faq/alive/"),
        ("/resources/faq/old/", "/resources/faq/alive/"),
    }


def test_an_id_given_twice_is_reported_with_both_places_and_the_first_kept(tmp_path):
    first = write_json(tmp_path / "a.json", [faq_item(70, title={"rendered": "First?"}), term_item(5)])
    second = write_json(tmp_path / "b.json", [faq_item(71), faq_item(70, title={"rendered": "Second?"})])
    again = write_json(tmp_path / "c.json", term_item(5, name="Other"))
    out, err, code = run_import(first, second, again)
    assert code == 1
    assert f"{second}: item 2: question id 70 given twice; the first, at {first}: item 1, is imported" in err
    assert f"{again}: object: term id 5 given twice; the first, at {first}: item 2, is imported" in err
    assert Question.objects.get(pk=70).title == "First?" and Category.objects.get(pk=5).name == "Term 5"
    assert "skipped: 2" in out


def test_pipes_are_reported_and_never_read(tmp_path):
    """A FIFO would block the reading for ever: the command runs apart, with a timeout."""
    export = tmp_path / "export"
    export.mkdir()
    write_json(export / "good.json", faq_item(80))
    os.mkfifo(export / "pipe.json")
    os.mkfifo(tmp_path / "named.json")
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'import.sqlite3'}"}
    assert run_manage("migrate", "-v", "0", env=env).returncode == 0
    result = run_manage("import_wordpress", str(export), str(tmp_path / "named.json"), env=env)
    assert result.returncode == 1
    for pipe in (export / "pipe.json", tmp_path / "named.json"):
        assert f"skipped {pipe}: file: not a regular file" in result.stderr
    assert "questions: 1 created" in result.stdout


def tagging(question_id: int) -> list[tuple[str, str]]:
    """(name, slug) of a question's tags, in the order they were given."""
    question = Question.objects.get(pk=question_id)
    return list(question.tagged_items.order_by("pk").values_list("tag__name", "tag__slug"))


def test_tags_are_set_as_taggit_sets_them(tmp_path):
    make_question(tags=["CMA", "Retake"])  # holds the slugs "cma" and "retake"
    items = [
        faq_item(100, certfaq={"tags": ["cma", "Retake", "retake fees", "retake", "cma"]}),
        faq_item(101, certfaq={"tags": ["retake-fees", "Retake"]}),
        faq_item(102),  # no tags named: none set
    ]
    _, err, code = run_import(write_json(tmp_path / "tags.json", items))
    assert code == 0, err
    # A name taken by no tag makes one; a slug held by another tag gets "_1", "_2" … as in taggit.
    assert tagging(100) == [("cma", "cma_1"), ("Retake", "retake"), ("retake fees", "retake-fees"),
                            ("retake", "retake_1")]  # fmt: skip
    assert tagging(101) == [("retake-fees", "retake-fees_1"), ("Retake", "retake")]
    assert tagging(102) == []


def test_a_newer_item_replaces_its_tags_and_keeps_the_ones_it_still_names(tmp_path):
    run_import(write_json(tmp_path / "a.json", faq_item(110, certfaq={"tags": ["cma", "fees"]})))
    kept = Question.objects.get(pk=110).tagged_items.get(tag__name="cma").pk
    newer = faq_item(110, modified_gmt="2025-11-01T00:00:00", certfaq={"tags": ["new", "cma"]})
    out, _, _ = run_import(write_json(tmp_path / "b.json", newer))
    assert "1 updated" in out
    assert sorted(name for name, _ in tagging(110)) == ["cma", "new"]
    assert Question.objects.get(pk=110).tagged_items.get(tag__name="cma").pk == kept


def test_imported_tags_without_slug_characters_get_usable_slugs(tmp_path, client):
    """The importer makes tags in bulk, with no post_save: the fallback slug (the
    tag's id) is given there too, and every page showing them answers."""
    run_import(write_json(tmp_path / "a.json", faq_item(120, certfaq={"tags": ["++", ">", "fees"]})))
    question = Question.objects.get(pk=120)
    slugs = sorted(tag.slug for tag in question.tags.all())
    assert "" not in slugs and len(set(slugs)) == 3
    assert client.get(question.get_absolute_url()).status_code == 200
    for slug in slugs:
        assert client.get(f"/resources/tag/{slug}/").status_code == 200
