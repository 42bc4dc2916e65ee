"""A question's content analysis from its row: the `Subject` the checks read (with what
needs the database: other questions with the same focus keyphrase, and published ones
whose title reads nearly the same), and the deriver that stores the ratings on every
save (faqs.derivers.DERIVERS), for one save and a whole import alike."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor

from analysis.checks import Analysis, Subject, analyse_many, nearly_same
from analysis.models import QuestionAnalysis
from faqs import site, words
from faqs.derivers import Deriver, WriteContext
from faqs.models import Question
from faqs.models.bulk import chunks, insert_rows
from search import engine as search

logger = logging.getLogger(__name__)
COLUMNS = ["question", "seo", "readability", "problems", "keyphrase"]
# A write of this many questions or more (an import) leaves its analysis to
# `analyse_missing()`, which its writer calls once the write is committed, as Yoast
# leaves an import's SEO data to its own "SEO data optimization" pass: the analysis is
# pure Python, 2-3 ms a realistic answer, and inside the write it took a 10,000-question
# import from 30 to 64 s on 2 cores. analyse_missing() spreads it over worker
# processes, TASK_SIZE answers a task, AT_ONCE questions read at a time.
BACKGROUND_FROM = 500
ANALYSIS_PROCESSES = 4
TASK_SIZE = 200
AT_ONCE = 5000
# A write of up to this many questions (an editor's save, a bulk action) asks the search
# engine for near-duplicate titles, one search each; an import (thousands) compares
# titles word for word instead, in one query a chunk (dashboard's title digests).
SEARCHED_AT_MOST = 20
SIMILAR_CANDIDATES = 5
MOST_WORDS_LEFT_OUT = 6  # searches with one word left out, at most
LEFT_OUT_FROM = 4  # content words in the title


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
    return analyses([question], search_each=True)[0]


def similar_titles(question: Question) -> list[str]:
    """Published questions whose title reads nearly the same as this one's, kept when
    `nearly_same()` agrees: those the search engine finds holding every word of it,
    or every word but one (a title with a word more or less: "… cost?" and "… cost in
    2026?"), a few searches of a few words each."""
    content_words = [word for word in words.words(question.title) if word not in words.SEARCH_STOP_WORDS]
    if not content_words:
        return []
    asked = [content_words]
    # A title one word longer than another is nearly the same (nearly_same(): Jaccard
    # at least 0.75) only when it has 4 words or more; shorter ones are found whole.
    if len(content_words) >= LEFT_OUT_FROM:
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
    """For each question with a focus keyphrase, the titles of the other questions with
    the same one: among these questions and the stored analyses (indexed)."""
    keys = {question.pk: keyphrase_key(question.focus_keyphrase) for question in questions}
    return _others_sharing(questions, keys, QuestionAnalysis.objects, "keyphrase")


def word_twins(questions: list[Question]) -> dict[int, tuple[str, ...]]:
    """For an import: other questions whose title has the same words, among these
    questions and those stored (the content health facts' digests, indexed)."""
    from dashboard.facts import same_text_key
    from dashboard.models import QuestionHealth

    keys = {question.pk: same_text_key(question.title) for question in questions}
    return _others_sharing(questions, keys, QuestionHealth.objects, "title_key")


def _others_sharing(questions: list[Question], keys: dict[int, str], stored, column: str):
    """By question id, the titles of the other questions whose key is the same: among
    `questions` themselves (an import's are not stored yet) and the rows of `stored`
    whose `column` holds it, these questions' own rows left out (one query a chunk)."""
    holders: dict[str, dict[int, str]] = {}
    for question in questions:
        if keys[question.pk]:
            holders.setdefault(keys[question.pk], {})[question.pk] = question.title
    for chunk in chunks(sorted(holders)):
        rows = stored.filter(**{f"{column}__in": chunk}).exclude(question__in=list(keys))
        for key, pk, title in rows.values_list(column, "question_id", "question__title"):
            holders[key][pk] = title
    return {
        pk: tuple(title for other, title in holders.get(key, {}).items() if other != pk)
        for pk, key in keys.items()
        if key
    }


def row_of(question: Question, analysis: Analysis) -> tuple:
    problems = " ".join(f"{check.id}:{check.rating}" for check in analysis.checks if check.rating != "good")
    keyphrase = keyphrase_key(question.focus_keyphrase)
    return (question.pk, analysis.seo, analysis.readability, problems, keyphrase)


def subjects_of(questions: list[Question], *, search_each: bool = False) -> list[Subject]:
    """The subjects of `questions`, in order, the database asked a chunk at a time: with
    `search_each` their near twins are asked of the search engine one by one (an
    editor's save), else found by their title's words in one query (an import, the
    report)."""
    subjects = []
    for chunk in chunks(questions):
        used_by = keyphrase_users(chunk)
        if search_each:
            similar = {question.pk: similar_titles(question) for question in chunk}
        else:
            similar = word_twins(chunk)
        subjects += [
            subject_for(question, used_by=used_by.get(question.pk, ()), similar=similar.get(question.pk, ()))
            for question in chunk
        ]
    return subjects


def analyses(questions: list[Question], *, search_each: bool) -> list[Analysis]:
    """The analyses of `questions`, in order, made in this process."""
    return analyse_many(subjects_of(questions, search_each=search_each))


def store(questions: list[Question], found: list[Analysis]) -> None:
    """Replace the stored analyses of `questions` with `found` (theirs, in order)."""
    rows = [row_of(question, analysis) for question, analysis in zip(questions, found, strict=True)]
    for chunk in chunks(rows):
        QuestionAnalysis.objects.filter(question__in=[row[0] for row in chunk]).delete()
        insert_rows(QuestionAnalysis, COLUMNS, chunk)


def derive(questions: list[Question]) -> None:
    """Analyse `questions` as saved, here, and store their ratings."""
    store(questions, analyses(questions, search_each=len(questions) <= SEARCHED_AT_MOST))


class InBackground:
    """The analyses of many questions, made in worker processes (begun when made,
    stored by `store()`). Should the processes fail (none may be started here, one
    died), the rest is analysed in this process: slower, never lost."""

    def __init__(self, questions: list[Question]):
        self.questions = questions
        subjects = subjects_of(questions)
        self.tasks = [subjects[start : start + TASK_SIZE] for start in range(0, len(subjects), TASK_SIZE)]
        self.futures: list[Future] = []
        try:
            workers = min(ANALYSIS_PROCESSES, os.cpu_count() or 1, len(self.tasks))
            # "spawn": a fresh interpreter, which imports the checks only; a fork would
            # copy this process's database connections and any thread's held locks.
            context = multiprocessing.get_context("spawn")
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
            self.futures = [pool.submit(analyse_many, task) for task in self.tasks]
            pool.shutdown(wait=False)
        except Exception:
            logger.exception("Content analysis: no worker process could be started; analysing here")

    def results(self) -> list[Analysis]:
        found, failed = [], False
        for index, task in enumerate(self.tasks):
            if failed or index >= len(self.futures):
                found += analyse_many(task)
                continue
            try:
                found += self.futures[index].result()
            except Exception:  # a worker died (a broken pool fails every task left)
                logger.exception("Content analysis: a worker process failed; analysing the rest here")
                failed = True
                found += analyse_many(task)
        return found

    def store(self) -> None:
        store(self.questions, self.results())


def analyse_missing() -> int:
    """Analyse every question that has no stored analysis (after a large write, or a
    site upgraded from before the analysis), in worker processes; returns how many."""
    missing = Question.objects.filter(analysis__isnull=True).order_by("pk").values_list("pk", flat=True)
    ids = list(missing)
    fields = Question.objects.defer("search_text").order_by("pk")
    for start in range(0, len(ids), AT_ONCE):
        wanted = ids[start : start + AT_ONCE]
        InBackground([q for chunk in chunks(wanted) for q in fields.filter(pk__in=chunk)]).store()
    return len(ids)


class StoredAnalysis(Deriver):
    def after_write(self, ctx: WriteContext) -> None:
        if len(ctx.questions) < BACKGROUND_FROM:
            derive(ctx.questions)
            return
        # Their stored analyses describe what they were: gone until analyse_missing().
        for chunk in chunks(ctx.ids):
            QuestionAnalysis.objects.filter(question__in=chunk).delete()

    def rebuild(self) -> None:
        QuestionAnalysis.objects.all().delete()
        analyse_missing()

    def is_missing(self) -> bool:
        return QuestionAnalysis.objects.count() != Question.objects.count()


deriver = StoredAnalysis()
