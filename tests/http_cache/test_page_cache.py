"""The page cache (http_cache): anonymous public pages served from the cache, with
no query, and never stale: each kind of change a reader could see is made after the
pages that show it were cached, and the next response must show it. Every test runs
with local memory (the stamp in a file) and with Redis (the stamp in Redis)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.redirects.models import Redirect
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from faqs import publishing
from faqs.models import Category, Question
from history import restore
from history import versions as history
from http_cache import stamp
from media.uploads import store_upload
from tests.factories import make_category, make_editor, make_question
from tests.media.images import image_bytes, upload

HEADER = "X-Page-Cache"

pytestmark = pytest.mark.django_db


def get(path: str, client: Client | None = None, **headers):
    return (client or Client()).get(path, headers=headers)


def cached(path: str) -> str:
    """Asks twice; the second answer must come from the cache. Returns its text."""
    first = get(path)
    assert first[HEADER] in ("miss", "hit"), (path, first.status_code, first[HEADER])
    second = get(path)
    assert second[HEADER] == "hit", (path, second.status_code)
    assert second.content == first.content
    return second.content.decode()


def fresh(path: str) -> str:
    """The next answer after a change: made anew, not served from the cache."""
    response = get(path)
    assert response[HEADER] == "miss", (path, response.status_code)
    return response.content.decode()


# --- what is served from the cache, and at what cost


def test_every_public_page_type_is_served_from_the_cache(backend):
    category = make_category(name="Nursing", slug="nursing")
    question = make_question(title="How long is the NCLEX?", categories=[category], tags=["timing"])
    paths = [
        "/resources/",
        "/resources/faq/",
        question.get_absolute_url(),
        category.get_absolute_url(),
        "/resources/tag/timing/",
        "/resources/wp-json/wp/v2/faq?per_page=10",
        f"/resources/wp-json/wp/v2/faq/{question.pk}",
        "/resources/wp-json/wp/v2/faq-categories",
        "/resources/wp-json/",
        "/resources/sitemap_index.xml",
        "/resources/faq-sitemap.xml",
        "/resources/robots.txt",
        "/resources/feed/",
    ]
    for path in paths:
        cached(path)


def test_a_hit_costs_no_database_query(backend, django_assert_num_queries):
    question = make_question()
    get(question.get_absolute_url())
    with django_assert_num_queries(0):
        response = get(question.get_absolute_url())
    assert response[HEADER] == "hit" and response.status_code == 200
    assert response["Cache-Control"].startswith("public")
    assert question.title in response.content.decode()


def test_a_304_costs_no_database_query(backend, django_assert_num_queries):
    question = make_question()
    etag = get(question.get_absolute_url())["ETag"]
    with django_assert_num_queries(0):
        response = get(question.get_absolute_url(), if_none_match=etag)
    assert response.status_code == 304
    last_modified = get(question.get_absolute_url())["Last-Modified"]
    with django_assert_num_queries(0):
        assert get(question.get_absolute_url(), if_modified_since=last_modified).status_code == 304


def test_head_is_answered_from_the_entry_get_made(backend):
    question = make_question()
    body = get(question.get_absolute_url()).content
    head = Client().head(question.get_absolute_url())
    assert head[HEADER] == "hit" and head.content == b""
    assert head["ETag"] == get(question.get_absolute_url())["ETag"] and body


def test_404s_and_permanent_redirects_are_kept_and_errors_are_not(backend):
    make_question(slug="kept")
    cached("/resources/faq/no-such-question/")
    assert get("/resources/faq/no-such-question/").status_code == 404
    cached("/resources/faq/Kept/")
    assert get("/resources/faq/Kept/").status_code == 301
    # A wp-json request WordPress refuses (400) is about that request: never kept.
    for _ in range(2):
        refused = get("/resources/wp-json/wp/v2/faq?per_page=1000")
        assert refused.status_code == 400 and refused[HEADER] == "bypass"


def test_wp_json_query_strings_are_part_of_the_key(backend):
    make_question(title="First question")
    make_question(title="Second question")
    one = cached("/resources/wp-json/wp/v2/faq?per_page=1")
    two = cached("/resources/wp-json/wp/v2/faq?per_page=2")
    assert one.count('"id"') < two.count('"id"')
    # The same parameters in another order are the same answer.
    assert get("/resources/wp-json/wp/v2/faq?order=asc&per_page=2")[HEADER] == "miss"
    assert get("/resources/wp-json/wp/v2/faq?per_page=2&order=asc")[HEADER] == "hit"


def test_cors_answers_are_kept_per_origin(backend):
    make_question()
    path = "/resources/wp-json/wp/v2/faq"
    plain = get(path)
    from_elsewhere = get(path, origin="https://example.org")
    assert from_elsewhere[HEADER] == "miss"
    assert get(path, origin="https://example.org")[HEADER] == "hit"
    assert plain.get("Access-Control-Allow-Origin") == get(path).get("Access-Control-Allow-Origin")


@pytest.mark.parametrize(
    "path",
    [
        "/resources/?s=nclex",  # every search is counted: never answered from the cache
        "/resources/faq/?utm_source=newsletter",  # a parameter the page does not read
        "/resources/wp-json/wp/v2/faq?_jsonp=callback",
        "/resources/search/suggest/?s=ncl",
    ],
)
def test_query_strings_a_page_does_not_read_are_never_cached(backend, path):
    make_question(title="NCLEX retakes")
    for _ in range(2):
        assert get(path)[HEADER] == "bypass"


def test_searches_are_still_counted_while_pages_are_cached(backend):
    from search_insights.models import SearchLog

    make_question(title="NCLEX retakes")
    cached("/resources/")
    for _ in range(3):
        get("/resources/?s=nclex")
    assert SearchLog.objects.get(query="nclex").searches == 3


def test_posts_and_requests_with_a_session_are_never_served_or_kept(backend):
    question = make_question()
    cached(question.get_absolute_url())
    with_session = Client()
    with_session.cookies["certfaq_session"] = "not-a-session"
    assert get(question.get_absolute_url(), client=with_session)[HEADER] == "bypass"
    assert Client().post(question.get_absolute_url())[HEADER] == "bypass"


def test_staff_and_anonymous_readers_never_share_a_cached_page(backend):
    editor = Client()
    editor.force_login(make_editor("faqs.change_question", "faqs.view_question", "faqs.publish_question"))
    question = make_question(title="Shared page?")
    draft = make_question(title="A draft", status=Question.Status.DRAFT)
    # The editor first: their page (with its edit link) and their preview are not kept.
    staff_page = get(question.get_absolute_url(), client=editor)
    assert staff_page[HEADER] == "bypass" and "admin/faqs/question" in staff_page.content.decode()
    assert get(draft.get_absolute_url(), client=editor).status_code == 200
    anonymous = cached(question.get_absolute_url())
    assert "admin/faqs/question" not in anonymous
    assert get(draft.get_absolute_url()).status_code == 404
    # Then the reader's cached page is never the editor's.
    assert get(question.get_absolute_url(), client=editor)[HEADER] == "bypass"
    assert "admin/faqs/question" in get(question.get_absolute_url(), client=editor).content.decode()


def test_the_admin_is_never_cached(backend):
    editor = Client()
    editor.force_login(make_editor("faqs.change_question", "faqs.view_question"))
    assert get("/resources/admin/", client=editor)[HEADER] == "bypass"
    assert get("/resources/admin/login/")[HEADER] == "bypass"


def test_library_images_bypass_the_cache(backend, settings, tmp_path):
    """Streamed files are never kept; asking the cache for them would be a round trip
    for nothing on every picture of every page."""
    settings.MEDIA_ROOT = tmp_path
    image = store_upload(upload("room.jpg", image_bytes(size=(400, 300))), title="Room", alt_text="A room")
    response = get(image.file.url)
    assert response.status_code == 200
    assert response[HEADER] == "bypass"
    assert get("/resources/media/images/no-such-picture.png")[HEADER] == "bypass"


def test_the_page_cache_can_be_turned_off(backend, settings):
    settings.PAGE_CACHE = False
    question = make_question()
    for _ in range(2):
        assert get(question.get_absolute_url())[HEADER] == "bypass"


# --- every change readers could see makes the pages that show it miss


def test_a_saved_question_shows_everywhere_at_once(backend):
    category = make_category(name="Nursing", slug="nursing")
    question = make_question(title="Old title", categories=[category])
    pages = [
        question.get_absolute_url(),
        "/resources/",
        "/resources/faq/",
        category.get_absolute_url(),
        "/resources/wp-json/wp/v2/faq",
        "/resources/feed/",
    ]
    for path in pages:
        assert "Old title" in cached(path)
    question.title = "New title"
    publishing.save_question(question)
    for path in pages:
        assert "New title" in fresh(path) or "New title" in get(path).content.decode()


def test_an_admin_save_shows_at_once(backend):
    editor = Client()
    editor.force_login(make_editor("faqs.change_question", "faqs.view_question", "faqs.publish_question"))
    question = make_question(title="Before the edit", content="<p>Old answer.</p>")
    assert "Old answer." in cached(question.get_absolute_url())
    change = reverse("admin:faqs_question_change", args=[question.pk])
    form = editor.get(change).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        content="<p>New answer.</p>",
        categories=[],
        published_at_0=question.published_at.strftime("%Y-%m-%d"),
        published_at_1=question.published_at.strftime("%H:%M:%S"),
    )
    data.pop("published_at", None)
    response = editor.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "New answer." in fresh(question.get_absolute_url())


def test_a_published_draft_appears_and_an_unpublished_question_goes(backend):
    draft = make_question(title="Drafted question", status=Question.Status.DRAFT)
    live = make_question(title="Live question")
    assert get(draft.get_absolute_url()).status_code == 404
    cached(draft.get_absolute_url())
    assert "Drafted question" not in cached("/resources/faq/")
    draft.status = Question.Status.PUBLISHED
    publishing.save_question(draft)
    assert get(draft.get_absolute_url()).status_code == 200
    assert "Drafted question" in get("/resources/faq/").content.decode()

    cached(live.get_absolute_url())
    live.status = Question.Status.DRAFT
    publishing.save_question(live)
    assert get(live.get_absolute_url()).status_code == 404
    assert "Live question" not in get("/resources/faq/").content.decode()


def test_a_deleted_question_goes(backend):
    question = make_question(title="Short-lived")
    cached(question.get_absolute_url())
    assert "Short-lived" in cached("/resources/faq-sitemap.xml") or "short-lived" in cached(
        "/resources/faq-sitemap.xml"
    )
    path = question.get_absolute_url()
    Question.objects.filter(pk=question.pk).delete()  # a bulk delete, as the admin's action does
    assert get(path).status_code == 410  # gone, as WordPress answers a deleted post
    assert question.slug not in get("/resources/faq-sitemap.xml").content.decode()


def test_a_restored_version_shows_at_once(backend):
    question = make_question(title="First wording")
    question.title = "Second wording"
    publishing.save_question(question)
    assert "Second wording" in cached(question.get_absolute_url())
    first = list(reversed(history.versions_of(question.pk)))[0]
    restore.restore_version(question, first)
    assert "First wording" in fresh(question.get_absolute_url())


def test_a_scheduled_question_appears_at_its_time_with_no_write(backend, clock):
    category = make_category(name="Nursing", slug="nursing")
    scheduled = make_question(
        title="Coming soon",
        status=Question.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=2),
        categories=[category],
    )
    for path in ("/resources/", category.get_absolute_url(), "/resources/wp-json/wp/v2/faq"):
        assert "Coming soon" not in cached(path)
    cached(scheduled.get_absolute_url())
    clock.advance(timedelta(hours=1, minutes=59, seconds=59))
    assert get("/resources/")[HEADER] == "hit"  # not yet
    clock.advance(timedelta(seconds=1))
    assert get(scheduled.get_absolute_url()).status_code == 200
    for path in ("/resources/", category.get_absolute_url(), "/resources/wp-json/wp/v2/faq"):
        assert "Coming soon" in get(path).content.decode()


def test_the_stamp_knows_the_next_scheduled_question_after_a_commit(
    backend, django_capture_on_commit_callbacks
):
    due = timezone.now() + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        make_question(status=Question.Status.SCHEDULED, published_at=due)
    current, _ = stamp.read([])
    assert current.next_due == pytest.approx(due.replace(microsecond=0).timestamp())


def test_a_renamed_or_moved_category_shows_at_once(backend):
    parent = make_category(name="Medicine", slug="medicine")
    category = make_category(name="Nursing", slug="nursing")
    question = make_question(categories=[category])
    assert "Nursing" in cached(question.get_absolute_url())
    assert "Nursing" in cached("/resources/")
    category.name = "Nursing exams"
    publishing.save_category(category)
    assert "Nursing exams" in fresh(question.get_absolute_url())
    assert "Nursing exams" in fresh("/resources/")

    assert question.title not in cached(parent.get_absolute_url())
    category.parent = parent
    publishing.save_category(category)
    assert question.title in fresh(parent.get_absolute_url())


def test_a_deleted_category_goes(backend):
    category = make_category(name="Retired exams", slug="retired")
    question = make_question(categories=[category])
    assert "Retired exams" in cached(question.get_absolute_url())
    cached(category.get_absolute_url())
    Category.objects.filter(pk=category.pk).delete()
    assert "Retired exams" not in fresh(question.get_absolute_url())
    assert get(category.get_absolute_url()).status_code == 404


def test_a_renamed_or_deleted_tag_shows_at_once(backend):
    question = make_question(tags=["timing"])
    assert "timing" in cached(question.get_absolute_url())
    tag = Tag.objects.get(name="timing")
    tag.name = "exam timing"
    tag.save()
    assert "exam timing" in fresh(question.get_absolute_url())
    cached("/resources/tag/timing/")
    tag.delete()
    assert get("/resources/tag/timing/").status_code == 404
    assert "exam timing" not in get(question.get_absolute_url()).content.decode()


def test_a_tag_added_to_a_question_shows_at_once(backend):
    question = make_question()
    cached(question.get_absolute_url())
    question.tags.add("scoring")  # taggit's manager, as a shell or another app would
    assert "scoring" in fresh(question.get_absolute_url())


def test_an_added_or_changed_redirect_answers_at_once(backend):
    first = make_question(slug="first")
    second = make_question(slug="second")
    assert get("/resources/faq/typo/").status_code == 404
    cached("/resources/faq/typo/")
    redirect = Redirect.objects.create(
        site_id=1, old_path="/resources/faq/typo/", new_path=first.get_absolute_url()
    )
    moved = get("/resources/faq/typo/")
    assert moved.status_code == 301 and moved["Location"] == first.get_absolute_url()
    cached("/resources/faq/typo/")
    redirect.new_path = second.get_absolute_url()
    redirect.save()
    assert get("/resources/faq/typo/")["Location"] == second.get_absolute_url()


def test_a_link_target_appearing_turns_the_link_live(backend):
    linking = make_question(
        title="Linking", content='<p>See <a href="/resources/faq/later/">the later one</a>.</p>'
    )
    before = cached(linking.get_absolute_url())
    make_question(slug="later", title="The later question")
    after = fresh(linking.get_absolute_url())
    assert before != after
    assert "The later question" in get("/resources/faq/").content.decode()


def test_a_deploy_of_other_code_never_serves_the_pages_of_the_last(backend, monkeypatch):
    from http_cache import build

    question = make_question()
    cached(question.get_absolute_url())
    monkeypatch.setattr(build, "identity", lambda: "another-release")
    assert get(question.get_absolute_url())[HEADER] == "miss"


def test_an_unreachable_cache_serves_pages_uncached(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "certfaq.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    question = make_question()
    response = get(question.get_absolute_url())
    assert response.status_code == 200 and response[HEADER] == "bypass"


def test_a_cache_that_hangs_is_waited_on_once_then_left_alone(settings, hung_redis, caplog):
    from certfaq import config

    settings.CACHES = {"default": config.cache_from_url(f"redis://127.0.0.1:{hung_redis.port}/0")}
    question = make_question(title="Served without the cache", categories=[make_category()])
    tried = hung_redis.connections  # the writes above each tried to renew the stamp
    first = get(question.get_absolute_url())
    assert first.status_code == 200 and first[HEADER] == "bypass"
    assert "Served without the cache" in first.content.decode()
    # One read waited on (REDIS_TIMEOUT), not one for the page and each of its fragments.
    assert hung_redis.connections == tried + 1
    assert any("cannot be read" in record.getMessage() for record in caplog.records)
    assert get(question.get_absolute_url())[HEADER] == "bypass"
    assert hung_redis.connections == tried + 1  # left alone during the pause
    started = stamp.unreachable.clock()
    stamp.unreachable.clock = lambda: started + stamp.Pause.seconds
    assert get(question.get_absolute_url()).status_code == 200
    assert hung_redis.connections == tried + 2  # asked again once the pause is over


# --- fragments: the costly parts of a page that misses


def test_a_page_that_misses_is_made_from_kept_fragments(backend, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE = False  # every request makes its page
    category = make_category(name="Nursing", slug="nursing")
    question = make_question(title="Fragments?", categories=[category], tags=["timing"])
    make_question(title="A related one", categories=[category])
    first = get(question.get_absolute_url()).content
    with django_assert_max_num_queries(1):  # the question itself; not its terms or related list
        again = get(question.get_absolute_url()).content
    assert again == first and "A related one" in again.decode()
    category.name = "Nursing exams"
    publishing.save_category(category)
    assert "Nursing exams" in get(question.get_absolute_url()).content.decode()


def test_fragments_can_be_turned_off(backend, settings, django_assert_num_queries):
    settings.PAGE_CACHE = False
    settings.PAGE_FRAGMENTS = False
    question = make_question(categories=[make_category()])
    get(question.get_absolute_url())
    # The question (its people joined), its sources, categories, tags and related list,
    # and the footer's site pages (issue 20).
    with django_assert_num_queries(6):
        get(question.get_absolute_url())


def test_derived_lists_rebuilt_by_hand_show_at_once(backend):
    make_question(title="Listed")
    cached("/resources/faq/")
    publishing.rebuild_derived()  # `manage.py rebuild_derived`, after a repair
    assert "Listed" in fresh("/resources/faq/")


def test_each_content_coding_is_kept_apart_and_a_hit_runs_no_middleware(backend):
    import gzip

    import brotli

    question = make_question(title="Compressed?", content="<p>" + "A long answer. " * 100 + "</p>")
    path = question.get_absolute_url()
    plain = get(path)
    assert get(path, accept_encoding="gzip")[HEADER] == "miss"
    gzipped = get(path, accept_encoding="gzip, deflate")
    assert gzipped[HEADER] == "hit" and gzipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(gzipped.content) == plain.content
    assert get(path, accept_encoding="br, gzip")[HEADER] == "miss"
    kept = get(path, accept_encoding="gzip, br")
    assert kept[HEADER] == "hit" and brotli.decompress(kept.content) == plain.content
    # The headers of the middleware a hit no longer runs were kept with it.
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Content-Type-Options", "Vary"):
        assert kept[header] == get(path, accept_encoding="br")[header]
    assert get(path, accept_encoding="identity")[HEADER] == "hit"  # as no header
