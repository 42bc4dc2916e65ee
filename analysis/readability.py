"""The readability checks: Yoast SEO's assessments for English with their thresholds
(files in packages/yoastseo/src/scoring/assessments/readability/), Flesch reading ease
as information, and two of this FAQ site's own, questionHeadings and datedPhrases.
"""

from __future__ import annotations

import re
from datetime import date

from faqs.words import stem

from .english import (
    FAMILIAR_LONG_WORDS,
    INTERROGATIVES,
    IRREGULAR_PARTICIPLES,
    NOT_PARTICIPLES,
    PASSIVE_AUXILIARIES,
    PASSIVE_FILLERS,
    SENTENCE_BEGINNING_EXCEPTIONS,
    TRANSITION_PHRASES,
    TRANSITION_WORDS,
    syllables,
)
from .results import READABILITY, Check, check
from .subject import Answer, Phrase, Sentence

# Yoast's hasEnoughContent: below 50 characters of text there is nothing to assess.
ENOUGH_CONTENT = 50
FLESCH = "fleschReadingEase"


def readability_checks(answer: Answer, cornerstone: bool, phrases: list[Phrase], today: date) -> list[Check]:
    if len(answer.text) < ENOUGH_CONTENT:
        return [
            check(
                "textPresence",
                READABILITY,
                3,
                "Write the answer: there is not enough text to assess readability.",
            )
        ]
    return [
        subheadings_too_long(answer, cornerstone),
        paragraph_too_long(answer),
        sentence_length(answer, cornerstone),
        transition_words(answer),
        passive_voice(answer),
        sentence_beginnings(answer),
        word_complexity(answer, cornerstone, phrases),
        flesch_reading_ease(answer),
        question_headings(answer),
        dated_phrases(answer, today),
    ]


def subheadings_too_long(answer: Answer, cornerstone: bool) -> Check:
    """SubheadingDistributionTooLongAssessment: no stretch of text between subheadings
    (or before the first) over 300 words, 250 for cornerstone (9); up to 350/300 (6);
    longer (3). No subheading at all is fine up to 300/250 words, else bad (2)."""
    recommended, far = (250, 300) if cornerstone else (300, 350)
    if not any(block.kind == "heading" for block in answer.blocks):
        if answer.word_count > recommended:
            return check(
                "subheadingsTooLong",
                READABILITY,
                2,
                f"The answer has {answer.word_count} words and no subheadings: add some to break it up.",
            )
        return check(
            "subheadingsTooLong", READABILITY, 9, "The answer is short enough not to need subheadings."
        )
    place, longest = max(_sections(answer), key=lambda section: section[1])
    if longest <= recommended:
        return check("subheadingsTooLong", READABILITY, 9, "The text is well divided by subheadings.")
    return check(
        "subheadingsTooLong",
        READABILITY,
        3 if longest > far else 6,
        f"A section runs {longest} words without a subheading: split it, keeping each under {recommended}.",
        place,
    )


def _sections(answer: Answer) -> list[tuple[str, int]]:
    """(where, words) of the text before the first heading and after each heading."""
    sections = [("the beginning of the answer", 0)]
    for block in answer.blocks:
        if block.kind == "heading":
            sections.append((block.place(), 0))
        else:
            where, count = sections[-1]
            sections[-1] = (where, count + block.word_count)
    return sections


def paragraph_too_long(answer: Answer) -> Check:
    """ParagraphTooLongAssessment: paragraphs of at most 150 words (9); up to 200 (6);
    longer (3)."""
    longest = max(answer.paragraphs, key=lambda block: block.word_count, default=None)
    if longest is None or longest.word_count <= 150:
        return check("textParagraphTooLong", READABILITY, 9, "No paragraph is too long.")
    too_long = sum(1 for block in answer.paragraphs if block.word_count > 150)
    return check(
        "textParagraphTooLong",
        READABILITY,
        3 if longest.word_count > 200 else 6,
        f"{_count(too_long, 'paragraph')} over 150 words, the longest {longest.word_count}: "
        f"split {_them(too_long)}.",
        longest.place(),
    )


def sentence_length(answer: Answer, cornerstone: bool) -> Check:
    """SentenceLengthInTextAssessment: sentences of over 20 words are long; at most 25%
    of them (20% cornerstone) is good, up to 30% (25%) ok, more bad."""
    slightly, far = (20, 25) if cornerstone else (25, 30)
    sentences = answer.sentences
    long = [sentence for sentence in sentences if len(sentence.words) > 20]
    share = _percent(len(long), len(sentences))
    if share <= slightly:
        return check("textSentenceLength", READABILITY, 9, "Sentences are short enough.")
    return check(
        "textSentenceLength",
        READABILITY,
        6 if share <= far else 3,
        f"{share:g}% of sentences have over 20 words (at most {slightly}% is best): shorten some, "
        "starting with this one.",
        long[0].place(),
    )


# Every transition phrase as one pattern over a sentence's words joined by spaces: one
# search in C instead of a loop over the words.
_PHRASE_PATTERN = re.compile(
    r"(?<!\S)(?:"
    + "|".join(re.escape(" ".join(phrase)) for phrase in sorted(TRANSITION_PHRASES, key=len, reverse=True))
    + r")(?!\S)"
)


def has_transition(sentence: Sentence) -> bool:
    lower = sentence.lower_words
    if not TRANSITION_WORDS.isdisjoint(lower):
        return True
    return _PHRASE_PATTERN.search(" ".join(lower)) is not None


def transition_words(answer: Answer) -> Check:
    """TransitionWordsAssessment: in answers of 200 words or more, at least 30% of
    sentences with a transition word (9), 20-30% (6), fewer (3)."""
    if answer.word_count < 200:
        return check(
            "textTransitionWords", READABILITY, 9, "The answer is short enough to need few transition words."
        )
    share = _percent(
        sum(1 for sentence in answer.sentences if has_transition(sentence)), len(answer.sentences)
    )
    if share >= 30:
        return check("textTransitionWords", READABILITY, 9, "Enough sentences use transition words.")
    return check(
        "textTransitionWords",
        READABILITY,
        6 if share >= 20 else 3,
        f"Only {share:g}% of sentences use a transition word such as “because”, “however” or “for example”: "
        "aim for 30%.",
    )


def is_passive(sentence: Sentence) -> bool:
    """A form of "be" or "get", perhaps an adverb or two, then a past participle:
    "is paid", "are not always scored", "got rejected" (Yoast's English research reads
    auxiliaries and participles the same way, with longer lists)."""
    lower = sentence.lower_words
    for i, word in enumerate(lower):
        if word not in PASSIVE_AUXILIARIES:
            continue
        j = i + 1
        while j < len(lower) and j <= i + 3 and (lower[j] in PASSIVE_FILLERS or lower[j].endswith("ly")):
            j += 1
        if j < len(lower) and _is_participle(lower[j]):
            return True
    return False


def _is_participle(word: str) -> bool:
    return word in IRREGULAR_PARTICIPLES or (
        len(word) > 4 and word.endswith("ed") and word not in NOT_PARTICIPLES
    )


def passive_voice(answer: Answer) -> Check:
    """PassiveVoiceAssessment: at most 10% of sentences in the passive (9), up to 15%
    (6), more (3)."""
    passive = [sentence for sentence in answer.sentences if is_passive(sentence)]
    share = _percent(len(passive), len(answer.sentences))
    if share <= 10:
        return check("passiveVoice", READABILITY, 9, "Little passive voice: good.")
    return check(
        "passiveVoice",
        READABILITY,
        6 if share <= 15 else 3,
        f"{share:g}% of sentences are in the passive (at most 10% is best): say who does what, "
        "starting with this one.",
        passive[0].place(),
    )


def _beginning(sentence: Sentence) -> str:
    lower = sentence.lower_words
    if lower[0] in SENTENCE_BEGINNING_EXCEPTIONS and len(lower) > 1:
        return " ".join(lower[:2])
    return lower[0]


def sentence_beginnings(answer: Answer) -> Check:
    """SentenceBeginningsAssessment: 3 or more sentences in a row starting with the same
    word (the first two when the first is "the", "this", a number…) are bad."""
    longest, start, run, previous = 0, None, 0, None
    for index, sentence in enumerate(answer.sentences):
        beginning = _beginning(sentence)
        run = run + 1 if beginning == previous else 1
        previous = beginning
        if run > longest:
            longest, start = run, answer.sentences[index - run + 1]
    if longest < 3:
        return check("sentenceBeginnings", READABILITY, 9, "Sentences start in varied ways.")
    return check(
        "sentenceBeginnings",
        READABILITY,
        3,
        f"{longest} sentences in a row start with “{_beginning(start).capitalize()}”: vary how they begin.",
        start.place(),
    )


_FAMILIAR_STEMS = frozenset(stem(word) for word in FAMILIAR_LONG_WORDS)
_LETTERS = re.compile(r"[^\W\d_]+")


def word_complexity(answer: Answer, cornerstone: bool, phrases: list[Phrase]) -> Check:
    """WordComplexityAssessment (Yoast Premium, English): a word is complex when it has
    over 7 letters, does not start with a capital (a name) and is not a familiar word
    (Yoast: its frequency list; here english.FAMILIAR_LONG_WORDS, by stem) nor a form of
    the keyphrase. Under 10% complex words is good, else ok (bad for cornerstone)."""
    exempt = _FAMILIAR_STEMS.union(*(p.stems for p in phrases))
    total = complex_words = 0
    first_complex = None
    for sentence in answer.sentences:
        for word in _LETTERS.findall(sentence.text):
            total += 1
            if len(word) > 7 and word[0].islower() and stem(word.lower()) not in exempt:
                complex_words += 1
                first_complex = first_complex or (word, sentence)
    share = _percent(complex_words, total)
    if share < 10:
        return check("wordComplexity", READABILITY, 9, "Few complex words: the answer is easy to read.")
    word, sentence = first_complex
    return check(
        "wordComplexity",
        READABILITY,
        3 if cornerstone else 6,
        f"{share:g}% of words are long and uncommon, like “{word}”: "
        "use shorter, familiar words where you can.",
        sentence.place(),
    )


# Yoast's bands (fleschReadingEaseAssessment.js): the score and how it reads.
_FLESCH_BANDS = (
    (90, 9, "very easy"),
    (80, 9, "easy"),
    (70, 9, "fairly easy"),
    (60, 9, "ok"),
    (50, 6, "fairly difficult"),
    (30, 3, "difficult"),
    (0, 3, "very difficult"),
)


def flesch_score(answer: Answer) -> float | None:
    """Flesch reading ease for English as Yoast computes it:
    206.835 - 1.015 × words per sentence - 84.6 × syllables per word."""
    sentences = answer.sentences
    word_list = [word for sentence in sentences for word in sentence.words]
    if not word_list:
        return None
    per_sentence = len(word_list) / len(sentences)
    per_word = sum(map(syllables, word_list)) / len(word_list)
    return round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 1)


def flesch_reading_ease(answer: Answer) -> Check:
    """Information, as in Yoast's insights: rated by its bands, never counted in the
    overall readability."""
    score = flesch_score(answer) or 0.0
    shown = min(100.0, max(0.0, score))
    points, label = next((points, label) for floor, points, label in _FLESCH_BANDS if shown >= floor)
    advice = "" if points == 9 else ": use shorter sentences and fewer long words"
    return check(
        FLESCH,
        READABILITY,
        points,
        f"The answer scores {shown:g} in the Flesch reading ease test, {label} to read{advice}.",
    )


def is_question(heading: str) -> bool:
    text = heading.strip()
    first = text.split(maxsplit=1)[0].lower().strip("“\"'") if text else ""
    return text.endswith("?") or first in INTERROGATIVES


# An answer long enough for its subheadings to be the questions readers ask next.
QUESTION_HEADINGS_AFTER = 300


def question_headings(answer: Answer) -> Check:
    """This site's: in an answer of over 300 words, subheadings read as the questions
    they answer ("How long is the exam?"), as search engines and readers scan them."""
    if answer.word_count <= QUESTION_HEADINGS_AFTER:
        return check(
            "questionHeadings", READABILITY, 9, "The answer is short enough not to need question subheadings."
        )
    headings = answer.subheadings
    if not headings:
        return check(
            "questionHeadings",
            READABILITY,
            6,
            "Break up this long answer with subheadings phrased as the questions readers ask.",
        )
    statements = [block for block in headings if not is_question(block.text)]
    if not statements:
        return check("questionHeadings", READABILITY, 9, "The subheadings read as questions.")
    return check(
        "questionHeadings",
        READABILITY,
        6 if len(statements) <= len(headings) / 2 else 3,
        f"{len(statements)} of {len(headings)} subheadings are not questions: "
        "phrase them as what readers ask.",
        statements[0].place(),
    )


_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
# A year stated as a time something holds: "as of 2025", "in March 2024", "for 2024".
_STATED_YEAR = re.compile(
    rf"\b(?:as of|as at|in|for|during|throughout|effective)\s+(?:{_MONTH}\s+)?((?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Time words that go stale without a date ("at the latest" is not one).
_RELATIVE_WORDS = frozenset(["currently", "recently", "nowadays", "upcoming", "latest"])
_RELATIVE_PHRASES = frozenset(
    [("this", "year"), ("next", "year"), ("last", "year"), ("this", "month"), ("next", "month"),
     ("right", "now"), ("at", "present")]
)  # fmt: skip
_PRESENT = frozenset(
    """is are isn't aren't has have costs requires remains includes takes offers runs lasts
    needs uses allows accepts charges gives contains covers consists lets will won't can""".split()  # noqa: SIM905
)
_PAST = frozenset(
    """was were wasn't weren't had did became changed introduced launched moved replaced
    updated started began ended added removed announced released raised dropped rose fell""".split()  # noqa: SIM905
)


def dated_phrases(answer: Answer, today: date) -> Check:
    """This site's: a past year stated as the present ("the fee in 2024 is $405") is
    stale (3); time words without a date ("currently", "this year", "latest") go stale
    unseen (6)."""
    stale = _stale_years(answer, today)
    if stale:
        phrase, sentence = stale[0]
        more = f" ({len(stale) - 1} more)" if len(stale) > 1 else ""
        return check(
            "datedPhrases",
            READABILITY,
            3,
            f"“{phrase}” is stated as the present but that year has passed{more}: "
            f"give the {today.year} facts or say when it applied.",
            sentence.place(),
        )
    relative = [
        (phrase, sentence)
        for block in answer.blocks
        for sentence in block.sentences
        for phrase in _relative(sentence)
    ]
    if relative:
        phrase, sentence = relative[0]
        more = f" ({len(relative) - 1} more)" if len(relative) > 1 else ""
        return check(
            "datedPhrases",
            READABILITY,
            6,
            f"“{phrase}” goes stale without a date{more}: say when (“as of {today:%B %Y}”) or cut it.",
            sentence.place(),
        )
    return check("datedPhrases", READABILITY, 9, "No dated phrases.")


def _stale_years(answer: Answer, today: date) -> list[tuple[str, Sentence]]:
    """(phrase, sentence) of each past year stated with a verb in the present."""
    if not any(int(year) < today.year for year in _YEAR.findall(answer.text)):
        return []
    stale = []
    for block in answer.blocks:
        for sentence in block.sentences:
            years = [m.group(0) for m in _STATED_YEAR.finditer(sentence.text) if int(m.group(1)) < today.year]
            lower = set(sentence.lower_words) if years else set()
            if lower & _PRESENT and not lower & _PAST:
                stale.extend((year, sentence) for year in years)
    return stale


# The words a relative time phrase starts with: a sentence with none is skipped whole.
_RELATIVE_STARTS = _RELATIVE_WORDS | {phrase[0] for phrase in _RELATIVE_PHRASES} | {"at"}


def _relative(sentence: Sentence) -> list[str]:
    """The time words of a sentence that need a date to stay true."""
    lower, found = sentence.lower_words, []
    if _RELATIVE_STARTS.isdisjoint(lower):
        return found
    for i, word in enumerate(lower):
        if word in _RELATIVE_WORDS and lower[max(0, i - 2) : i] != ["at", "the"]:
            found.append(sentence.words[i])
        elif tuple(lower[i : i + 2]) in _RELATIVE_PHRASES:
            found.append(" ".join(sentence.words[i : i + 2]))
        elif tuple(lower[i : i + 3]) == ("at", "the", "moment"):
            found.append(" ".join(sentence.words[i : i + 3]))
    return found


def _percent(part: int, whole: int) -> float:
    """As Yoast's formatNumber shows it: one decimal at most."""
    return round(part / whole * 100, 1) if whole else 0.0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'} {'is' if number == 1 else 'are'}"


def _them(number: int) -> str:
    return "it" if number == 1 else "them"
