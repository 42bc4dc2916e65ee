"""Who may do what to questions, as named predicates: the admin (the change form, the
bulk actions, the history's restore), the public pages (the preview, the "Edit this
question" link) and the redirects admin ask these, so a rule is written once and every
door that writes or offers a write applies the same one.

WordPress's roles are the model. An editor (the `faqs.publish_question` permission,
WordPress's publish_posts) publishes, schedules, makes private and unpublishes, and
changes any question. An author is WordPress's Contributor: writes drafts, hands them
to an editor with "Submit for review" (the `pending` status), changes only their own
draft or pending question (edit_posts, not edit_others_posts), and hands off a question
once it is published, scheduled or private (edit_published_posts). A question's author
is `Question.author`: whoever created it in the admin, or the imported post's author.
"""

from __future__ import annotations

from typing import Protocol

from faqs.models import Question

PUBLISH_PERMISSION = "faqs.publish_question"
CHANGE_PERMISSION = "faqs.change_question"
VIEW_PERMISSION = "faqs.view_question"
DELETE_PERMISSION = "faqs.delete_question"
OFFSITE_REDIRECT_PERMISSION = "links.add_offsite_redirect"  # on links.OffsiteRedirect
# What an author may set, and the questions (of their own) an author may still change.
AUTHOR_STATUSES = (Question.Status.DRAFT, Question.Status.PENDING)


class HasStatus(Protocol):
    """A version of a question as history keeps it (history.Snapshot): its status."""

    status: str


def may_publish(user) -> bool:
    """Publish, schedule, make private or unpublish: an editor's call."""
    return user.has_perm(PUBLISH_PERMISSION)


def may_set_status(user, status: str) -> bool:
    """Whether `user` may give a question this status: an author drafts and submits
    for review, nothing else. The change form's status choices, a restored version's
    status and the bulk actions all follow it."""
    return may_publish(user) or status in AUTHOR_STATUSES


def may_preview_changes(user) -> bool:
    """Whether `user` may read a public question's page with its draft changes: staff
    who may view questions (readers always get the live page)."""
    return user.has_perm(VIEW_PERMISSION) or user.has_perm(CHANGE_PERMISSION)


def may_preview(user, question: Question) -> bool:
    """Whether `user` may read the question's page: everyone once it is public; before
    (a draft, pending, scheduled or private), staff who may view questions. As Django's
    admin counts it, whoever may change questions may view them."""
    return question.is_public() or may_preview_changes(user)


def may_edit_question(user, question: Question) -> bool:
    """Whether `user` may change this question: an editor any; an author only their
    own draft or pending question (a published, scheduled or private one is read-only
    to them, and so is everyone else's)."""
    return user.has_perm(CHANGE_PERMISSION) and _in_hands_of(user, question)


def may_delete_question(user, question: Question) -> bool:
    """As changing it: deleting a public question takes it from readers, an editor's
    call whoever was given the delete permission."""
    return user.has_perm(DELETE_PERMISSION) and _in_hands_of(user, question)


def may_restore_version(user, question: Question, version: HasStatus) -> bool:
    """Whether `user` may write `version` back over the question: who may change the
    question, when the version's status is one they may set (a restore of a published,
    scheduled or private version publishes, schedules or hides, as the form would)."""
    return may_edit_question(user, question) and may_set_status(user, version.status)


def may_redirect_offsite(user) -> bool:
    """Whether `user` may send readers from this site's domain to another site (an
    open redirect otherwise): a personal grant, in no group."""
    return user.has_perm(OFFSITE_REDIRECT_PERMISSION)


def is_author(user, question: Question) -> bool:
    """Whether `user` wrote the question (a question without an author is no one's)."""
    return question.author_id is not None and question.author_id == user.pk


def _in_hands_of(user, question: Question) -> bool:
    return may_publish(user) or (question.status in AUTHOR_STATUSES and is_author(user, question))
