"""Receivers for what the sender cannot call itself: QuerySet.delete() (the admin's
bulk delete, cascades) never runs Question.delete(), and django.contrib.redirects
knows nothing of our link graph, so both are heard here."""

from django.contrib.redirects.models import Redirect
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from faqs import links, redirects
from faqs.models import Question


@receiver(post_delete, sender=Question)
def leave_gone_behind(sender, instance: Question, **kwargs) -> None:
    redirects.after_delete(instance)


@receiver(post_save, sender=Redirect)
@receiver(post_delete, sender=Redirect)
def follow_redirect_changes(sender, instance: Redirect, **kwargs) -> None:
    slug = links.slug_of_path(instance.old_path)
    if slug:
        links.reresolve_slug(slug)
