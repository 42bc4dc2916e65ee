"""The facts the content health panel counts, derived from each question as it is
saved: the answer's length in words, whether its description is missing or too long,
and digests of its title and meta description (twins share one). One Deriver of the
save path keeps them (faqs.derivers.DERIVERS), for one save and a whole import alike."""

from __future__ import annotations

import hashlib

from dashboard.models import QuestionHealth
from faqs import content, seo, words
from faqs.derivers import Deriver, WriteContext
from faqs.models import Question
from faqs.models.bulk import chunks, insert_rows

LONGEST_DESCRIPTION = seo.DESCRIPTION_MAX_CHARS
FIELDS = ("title", "meta_description", "auto_description", "search_text")
COLUMNS = ["question", "answer_words", "description", "title_key", "description_key"]


def same_text_key(text: str) -> str:
    """Titles and descriptions read the same when their words do (faqs.words: case,
    spacing and punctuation aside), as the twin-title warning compares them."""
    folded = " ".join(words.words(text))
    return hashlib.md5(folded.encode(), usedforsecurity=False).hexdigest() if folded else ""


def facts_of(question: Question) -> tuple:
    if not question.meta_description and not question.auto_description:
        description = QuestionHealth.Description.MISSING
    elif len(question.meta_description) > LONGEST_DESCRIPTION:
        description = QuestionHealth.Description.LONG
    else:
        description = QuestionHealth.Description.FINE
    return (
        question.pk,
        content.word_count(question.search_text),
        description,
        same_text_key(question.title),
        same_text_key(question.meta_description),
    )


def derive(questions: list[Question]) -> None:
    for chunk in chunks(questions):
        QuestionHealth.objects.filter(question__in=[question.pk for question in chunk]).delete()
        insert_rows(QuestionHealth, COLUMNS, (facts_of(question) for question in chunk))


class Facts(Deriver):
    def after_write(self, ctx: WriteContext) -> None:
        derive(ctx.questions)

    def rebuild(self) -> None:
        QuestionHealth.objects.all().delete()
        questions = Question.objects.only(*FIELDS).order_by("pk")
        for start in range(0, questions.count(), 2000):
            derive(list(questions[start : start + 2000]))

    def is_missing(self) -> bool:
        return QuestionHealth.objects.count() != Question.objects.count()


deriver = Facts()
