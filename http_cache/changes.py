"""Who replaces the stamp. The save path runs `deriver` last of its derivers: one
renewal a write, however many rows, categories and tags it wrote, and one a delete of
a question. The receivers below hear the writes that no function of ours makes: a
shell's save, a cascade, taggit's tag forms, django.contrib.redirects' admin, a bulk
delete; inside the save path they stay quiet, since its deriver renews the stamp."""

from django.contrib.redirects.models import Redirect
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from faqs import derivers
from faqs.derivers import Deriver, WriteContext
from faqs.models import Category, Question
from http_cache import stamp

# Rows whose fields readers see. Their links (a question's categories and tags) are
# heard as m2m changes: a receiver of TaggedItem deletes would make every cascade
# from a tag load its rows one by one. A question's delete runs the derivers.
SEEN_BY_READERS = (Question, Category, Tag, Redirect)


class PageCacheStamp(Deriver):
    """Every page made before a write or a delete misses after it."""

    def after_write(self, ctx: WriteContext) -> None:
        stamp.site_changed(schedule_changed=schedule_changed(ctx))

    def after_delete(self, ctx: WriteContext) -> None:
        stamp.site_changed(schedule_changed=schedule_changed(ctx))

    def rebuild(self) -> None:
        stamp.site_changed(schedule_changed=True)  # repaired lists show at once


def schedule_changed(ctx: WriteContext) -> bool:
    """Whether a scheduled question is among them, as they are or as they were."""
    scheduled = Question.Status.SCHEDULED
    return any(
        question.status == scheduled or ctx.before.get(question.pk, {}).get("status") == scheduled
        for question in ctx.questions
    )


deriver = PageCacheStamp()


def _changed(sender, instance, **kwargs) -> None:
    if not derivers.in_save_path():
        stamp.site_changed(schedule_changed=getattr(instance, "status", None) == Question.Status.SCHEDULED)


for model in SEEN_BY_READERS:
    post_save.connect(_changed, sender=model, dispatch_uid=f"page_cache.saved.{model._meta.label}")
    if model is not Question:
        post_delete.connect(_changed, sender=model, dispatch_uid=f"page_cache.deleted.{model._meta.label}")


@receiver(m2m_changed, sender=Question.categories.through)
@receiver(m2m_changed, sender=TaggedItem)
def _terms_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_") and not derivers.in_save_path():
        stamp.site_changed()
