"""Receivers for what the sender cannot call itself: QuerySet.delete() (the admin's
bulk delete, cascades) never runs Question.delete(), so deletion is heard here."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from faqs import redirects
from faqs.models import Question


@receiver(post_delete, sender=Question)
def leave_gone_behind(sender, instance: Question, **kwargs) -> None:
    redirects.after_delete(instance)
