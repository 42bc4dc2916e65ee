"""A profile is on every page that names it (bylines, its graph node, its own page):
its edit or delete renews the page cache's stamp, as a promotion's does. A deleted
profile's archive goes with it; its questions keep their pages, without the byline."""

from django.db.models.signals import post_delete, post_save

from http_cache import stamp
from listings.archives import forget_archives
from listings.models.archive import person_key
from people.models import Person


def _profile_changed(sender, **kwargs) -> None:
    stamp.site_changed()


def _profile_deleted(sender, instance: Person, **kwargs) -> None:
    forget_archives([person_key(instance.pk)])
    stamp.site_changed()


post_save.connect(_profile_changed, sender=Person, dispatch_uid="people.profile_saved")
post_delete.connect(_profile_deleted, sender=Person, dispatch_uid="people.profile_deleted")
