"""Archives: the numbered lists readers page through must always say exactly what
`Question.objects.published()` says, whatever was written and however time passed."""

import random
from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.utils import timezone
from taggit.models import Tag

from faqs import publishing
from faqs.models import Category, Question
from listings import related
from listings.archives import ArchivePaginator
from listings.models import ArchiveEntry
from listings.models.archive import ALL, SITEMAP, category_key, tag_key, tree_key
from tests.factories import make_category, make_question

pytestmark = pytest.mark.django_db


def expected(key: str):
    """What an archive must list, newest first, read the slow way."""
    questions = Question.objects.published()
    kind, _, number = key.partition(":")
    if key == SITEMAP:
        questions = questions.filter(noindex=False, canonical_url="")
    elif kind == "cat":
        questions = questions.filter(categories=number)
    elif kind == "tree":
        tree = Category.objects.tree()
        ids = Category.descendant_ids(tree[int(number)], tree)
        questions = questions.filter(categories__in=ids).distinct()
    elif kind == "tag":
        questions = questions.filter(tags=number)
    return list(questions.order_by("-published_at", "-pk").values_list("pk", flat=True))


def listed(key: str, per_page: int = 3) -> list[int]:
    paginator = ArchivePaginator(key, per_page)
    return [q.pk for number in paginator.page_range for q in paginator.page(number).object_list]


def all_keys() -> list[str]:
    keys = [ALL, SITEMAP]
    for category in Category.objects.all():
        keys += [category_key(category.pk), tree_key(category.pk)]
    return keys + [tag_key(tag.pk) for tag in Tag.objects.all()]


def assert_archives_true():
    for key in all_keys():
        assert listed(key) == expected(key), key
        assert ArchivePaginator(key, 3).count == len(expected(key)), key


def test_archives_follow_every_kind_of_write():
    """A seeded run of random writes: publish, schedule, unpublish, redate, move
    categories and tags, hide from search engines, delete, move a category."""
    rng = random.Random(7)
    top = make_category(name="Top")
    middle = make_category(name="Middle", parent=top)
    other = make_category(name="Other")
    categories = [top, middle, other]
    now = timezone.now()
    questions = []
    for _ in range(30):
        questions.append(
            make_question(
                categories=rng.sample(categories, rng.randint(0, 2)),
                tags=rng.sample(["a", "b", "c"], rng.randint(0, 2)),
                published_at=now - timedelta(hours=rng.randint(1, 500)),
            )
        )
    assert_archives_true()
    for step in range(60):
        question = rng.choice(questions)
        action = rng.choice(["status", "redate", "terms", "noindex", "delete"])
        if action == "delete" and len(questions) > 10:
            questions.remove(question)
            question.delete()
        elif action == "status":
            question.status = rng.choice(list(Question.Status))
            if question.status == Question.Status.SCHEDULED:
                question.published_at = now + timedelta(hours=rng.randint(1, 200))
            else:  # a date in the future turns a published question into a scheduled one
                question.published_at = rng.choice([None, now + timedelta(hours=rng.randint(-200, 200))])
            publishing.save_question(question)
        elif action == "redate" and question.published_at:
            question.published_at = now - timedelta(hours=rng.randint(1, 900))
            publishing.save_question(question)
        elif action == "terms":
            publishing.save_question(
                question,
                categories=rng.sample(categories, rng.randint(0, 3)),
                tags=rng.sample(["a", "b", "c", "d"], rng.randint(0, 3)),
            )
        else:
            question.noindex = not question.noindex
            publishing.save_question(question)
        if step % 10 == 9:
            assert_archives_true()
    middle.parent = other  # a category moves: both parents' archive pages change
    publishing.save_category(middle)
    assert_archives_true()
    other.delete()
    assert_archives_true()
    Tag.objects.filter(name="a").delete()
    assert_archives_true()


def test_a_scheduled_question_joins_its_archives_when_due_with_no_write(monkeypatch):
    category = make_category()
    make_question(categories=[category], tags=["fees"])
    due = timezone.now() + timedelta(hours=2)
    scheduled = make_question(
        categories=[category], tags=["fees"], status=Question.Status.SCHEDULED, published_at=due
    )
    for key in (ALL, category_key(category.pk), tree_key(category.pk), SITEMAP):
        assert scheduled.pk not in listed(key)
    later = due + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    for key in (ALL, category_key(category.pk), tree_key(category.pk), SITEMAP):
        assert listed(key)[0] == scheduled.pk and ArchivePaginator(key, 3).count == 2
    assert Category.objects.with_question_counts().get(pk=category.pk).question_count == 2


def test_a_page_beyond_the_last_is_refused_as_django_refuses_it():
    make_question()
    with pytest.raises(Exception) as refused:
        ArchivePaginator(ALL, 20).page(2)
    assert type(refused.value).__name__ == "EmptyPage"
    assert Paginator([], 20).page(1).object_list == [] and ArchivePaginator(ALL, 20).page(1).object_list


def test_archives_are_derived_for_a_site_that_predates_them():
    question = make_question()
    ArchiveEntry.objects.all().delete()
    publishing.derive_missing()
    assert listed(ALL) == [question.pk]


def test_related_questions_never_show_one_unpublished_after_they_were_derived():
    category = make_category()
    question = make_question(title="Hub?", categories=[category])
    sibling = make_question(title="Sibling?", categories=[category])
    assert related.related_for_page(question, 5) == [sibling]
    # Unpublished behind the save path's back: the list derived before still holds it.
    Question.objects.filter(pk=sibling.pk).update(status=Question.Status.DRAFT)
    assert related.related_for_page(question, 5) == []


def test_a_new_question_enters_the_related_lists_of_those_it_shares_terms_with():
    category = make_category()
    first = make_question(title="First?", categories=[category], tags=["fees"])
    second = make_question(title="Second?", categories=[category], tags=["fees"])
    assert related.related_for_page(first, 5) == [second]
    # Written after `first`'s list was derived, and sharing more with it than `second`.
    third = make_question(title="Third?", categories=[category], tags=["fees", "retakes"])
    publishing.save_question(first, tags=["fees", "retakes"])
    assert related.related_for_page(first, 5) == [third, second]
    fourth = make_question(title="Fourth?", tags=["retakes"])
    assert fourth in related.related_for_page(first, 5) and first in related.related_for_page(fourth, 5)
