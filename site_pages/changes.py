"""A site page's edit renews the page cache's stamp: the page itself, and the footer
of every page (it lists the pages' titles), are kept under it. Flatpages are written
by their admin or a shell, never by the questions' save path, so signals hear them."""

from django.contrib.flatpages.models import FlatPage
from django.db.models.signals import m2m_changed, post_delete, post_save

from http_cache import stamp


def _site_pages_changed(sender, **kwargs) -> None:
    if kwargs.get("action", "post_").startswith("post_"):
        stamp.site_changed()


def connect() -> None:
    post_save.connect(_site_pages_changed, sender=FlatPage, dispatch_uid="site_pages.saved")
    post_delete.connect(_site_pages_changed, sender=FlatPage, dispatch_uid="site_pages.deleted")
    # The admin saves the page, then its sites: a page moved to another site goes too.
    m2m_changed.connect(_site_pages_changed, sender=FlatPage.sites.through, dispatch_uid="site_pages.sites")
