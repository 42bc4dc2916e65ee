"""Tags (django-taggit's Tag): every tag has a slug, so its archive has an address."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver
from taggit.models import Tag

from faqs.slugs import next_free_slug

# taggit's columns hold 100 characters, and a slug another tag holds gets taggit's
# _1, _2 … on top (PostgreSQL refuses the longer value): names leave room for it.
MAX_NAME_CHARS = 90


def too_long(names: list[str]) -> list[str]:
    """The tag names (typed by an editor, or imported) that no tag can hold."""
    return [name for name in names if len(name) > MAX_NAME_CHARS]


def fallback_slug(tag: Tag) -> str:
    """The tag's id, as WordPress gives a term whose name leaves nothing to slugify
    ("++", ">"); with -2, -3 … when another tag already holds it."""
    wanted = str(tag.pk)
    taken = set(Tag.objects.filter(slug__startswith=wanted).exclude(pk=tag.pk).values_list("slug", flat=True))
    return next_free_slug(wanted, taken.__contains__, max_length=Tag._meta.get_field("slug").max_length)


# A receiver, because taggit makes the tag (TaggableManager.set(), its admin) and
# cannot know us; the id a fallback needs exists only once the row is saved.
@receiver(post_save, sender=Tag)
def give_slugless_tags_a_slug(sender, instance: Tag, **kwargs) -> None:
    """taggit slugifies the name and keeps an empty slug when nothing is left, which
    no URL can hold: every page showing the tag would fail."""
    if instance.slug:
        return
    instance.slug = fallback_slug(instance)
    Tag.objects.filter(pk=instance.pk).update(slug=instance.slug)
