"""The review steps and who hears of them. An author's submission (a question's status
becoming pending review) mails every editor who may publish, once per submission,
never per save; an editor's request for changes (pending back to draft) mails the
author and stays on the question's form until the author submits again. Each step's
message is kept (ReviewNote) and named in the version its save keeps."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from faqs import permissions, site
from faqs.models import Question
from review.models import ReviewNote

SUBMITTED = ReviewNote.Kind.SUBMITTED
CHANGES_REQUESTED = ReviewNote.Kind.CHANGES_REQUESTED


def history_note(kind: str, message: str) -> str:
    """The step as the question's history names it."""
    label = ReviewNote.Kind(kind).label
    return f"{label}: {message}" if message else label


def record(question: Question, kind: str, by, message: str) -> ReviewNote:
    return ReviewNote.objects.create(question=question, kind=kind, by=by, message=message, at=timezone.now())


def open_note(question: Question) -> ReviewNote | None:
    """The last step while it still stands: a submission while the question waits for
    review, a request for changes while it is back in draft; None once it moved on
    (published, or submitted again)."""
    note = ReviewNote.objects.filter(question=question).select_related("by").first()
    stands = {SUBMITTED: Question.Status.PENDING, CHANGES_REQUESTED: Question.Status.DRAFT}
    return note if note is not None and stands.get(note.kind) == question.status else None


def reviewers(*, besides=None) -> QuerySet:
    """Active people with an address who may publish (PUBLISH_PERMISSION, directly, by
    a group or as superusers)."""
    app_label, codename = permissions.PUBLISH_PERMISSION.split(".")
    grants = {"permissions__codename": codename, "permissions__content_type__app_label": app_label}
    may_publish = (
        Q(is_superuser=True)
        | Q(**{f"groups__{name}": value for name, value in grants.items()})
        | Q(**{f"user_{name}": value for name, value in grants.items()})
    )
    people = get_user_model().objects.filter(may_publish, is_active=True).exclude(email="")
    if besides is not None:
        people = people.exclude(pk=besides.pk)
    return people.distinct().order_by("pk")


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "Someone"


def _form_url(question: Question) -> str:
    return site.absolute_url(reverse("admin:faqs_question_change", args=[question.pk]))


def mail_reviewers(note: ReviewNote) -> int:
    """One message to each reviewer (none sees the others' addresses); how many."""
    question = note.question
    subject = f"Review requested: “{question.title}”"
    body = (
        f"{_name(note.by)} submitted “{question.title}” for review.\n\n"
        f"{note.message or '(No message.)'}\n\n"
        f"Publish it, or request changes, here:\n{_form_url(question)}\n"
    )
    messages = [(subject, body, None, [person.email]) for person in reviewers(besides=note.by)]
    return send_mass_mail(messages) if messages else 0


def mail_author(note: ReviewNote) -> int:
    """The request for changes, to the question's author (when they have an address)."""
    question = note.question
    author = question.author
    if author is None or not author.email or author == note.by:
        return 0
    subject = f"Changes requested: “{question.title}”"
    body = (
        f"{_name(note.by)} asked for changes to “{question.title}”:\n\n{note.message}\n\n"
        f"Change it and submit it again here:\n{_form_url(question)}\n"
    )
    return send_mass_mail([(subject, body, None, [author.email])])
