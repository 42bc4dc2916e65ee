"""Every admin page answers as its role intends: each registered model's list, add and
change page, the index, the reports and a question's history pages, opened as a
superuser, an Editor and an Author (the groups of migrations 0009 and 0012).

The pages are read from `admin.site._registry`, so a model registered later is opened
too: its list and add page at once, its change page once it has a row maker below.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.redirects.models import Redirect
from django.db.models import Model
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse
from taggit.models import Tag

from faqs import publishing
from faqs.models import Question
from feedback.votes import add_vote
from history import versions as history
from notify.models import OutboxEntry
from people.models import Person
from search_insights import analytics
from search_insights.models import SearchLog, SearchPromotion
from tests.factories import make_category, make_member, make_question, make_site_page, make_staff_user
from tests.media.images import a_library_image

pytestmark = pytest.mark.django_db

ROLES = ("superuser", "Editor", "Author")

# What each group may see (list, and change page read-only at least) and add; every
# other model's pages answer it 403. The superuser sees and adds everything.
MAY_VIEW = {
    "Editor": {
        "faqs.question", "faqs.category", "taggit.tag", "redirects.redirect",
        "search_insights.searchlog", "search_insights.searchpromotion",
        "flatpages.flatpage",  # the site pages (site_pages migration 0001)
        "people.person",  # author and reviewer profiles (people migration 0002)
        "feedback.vote",  # readers' votes, read-only (feedback migration 0001)
        "media.image",  # the media library (media migration 0002)
    },
    "Author": {"faqs.question", "media.image"},  # images for their answers (media 0004)
}  # fmt: skip
MAY_ADD = {
    "Editor": {
        "faqs.question", "faqs.category", "taggit.tag", "redirects.redirect",
        "search_insights.searchpromotion", "flatpages.flatpage", "people.person",
        "media.image",
    },
    "Author": {"faqs.question", "media.image"},
}
# Records the site writes as people sign in: nobody adds one by hand (django-axes' admin
# refuses the add page, 403, to the superuser too).
WRITTEN_AT_SIGN_IN = {"axes.accessattempt", "axes.accessfailurelog", "axes.accesslog"}
# Readers' votes are written by the site's "Was this helpful?" endpoint only (feedback).
WRITTEN_AT_SIGN_IN |= {"feedback.vote"}
# The outbox of search-engine and CDN notices is written by saves only (notify).
WRITTEN_AT_SIGN_IN |= {"notify.outboxentry"}
# Pages an admin leaves out on purpose: the search log is written by the site only, and
# its list is the Search terms report.
NO_PAGE = {("search_insights.searchlog", "add"), ("search_insights.searchlog", "change")}

# Loose ceilings (about 1.5 × today's most, by any role): a page that starts reading
# far more fails, a small change does not. The question's change form reads its link
# tables, suggestions and history (26 queries today).
MAX_QUERIES = {"changelist": 20, "add": 15, "change": 40}


SIGNER_PASSWORD = "a-long-signer-password-1"


def a_sign_in(password: str) -> None:
    """A sign-in through the admin's own form, which django-axes records."""
    if not Group.objects.filter(user__username="signer").exists():
        make_member("Author", "signer", SIGNER_PASSWORD)
    Client().post(reverse("admin:login"), {"username": "signer", "password": password})


def an_access_attempt() -> AccessAttempt:
    a_sign_in("a wrong password")
    return AccessAttempt.objects.first()


def an_access_failure() -> AccessFailureLog:
    # The site keeps no failure log (django-axes' default), yet the admin lists it.
    with override_settings(AXES_ENABLE_ACCESS_FAILURE_LOG=True):
        a_sign_in("a wrong password")
    return AccessFailureLog.objects.get()


def an_access_log() -> AccessLog:
    a_sign_in(SIGNER_PASSWORD)
    return AccessLog.objects.get()


def a_search_log() -> SearchLog:
    analytics.record_search("exam retake policy", 3)
    return SearchLog.objects.get()


def a_promotion() -> SearchPromotion:
    question = make_question(title="How often can I retake the exam?")
    return SearchPromotion.objects.create(query="exam retake", question=question)


def a_tag() -> Tag:
    return make_question(tags=["retake"]).tags.get()


def an_outbox_entry() -> OutboxEntry:
    """A publish with IndexNow on queues its URL."""
    with override_settings(INDEXNOW_KEY="a1b2c3d4-test-key"):
        make_question(title="What changed on the site?")
    return OutboxEntry.objects.first()


def a_redirect() -> Redirect:
    return Redirect.objects.create(site_id=1, old_path="/resources/faq/old/", new_path="/resources/faq/new/")


# One real row of each registered model, made as the site makes it (factories, the
# save path, or the model's own save where the admin uses nothing else).
ROW_MAKERS: dict[str, Callable[[], Model]] = {
    "faqs.question": lambda: make_question(categories=[make_category()], tags=["retake"]),
    "faqs.category": make_category,
    "taggit.tag": a_tag,
    "redirects.redirect": a_redirect,
    "search_insights.searchlog": a_search_log,
    "search_insights.searchpromotion": a_promotion,
    "auth.user": lambda: make_member("Author", "someone"),
    "auth.group": lambda: Group.objects.get(name="Editor"),  # made by migration 0009
    "axes.accessattempt": an_access_attempt,
    "axes.accessfailurelog": an_access_failure,
    "axes.accesslog": an_access_log,
    "flatpages.flatpage": lambda: make_site_page("/about/", "About"),
    "people.person": lambda: Person.objects.create(name="Jane Doe", credentials="CMA (AAMA)"),
    "feedback.vote": lambda: add_vote(make_question(), helpful=False, reason="outdated"),
    "media.image": a_library_image,
    "notify.outboxentry": an_outbox_entry,
}


def registered_pages() -> list[tuple[str, str]]:
    labels = sorted(model._meta.label_lower for model in admin.site._registry)
    return [(label, page) for label in labels for page in ("changelist", "add", "change")]


def signed_in(role: str) -> Client:
    client = Client()
    user = make_staff_user("root") if role == "superuser" else make_member(role, role.lower())
    client.force_login(user)
    return client


def expected_status(role: str, label: str, page: str) -> int:
    if page == "add" and label in WRITTEN_AT_SIGN_IN:
        return 403
    if role == "superuser":
        return 200
    allowed = MAY_ADD[role] if page == "add" else MAY_VIEW[role]
    return 200 if label in allowed else 403


def page_url(label: str, page: str) -> str:
    app_label, model_name = label.split(".")
    name = f"admin:{app_label}_{model_name}_{page}"
    if page != "change":
        return reverse(name)
    if label not in ROW_MAKERS:
        pytest.fail(f"{label} is registered in the admin: add a row maker for it to ROW_MAKERS")
    return reverse(name, args=[ROW_MAKERS[label]().pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label, page", registered_pages())
def test_every_registered_model_page_answers_as_the_role_intends(
    role, label, page, django_assert_max_num_queries
):
    if (label, page) in NO_PAGE:
        with pytest.raises(NoReverseMatch):
            page_url(label, page)
        return
    url = page_url(label, page)
    client = signed_in(role)
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        response = client.get(url)
    assert response.status_code == expected_status(role, label, page)


@pytest.mark.parametrize("role", ROLES)
def test_every_list_answers_200_with_rows_in_it(role):
    """The lists again, each with its row: a column or the list's form can fail on a
    row only (the promoted results' order box once failed on no row at all)."""
    for label in ROW_MAKERS:
        ROW_MAKERS[label]()
    client = signed_in(role)
    for label in ROW_MAKERS:
        expected = expected_status(role, label, "changelist")
        assert client.get(page_url(label, "changelist")).status_code == expected, label


def test_the_promoted_results_list_opens_with_no_promotion_yet(admin_client):
    """Defect 2: Django builds the list form's empty form for its media; it has no
    question to name its order box after."""
    response = admin_client.get(reverse("admin:search_insights_searchpromotion_changelist"))
    assert response.status_code == 200
    assert "Promoted search results" in response.content.decode()


def test_a_promoted_result_order_box_is_named_after_its_row(admin_client):
    a_promotion()
    html = admin_client.get(reverse("admin:search_insights_searchpromotion_changelist")).content.decode()
    assert 'aria-label="Order of “How often can I retake the exam?” for “exam retake”"' in html


# --- the pages that are not a model's list, add or change page -----------------------


def a_question_with_two_versions(**fields) -> Question:
    question = make_question(title="What does the exam cost?", **fields)
    question.title = "What does the exam cost in 2026?"
    publishing.save_question(question)
    return question


def history_pages(question: Question) -> dict[str, str]:
    newer, older = history.versions_of(question.pk)[:2]
    compare = reverse("admin:faqs_question_history_compare", args=[question.pk])
    return {
        "history": reverse("admin:faqs_question_history", args=[question.pk]),
        "compare": f"{compare}?from={older.pk}&to={newer.pk}",
        "restore": reverse("admin:faqs_question_history_restore", args=[question.pk, older.pk]),
    }


# Authors may view every question, and change (so restore) only one still a draft or
# pending review; the reports are for who may view questions and the search log; the
# answer editor's image picker for who may view images (Editors: media 0002; Authors,
# who insert images in their answers: media 0004).
OTHER_PAGES = {
    "superuser": {"index": 200, "link report": 200, "search terms": 200, "history": 200, "compare": 200,
                  "restore": 200, "image picker": 200},
    "Editor": {"index": 200, "link report": 200, "search terms": 200, "history": 200, "compare": 200,
               "restore": 200, "image picker": 200},
    "Author": {"index": 200, "link report": 200, "search terms": 403, "history": 200, "compare": 200,
               "restore": 403, "image picker": 200},
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_the_index_reports_and_a_published_question_history_answer_as_the_role_intends(
    role, django_assert_max_num_queries
):
    question = a_question_with_two_versions(categories=[make_category()], tags=["retake"])
    a_search_log()
    a_library_image()  # a row for the image picker
    urls = {
        "index": reverse("admin:index"),
        "link report": reverse("admin:faqs_question_link_report"),
        "search terms": reverse("admin:search_insights_searchlog_changelist"),
        "image picker": reverse("admin:media_image_picker") + "?CKEditorFuncNum=-1",
        **history_pages(question),
    }
    client = signed_in(role)
    for name, url in urls.items():
        with django_assert_max_num_queries(20):
            response = client.get(url)
        assert response.status_code == OTHER_PAGES[role][name], name


def test_an_author_opens_every_history_page_of_their_own_draft():
    author = make_member("Author", "author")
    client = Client()
    client.force_login(author)
    draft = a_question_with_two_versions(status=Question.Status.DRAFT, author=author)
    for name, url in history_pages(draft).items():
        assert client.get(url).status_code == 200, name
