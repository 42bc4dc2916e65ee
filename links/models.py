"""InternalLink: one link in a question's answer, derived on every save; and the
redirects' own permission."""

from __future__ import annotations

from django.contrib.redirects.models import Redirect
from django.db import models

from faqs.models.question import Question


class InternalLinkQuerySet(models.QuerySet):
    def internal(self) -> InternalLinkQuerySet:
        return self.filter(is_internal=True)

    def broken(self) -> InternalLinkQuerySet:
        """Links to this site's question URLs that name no question."""
        return self.internal().filter(target__isnull=True)

    def to_unpublished(self) -> InternalLinkQuerySet:
        """Links whose target exists but readers cannot see (draft, private, not yet due)."""
        return self.internal().filter(target__isnull=False).exclude(target__in=Question.objects.published())


class InternalLink(models.Model):
    """One link in a question's answer, derived from the content on every save.

    Whether the target is public is read from the target itself (`status`), never
    stored, so a scheduled question that comes due is right without a save."""

    class Status(models.TextChoices):
        OK = "ok", "OK"
        REDIRECTED = "redirected", "Redirected"
        UNPUBLISHED = "unpublished", "Target not published"
        BROKEN = "broken", "Broken"
        EXTERNAL = "external", "External"

    source = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="outgoing_links")
    position = models.PositiveIntegerField(help_text="Order of the link in the answer.")
    href = models.CharField(max_length=2000)
    anchor = models.CharField(max_length=500, blank=True)
    is_internal = models.BooleanField(default=False, db_index=True)
    target_slug = models.CharField(
        max_length=200, blank=True, db_index=True, help_text="The question slug the href names."
    )
    target = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="incoming_links"
    )
    via_redirect = models.BooleanField(
        default=False, help_text="The href names an old slug that now redirects to the target."
    )

    objects = InternalLinkQuerySet.as_manager()

    class Meta:
        db_table = "faqs_internallink"  # kept from when it was part of faqs
        ordering = ["source", "position"]
        indexes = [models.Index(fields=["is_internal", "target"], name="faq_link_target_idx")]

    def __str__(self) -> str:
        return f"{self.anchor or self.href} → {self.href}"

    def get_status_label(self) -> str:
        return self.Status(self.status).label

    @property
    def status(self) -> str:
        if not self.is_internal:
            return self.Status.EXTERNAL
        if self.target is None:
            return self.Status.BROKEN
        if not self.target.is_public():
            return self.Status.UNPUBLISHED
        return self.Status.REDIRECTED if self.via_redirect else self.Status.OK


class OffsiteRedirect(Redirect):
    """django.contrib.redirects' Redirect, as a proxy that carries the permission to
    send readers from this site's domain to another site (an open redirect
    otherwise): `links.add_offsite_redirect`, a personal grant, in no group."""

    class Meta:
        proxy = True
        verbose_name = "redirect to another site"
        default_permissions = ()  # the redirects' own add/change/delete/view apply
        permissions = [("add_offsite_redirect", "Can add redirects to other sites")]
