"""Person: who writes and who reviews the answers, as readers see them (issue 20).

A profile is public (its page at author/<slug>/, its byline, its schema.org Person
node), so it is not the sign-in account: a reviewer may never sign in, and an
account's name and email stay private. A profile may name the account it belongs to,
so "Mark as reviewed" knows who reviewed and a new question knows its author.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

from faqs import slugs
from faqs.site import slug_path


def web_address(text: str) -> str:
    """The host of an http(s) address, or "" for anything else ("not a link",
    "https://[linkedin.com": urlsplit raises on a bracket left open)."""
    if not text.startswith(("https://", "http://")):
        return ""
    try:
        return urlsplit(text).hostname or ""
    except ValueError:
        return ""


def validate_profile_links(value: str) -> None:
    """Each line a whole http(s) address: a typo is refused in the form, not shown."""
    for line in filter(None, (line.strip() for line in value.splitlines())):
        try:
            URLValidator(schemes=["http", "https"])(line)
        except ValidationError:
            raise ValidationError(f"“{line}” is not a web address (https://…): one address a line.") from None


class PersonQuerySet(models.QuerySet):
    def public(self) -> PersonQuerySet:
        """People named by a public question (as its writer or its reviewer): those
        WordPress shows to anyone, as it shows the users with published posts."""
        from faqs.models import Question  # faqs depends on this app's model, not the reverse

        named = Question.objects.published().filter(
            models.Q(written_by=models.OuterRef("pk")) | models.Q(reviewed_by=models.OuterRef("pk"))
        )
        return self.filter(models.Exists(named))


class Person(models.Model):
    # Imported profiles keep their WordPress user id as primary key, as questions keep
    # theirs: wp-json's `author` and wp/v2/users/<id> answer as the old site did.
    id = models.BigAutoField(primary_key=True)
    name = models.CharField(max_length=150, help_text="As readers see it in bylines, e.g. “Jane Doe”.")
    slug = models.SlugField(
        max_length=150,
        unique=True,
        blank=True,
        allow_unicode=True,
        help_text="The profile's address (author/this-slug/). Left empty, it is made from the name.",
    )
    job_title = models.CharField(
        max_length=150, blank=True, help_text="E.g. “Certified Medical Assistant, exam coach”."
    )
    credentials = models.CharField(
        max_length=150,
        blank=True,
        help_text="Shown after the name in bylines, e.g. “CMA (AAMA)” or “RN, BSN”.",
    )
    bio = models.TextField(
        blank=True, help_text="A short biography in plain text, shown on the profile page."
    )
    profile_links = models.TextField(
        "professional profiles",
        blank=True,
        help_text="Links to this person's profiles elsewhere (LinkedIn, a registry listing), one "
        "address per line. Search engines read them as sameAs.",
        validators=[validate_profile_links],
    )
    email = models.EmailField(
        blank=True,
        help_text="Never shown. The review reminders go here (else to the linked account's email).",
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="profile",
        help_text="The sign-in account of this person, if any: their new questions are theirs, "
        "and “Mark as reviewed” names them.",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "author profile"

    def __str__(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def save(self, *args, **kwargs) -> None:
        self.slug = self.slug.lower()  # as every slug of the site: an address readers can type
        if not self.slug:  # as WordPress's user_nicename: from the name, -2 on a collision
            wanted = slugs.slug_from_title(self.name, fallback="author")
            self.slug = slugs.unique_slug(Person, wanted, exclude_pk=self.pk, max_length=150)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_path("people:author", self.slug)

    @property
    def same_as(self) -> list[str]:
        """The professional profiles, as the schema's sameAs: whole http(s) addresses only."""
        return [
            line for line in (line.strip() for line in self.profile_links.splitlines()) if web_address(line)
        ]

    @property
    def profile_addresses(self) -> list[tuple[str, str]]:
        """(address, its host without "www."), as the profile page links them."""
        return [(address, web_address(address).removeprefix("www.")) for address in self.same_as]

    @property
    def reminder_email(self) -> str:
        if self.email:
            return self.email
        return self.account.email if self.account_id and self.account else ""
