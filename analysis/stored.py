"""A question's content analysis from its row: the `Subject` the checks read (with what
needs the database: other questions with the same focus keyphrase, and published ones
whose title reads nearly the same), and the deriver that stores the ratings on every
save (faqs.derivers.DERIVERS), for one save and a whole import alike."""

from __future__ import annotations

from collections.abc import Iterable

from analysis.checks import Analysis, Subject, analyse, nearly_same
from analysis.models import QuestionAnalysis
from faqs import site, words
from faqs.derivers import Deriver, WriteContext
from faqs.models import Question
from faqs.models.bulk import chunks, insert_rows
from search import engine as search

COLUMNS = ["question", "seo", "readability", "problems", "keyphrase"]
# A write of up to this many questions (an editor's save, a bulk action) asks the search
# engine for near-duplicate titles, one search each; an import (thousands) compares
# titles word for word instead, in one query a chunk (dashboard's title digests).
SEARCHED_AT_MOST = 20
SIMILAR_CANDIDATES = 5
MOST_WORDS_LEFT_OUT = 6  # searches with one word left out, at most


def keyphrase_key(keyphrase: str) -> str:
    """The keyphrase as compared: its words, lower-cased (faqs.words)."""
    return " ".join(words.words(keyphrase))[:191]


def synonyms_of(question: Question) -> tuple[str, ...]:
    return tuple(part.strip() for part in question.keyphrase_synonyms.split(",") if part.strip())


def hosts() -> tuple[str, ...]:
    """This site's hosts, with and without a port: links to them are internal."""
    found = site.site_hosts()
    return tuple(sorted(found | {host.rpartition(":")[0] or host for host in found}))


def subject_for(question: Question, *, used_by: Iterable[str] = (), similar: Iterable[str] = ()) -> Subject:
    """What the checks read of `question` (as prepared by a save: sanitised answer,
    derived description), with the other questions' titles the caller found."""
    return Subject(
        title=question.title,
        slug=question.slug,
        answer_html=question.content,
        seo_title=question.effective_title,
        description=question.effective_description,
        description_is_own=bool(question.meta_description.strip()),
        keyphrase=question.focus_keyphrase,
        synonyms=synonyms_of(question),
        cornerstone=question.cornerstone,
        site_hosts=hosts(),
        keyphrase_used_by=tuple(used_by),
        similar_titles=tuple(similar),
    )


def analyse_question(question: Question) -> Analysis:
    """The analysis of one question, saved or not (the form's live lights, the
    report): the database asked for its keyphrase's other users and its near twins."""
    used_by = keyphrase_users([question]).get(question.pk, ())
    return analyse(subject_for(question, used_by=used_by, similar=similar_titles(question)))


def similar_titles(question: Question) -> list[str]:
    """Published questions whose title reads nearly the same as this one's, kept when
    `nearly_same()` agrees: those the search engine finds holding every word of it,
    or every word but one (a title with a word more or less: "… cost?" and "… cost in
    2026?"), a few searches of a few words each."""
    content_words = [word for word in words.words(question.title) if word not in words.SEARCH_STOP_WORDS]
    if not content_words:
        return []
    asked = [content_words]
    if len(content_words) >= 3:
        asked += [content_words[:index] + content_words[index + 1 :] for index in range(len(content_words))][
            :MOST_WORDS_LEFT_OUT
        ]
    found: dict[int, str] = {}
    for query in asked:
        for other in search.title_matches(
            " ".join(query) + " ", limit=SIMILAR_CANDIDATES, exclude_id=question.pk
        ):
            found.setdefault(other.pk, other.title)
    return [title for title in found.values() if nearly_same(question.title, title)]


def keyphrase_users(questions: list[Question]) -> dict[int, tuple[str, ...]]:
    """For each question with a focus keyphrase, the titles of the other questions
    whose stored analysis has the same one (one indexed query a chunk)."""
    keys = {question.pk: keyphrase_key(question.focus_keyphrase) for question in questions}
    wanted = {key for key in keys.values() if key}
    holders: dict[str, list[tuple[int, str]]] = {}
    for chunk in chunks(sorted(wanted)):
        rows = QuestionAnalysis.objects.filter(keyphrase__in=chunk).values_list(
            "keyphrase", "question_id", "question__title"
        )
        for key, pk, title in rows:
            holders.setdefault(key, []).append((pk, title))
    return {
        pk: tuple(title for other, title in holders.get(key, ()) if other != pk)
        for pk, key in keys.items()
        if key
    }


def word_twins(questions: list[Question]) -> dict[int, tuple[str, ...]]:
    """For an import: other questions whose title has the same words (the content
    health facts' digests, one indexed query a chunk)."""
    from dashboard.facts import same_text_key
    from dashboard.models import QuestionHealth

    keys = {question.pk: same_text_key(question.title) for question in questions}
    twins: dict[str, list[tuple[int, str]]] = {}
    for chunk in chunks(sorted({key for key in keys.values() if key})):
        rows = QuestionHealth.objects.filter(title_key__in=chunk).values_list(
            "title_key", "question_id", "question__title"
        )
        for key, pk, title in rows:
            twins.setdefault(key, []).append((pk, title))
    return {
        pk: tuple(title for other, title in twins.get(key, ()) if other != pk) for pk, key in keys.items()
    }


def row_of(question: Question, analysis: Analysis) -> tuple:
    problems = " ".join(f"{check.id}:{check.rating}" for check in analysis.checks if check.rating != "good")
    keyphrase = keyphrase_key(question.focus_keyphrase)
    return (question.pk, analysis.seo, analysis.readability, problems, keyphrase)


def analyses(questions: list[Question], *, search_each: bool) -> list[Analysis]:
    """The analyses of `questions` (a chunk), in order: with `search_each` their near
    twins are asked of the search engine one by one (an editor's save), else found by
    their title's words in one query (an import, the report)."""
    used_by = keyphrase_users(questions)
    if search_each:
        similar = {question.pk: similar_titles(question) for question in questions}
    else:
        similar = word_twins(questions)
    return [
        analyse(
            subject_for(question, used_by=used_by.get(question.pk, ()), similar=similar.get(question.pk, ()))
        )
        for question in questions
    ]


def derive(questions: list[Question]) -> None:
    """Analyse `questions` as saved and store their ratings."""
    search_each = len(questions) <= SEARCHED_AT_MOST
    for chunk in chunks(questions):
        found = analyses(chunk, search_each=search_each)
        rows = [row_of(question, analysis) for question, analysis in zip(chunk, found, strict=True)]
        QuestionAnalysis.objects.filter(question__in=[question.pk for question in chunk]).delete()
        insert_rows(QuestionAnalysis, COLUMNS, rows)


class StoredAnalysis(Deriver):
    def after_write(self, ctx: WriteContext) -> None:
        derive(ctx.questions)

    def rebuild(self) -> None:
        QuestionAnalysis.objects.all().delete()
        questions = Question.objects.defer("search_text").order_by("pk")
        for start in range(0, questions.count(), 1000):
            derive(list(questions[start : start + 1000]))

    def is_missing(self) -> bool:
        return QuestionAnalysis.objects.count() != Question.objects.count()


deriver = StoredAnalysis()
