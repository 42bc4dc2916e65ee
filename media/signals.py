"""What follows a library write, for every writer (the admin's form, its bulk form and
delete action, a card remade, a cascade): receivers, not one save function.

- A deleted image or rendition takes its file with it, once the delete commits (a
  rolled-back delete keeps both).
- An image a question shows (featured, or in its answer: media.inline) is on that
  question's page (its alt text, caption, card, srcset): its edit, its delete and a
  remade card renew the page cache's stamp, as a profile's edit does (people.signals).
  A new upload is on no page yet.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from http_cache import stamp
from media.models import Image, Rendition


@receiver(post_delete, sender=Image, dispatch_uid="media.image_file_deleted")
@receiver(post_delete, sender=Rendition, dispatch_uid="media.rendition_file_deleted")
def delete_file(sender, instance, using, **kwargs) -> None:
    name = instance.file.name
    if name:
        transaction.on_commit(lambda: default_storage.delete(name), using=using)


def on_a_page(image: Image) -> bool:
    """Whether a question shows the image: as its featured image or in its answer."""
    return image.featured_in.exists() or image.shown_in.exists()


@receiver(post_save, sender=Image, dispatch_uid="media.image_saved")
def image_saved(sender, instance: Image, created: bool, **kwargs) -> None:
    if not created and on_a_page(instance):
        stamp.site_changed()


@receiver(pre_delete, sender=Image, dispatch_uid="media.image_deleted")
def image_deleted(sender, instance: Image, **kwargs) -> None:
    """Before the delete: after it, the questions' link to it is already gone."""
    if on_a_page(instance):
        stamp.site_changed()


@receiver(post_save, sender=Rendition, dispatch_uid="media.card_made")
def card_made(sender, instance: Rendition, created: bool, **kwargs) -> None:
    if instance.kind == Rendition.Kind.CARD and on_a_page(instance.image):
        stamp.site_changed()
