"""What a page costs when the page cache has no copy of it (faqs.views): the question,
home, archive, category and tag pages are made from fragments kept under the site's
stamp, so a page made once since the site last changed is made again with no query,
and every change a reader could see shows at once. Each test runs with local memory
and with Redis."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from faqs import publishing
from faqs.models import Question
from tests.factories import make_category, make_editor, make_question

pytestmark = pytest.mark.django_db

QUESTIONS_PER_PAGE = 20


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Every request makes its page, as after a write or for a page the cache lost."""
    settings.PAGE_CACHE = False


def get(path: str, client: Client | None = None):
    return (client or Client()).get(path)


@pytest.fixture
def site():
    """A category and a tag with a page and a half of questions each."""
    category = make_category(name="Nursing", slug="nursing")
    questions = [
        make_question(title=f"Nursing question {n}?", categories=[category], tags=["timing"])
        for n in range(QUESTIONS_PER_PAGE + 1)
    ]
    return category, questions


def page_paths(category, question) -> dict[str, str]:
    return {
        "home": "/resources/",
        "archive": "/resources/faq/",
        "archive, page 2": "/resources/faq/page/2/",
        "category": category.get_absolute_url(),
        "category, page 2": f"{category.get_absolute_url()}page/2/",
        "tag": "/resources/tag/timing/",
        "question": question.get_absolute_url(),
    }


@pytest.mark.parametrize(
    "page", ["home", "archive", "archive, page 2", "category", "category, page 2", "tag", "question"]
)
def test_a_page_made_again_while_the_site_is_unchanged_costs_no_query(
    backend, site, page, django_assert_num_queries
):
    category, questions = site
    path = page_paths(category, questions[0])[page]
    first = get(path)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = get(path)
    assert again.content == first.content


def test_each_page_still_reads_the_database_without_fragments(settings, site, django_assert_max_num_queries):
    settings.PAGE_FRAGMENTS = False
    category, questions = site
    for path in page_paths(category, questions[0]).values():
        get(path)
        with django_assert_max_num_queries(6):
            assert get(path).status_code == 200


def test_a_new_question_shows_at_once_on_every_list(backend, site):
    category, questions = site
    lists = [path for name, path in page_paths(category, questions[0]).items() if "page 2" not in name]
    for path in lists:
        assert "Just published?" not in get(path).content.decode()
    make_question(title="Just published?", categories=[category], tags=["timing"])
    for path in lists[:-1]:  # the question's own page does not list it
        assert "Just published?" in get(path).content.decode(), path


def test_a_scheduled_question_joins_the_lists_when_it_comes_due(backend, site, clock):
    category, questions = site
    make_question(
        title="Due tomorrow?",
        status=Question.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
        categories=[category],
        tags=["timing"],
    )
    lists = ["/resources/", "/resources/faq/", category.get_absolute_url(), "/resources/tag/timing/"]
    for path in lists:
        assert "Due tomorrow?" not in get(path).content.decode()
    clock.advance(timedelta(days=1, seconds=1))
    for path in lists:
        assert "Due tomorrow?" in get(path).content.decode(), path


def test_an_unpublished_question_is_taken_down_at_once(backend):
    question = make_question(title="Soon withdrawn?")
    assert get(question.get_absolute_url()).status_code == 200
    question.status = Question.Status.DRAFT
    publishing.save_question(question)
    assert get(question.get_absolute_url()).status_code == 404


def test_a_draft_stays_hidden_and_staff_still_preview_it(backend):
    draft = make_question(title="Not yet?", status=Question.Status.DRAFT)
    assert get(draft.get_absolute_url()).status_code == 404
    assert get(draft.get_absolute_url()).status_code == 404  # "no public question here", kept
    staff = Client()
    staff.force_login(make_editor("faqs.view_question"))
    preview = get(draft.get_absolute_url(), staff)
    assert preview.status_code == 200 and "Preview: this question is draft" in preview.content.decode()


def test_a_signed_in_editor_still_gets_the_edit_link_on_a_kept_page(backend, site, admin_client):
    category, questions = site
    path = questions[0].get_absolute_url()
    get(path)  # made for a reader, kept
    response = get(path, admin_client)
    assert "Edit this question" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "Edit this question" not in get(path).content.decode()


def test_a_page_past_the_end_is_still_a_404(backend, site):
    category, questions = site
    past_the_end = f"{category.get_absolute_url()}page/3/"
    for path in ("/resources/faq/page/3/", past_the_end, "/resources/tag/timing/page/3/"):
        assert get(path).status_code == 404
        assert get(path).status_code == 404


def test_an_address_no_cache_key_could_hold_is_answered(backend):
    """The slug is part of a fragment's name: one a cache key cannot hold (a space,
    a control byte, too long) is named by its digest."""
    for slug in ("a%20b", "caf%C3%A9", "x" * 300, "%01"):
        assert get(f"/resources/faq/{slug}/").status_code == 404
        assert get(f"/resources/faq-categories/{slug}/").status_code == 404
