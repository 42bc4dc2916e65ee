"""Old URLs keep working: slug changes leave 301s, chains collapse, links are
rewritten, deletions answer 410 and restoring a slug clears the stale redirect.
Each journey goes through HTTP: the admin to change, the public site to check."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.core.management import call_command
from django.urls import reverse

from faqs import publishing
from faqs.models import Question
from links.models import InternalLink
from links.report import build_link_report
from tests.factories import make_editor, make_question
from tests.wordpress.wordpress_items import faq_item, write_json

pytestmark = pytest.mark.django_db


def change_slug(admin_client, question: Question, slug: str) -> None:
    """Edit the slug in the admin form, everything else as it is."""
    question.refresh_from_db()
    data = {
        "title": question.title,
        "slug": slug,
        "content": question.content,
        "excerpt": question.excerpt,
        "status": question.status,
        "published_at_0": question.published_at.strftime("%Y-%m-%d"),
        "published_at_1": question.published_at.strftime("%H:%M:%S"),
        "tags": "",
        "seo_title": "",
        "meta_description": "",
        "canonical_url": "",
    }
    response = admin_client.post(reverse("admin:faqs_question_change", args=[question.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_slug_change_leaves_a_permanent_redirect(admin_client, client):
    question = make_question(slug="old-name")
    change_slug(admin_client, question, "new-name")
    response = client.get("/resources/faq/old-name/")
    assert response.status_code == 301 and response["Location"] == "/resources/faq/new-name/"
    assert client.get("/resources/faq/new-name/").status_code == 200


def test_redirect_chains_collapse(admin_client, client):
    question = make_question(slug="a")
    change_slug(admin_client, question, "b")
    change_slug(admin_client, question, "c")
    pairs = set(Redirect.objects.values_list("old_path", "new_path"))
    assert pairs == {("/resources/faq/a/", "/resources/faq/c/"), ("/resources/faq/b/", "/resources/faq/c/")}
    assert client.get("/resources/faq/a/")["Location"] == "/resources/faq/c/"


def test_links_in_other_answers_are_rewritten(admin_client, client, settings):
    target = make_question(slug="old-name")
    absolute = f"{settings.SITE_URL}faq/old-name/"
    # fmt: off
    source = make_question(
        slug="source",
        content=f'<p><a href="{absolute}">absolute</a> and <a href="/resources/faq/old-name/">relative</a>.</p>',  # noqa: E501
    )
    # fmt: on
    modified_before = Question.objects.get(pk=source.pk).modified_at
    change_slug(admin_client, target, "new-name")
    source.refresh_from_db()
    assert source.content == (
        f'<p><a href="{settings.SITE_URL}faq/new-name/">absolute</a> and '
        '<a href="/resources/faq/new-name/">relative</a>.</p>'
    )
    assert source.modified_at >= modified_before
    assert [link.status for link in source.outgoing_links.select_related("target")] == ["ok", "ok"]
    html = client.get("/resources/faq/source/").content.decode()
    assert 'href="/resources/faq/new-name/"' in html and "old-name" not in html


def test_a_link_through_an_old_slug_shows_as_redirected_until_rewritten():
    target = make_question(slug="first")
    Redirect.objects.create(site_id=1, old_path="/resources/faq/typo/", new_path="/resources/faq/first/")
    source = make_question(content='<p><a href="/resources/faq/typo/">first</a></p>')
    link = source.outgoing_links.get()
    assert (link.target, link.status) == (target, InternalLink.Status.REDIRECTED)


def test_deleting_a_published_question_answers_410_and_breaks_its_links(admin_client, client):
    target = make_question(slug="doomed")
    make_question(slug="source", content='<p><a href="/resources/faq/doomed/">doomed</a></p>')
    response = admin_client.post(reverse("admin:faqs_question_delete", args=[target.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert client.get("/resources/faq/doomed/").status_code == 410
    assert [issue.href for issue in build_link_report().broken] == ["/resources/faq/doomed/"]


def test_deleting_leaves_gone_behind_even_for_bulk_deletes(admin_client, client):
    questions = [make_question(slug=f"bulk-{n}") for n in range(2)]
    admin_client.post(
        reverse("admin:faqs_question_changelist"),
        {"action": "delete_selected", "_selected_action": [q.pk for q in questions], "post": "yes"},
    )
    assert [client.get(f"/resources/faq/bulk-{n}/").status_code for n in range(2)] == [410, 410]


def test_restoring_a_slug_removes_the_stale_redirect(admin_client, client):
    question = make_question(slug="original")
    change_slug(admin_client, question, "renamed")
    change_slug(admin_client, question, "original")
    assert set(Redirect.objects.values_list("old_path", "new_path")) == {
        ("/resources/faq/renamed/", "/resources/faq/original/")
    }
    assert client.get("/resources/faq/original/").status_code == 200
    assert client.get("/resources/faq/renamed/")["Location"] == "/resources/faq/original/"


def test_a_draft_changing_slug_leaves_no_redirect(admin_client):
    draft = make_question(slug="draft-slug", status=Question.Status.DRAFT)
    draft.slug = "other-slug"
    publishing.save_question(draft)
    assert not Redirect.objects.exists()


def test_slug_change_through_code_and_import(tmp_path):
    question = make_question(slug="by-code")
    question.slug = "by-code-2"
    publishing.save_question(question)
    assert Redirect.objects.filter(old_path="/resources/faq/by-code/").exists()
    call_command("import_wordpress", str(write_json(tmp_path / "a.json", faq_item(500, slug="imported"))))
    newer = faq_item(500, slug="imported-renamed", modified_gmt="2026-01-01T00:00:00")
    call_command("import_wordpress", str(write_json(tmp_path / "b.json", newer)))
    assert (
        Redirect.objects.get(old_path="/resources/faq/imported/").new_path
        == "/resources/faq/imported-renamed/"
    )


def test_editors_see_and_edit_redirects_in_the_admin(admin_client):
    question = make_question(slug="was-here")
    question.slug = "is-here"
    publishing.save_question(question)
    html = admin_client.get(reverse("admin:redirects_redirect_changelist")).content.decode()
    assert "/resources/faq/was-here/" in html
    redirect = Redirect.objects.get()
    response = admin_client.get(reverse("admin:redirects_redirect_change", args=[redirect.pk]))
    assert response.status_code == 200


def test_relative_links_are_rewritten_and_links_by_id_left_alone():
    target = make_question(slug="alpha")
    by_id = f'<a href="/resources/?p={target.pk}">by id</a>'
    source = make_question(slug="source", content=f'<p><a href="../alpha/">rel</a> {by_id}</p>')
    target.slug = "beta"
    publishing.save_question(target)
    source.refresh_from_db()
    assert source.content == f'<p><a href="../beta/">rel</a> {by_id}</p>'
    rows = list(source.outgoing_links.values_list("target_slug", "target_id", "via_redirect"))
    assert rows == [("beta", target.pk, False), ("", target.pk, False)]


def test_a_slug_taken_over_retargets_links_that_went_through_its_redirect(client):
    first = make_question(slug="a")
    first.slug = "b"
    publishing.save_question(first)
    source = make_question(content='<p><a href="/resources/faq/a/">a</a></p>')
    assert source.outgoing_links.get().target == first
    second = make_question(slug="other")
    second.slug = "a"
    publishing.save_question(second)
    link = source.outgoing_links.select_related("target").get()
    assert (link.target, link.status) == (second, "ok")
    assert client.get("/resources/faq/a/").status_code == 200


def test_a_rename_and_a_linking_update_in_one_import_leave_no_false_broken_link(tmp_path, client):
    call_command(
        "import_wordpress",
        str(write_json(tmp_path / "one.json", [faq_item(900, slug="nine"),
            faq_item(901, content={"rendered": '<p><a href="/resources/faq/nine/">nine</a></p>'})])),
    )  # fmt: skip
    renamed = faq_item(900, slug="nine-renamed", modified_gmt="2026-01-01T00:00:00")
    new_answer = '<p>New: <a href="/resources/faq/nine/">nine</a></p>'
    linking = faq_item(901, modified_gmt="2026-01-01T00:00:00", content={"rendered": new_answer})
    call_command("import_wordpress", str(write_json(tmp_path / "two.json", [renamed, linking])))
    link = InternalLink.objects.select_related("target").get(source_id=901)
    assert link.target_id == 900 and link.status in ("ok", "redirected")
    assert build_link_report().broken == []
    assert client.get("/resources/faq/nine/")["Location"] == "/resources/faq/nine-renamed/"


def test_old_urls_with_a_query_string_still_redirect_and_keep_it(client):
    question = make_question(slug="shared-link")
    question.slug = "shared-link-renamed"
    publishing.save_question(question)
    response = client.get("/resources/faq/shared-link/?utm_source=newsletter&utm_medium=email")
    assert response.status_code == 301
    assert (
        response["Location"] == "/resources/faq/shared-link-renamed/?utm_source=newsletter&utm_medium=email"
    )
    question.delete()
    assert client.get("/resources/faq/shared-link-renamed/?utm_source=x").status_code == 410
    assert client.get("/resources/faq/never-existed/?utm_source=x").status_code == 404


def test_redirects_edited_in_the_admin_move_the_link_graph(admin_client):
    hub = make_question(title="Hub?", slug="hub")
    source = make_question(content='<p><a href="/resources/faq/missing-1/">hub</a></p>')
    assert source.outgoing_links.get().status == "broken"
    admin_client.post(
        reverse("admin:redirects_redirect_add"),
        {"site": 1, "old_path": "/resources/faq/missing-1/", "new_path": "/resources/faq/hub/"},
    )
    link = source.outgoing_links.select_related("target").get()
    assert (link.target, link.status) == (hub, "redirected")
    redirect = Redirect.objects.get(old_path="/resources/faq/missing-1/")
    admin_client.post(reverse("admin:redirects_redirect_delete", args=[redirect.pk]), {"post": "yes"})
    assert source.outgoing_links.get().status == "broken"


REDIRECT_ADD = reverse("admin:redirects_redirect_add")
# One of them reads when the next draft change is set to go live (the stamp's schedule);
# one follows the target, a redirect itself or not, to refuse a loop.
REDIRECT_QUERIES = 14


def add_redirect(client, new_path: str):
    return client.post(REDIRECT_ADD, {"site": 1, "old_path": "/resources/promo/", "new_path": new_path})


@pytest.mark.parametrize(
    "new_path",
    [
        "/resources/faq/kept/",
        "",
        "http://127.0.0.1:8000/resources/faq/kept/",
        "https://certilyst.com/resources/",
    ],
)
def test_editors_redirect_to_this_site_or_to_gone(client, settings, django_assert_max_num_queries, new_path):
    settings.SITE_URL_ALIASES = ["https://certilyst.com/resources/"]
    client.force_login(make_editor("redirects.add_redirect"))
    # The admin log's content type is cached once a process: counted or not by test order.
    ContentType.objects.get_for_model(Redirect)
    with django_assert_max_num_queries(REDIRECT_QUERIES):
        response = add_redirect(client, new_path)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Redirect.objects.filter(old_path="/resources/promo/", new_path=new_path).exists()


@pytest.mark.parametrize(
    "new_path, error",
    [
        ("https://evil.example/login", "evil.example is another site: a redirect there needs the permission"),
        ("//evil.example/", "Enter a path on this site"),
        ("/\\evil.example/", "Enter a path on this site"),
        ("javascript:alert(1)", "Enter a path on this site"),
        ("http://[::1/", "Enter a path on this site"),
    ],
)
def test_a_redirect_off_the_site_is_refused_with_the_reason(
    client, django_assert_max_num_queries, new_path, error
):
    client.force_login(make_editor("redirects.add_redirect"))
    # The admin log's content type is cached once a process: counted or not by test order.
    ContentType.objects.get_for_model(Redirect)
    with django_assert_max_num_queries(REDIRECT_QUERIES):
        response = add_redirect(client, new_path)
    assert response.status_code == 200
    assert error in response.context["adminform"].form.errors["new_path"][0]
    assert not Redirect.objects.exists()
    assert client.get("/resources/promo/").status_code == 404


@pytest.mark.parametrize(
    "new_path, saved",
    [("https://partner.example/cma/", True), ("//evil.example/", False), ("javascript:alert(1)", False)],
)
def test_the_offsite_permission_allows_other_sites_but_no_odd_address(
    client, django_assert_max_num_queries, new_path, saved
):
    client.force_login(make_editor("redirects.add_redirect", "links.add_offsite_redirect"))
    ContentType.objects.get_for_model(Redirect)  # the admin log's, cached by the first test in a process
    with django_assert_max_num_queries(REDIRECT_QUERIES):
        response = add_redirect(client, new_path)
    assert response.status_code == (302 if saved else 200)
    assert Redirect.objects.filter(new_path=new_path).exists() == saved


@pytest.mark.parametrize(
    "existing, old_path, new_path, loop",
    [
        ({}, "/resources/promo/", "/resources/promo/", "/resources/promo/ → /resources/promo/"),
        ({}, "/resources/promo/", "/resources/promo", "/resources/promo/ → /resources/promo"),
        (
            {"/resources/faq/b/": "/resources/faq/c/", "/resources/faq/c/": "/resources/promo/"},
            "/resources/promo/",
            "http://127.0.0.1:8000/resources/faq/b/",
            "/resources/promo/ → /resources/faq/b/ → /resources/faq/c/ → /resources/promo/",
        ),
    ],
)
def test_a_redirect_that_would_loop_is_refused_naming_the_loop(
    admin_client, existing, old_path, new_path, loop
):
    for old, new in existing.items():
        Redirect.objects.create(site_id=1, old_path=old, new_path=new)
    response = admin_client.post(REDIRECT_ADD, {"site": 1, "old_path": old_path, "new_path": new_path})
    assert response.status_code == 200
    assert f"This would make a loop: {loop}" in response.content.decode()
    assert not Redirect.objects.filter(old_path=old_path).exists()


def test_a_chain_that_ends_at_a_page_or_a_410_is_no_loop_and_an_edit_ignores_its_old_target(admin_client):
    Redirect.objects.create(site_id=1, old_path="/resources/faq/b/", new_path="/resources/faq/kept/")
    Redirect.objects.create(site_id=1, old_path="/resources/faq/gone/", new_path="")
    assert add_redirect(admin_client, "/resources/faq/b/").status_code == 302
    promo = Redirect.objects.get(old_path="/resources/promo/")
    response = admin_client.post(
        reverse("admin:redirects_redirect_change", args=[promo.pk]),
        {"site": 1, "old_path": "/resources/promo/", "new_path": "/resources/faq/gone/"},
    )
    assert response.status_code == 302
