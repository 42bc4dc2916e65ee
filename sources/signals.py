"""A source is on its question's page and in its graph: a source written outside the
question's save (a shell, a script, a cascade) renews the page cache's stamp. Inside
the save path (the change form's inline) the path's own renewal covers it."""

from django.db.models.signals import post_delete, post_save

from faqs import derivers
from http_cache import stamp
from sources.models import Source


def _source_changed(sender, **kwargs) -> None:
    if not derivers.in_save_path():
        stamp.site_changed()


post_save.connect(_source_changed, sender=Source, dispatch_uid="sources.saved")
post_delete.connect(_source_changed, sender=Source, dispatch_uid="sources.deleted")
