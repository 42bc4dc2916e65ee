"""OutboxEntry: a page to announce or purge, written in the transaction of the write
that changed it and sent later by `send_indexnow` / `purge_cdn`, so a save never waits
on, or fails with, anyone else's server."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

# The path that stands for every page: a CDN purge of everything (a large write).
EVERYTHING = "*"


class OutboxEntry(models.Model):
    """One page (a root-relative path, as reverse() gives it: the absolute URL is built
    on SITE_URL when sent) for one receiver."""

    class Target(models.TextChoices):
        INDEXNOW = "indexnow", "IndexNow (search engines)"
        PURGE = "purge", "CDN purge"

    id = models.BigAutoField(primary_key=True)
    target = models.CharField(max_length=10, choices=Target.choices)
    path = models.TextField(help_text="The page, under the site's address; * is every page.")
    reason = models.CharField(max_length=20, help_text="What changed it: publish, update, move, delete…")
    created_at = models.DateTimeField(default=timezone.now)
    # When a sender may take it: now for most; a scheduled question's publication time;
    # after a failure, later and later (notify.delivery); while a sender holds it, the
    # end of its lease.
    next_try_at = models.DateTimeField(default=timezone.now)
    tries = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "outbox entry"
        verbose_name_plural = "outbox"
        ordering = ["next_try_at", "pk"]
        # The senders' one question: this target's entries due now, oldest first.
        indexes = [models.Index(fields=["target", "next_try_at"], name="notify_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_target_display()}: {self.path}"
