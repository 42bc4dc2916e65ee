"""Writes that readers see and that no function of ours makes: a shell's save, a
cascade, taggit's tag forms, django.contrib.redirects' admin, a bulk delete. Each
replaces the stamp. The save path (`publishing.questions_written`, whose bulk writes
send no signal) calls `site_changed()` itself."""

from django.contrib.redirects.models import Redirect
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from faqs.models import Category, Question
from http_cache.stamp import site_changed

# Rows whose fields readers see. Their links (a question's categories and tags) are
# heard as m2m changes: a receiver of TaggedItem deletes would make every cascade
# from a tag load its rows one by one.
SEEN_BY_READERS = (Question, Category, Tag, Redirect)


def _changed(sender, instance, **kwargs) -> None:
    site_changed(schedule_changed=getattr(instance, "status", None) == Question.Status.SCHEDULED)


for model in SEEN_BY_READERS:
    post_save.connect(_changed, sender=model, dispatch_uid=f"page_cache.saved.{model._meta.label}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"page_cache.deleted.{model._meta.label}")


@receiver(m2m_changed, sender=Question.categories.through)
@receiver(m2m_changed, sender=TaggedItem)
def _terms_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        site_changed()
