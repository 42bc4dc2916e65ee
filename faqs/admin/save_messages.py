"""What a save did, told to the editor beyond "changed successfully": the old address
now redirects, answers rewritten, links that do not reach a public question, a derived
description, a schedule, a title another question has too. Read after the save, from
what the save path stored, in a fixed number of queries."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from faqs import site, words
from faqs.models import Question
from links.models import InternalLink
from links.redirects import Move
from search import engine as search

ANCHORS_NAMED = 5


def after_save(question: Question, move: Move | None, *, was_public: bool = False) -> list[tuple[int, str]]:
    """(message level, text) pairs, most important first."""
    said = []
    if question.is_public() and not was_public:
        url = question.get_absolute_url()
        live = format_html(
            '“{}” is live: readers see it at <a href="{}">{}</a>.',
            question.title,
            url,
            site.absolute_url(url),
        )
        said.append((messages.INFO, live))
    elif was_public and not question.is_public():
        said.append((messages.WARNING, f"“{question.title}” is no longer shown to readers."))
    if move is not None:
        said.append((messages.INFO, _moved(question, move)))
    said += _link_problems(question)
    if question.status == Question.Status.SCHEDULED:
        when = timezone.localtime(question.published_at).strftime("%Y-%m-%d %H:%M")
        said.append(
            (
                messages.INFO,
                f"“{question.title}” is dated in the future: it goes public on {when} (scheduled).",
            )
        )
    if not question.meta_description.strip() and question.auto_description:
        said.append(
            (messages.INFO, "No meta description was set, so one was derived from the excerpt or the answer.")
        )
    twin = _twin(question)
    if twin is not None:
        said.append(
            (messages.WARNING, f"Another question has the same title (#{twin.pk}, {twin.status}): "
             "readers and search engines cannot tell them apart.")
        )  # fmt: skip
    return said


def _moved(question: Question, move: Move) -> str:
    text = f"The old address {move.old_path} now redirects here (301)."
    if move.answers_rewritten:
        text += f" {move.answers_rewritten} answer(s) that linked to it were updated."
    return text


def _link_problems(question: Question) -> list[tuple[int, str]]:
    links = InternalLink.objects.filter(source=question)
    kinds = {
        "broken: no question lives at their address": links.broken(),
        "to a question that is not public": links.to_unpublished(),
    }
    # Both counted in one query; the anchors are read only for a kind that has some.
    counted = {kind: Count("pk", filter=Q(pk__in=found.values("pk"))) for kind, found in kinds.items()}
    counts = links.aggregate(**{f"kind{n}": count for n, count in enumerate(counted.values())})
    said = []
    for (kind, found), count in zip(kinds.items(), counts.values(), strict=True):
        if count:
            anchors = found.order_by("position").values_list("anchor", flat=True)[:ANCHORS_NAMED]
            named = ", ".join(f"“{Truncator(anchor).chars(40)}”" for anchor in anchors)
            more = " …" if count > ANCHORS_NAMED else ""
            said.append((messages.WARNING, f"{count} link(s) in this answer are {kind} ({named}{more})."))
    return said


def _twin(question: Question) -> Question | None:
    """Another question whose title reads the same (case, spacing and punctuation
    aside): among public ones, found by the search engine at any size of site; among
    drafts and scheduled ones (not public, so not searchable), the same title exactly."""
    same = _title_key(question.title)
    for other in search.title_matches(question.title + " ", limit=10, exclude_id=question.pk):
        if _title_key(other.title) == same:
            return other
    unlisted = Question.objects.exclude(pk=question.pk).filter(title__iexact=question.title)
    return unlisted.only("pk", "status").first()


def _title_key(title: str) -> list[str]:
    return words.words(title)
