"""The search engine: matching, ranking, respelling, highlighting, and an index that
follows every write (search). On SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from faqs import publishing
from faqs.models import Question
from search import engine as search
from search import index, passages, spelling
from search.models import SearchEntry
from search.query import parse
from tests.bulk_site import import_questions
from tests.factories import make_category, make_question

pytestmark = pytest.mark.django_db


def slugs(query: str, **options) -> list[str]:
    return [hit.question.slug for hit in search.search(query, **options).hits]


def page_html(client, query: str, **params) -> str:
    return client.get(reverse("faqs:home"), {"s": query, **params}).content.decode()


# --- matching and ranking


def test_every_word_must_match_and_forms_of_a_word_match_each_other():
    make_question(slug="retakes", title="Retaking the exam", content="<p>You may sit it again.</p>")
    make_question(slug="fees", title="Exam fees", content="<p>What it costs.</p>")
    assert slugs("retakes") == ["retakes"]
    assert slugs("retake exam") == ["retakes"]
    assert sorted(slugs("exam")) == ["fees", "retakes"]


def test_stop_words_and_single_letters_match_nothing_instead_of_everything():
    make_question(title="The exam and a retake", content="<p>The c of it.</p>")
    for query in ("the", "a", "c", "the a"):
        results = search.search(query)
        assert results.hits == [] and results.count == 0, query


def test_a_word_inside_another_word_is_not_a_match():
    make_question(slug="pmp", title="PMP requirements", content="<p>Including experience.</p>")
    assert "pmp" not in slugs("clu")  # in 'including', but no word begins or is it


def test_the_title_outranks_term_names_which_outrank_the_answer():
    in_answer = make_question(slug="answer", title="Costs", content="<p>The voucher price.</p>")
    in_term = make_question(slug="term", title="Paying", tags=["voucher"])
    in_title = make_question(slug="title", title="Voucher discounts")
    assert slugs("voucher") == [in_title.slug, in_term.slug, in_answer.slug]


def test_a_quoted_phrase_must_appear_in_that_order():
    make_question(slug="in-order", title="Next generation format")
    make_question(slug="apart", title="Generation of the next exam")
    assert slugs('"next generation"') == ["in-order"]
    assert set(slugs("next generation")) == {"in-order", "apart"}


def test_instant_search_matches_the_word_being_typed_as_a_prefix():
    make_question(
        slug="cma-retake",
        title="How many times can you retake the CMA?",
        categories=[make_category(name="CMA Exam")],
    )
    make_question(slug="other", title="Returning your voucher")
    assert [s.url for s in search.suggest("cma ret")] == ["/resources/faq/cma-retake/"]
    assert search.suggest("cma ret ") == []  # a space: "ret" is a whole word now


def test_nothing_with_every_word_falls_back_to_questions_with_most_of_them():
    make_question(slug="both", title="PTCB retake rules")
    make_question(slug="one", title="PTCB fees")
    results = search.search("ptcb retake zebra")
    assert results.some_words and results.hits[0].question.slug == "both"


def test_a_word_that_begins_an_indexed_word_is_the_last_resort():
    make_question(slug="nclex", title="What is the NCLEX?")
    assert slugs("ncl") == ["nclex"]


# --- typo tolerance


def test_a_misspelled_word_is_searched_as_the_nearest_indexed_word():
    make_question(slug="fail", title="What happens if you are failing the PTCB exam?")
    results = search.search("failling ptcb exm")
    assert results.corrected == "failing ptcb exam"
    assert [hit.question.slug for hit in results.hits] == ["fail"]


def test_the_page_offers_the_search_as_typed_and_did_you_mean(client):
    make_question(slug="fail", title="Failing the PTCB exam")
    html = page_html(client, "failling ptcb")
    assert "Showing results for <strong>failing ptcb</strong>" in html
    assert "as_typed=1" in html
    as_typed = page_html(client, "failling ptcb", as_typed="1")
    assert "Showing results for" not in as_typed and "No question has all of your words" in as_typed


def test_did_you_mean_when_a_rare_spelling_finds_little_and_a_near_one_much_more():
    make_question(slug="typo", title="Retke policy")  # one answer spelled it wrong
    for n in range(12):
        make_question(slug=f"retake-{n}", title=f"Retake rule {n}")
    results = search.search("retke")
    assert [hit.question.slug for hit in results.hits] == ["typo"]
    assert results.suggestion == "retake"


def test_candidates_are_within_two_edits_and_one_for_short_words():
    spelling.learn({"exam", "examine", "retake", "certification"})
    assert [word for _, word in spelling.candidates("exm")] == ["exam"]
    assert [word for _, word in spelling.candidates("certifcation")] == ["certification"]
    assert spelling.candidates("xm") == []  # two edits from "exam": too far for a short word
    assert spelling.edits("retkae", "retake") == 1  # a swap is one edit


# --- highlighting


def test_passages_mark_every_form_of_the_query_words():
    question = make_question(
        content="<p>Intro. " + "Filler words here. " * 30 + "You can retake it; retaking costs a fee.</p>"
    )
    hit = search.search("retakes")
    assert hit.hits[0].question.pk == question.pk
    passage = str(hit.hits[0].passage)
    assert "<mark>retake</mark>" in passage and "<mark>retaking</mark>" in passage
    assert passage.startswith("… ")  # cut to the part that matched


def test_markup_in_the_query_or_the_answer_is_shown_as_text(client):
    make_question(
        title="Scripts <b>bold</b>", content="<p>Write &lt;script&gt;alert(1)&lt;/script&gt; script here.</p>"
    )
    html = page_html(client, "script <img src=x onerror=alert(1)>")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;<mark>script</mark>&gt;<mark>alert</mark>(1)" in html
    assert (
        str(passages.highlight("<b>x</b> yes", passages.pattern(parse("yes"))))
        == "&lt;b&gt;x&lt;/b&gt; <mark>yes</mark>"
    )


# --- the index follows every write


def test_the_index_follows_a_save_a_slug_change_and_a_delete():
    question = make_question(slug="old", title="Voucher refunds")
    question.title, question.slug = "Voucher transfers", "new"
    publishing.save_question(question)
    assert slugs("transfers") == ["new"] and slugs("refunds") == []
    question.delete()
    assert slugs("transfers") == [] and not SearchEntry.objects.exists()


def test_an_unpublished_question_leaves_the_results_at_once():
    question = make_question(title="Proctor rules")
    for status in (Question.Status.DRAFT, Question.Status.PRIVATE, Question.Status.PENDING):
        question.status = status
        publishing.save_question(question)
        assert slugs("proctor") == [], status
        question.status = Question.Status.PUBLISHED
        publishing.save_question(question)
        assert slugs("proctor") == [question.slug]


def test_a_scheduled_question_is_found_from_its_time_with_no_write(monkeypatch):
    due = timezone.now() + timedelta(hours=2)
    scheduled = make_question(title="Blueprint changes", status=Question.Status.SCHEDULED, published_at=due)
    assert (
        slugs("blueprint") == [] and search.suggest("bluep") == [] and search.search("blueprint").count == 0
    )
    later = due + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert slugs("blueprint") == [scheduled.slug] and [s.question_id for s in search.suggest("bluep")] == [
        scheduled.pk
    ]


def test_renaming_or_deleting_a_category_or_tag_reindexes_its_questions():
    category = make_category(name="Pharmacy")
    question = make_question(title="Hours", categories=[category], tags=["weekend"])
    assert slugs("pharmacy") == slugs("weekend") == [question.slug]
    category.name = "Nursing"
    publishing.save_category(category)
    tag = Tag.objects.get(name="weekend")
    tag.name = "saturday"
    tag.save()
    assert slugs("pharmacy") == slugs("weekend") == []
    assert slugs("nursing") == slugs("saturday") == [question.slug]
    category.delete()
    tag.delete()
    assert slugs("nursing") == slugs("saturday") == [] and slugs("hours") == [question.slug]


def test_the_rebuild_command_makes_the_index_anew():
    question = make_question(title="Calculator policy")
    SearchEntry.objects.all().delete()
    index.backend().clear()
    assert slugs("calculator") == []
    call_command("rebuild_search_index", stdout=None)
    assert slugs("calculator") == [question.slug]


def test_a_flushed_database_leaves_no_stale_full_text_rows():
    """`flush` (as browser tests run it) empties Django's tables, not SQLite's FTS
    tables; the post-migrate check finds them out of step and rebuilds."""
    make_question(title="Whiteboard rules")
    SearchEntry.objects.all().delete()  # as a flush leaves it
    from faqs import publishing as save_path

    save_path.derive_missing()
    assert not index.out_of_step()


# --- the page


def test_results_pages_keep_the_query_and_stay_noindex(client):
    import_questions([f"Scoring rule {n}" for n in range(25)])
    html = page_html(client, "scoring")
    assert "25 questions found" in html and "?s=scoring&amp;paged=2" in html
    assert '<meta name="robots" content="noindex' in html
    assert "Page 2 of 2" in page_html(client, "scoring", paged="2")
    assert client.get(reverse("faqs:home"), {"s": "scoring", "paged": "3"}).status_code == 404


def test_an_empty_result_offers_the_closest_categories_and_questions_to_start_with(client):
    cma = make_category(name="CMA Exam", slug="cma-exam", description="For medical assistants.")
    ptcb = make_category(name="PTCB Exam", slug="ptcb-exam")
    make_question(title="Eligibility", categories=[cma])
    make_question(title="Scores", categories=[ptcb])
    html = page_html(client, "assisting wxyzq")
    assert "Browse a category" in html and "CMA Exam" in html and "PTCB Exam" not in html
    assert "Questions to start with" in html and "Eligibility" in html


def test_a_search_costs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    import_questions([f"Voucher question {n}" for n in range(30)], tags=["vouchers"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("faqs:home"), {"s": "voucher"}).status_code == 200
    with django_assert_max_num_queries(4):
        search.suggest("vouch")


# --- other users of the engine


def test_wp_json_search_ranks_by_relevance_and_keeps_every_other_parameter(client):
    category = make_category()
    best = make_question(title="Retake limits", categories=[category])
    other = make_question(title="Fees", content="<p>A retake costs the same.</p>", categories=[category])
    make_question(title="Retake elsewhere")
    url = reverse("wordpress:faq-list") if False else "/resources/wp-json/wp/v2/faq"
    ranked = client.get(
        url, {"search": "retakes", "orderby": "relevance", "faq-categories": category.pk}
    ).json()
    assert [item["id"] for item in ranked] == [best.pk, other.pk]
    dated = client.get(url, {"search": "retake", "orderby": "date", "order": "asc"}).json()
    assert [item["id"] for item in dated][:2] == [best.pk, other.pk]
    # Stop words only: the whole phrase, as WordPress looks for it (not every question).
    assert [item["id"] for item in client.get(url, {"search": "the same"}).json()] == [other.pk]


def test_a_large_write_computes_its_vectors_on_a_second_connection_with_the_same_result(monkeypatch):
    """Above BACKGROUND_FROM questions, PostgreSQL's vectors are computed in a thread
    on a connection of its own; the entries must be the same as written inline."""
    monkeypatch.setattr(index, "BACKGROUND_FROM", 1)
    question = make_question(title="Proctor breaks", content="<p>Breaks are scheduled.</p>", tags=["breaks"])
    assert slugs("proctor breaks") == [question.slug] and slugs("scheduling") == [question.slug]
    monkeypatch.setattr(index, "BACKGROUND_FROM", 10**9)
    publishing.save_question(question)
    assert slugs("proctor breaks") == [question.slug] and slugs("scheduling") == [question.slug]


def test_promoted_questions_are_pinned_first_on_page_one_and_only_while_public(client):
    from search_insights.models import SearchPromotion

    match = make_question(slug="match", title="Retake rules")
    pinned = make_question(slug="pinned", title="Booking your second attempt")  # no word of the query
    draft = make_question(slug="draft", title="Retake draft", status=Question.Status.DRAFT)
    SearchPromotion.objects.create(query="retake rules", question=pinned, sort_order=1)
    SearchPromotion.objects.create(query="retake rules", question=draft, sort_order=0)
    results = search.search("Retake  RULES")
    assert [(hit.question.slug, hit.promoted) for hit in results.hits] == [("pinned", True), ("match", False)]
    assert results.count == 2
    html = page_html(client, "retake rules")
    assert html.index("Recommended") < html.index("Booking your second attempt") < html.index("rules</mark>")
    pinned.status = Question.Status.DRAFT
    publishing.save_question(pinned)
    assert slugs("retake rules") == ["match"]
    assert match.slug == "match" and draft.slug == "draft"


def test_an_import_indexes_its_questions_and_a_newer_import_reindexes_them(tmp_path):
    from tests.wordpress.test_wordpress_import import run_import
    from tests.wordpress.wordpress_items import faq_item, write_json

    items = [faq_item(7, title={"rendered": "Voucher expiry?"}), faq_item(8, status="draft")]
    run_import(write_json(tmp_path / "a.json", items))
    assert slugs("voucher expiry") == ["question-7"] and slugs("question 8") == []
    newer = faq_item(7, modified_gmt="2025-11-01T00:00:00", title={"rendered": "Voucher extensions?"})
    run_import(write_json(tmp_path / "b.json", [newer]))
    assert slugs("expiry") == [] and slugs("extensions") == ["question-7"]
    assert [word for _, word in spelling.candidates("extensons")] == ["extensions"]


def test_the_word_under_the_cursor_is_the_only_prefix():
    make_question(slug="cma", title="CMA retake rules")
    assert [s.url for s in search.suggest("cma ret")] == ["/resources/faq/cma/"]
    assert search.suggest("cm the") == []  # "the" is being typed, and dropped: "cm" is whole
    assert [s.url for s in search.suggest("cma the")] == ["/resources/faq/cma/"]


def test_too_common_words_alone_say_so(client):
    make_question(title="The exam")
    assert "is too common to search for" in page_html(client, "the a")
    assert "is too common to search for" not in page_html(client, "zzqqx")


def test_learning_a_word_another_save_learned_meanwhile_is_no_error():
    spelling.learn({"proctor"})
    spelling._insert_new([("proctor", "proctor"), ("procto", "proctor")])  # as a concurrent save would
    assert [word for _, word in spelling.candidates("proctr")] == ["proctor"]


def test_twin_titles_are_found_among_public_and_unpublished_questions(admin_client):
    from faqs.admin.save_messages import _twin

    public = make_question(title="Is the CMA exam hard?")
    draft = make_question(title="Can I bring a calculator?", status=Question.Status.DRAFT)
    assert _twin(make_question(title="is the  CMA exam HARD", status=Question.Status.DRAFT)) == public
    assert _twin(make_question(title="Can I bring a calculator?")) == draft
    assert _twin(make_question(title="Is the CMA exam easy?")) is None


def test_pages_never_overlap_when_they_reach_past_the_ranked_windows(monkeypatch):
    """Beyond the ranked windows the rest come newest first, computed as far as the
    page asked for reaches: every question on exactly one page."""
    monkeypatch.setattr(search, "HEADING_WINDOW", 3)
    monkeypatch.setattr(search, "DOCUMENT_WINDOW", 4)
    for n in range(25):
        make_question(title=f"Voucher rule {n}" if n % 5 == 0 else f"Rule {n}", content="<p>A voucher.</p>")
    pages = [slugs("voucher", page=page, per_page=10) for page in (1, 2, 3)]
    seen = [slug for page in pages for slug in page]
    assert [len(page) for page in pages] == [10, 10, 5] and len(set(seen)) == 25
    assert search.search("voucher").count == 25


def test_a_word_far_into_a_long_answer_is_still_the_passage_shown():
    filler = "Plain words about nothing in particular. " * 200  # about 8,000 characters
    make_question(title="Long answer", content=f"<p>{filler}</p><p>The blueprint changed in May.</p>")
    passage = str(search.search("blueprint").hits[0].passage)
    assert "<mark>blueprint</mark> changed in May." in passage and passage.startswith("… ")
