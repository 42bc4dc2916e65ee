"""import_wordpress export.xml: WordPress's own export (WXR, Tools → Export) in, through
the same import path as REST JSON; unsafe or broken XML refused whole, with nothing written."""

from __future__ import annotations

import io
import json
import sys
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from taggit.models import Tag

from faqs.models import Category, Question
from links.models import InternalLink
from media.models import Image
from people.models import Person
from tests.media.images import image_bytes
from wordpress import importer
from wordpress.importer import import_items
from wordpress.sources import read_sources
from wordpress.wxr import answer_html, yoast_text

pytestmark = pytest.mark.django_db

SITE = "https://certilyst.com/resources/"
UPLOADS = "https://certilyst.com/resources/wp-content/uploads/"


def cdata(text: str) -> str:
    """WordPress's wxr_cdata()."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def author(author_id: int, login: str, display_name: str) -> str:
    first, _, last = display_name.partition(" ")
    return (
        f"<wp:author><wp:author_id>{author_id}</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>"
        f"<wp:author_email>{cdata(login + '@example.com')}</wp:author_email>"
        f"<wp:author_display_name>{cdata(display_name)}</wp:author_display_name>"
        f"<wp:author_first_name>{cdata(first)}</wp:author_first_name>"
        f"<wp:author_last_name>{cdata(last)}</wp:author_last_name></wp:author>"
    )


def term(term_id: int, slug: str, name: str, parent: str = "", description: str = "") -> str:
    return (
        f"<wp:term><wp:term_id>{term_id}</wp:term_id><wp:term_taxonomy>{cdata('faq-categories')}</wp:term_taxonomy>"
        f"<wp:term_slug>{cdata(slug)}</wp:term_slug><wp:term_parent>{cdata(parent)}</wp:term_parent>"
        f"<wp:term_name>{cdata(name)}</wp:term_name>"
        f"<wp:term_description>{cdata(description)}</wp:term_description></wp:term>"
    )


def postmeta(key: str, value: str) -> str:
    return (
        f"<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>"
    )


def post(
    post_id: int | str,
    title: str = "",
    *,
    post_type: str = "faq",
    content: str = "",
    excerpt: str = "",
    status: str = "publish",
    slug: str = "",
    creator: str = "jane",
    date_gmt: str = "2025-10-01 08:00:00",
    modified_gmt: str = "2025-10-02 08:00:00",
    categories: tuple[tuple[str, str, str], ...] = (),
    meta: dict[str, str] | None = None,
    extra: str = "",
) -> str:
    """One <item> as WordPress 6.x's export_wp() writes it."""
    title = title or f"Question {post_id}?"
    content = (
        content or f"<!-- wp:paragraph -->\n<p>Answer {post_id}. Second sentence.</p>\n<!-- /wp:paragraph -->"
    )
    slug = slug or f"question-{post_id}"
    terms = "".join(
        f'<category domain="{domain}" nicename="{nicename}">{cdata(name)}</category>'
        for domain, nicename, name in categories
    )
    return f"""
	<item>
		<title>{cdata(title)}</title>
		<link>{SITE}faq/{slug}/</link>
		<pubDate>Wed, 01 Oct 2025 08:00:00 +0000</pubDate>
		<dc:creator>{cdata(creator)}</dc:creator>
		<guid isPermaLink="false">{SITE}?post_type={post_type}&amp;p={post_id}</guid>
		<description></description>
		<content:encoded>{cdata(content)}</content:encoded>
		<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>
		<wp:post_id>{post_id}</wp:post_id>
		<wp:post_date>{cdata(date_gmt)}</wp:post_date>
		<wp:post_date_gmt>{cdata(date_gmt)}</wp:post_date_gmt>
		<wp:post_modified>{cdata(modified_gmt)}</wp:post_modified>
		<wp:post_modified_gmt>{cdata(modified_gmt)}</wp:post_modified_gmt>
		<wp:comment_status>{cdata("closed")}</wp:comment_status>
		<wp:ping_status>{cdata("closed")}</wp:ping_status>
		<wp:post_name>{cdata(slug)}</wp:post_name>
		<wp:status>{cdata(status)}</wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type>{cdata(post_type)}</wp:post_type>
		<wp:post_password>{cdata("")}</wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>
		{extra}{terms}{"".join(postmeta(key, value) for key, value in (meta or {}).items())}
	</item>"""


def attachment(post_id: int, path: str, *, alt: str = "", caption: str = "", title: str = "") -> str:
    return post(
        post_id,
        title or path.rsplit("/", 1)[-1],
        post_type="attachment",
        content=" ",
        excerpt=caption,
        status="inherit",
        extra=f"<wp:attachment_url>{cdata(UPLOADS + path)}</wp:attachment_url>",
        meta={"_wp_attached_file": path, "_wp_attachment_image_alt": alt},
    )


AUTHORS = author(3, "jane", "Jane Doe") + author(4, "omar", "Omar Haddad")


def wxr(*items: str, head: str = AUTHORS) -> str:
    """A WXR 1.2 file: the channel, its header (authors, terms) and the items."""
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<!-- generator="WordPress/6.8.1" created="2025-12-20 10:00" -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>Certilyst</title>
	<link>https://certilyst.com/resources</link>
	<description>A hub for all your certification exams</description>
	<pubDate>Sat, 20 Dec 2025 10:00:00 +0000</pubDate>
	<language>en-US</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://certilyst.com/resources</wp:base_site_url>
	<wp:base_blog_url>https://certilyst.com/resources</wp:base_blog_url>
	{head}
	<generator>https://wordpress.org/?v=6.8.1</generator>
	{"".join(items)}
</channel>
</rss>
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def run_import(*paths, stdin: str | None = None, **options) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    old_stdin, sys.stdin = sys.stdin, io.StringIO(stdin or "")
    try:
        call_command("import_wordpress", *[str(p) for p in paths], stdout=out, stderr=err, **options)
    except CommandError as error:
        return out.getvalue(), err.getvalue() + str(error), error.returncode
    finally:
        sys.stdin = old_stdin
    return out.getvalue(), err.getvalue(), 0


def nothing_written() -> bool:
    return not (Question.objects.exists() or Category.objects.exists() or Person.objects.exists())


# --- fields


def test_a_faq_item_becomes_a_question_with_its_id_slug_guid_dates_and_answer(tmp_path):
    content = (
        "<!-- wp:paragraph -->\n<p>Failing is <strong>not</strong> the end.</p>\n<!-- /wp:paragraph -->\n\n"
        '<!-- wp:paragraph -->\n<p>Retake it <a href="https://certilyst.com/resources/faq/retakes/">soon</a>.'
        "</p>\n<!-- /wp:paragraph -->"
    )
    item = post(
        549,
        "What Happens If You Fail the CMA Exam? Q&amp;A",
        content=content,
        excerpt="You can retake it.",
        slug="caf%c3%a9-fail",
        date_gmt="2025-12-17 09:02:33",
        modified_gmt="2025-12-18 09:36:06",
    )
    out, err, code = run_import(write(tmp_path / "export.xml", wxr(item)))
    assert code == 0, err
    question = Question.objects.get(pk=549)
    assert question.title == "What Happens If You Fail the CMA Exam? Q&A"
    assert question.slug == "café-fail"
    assert question.excerpt == "You can retake it."
    assert question.status == Question.Status.PUBLISHED
    assert question.published_at == datetime(2025, 12, 17, 9, 2, 33, tzinfo=UTC)
    assert question.modified_at == datetime(2025, 12, 18, 9, 36, 6, tzinfo=UTC)
    assert question.guid == f"{SITE}?post_type=faq&p=549"
    assert "<!--" not in question.content
    assert "<p>Failing is <strong>not</strong> the end.</p>" in question.content
    assert "1 created" in out


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("publish", Question.Status.PUBLISHED),
        ("draft", Question.Status.DRAFT),
        ("pending", Question.Status.PENDING),
        ("private", Question.Status.PRIVATE),
        ("future", Question.Status.SCHEDULED),
    ],
)
def test_wordpress_statuses_map_to_ours(tmp_path, word, status):
    date = "2030-01-01 08:00:00" if word == "future" else "2025-10-01 08:00:00"
    run_import(write(tmp_path / "export.xml", wxr(post(7, status=word, date_gmt=date))))
    assert Question.objects.get(pk=7).status == status


def test_a_password_protected_answer_is_imported_private(tmp_path):
    """certfaq has no post passwords: published as it is, the answer would be open to all."""
    item = post(7, extra=f"<wp:post_password>{cdata('s3cret')}</wp:post_password>")
    run_import(
        write(
            tmp_path / "export.xml",
            wxr(item.replace(f"<wp:post_password>{cdata('')}</wp:post_password>", "")),
        )
    )
    assert Question.objects.get(pk=7).status == Question.Status.PRIVATE


def test_a_draft_never_published_has_no_date(tmp_path):
    """WordPress writes 0000-00-00 00:00:00 as a draft's date_gmt: a floating date."""
    run_import(write(tmp_path / "export.xml", wxr(post(7, status="draft", date_gmt="0000-00-00 00:00:00"))))
    assert Question.objects.get(pk=7).published_at is None


def test_classic_editor_answers_get_their_paragraphs_and_caption_figures():
    raw = (
        "First line\nsecond line\n\nNext paragraph.\n\n<h2>Fees</h2>\n\n"
        '[caption id="attachment_5" align="aligncenter" width="300"]'
        f'<img class="wp-image-5" src="{UPLOADS}2024/01/fee.png" alt="Fee" /> Fees in 2024[/caption]'
    )
    assert answer_html(raw) == (
        "<p>First line<br>\nsecond line</p>\n<p>Next paragraph.</p>\n<h2>Fees</h2>\n"
        f'<figure class="wp-caption"><img class="wp-image-5" src="{UPLOADS}2024/01/fee.png" alt="Fee" />'
        '<figcaption class="wp-caption-text">Fees in 2024</figcaption></figure>'
    )


# --- categories, tags


def test_terms_become_categories_with_parents_by_slug_and_descriptions(tmp_path):
    head = (
        AUTHORS
        + term(10, "medical", "Medical", description="Medical exams")
        + term(11, "cma", "CMA", parent="medical", description="Certified Medical Assistant")
    )
    item = post(7, categories=(("faq-categories", "cma", "CMA"), ("faq-categories", "medical", "Medical")))
    out, err, code = run_import(write(tmp_path / "export.xml", wxr(item, head=head)))
    assert code == 0, err
    cma = Category.objects.get(pk=11)
    assert (cma.slug, cma.name, cma.description, cma.parent_id) == (
        "cma",
        "CMA",
        "Certified Medical Assistant",
        10,
    )
    assert Category.objects.get(pk=10).description == "Medical exams"
    assert set(Question.objects.get(pk=7).categories.values_list("pk", flat=True)) == {10, 11}


def test_an_export_of_the_faq_type_alone_makes_its_categories_from_the_items(tmp_path):
    """Tools → Export → FAQs writes no <wp:term>: each item names its terms by slug and name."""
    Category.objects.create(pk=40, slug="cma", name="CMA (here)")
    items = (
        post(7, categories=(("faq-categories", "cma", "CMA"), ("faq-categories", "retakes", "Retakes"))),
        post(8, categories=(("faq-categories", "retakes", "Retakes"),)),
    )
    path = write(tmp_path / "export.xml", wxr(*items))
    out, err, code = run_import(path)
    assert code == 0, err
    retakes = Category.objects.get(slug="retakes")
    assert (retakes.pk, retakes.name) == (41, "Retakes")  # past every id held
    assert Category.objects.get(pk=40).name == "CMA (here)"  # the category holding the slug stays
    assert set(Question.objects.get(pk=7).categories.values_list("pk", flat=True)) == {40, 41}
    assert list(Question.objects.get(pk=8).categories.values_list("pk", flat=True)) == [41]
    out, _, _ = run_import(path)
    assert Category.objects.count() == 2 and "2 unchanged" in out


def test_post_tags_become_tags_and_other_taxonomies_are_left_out(tmp_path):
    categories = (
        ("post_tag", "retake", "retake"),
        ("post_tag", "fees-2025", "Fees 2025"),
        ("category", "uncategorized", "Uncategorized"),
    )
    run_import(write(tmp_path / "export.xml", wxr(post(7, categories=categories))))
    assert sorted(Question.objects.get(pk=7).tags.names()) == ["Fees 2025", "retake"]
    assert Tag.objects.count() == 2 and not Category.objects.exists()


def test_an_update_without_tags_keeps_the_questions_tags(tmp_path):
    """The old site's faq type had no tags: an item naming none says nothing about them."""
    run_import(write(tmp_path / "a.xml", wxr(post(7, categories=(("post_tag", "retake", "retake"),)))))
    run_import(write(tmp_path / "b.xml", wxr(post(7, "Renamed?", modified_gmt="2025-11-01 00:00:00"))))
    question = Question.objects.get(pk=7)
    assert (question.title, list(question.tags.names())) == ("Renamed?", ["retake"])


# --- Yoast


def test_yoasts_postmeta_become_the_seo_fields(tmp_path, settings):
    settings.SITE_NAME = "Certilyst"
    meta = {
        "_yoast_wpseo_title": "%%title%% %%page%% %%sep%% %%sitename%%",
        "_yoast_wpseo_metadesc": "Retake rules for the %%ct_faq-categories%% exam, <b>explained</b>.",
        "_yoast_wpseo_meta-robots-noindex": "1",
        "_yoast_wpseo_meta-robots-nofollow": "1",
        "_yoast_wpseo_canonical": "https://certilyst.com/resources/faq/the-original/",
        "_yoast_wpseo_focuskw": "cma exam retake",
        "_yoast_wpseo_is_cornerstone": "1",
        "_edit_last": "1",
    }
    item = post(7, "Can I retake the CMA?", categories=(("faq-categories", "cma", "CMA"),), meta=meta)
    out, err, code = run_import(write(tmp_path / "export.xml", wxr(item)))
    assert code == 0, err
    question = Question.objects.get(pk=7)
    # %%page%% has no value on a single page: removed, and the spaces around it made one.
    assert question.seo_title == "Can I retake the CMA? - Certilyst"
    assert question.meta_description == "Retake rules for the CMA exam, explained."
    assert question.canonical_url == "https://certilyst.com/resources/faq/the-original/"
    assert (question.noindex, question.nofollow, question.cornerstone) == (True, True, True)
    assert question.focus_keyphrase == "cma exam retake"


def test_without_yoast_postmeta_the_page_keeps_its_derived_head(tmp_path):
    meta = {"_yoast_wpseo_meta-robots-noindex": "2", "_yoast_wpseo_title": "%%title%%"}
    run_import(write(tmp_path / "export.xml", wxr(post(7, "Plain?", meta=meta))))
    question = Question.objects.get(pk=7)
    assert (question.seo_title, question.meta_description, question.canonical_url) == ("", "", "")
    assert (question.noindex, question.cornerstone, question.focus_keyphrase) == (False, False, "")


def test_yoast_variables_with_no_value_go_and_their_separators_with_them():
    variables = {"title": lambda: "Fees", "sep": lambda: "-", "sitename": lambda: "Certilyst"}
    assert yoast_text("%%title%% %%sep%% %%primary_category%% %%sep%% %%sitename%%", variables) == (
        "Fees - Certilyst"
    )
    assert yoast_text("Fees &amp; refunds", variables) == "Fees & refunds"


def test_the_yoast_primary_category_is_one_of_the_questions_and_names_no_crumb(tmp_path, client):
    """The old site's breadcrumb is Home › faqs › title (the reference's BreadcrumbList)
    and its permalinks name no category: Yoast's primary term showed nowhere, so it is
    not kept. The question carries all its categories, the primary among them."""
    head = AUTHORS + term(10, "medical", "Medical") + term(11, "cma", "CMA")
    categories = (("faq-categories", "medical", "Medical"), ("faq-categories", "cma", "CMA"))
    item = post(7, "Primary?", categories=categories, meta={"_yoast_wpseo_primary_faq-categories": "11"})
    run_import(write(tmp_path / "export.xml", wxr(item, head=head)))
    question = Question.objects.get(pk=7)
    assert set(question.categories.values_list("pk", flat=True)) == {10, 11}
    page = client.get(question.get_absolute_url())
    graph = json.loads(page.content.split(b'class="yoast-schema-graph">', 1)[1].split(b"</script>")[0])
    crumbs = next(node for node in graph["@graph"] if node["@type"] == "BreadcrumbList")["itemListElement"]
    assert [crumb["name"] for crumb in crumbs] == ["Home", "faqs", "Primary?"]


# --- authors


def test_authors_become_byline_profiles_and_sign_in_authors(tmp_path):
    items = (post(7, creator="jane"), post(8, creator="omar"), post(9, creator="jane"))
    out, err, code = run_import(write(tmp_path / "export.xml", wxr(*items)))
    assert code == 0, err
    jane, omar = Person.objects.get(pk=3), Person.objects.get(pk=4)
    assert (jane.name, jane.slug) == ("Jane Doe", "jane")
    assert jane.email == ""  # the export's address stays out of the public profile
    assert list(jane.questions_written.order_by("pk").values_list("pk", flat=True)) == [7, 9]
    assert list(omar.questions_written.values_list("pk", flat=True)) == [8]
    account = get_user_model().objects.get(username="jane")
    assert not account.is_active and not account.has_usable_password()
    assert Question.objects.get(pk=7).author == account
    out, _, _ = run_import(tmp_path / "export.xml")
    assert Person.objects.count() == 2 and "3 unchanged" in out


# --- attachments


@pytest.fixture
def uploads(tmp_path, settings) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "uploads"
    (folder / "2024/02").mkdir(parents=True)
    (folder / "2024/02/fee-table.png").write_bytes(image_bytes("PNG", (200, 100)))
    return folder


def test_an_attachment_becomes_the_featured_image_with_its_alt_text_and_caption(tmp_path, uploads):
    items = (
        post(7, meta={"_thumbnail_id": "321"}),
        attachment(321, "2024/02/fee-table.png", alt="Fee table", caption="Fees in 2024", title="Exam fees"),
    )
    out, err, code = run_import(write(tmp_path / "export.xml", wxr(*items)), media_dir=str(uploads))
    assert code == 0, err
    image = Question.objects.get(pk=7).featured_image
    assert (image.wp_source, image.title, image.alt_text, image.caption) == (
        "2024/02/fee-table.png",
        "Exam fees",
        "Fee table",
        "Fees in 2024",
    )
    assert "images: 1 imported" in out
    run_import(tmp_path / "export.xml", media_dir=str(uploads))
    assert Image.objects.count() == 1


# --- bad items, bad files


def test_bad_items_are_reported_with_their_place_and_skipped(tmp_path):
    items = (
        post(7),
        post("seven", "Not a number?"),
        post(8, status="trash"),
        post(9, title=" "),
        post(10, post_type="page"),  # another post type: left out, not an error
        post(11),
    )
    path = write(tmp_path / "export.xml", wxr(*items))
    out, err, code = run_import(path)
    assert code == 1
    assert sorted(Question.objects.values_list("pk", flat=True)) == [7, 11]
    assert f"skipped {path}: item 2 (post seven): 'id' must be a whole number" in err
    assert f"skipped {path}: item 3 (post 8): status 'trash'" in err
    assert f"skipped {path}: item 4 (post 9): empty 'title'" in err
    assert "item 5" not in err
    assert "3 item(s) or file(s) skipped" in err


PLAIN_RSS = (
    '<?xml version="1.0"?><rss version="2.0"><channel><item><title>A post</title></item></channel></rss>'
)
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>&lol9;</title><wp:post_id>7</wp:post_id><wp:post_type>faq</wp:post_type></item>
</channel></rss>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Leak</title><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">&secret;</content:encoded>
<wp:post_id>7</wp:post_id><wp:post_type>faq</wp:post_type></item>
</channel></rss>
"""


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            BILLION_LAUGHS,
            "it declares a DOCTYPE, which a WordPress export never has; refused, since its entities",
        ),
        (
            EXTERNAL_ENTITY,
            "it declares a DOCTYPE, which a WordPress export never has; refused, since its entities",
        ),
        (wxr(post(7), post(8))[:-40], "not well-formed XML (line "),
        (
            PLAIN_RSS,
            "not a WordPress export (WXR): it has no <wp:wxr_version> before its first item",
        ),
        (
            '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
            "not a WordPress export (WXR): its root element is <svg>, not <rss>",
        ),
    ],  # fmt: skip
    ids=["billion-laughs", "external-entity", "malformed", "plain-rss", "not-rss"],
)
def test_an_unsafe_broken_or_foreign_xml_file_is_refused_whole_with_nothing_written(tmp_path, text, reason):
    path = write(tmp_path / "export.xml", text)
    out, err, code = run_import(path, write(tmp_path / "more.xml", wxr(post(20))))
    assert code == 1
    assert f"skipped {path}: file: {reason}" in err
    assert "Traceback" not in err and "root:x:0:0" not in err + out
    assert list(Question.objects.values_list("pk", flat=True)) == [20]  # the other file is imported


def test_a_file_broken_after_its_items_imports_none_of_them(tmp_path):
    path = write(tmp_path / "export.xml", wxr(post(7), post(8)).replace("</channel>", "<item></channel>"))
    out, err, code = run_import(path)
    assert code == 1 and "not well-formed XML" in err
    assert nothing_written()


def test_a_file_changed_between_its_check_and_its_import_imports_nothing(tmp_path):
    path = write(tmp_path / "export.xml", wxr(post(7), post(8)))
    items, problems = read_sources([str(path)])
    path.write_text(wxr(post(7), post(8))[:-30], encoding="utf-8")
    with pytest.raises(CommandError, match="changed while it was read: not well-formed XML"):
        import_items(items)
    assert nothing_written()


# --- runs


def test_a_second_import_changes_nothing(tmp_path):
    head = AUTHORS + term(10, "cma", "CMA")
    items = (post(7, categories=(("faq-categories", "cma", "CMA"),)), post(8), post(9, status="draft"))
    path = write(tmp_path / "export.xml", wxr(*items, head=head))
    run_import(path)
    before = list(Question.objects.order_by("pk").values())
    out, err, code = run_import(path)
    assert code == 0, err
    assert list(Question.objects.order_by("pk").values()) == before
    assert (
        "questions: 0 created, 0 updated, 3 unchanged; categories: 0 created, 0 updated, 1 unchanged" in out
    )


def test_a_dry_run_writes_nothing(tmp_path):
    head = AUTHORS + term(10, "cma", "CMA")
    path = write(
        tmp_path / "export.xml", wxr(post(7, categories=(("faq-categories", "cma", "CMA"),)), head=head)
    )
    out, err, code = run_import(path, dry_run=True)
    assert code == 0, err
    assert "dry run, nothing written; would have: questions: 1 created" in out
    assert nothing_written() and not get_user_model().objects.exists()


def test_wxr_is_told_by_its_content_in_folders_files_and_standard_input(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    write(folder / "faq.xml", wxr(post(7)))
    write(folder / "more.json", json.dumps({"id": 8, "title": {"rendered": "JSON?"}, "content": "<p>x</p>"}))
    write(tmp_path / "export.download", wxr(post(9)))  # a browser's name for it
    out, err, code = run_import(folder, tmp_path / "export.download")
    assert code == 0, err
    out, err, code = run_import("-", stdin=wxr(post(10)))
    assert code == 0, err
    assert sorted(Question.objects.values_list("pk", flat=True)) == [7, 8, 9, 10]


def test_the_file_is_streamed_never_held_whole(tmp_path):
    """A 24 MB export is read, both times, within a few MB: one item at a time."""
    answer = (
        "<!-- wp:paragraph -->\n<p>"
        + "Practise with timed mock exams. " * 1500
        + "</p>\n<!-- /wp:paragraph -->"
    )
    path = write(tmp_path / "export.xml", wxr(*(post(n, content=answer) for n in range(1, 501))))
    assert path.stat().st_size > 24_000_000
    tracemalloc.start()
    try:
        items, problems = read_sources([str(path)])
        read = sum(1 for item in items if item.data["content"]["rendered"] == answer)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (problems, read) == ([], 500)
    assert peak < 4_000_000


def test_questions_are_written_in_batches_that_link_to_each_other(tmp_path, monkeypatch):
    """A large export is parsed and written QUESTION_BATCH questions at a time, in one
    transaction; a link to a question of a later batch is found when that one is written."""
    monkeypatch.setattr(importer, "QUESTION_BATCH", 2)
    batches = []
    import_questions = importer.import_questions

    def import_batch(rows, report, images):
        batches.append([row.question.pk for row in rows])
        import_questions(rows, report, images)

    monkeypatch.setattr(importer, "import_questions", import_batch)
    link = f'<p>See <a href="{SITE}faq/question-5/">the fifth</a>.</p>'
    items = [post(1, content=link), *(post(n) for n in range(2, 6))]
    out, err, code = run_import(write(tmp_path / "export.xml", wxr(*items)))
    assert code == 0, err
    assert batches == [[1, 2], [3, 4], [5]]
    assert InternalLink.objects.get(source_id=1).target_id == 5
