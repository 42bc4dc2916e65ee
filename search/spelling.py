"""Typo tolerance from the site's own vocabulary, the same on both databases.

Every indexed word is stored under itself and under each form with one letter
deleted (the "symmetric delete" method: two words within two edits of each other
share a form with at most one letter deleted from each). A misspelling's candidates
are then one indexed lookup: its own deletions. Candidates are checked with the real
edit distance (transpositions count as one edit) and the one found in the most
answers wins.
"""

from __future__ import annotations

from django.db import connection

from faqs.models.bulk import chunks
from search import text
from search.models import SearchSpelling

MAX_EDITS_SHORT, MAX_EDITS = 1, 2  # short words (4 letters or fewer) allow one edit


def words_of(entries) -> set[str]:
    """The vocabulary of these entries (one pass over their text: an import's
    10,000 answers are 7 million words and 200 distinct ones)."""
    found = set()
    for start in range(0, len(entries), 500):
        found |= text.vocabulary(
            "\n".join(f"{e.title} {e.terms} {e.body}" for e in entries[start : start + 500])
        )
    return found


def deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def learn(words: set[str]) -> None:
    """Add the words not yet known, with their deletions. Words are never forgotten
    one by one (a correction is only offered when it finds something); a rebuild
    starts the vocabulary afresh."""
    known = set()
    for chunk in chunks(sorted(words)):
        known.update(
            SearchSpelling.objects.filter(variant__in=chunk, word__in=chunk).values_list("word", flat=True)
        )
    rows = sorted({(variant, word) for word in words - known for variant in deletions(word)})
    _insert_new(rows)


def _insert_new(rows: list[tuple[str, str]]) -> None:
    """Insert (variant, word) rows, leaving out any another save inserted meanwhile
    (two editors adding the same new word at once)."""
    table = SearchSpelling._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for start in range(0, len(rows), 5000):
                batch = rows[start : start + 5000]
                cursor.execute(
                    f"INSERT INTO {table} (variant, word) SELECT * FROM unnest(%s::text[], %s::text[]) "
                    "ON CONFLICT DO NOTHING",
                    [[variant for variant, _ in batch], [word for _, word in batch]],
                )
        else:
            cursor.executemany(
                f"INSERT INTO {table} (variant, word) VALUES (%s, %s) ON CONFLICT DO NOTHING", rows
            )


def clear() -> None:
    SearchSpelling.objects.all().delete()


def candidates(word: str) -> list[tuple[int, str]]:
    """Known words within reach of `word`, nearest first, as (edits, word)."""
    allowed = MAX_EDITS_SHORT if len(word) <= 4 else MAX_EDITS
    found = SearchSpelling.objects.filter(variant__in=sorted(deletions(word))).values_list("word", flat=True)
    near = {(edits(word, other), other) for other in set(found) if other != word}
    return sorted(pair for pair in near if pair[0] <= allowed)


def edits(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and
    swaps of two neighbouring letters each count one."""
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]
