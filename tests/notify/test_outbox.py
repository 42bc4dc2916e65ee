"""What a write queues: each public URL that appears, changes or goes, for IndexNow;
for the CDN those and the pages that list them; nothing at all, and no query, while
both are off. The rows are written in the save's transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from faqs import publishing
from faqs.models import Question
from notify.models import EVERYTHING, OutboxEntry
from people.models import Person
from tests.factories import make_category, make_question, make_site_page

pytestmark = pytest.mark.django_db


def page(slug: str) -> str:
    return reverse("faqs:question", kwargs={"slug": slug})


def queued(target: str = "indexnow") -> list[tuple[str, str]]:
    return sorted(OutboxEntry.objects.filter(target=target).values_list("reason", "path"))


def test_publishing_a_question_queues_its_url(indexnow_endpoint):
    question = make_question(slug="exam-fees", status=Question.Status.DRAFT)
    assert queued() == []  # a draft is no public URL
    question.status = Question.Status.PUBLISHED
    question.published_at = timezone.now() - timedelta(minutes=1)
    publishing.save_question(question)
    assert queued() == [("publish", page("exam-fees"))]


def test_editing_a_public_question_queues_its_url(indexnow_endpoint):
    question = make_question(slug="exam-fees")
    OutboxEntry.objects.all().delete()
    question.title = "What do the exams cost in 2027?"
    publishing.save_question(question)
    assert queued() == [("update", page("exam-fees"))]


def test_unpublishing_queues_the_url_it_leaves(indexnow_endpoint):
    question = make_question(slug="exam-fees")
    OutboxEntry.objects.all().delete()
    question.status = Question.Status.DRAFT
    question.slug = "exam-fees-draft"
    publishing.save_question(question)
    assert queued() == [("unpublish", page("exam-fees"))]


def test_a_slug_move_queues_both_urls(indexnow_endpoint):
    question = make_question(slug="exam-fees")
    OutboxEntry.objects.all().delete()
    question.slug = "exam-costs"
    publishing.save_question(question)
    assert queued() == [("move", page("exam-costs")), ("move", page("exam-fees"))]


def test_deleting_a_public_question_queues_its_url_and_a_draft_queues_nothing(indexnow_endpoint):
    public, draft = make_question(slug="exam-fees"), make_question(status=Question.Status.DRAFT)
    OutboxEntry.objects.all().delete()
    public.delete()
    draft.delete()
    assert queued() == [("delete", page("exam-fees"))]


def test_a_scheduled_question_is_queued_for_its_time(indexnow_endpoint):
    at = timezone.now().replace(microsecond=0) + timedelta(days=2)
    make_question(slug="new-rules", status=Question.Status.SCHEDULED, published_at=at)
    entry = OutboxEntry.objects.get()
    assert (entry.reason, entry.path, entry.next_try_at) == ("scheduled", page("new-rules"), at)


def test_a_write_that_fails_leaves_nothing_queued(indexnow_endpoint):
    question = make_question(slug="exam-fees")
    OutboxEntry.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        question.title = "Changed, then rolled back"
        publishing.save_question(question)
        raise RuntimeError("the editor's request failed after the save")
    assert queued() == []


def test_nothing_is_queued_and_nothing_asked_while_everything_is_off():
    question = make_question(slug="exam-fees", categories=[make_category()], tags=["fees"])
    question.title = "Edited with IndexNow and the CDN off"
    with CaptureQueriesContext(connection) as captured:
        publishing.save_question(question)
    question.delete()
    assert not OutboxEntry.objects.exists()
    assert not [query for query in captured.captured_queries if "notify_" in query["sql"]]


def queries_of_an_edit(question: Question) -> int:
    """The queries of one save of `question` with its excerpt changed (the same edit
    each time: a title's would change what the near-twin check searches)."""
    question.excerpt = "A summary." if question.excerpt != "A summary." else "Another summary."
    with CaptureQueriesContext(connection) as captured:
        publishing.save_question(question)
    return len(captured)


def a_question_in_lists() -> Question:
    parent = make_category(slug="nursing")
    child = make_category(slug="nclex", parent=parent)
    author = Person.objects.create(name="Jane Doe", slug="jane-doe")
    return make_question(slug="exam-fees", categories=[child], tags=["fees"], written_by=author)


def test_a_save_with_indexnow_on_costs_one_query_more(settings, indexnow_endpoint):
    question = a_question_in_lists()
    settings.INDEXNOW_KEY = ""
    off = queries_of_an_edit(question)
    settings.INDEXNOW_KEY = "a1b2c3d4-test-key"
    assert queries_of_an_edit(question) == off + 1  # the INSERT


def test_a_save_with_a_cdn_on_costs_two_queries_more(
    settings, indexnow_endpoint, cloudflare_api, purge_proxy
):
    question = a_question_in_lists()
    on = (settings.INDEXNOW_KEY, settings.CDN_CLOUDFLARE_ZONE, settings.CDN_PURGE_URLS)
    settings.INDEXNOW_KEY, settings.CDN_CLOUDFLARE_ZONE, settings.CDN_PURGE_URLS = "", "", []
    off = queries_of_an_edit(question)
    settings.INDEXNOW_KEY, settings.CDN_CLOUDFLARE_ZONE, settings.CDN_PURGE_URLS = on
    assert queries_of_an_edit(question) == off + 2  # the lists' slugs, the INSERT


def test_a_purge_covers_the_question_its_lists_and_the_site_wide_pages(purge_proxy):
    question = a_question_in_lists()
    OutboxEntry.objects.all().delete()
    question.title = "What does the NCLEX cost?"
    publishing.save_question(question)
    expected = {
        page("exam-fees"),
        reverse("faqs:wp_faq_item", kwargs={"question_id": question.pk}),
        reverse("faqs:category", kwargs={"slug": "nclex"}),
        reverse("faqs:category", kwargs={"slug": "nursing"}),  # lists its subcategory's questions
        reverse("faqs:tag", kwargs={"slug": "fees"}),
        reverse("people:author", kwargs={"slug": "jane-doe"}),
        reverse("faqs:home"),
        reverse("faqs:archive"),
        reverse("faqs:feed"),
        reverse("faqs:sitemap_index"),
        reverse("faqs:sitemap", kwargs={"section": "faq"}),
        reverse("faqs:sitemap", kwargs={"section": "faq-categories"}),
        reverse("faqs:wp_faq_collection"),
        reverse("faqs:question_markdown", kwargs={"slug": "exam-fees"}),  # its Markdown copy
        reverse("faqs:llms_txt"),
    }
    assert set(OutboxEntry.objects.filter(target="purge").values_list("path", flat=True)) >= expected
    assert queued("indexnow") == []  # IndexNow off: the CDN alone


def test_a_purge_covers_the_lists_a_question_left(purge_proxy):
    old, new = make_category(slug="old-home"), make_category(slug="new-home")
    question = make_question(slug="exam-fees", categories=[old])
    OutboxEntry.objects.all().delete()
    publishing.save_question(question, categories=[new])
    paths = set(OutboxEntry.objects.values_list("path", flat=True))
    assert {reverse("faqs:category", kwargs={"slug": s}) for s in ("old-home", "new-home")} <= paths


def test_more_pages_than_the_threshold_purge_everything(settings, purge_proxy):
    settings.CDN_PURGE_ALL_ABOVE = 5
    question = make_question(slug="exam-fees", categories=[make_category()], tags=["fees"])
    assert list(OutboxEntry.objects.values_list("path", flat=True)) == [EVERYTHING]
    OutboxEntry.objects.all().delete()
    question.delete()
    assert list(OutboxEntry.objects.values_list("path", flat=True)) == [EVERYTHING]


def test_renaming_a_category_purges_its_page_and_its_questions(purge_proxy):
    category = make_category(name="Fees", slug="fees")
    question = make_question(slug="exam-fees", categories=[category])
    make_question(slug="draft-fees", categories=[category], status=Question.Status.DRAFT)
    OutboxEntry.objects.all().delete()
    category.name = "Exam fees"
    publishing.save_category(category)
    paths = set(OutboxEntry.objects.values_list("path", flat=True))
    assert {reverse("faqs:category", kwargs={"slug": "fees"}), question.get_absolute_url()} <= paths
    assert page("draft-fees") not in paths
    assert queued("indexnow") == []


def test_moving_a_category_purges_the_pages_of_its_old_and_new_parents(purge_proxy):
    old_parent, new_parent = make_category(slug="old-parent"), make_category(slug="new-parent")
    category = make_category(slug="moving", parent=old_parent)
    OutboxEntry.objects.all().delete()
    category.parent = new_parent
    publishing.save_category(category)
    paths = set(OutboxEntry.objects.values_list("path", flat=True))
    assert {reverse("faqs:category", kwargs={"slug": s}) for s in ("old-parent", "new-parent")} <= paths


def test_a_site_page_edit_queues_its_address_and_a_staff_page_only_its_purge(indexnow_endpoint, purge_proxy):
    about = make_site_page("/about/", "About")
    about.content = "<p>Who we are, since 2019.</p>"
    about.save()
    make_site_page("/staff/", "Staff", registration_required=True)
    about_path, staff_path = (reverse("faqs:site_page", kwargs={"url": url}) for url in ("about/", "staff/"))
    assert {path for _, path in queued("indexnow")} == {about_path}
    assert {about_path, staff_path} <= {path for _, path in queued("purge")}


def test_rebuilding_everything_derived_purges_everything(purge_proxy):
    make_question()
    OutboxEntry.objects.all().delete()
    publishing.rebuild_derived()
    assert list(OutboxEntry.objects.values_list("reason", "path")) == [("rebuild", EVERYTHING)]
