"""The editors' admin: lists, filters, actions and the SEO fieldset."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from faqs.models import Category, Question
from tests.factories import make_category, make_question

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:faqs_question_changelist")


def bulk_questions(count: int, category: Category, tag: Tag) -> None:
    """Many rows fast: bulk_create skips save(), which the changelist does not need."""
    now = timezone.now()
    questions = Question.objects.bulk_create(
        Question(title=f"Bulk question {n}?", slug=f"bulk-{n}", status="published", published_at=now)
        for n in range(count)
    )
    Question.categories.through.objects.bulk_create(
        Question.categories.through(question_id=q.pk, category_id=category.pk) for q in questions
    )
    through = Question.tags.through
    through.objects.bulk_create(through(content_object=q, tag=tag) for q in questions)


def changelist_queries(admin_client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(CHANGELIST, params)
    assert response.status_code == 200
    return len(queries)


def test_changelist_query_count_does_not_grow_with_the_site(admin_client, django_assert_max_num_queries):
    category = make_category(name="CMA")
    tag = Tag.objects.create(name="retake", slug="retake")
    bulk_questions(10, category, tag)
    small = changelist_queries(admin_client)
    bulk_questions_extra = 990
    Question.objects.bulk_create(
        Question(title=f"More {n}?", slug=f"more-{n}", status="draft") for n in range(bulk_questions_extra)
    )
    assert Question.objects.count() == 1000
    with django_assert_max_num_queries(small):
        admin_client.get(CHANGELIST)
    with django_assert_max_num_queries(small):
        admin_client.get(CHANGELIST, {"status__exact": "published", "categories__id__exact": category.pk})


def test_changelist_shows_status_categories_tags_and_dates(admin_client):
    category = make_category(name="CMA Exam")
    make_question(title="Listed question?", categories=[category], tags=["retake"])
    html = admin_client.get(CHANGELIST).content.decode().lower()
    for text in ("listed question?", "published", "cma exam", "retake", "publication date", "last modified"):
        assert text in html


@pytest.mark.parametrize(
    "params, shown, hidden",
    [
        ({"status__exact": "draft"}, "Draft one?", "Published one?"),
        ({"q": "unicorn"}, "Published one?", "Draft one?"),
        ({"tags__id__exact": "TAG"}, "Published one?", "Draft one?"),
        ({"categories__id__exact": "CATEGORY"}, "Draft one?", "Published one?"),
    ],
)
def test_changelist_filters_and_search(admin_client, params, shown, hidden):
    category = make_category()
    make_question(title="Published one?", content="<p>A unicorn answer.</p>", tags=["retake"])
    make_question(title="Draft one?", status=Question.Status.DRAFT, categories=[category])
    tag = Tag.objects.get(name="retake")
    params = {
        key: {"TAG": tag.pk, "CATEGORY": category.pk}.get(value, value) for key, value in params.items()
    }
    html = admin_client.get(CHANGELIST, params).content.decode()
    assert shown in html and hidden not in html


def test_changelist_has_a_date_hierarchy(admin_client):
    make_question()
    response = admin_client.get(CHANGELIST)
    assert response.context["cl"].date_hierarchy == "published_at"
    assert 'class="toplinks"' in response.content.decode()


def test_bulk_publish_and_unpublish(admin_client):
    drafts = [make_question(status=Question.Status.DRAFT) for _ in range(2)]
    ids = [q.pk for q in drafts]
    admin_client.post(CHANGELIST, {"action": "publish", "_selected_action": ids})
    assert all(q.is_public() for q in Question.objects.filter(pk__in=ids))
    admin_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": ids})
    assert set(Question.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"draft"}


def test_editor_creates_a_question_with_a_wordpress_style_slug(admin_client):
    make_question(title="How hard is the CMA exam?")
    response = admin_client.post(
        reverse("admin:faqs_question_add"),
        {
            "title": "How hard is the CMA exam?",
            "slug": "",
            "content": "<p>Hard but fair.</p><script>x()</script>",
            "excerpt": "",
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
            "tags": "cma, difficulty",
            "seo_title": "",
            "meta_description": "",
            "canonical_url": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get(slug="how-hard-is-the-cma-exam-2")
    assert question.content == "<p>Hard but fair.</p>"
    assert question.is_public()
    assert sorted(question.tags.names()) == ["cma", "difficulty"]
    assert question.author is not None


def test_change_form_shows_effective_seo_values_and_view_on_site(admin_client):
    question = make_question(title="Derived?", content="<p>Derived description here. More text.</p>")
    html = admin_client.get(reverse("admin:faqs_question_change", args=[question.pk])).content.decode()
    assert "Search engines (SEO)" in html
    assert "Derived description here. More text." in html
    # "View on site" opens the public page on this host, not the sites framework's example.com.
    assert f'<a href="/resources/faq/{question.slug}/" class="viewsitelink">View on site</a>' in html


def test_change_form_warns_when_the_description_is_missing(admin_client):
    question = make_question(content="")
    html = admin_client.get(reverse("admin:faqs_question_change", args=[question.pk])).content.decode()
    assert "Missing: add an answer, an excerpt or a meta description." in html


def test_add_form_prepopulates_the_slug_from_the_title(admin_client):
    html = admin_client.get(reverse("admin:faqs_question_add")).content.decode()
    assert "prepopulated_fields" in html or "data-prepopulated-fields" in html


def test_category_admin_lists_parent_and_question_count(admin_client):
    parent = make_category(name="CMA Exam")
    child = make_category(name="CMA Retakes", parent=parent)
    make_question(categories=[child])
    make_question(categories=[child])
    response = admin_client.get(reverse("admin:faqs_category_changelist"))
    rows = {str(c): c._question_count for c in response.context["cl"].result_list}
    assert rows == {"CMA Exam": 0, "CMA Retakes": 2}
    assert "CMA Exam" in response.content.decode()


@pytest.mark.parametrize("model", [Question, Category])
def test_help_texts_hold_no_markup(model):
    """The admin prints help texts unescaped: a literal "<title>" once swallowed the
    rest of the question form, Save buttons included."""
    for field in model._meta.get_fields():
        assert "<" not in str(getattr(field, "help_text", "")), field.name


def test_add_form_renders_every_fieldset_and_the_save_buttons(admin_client):
    html = admin_client.get(reverse("admin:faqs_question_add")).content.decode()
    head, body = html.split("</head>", 1)
    assert head.count("<title>") == 1 and "<title>" not in body
    for marker in ('name="seo_title"', 'name="meta_description"', 'name="_save"', 'name="_continue"'):
        assert marker in body
