"""Counting votes: the one writer of `Vote` and `FeedbackCount`.

One client cannot inflate a question's counts: a client's first vote on a question is
remembered in Django's cache under a salted hash of the client's address (read as
sign-in throttling reads it) and the question, for a day. Not its user agent: a header
the client chooses would let it vote again, and walk past the day's share, by changing
it. The salt is SECRET_KEY and the day, so yesterday's hashes cannot be matched with
today's and none can be turned back into an address; nothing about the client reaches
the database. A repeated vote is answered exactly as a counted one (its thanks carries
a token of the first vote, so the reader may still add a reason): a client cannot tell
which of its votes counted. A client's votes over all questions count for at most
CLIENT_VOTES_PER_DAY a day, so one address cannot walk the site voting either.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from faqs.models import Question
from feedback.models import FeedbackCount, Vote
from search_insights.analytics import reader_address

logger = logging.getLogger(__name__)

REMEMBERED_SECONDS = 24 * 60 * 60  # how long a client's vote on a question is remembered
CLIENT_VOTES_PER_DAY = 50  # questions one client's votes count for, a day
AMEND_SECONDS = 60 * 60  # how long the thanks' reason form may amend its vote
TOKEN_PREFIX = "feedback-token:"
PENDING = "pending"  # a first vote being written, its id not known yet
NO_VOTE = 0  # what the token of a vote not counted names: its reason amends nothing


def client_key(request: HttpRequest, scope: str) -> str:
    """A cache key for this client's address and `scope` (a question id, or "day"): an
    HMAC under SECRET_KEY and today's date, so it cannot be read back and changes every
    day. The address alone: the headers are the client's to change at will."""
    client = f"{reader_address(request)}\n{scope}"
    digest = salted_hmac(f"feedback.client:{timezone.localdate().isoformat()}", client, algorithm="sha256")
    return f"feedback-client:{digest.hexdigest()}"


def record_vote(request: HttpRequest, question: Question, helpful: bool) -> str:
    """Count the client's vote on `question`, unless it voted on it today or has used
    its day's share; either way return the token its thanks' reason form carries (of
    the counted vote, the client's earlier one, or none: the reader cannot tell)."""
    key = client_key(request, str(question.pk))
    try:
        if not cache.add(key, PENDING, REMEMBERED_SECONDS):
            earlier = cache.get(key)
            return token_for(earlier if isinstance(earlier, int) else NO_VOTE, question.pk)
        if not _within_days_share(request):
            cache.set(key, NO_VOTE, REMEMBERED_SECONDS)
            return token_for(NO_VOTE, question.pk)
        vote = add_vote(question, helpful)
        cache.set(key, vote.pk, REMEMBERED_SECONDS)
        return token_for(vote.pk, question.pk)
    except Exception:  # noqa: BLE001 (any cache backend's error: the vote is not counted)
        logger.exception("A vote's client could not be checked; it is not counted")
        return ""


@transaction.atomic
def add_vote(question: Question, helpful: bool, *, reason: str = "", comment: str = "", at=None) -> Vote:
    """Write one vote and add it to its question's count: the one writer of both (the
    endpoint, through record_vote(); the demo)."""
    vote = Vote.objects.create(
        question=question, helpful=helpful, reason=reason, comment=comment, created_at=at or timezone.now()
    )
    counted = "helpful" if helpful else "not_helpful"
    if not FeedbackCount.objects.filter(pk=question.pk).update(**{counted: F(counted) + 1}):
        FeedbackCount.objects.create(question=question, **{counted: 1})
    return vote


def _within_days_share(request: HttpRequest) -> bool:
    key = client_key(request, "day")
    if cache.add(key, 1, REMEMBERED_SECONDS):
        return True
    try:
        return cache.incr(key) <= CLIENT_VOTES_PER_DAY
    except ValueError:  # expired between the two calls: a new day's first vote
        cache.add(key, 1, REMEMBERED_SECONDS)
        return True


def token_for(vote_id: int, question_id: int) -> str:
    """The reason form's hidden field: a random token the cache maps to the vote and its
    question for AMEND_SECONDS. Opaque on purpose: a signed vote id would show a reader
    whether their vote counted (NO_VOTE), and no one can amend a vote they were not
    thanked for."""
    token = secrets.token_urlsafe(18)
    cache.set(f"{TOKEN_PREFIX}{token}", (vote_id, question_id), AMEND_SECONDS)
    return token


def use_token(token: str, question_id: int) -> int | None:
    """The vote id a token names (NO_VOTE for a vote not counted), the token used up so
    it amends its vote once; None for a token never given, given more than
    AMEND_SECONDS ago, already used, or given for another question (left as it is)."""
    if not token or len(token) > 64:
        return None
    key = f"{TOKEN_PREFIX}{token}"
    try:
        named = cache.get(key)
        if not isinstance(named, tuple) or len(named) != 2 or named[1] != question_id:
            return None
        # Of two posts of the same token, only the one whose delete removed it amends.
        if not cache.delete(key):
            return None
    except Exception:  # noqa: BLE001 (any cache backend's error: nothing is amended)
        logger.exception("A vote's token could not be read")
        return None
    vote_id = named[0]
    return vote_id if isinstance(vote_id, int) else None


def amend_vote(vote_id: int, reason: str, comment: str) -> None:
    """Add the reader's reason and text to their vote (one UPDATE). A reason is kept only
    on a "not helpful" vote: it answers "what was wrong?". A vote too old to amend, or
    none (0), changes nothing, and the reader is thanked the same."""
    if vote_id == NO_VOTE:
        return
    recent = timezone.now() - timedelta(seconds=AMEND_SECONDS)
    Vote.objects.filter(pk=vote_id, created_at__gte=recent).update(
        reason=Case(When(helpful=False, then=Value(reason)), default=Value("")), comment=comment
    )
