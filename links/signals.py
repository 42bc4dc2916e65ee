"""django.contrib.redirects knows nothing of our link graph: a redirect added,
changed or removed in the admin is heard here, and links naming its old slug follow
where it leads now."""

from django.contrib.redirects.models import Redirect
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from links import graph
from links.resolve import slug_of_path


@receiver(post_save, sender=Redirect)
@receiver(post_delete, sender=Redirect)
def follow_redirect_changes(sender, instance: Redirect, **kwargs) -> None:
    slug = slug_of_path(instance.old_path)
    if slug:
        graph.reresolve_slug(slug)
