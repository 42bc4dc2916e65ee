import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from taggit.models import Tag

from faqs.models import Category, Question
from listings import related
from tests.factories import make_category, make_question

pytestmark = pytest.mark.django_db


def test_slug_is_made_from_the_title():
    question = make_question(title="What Happens If You Fail the CMA Exam?")
    assert question.slug == "what-happens-if-you-fail-the-cma-exam"


def test_taken_slugs_get_wordpress_suffixes():
    slugs = [make_question(title="Same Question?").slug for _ in range(3)]
    assert slugs == ["same-question", "same-question-2", "same-question-3"]


def test_an_explicit_taken_slug_gets_a_suffix_too():
    make_question(slug="retakes")
    assert make_question(slug="retakes").slug == "retakes-2"


def test_resaving_keeps_the_slug():
    question = make_question(title="Kept?")
    question.title = "Changed title"
    question.save()
    question.refresh_from_db()
    assert question.slug == "kept"


def test_slug_of_a_title_without_letters_is_still_valid():
    assert make_question(title="???").slug == "question"


def test_content_is_sanitised_on_save():
    question = make_question(content='<p onclick="x()">Hi<script>alert(1)</script></p>')
    question.refresh_from_db()
    assert question.content == "<p>Hi</p>"


def test_derived_fields_follow_the_content():
    question = make_question(content="<p>" + "word " * 250 + "</p>")
    assert question.reading_minutes == 2
    question.content = "<p>Short now.</p>"
    question.save(update_fields=["content"])
    question.refresh_from_db()
    assert question.reading_minutes == 1
    assert question.auto_description == "Short now."


def test_modified_at_moves_on_save_unless_kept():
    then = timezone.now() - timedelta(days=30)
    question = make_question(modified_at=then)
    assert question.modified_at > then
    question.modified_at = then
    question.save(keep_modified=True)
    question.refresh_from_db()
    assert question.modified_at == then


@pytest.mark.parametrize(
    "status, offset, visible",
    [
        (Question.Status.PUBLISHED, timedelta(days=-1), True),
        (Question.Status.SCHEDULED, timedelta(days=-1), True),
        (Question.Status.SCHEDULED, timedelta(days=1), False),
        (Question.Status.PUBLISHED, timedelta(days=1), False),
        (Question.Status.DRAFT, timedelta(days=-1), False),
        (Question.Status.PRIVATE, timedelta(days=-1), False),
    ],
)
def test_published_shows_only_public_questions(status, offset, visible):
    question = make_question(status=status, published_at=timezone.now() + offset)
    assert Question.objects.published().filter(pk=question.pk).exists() is visible
    assert question.is_public() is visible


def test_scheduled_question_becomes_public_when_its_time_comes():
    question = make_question(
        status=Question.Status.SCHEDULED, published_at=timezone.now() + timedelta(hours=1)
    )
    assert not Question.objects.published().filter(pk=question.pk).exists()
    Question.objects.filter(pk=question.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert Question.objects.published().filter(pk=question.pk).exists()


def test_published_with_a_future_date_is_saved_as_scheduled():
    question = make_question(
        status=Question.Status.PUBLISHED, published_at=timezone.now() + timedelta(days=2)
    )
    assert question.status == Question.Status.SCHEDULED


def test_publishing_without_a_date_means_now():
    question = make_question(status=Question.Status.PUBLISHED, published_at=None)
    assert question.published_at is not None
    assert question.is_public()


def test_drafts_have_no_publication_date():
    assert make_question(status=Question.Status.DRAFT).published_at is None


def test_effective_seo_values_fall_back_to_derived_ones():
    question = make_question(title="Q?", content="<p>First sentence. Second one.</p>")
    assert question.effective_title == "Q?"
    assert question.effective_description == "First sentence. Second one."
    question.seo_title = "Custom title"
    question.meta_description = "Custom description."
    assert question.effective_title == "Custom title"
    assert question.effective_description == "Custom description."


def test_related_questions_share_categories_or_tags_most_shared_first():
    cma = make_category(name="CMA")
    ptcb = make_category(name="PTCB")
    question = make_question(categories=[cma], tags=["retake"])
    both = make_question(categories=[cma], tags=["retake"])
    one = make_question(categories=[cma])
    make_question(categories=[ptcb])  # shares nothing
    make_question(categories=[cma], tags=["retake"], status=Question.Status.DRAFT)
    question = Question.objects.prefetch_related("categories", "tags").get(pk=question.pk)
    assert related.related_for_page(question, 5) == [both, one]


def test_category_tree_walks_parents_and_children():
    top = make_category(name="Top")
    middle = make_category(name="Middle", parent=top)
    leaf = make_category(name="Leaf", parent=middle)
    tree = Category.objects.tree()
    assert Category.ancestors(leaf, tree) == [top, middle]
    assert Category.descendant_ids(top, tree) == {top.pk, middle.pk, leaf.pk}


def test_category_counts_only_public_questions():
    category = make_category()
    make_question(categories=[category])
    make_question(categories=[category], status=Question.Status.DRAFT)
    assert Category.objects.with_question_counts().get(pk=category.pk).question_count == 1


def test_tags_without_slug_characters_get_their_id_as_slug():
    make_question(tags=["++", ">", "C++"])
    slugs = dict(Tag.objects.values_list("name", "slug"))
    assert slugs["++"] == str(Tag.objects.get(name="++").pk)
    assert slugs[">"] == str(Tag.objects.get(name=">").pk)
    assert slugs["C++"] == "c"  # a name with something to slugify keeps taggit's slug


def test_a_tags_fallback_slug_taken_by_another_tag_gets_a_suffix():
    slugless = Tag.objects.create(name="++")
    Tag.objects.filter(pk=slugless.pk).update(slug="")
    Tag.objects.create(name="holder", slug=str(slugless.pk))
    slugless.refresh_from_db()
    slugless.save()
    assert Tag.objects.get(pk=slugless.pk).slug == f"{slugless.pk}-2"


def test_the_data_migration_gives_an_old_slugless_tag_its_fallback():
    migration = importlib.import_module("faqs.migrations.0007_tag_slug_fallback")
    slugless = Tag.objects.create(name="++")
    Tag.objects.filter(pk=slugless.pk).update(slug="")  # as taggit left it
    Tag.objects.create(name="holder", slug=str(slugless.pk))
    migration.give_slugless_tags_a_slug(apps, schema_editor=None)
    assert Tag.objects.get(pk=slugless.pk).slug == f"{slugless.pk}-2"
