"""The search index's own rows (search.index writes them; nothing else does).

`SearchEntry` is one listed question (published, or scheduled: a scheduled one is
found from its publication date on, with no write when that time comes). The text
itself is indexed by the database: on SQLite two FTS5 tables (`faqs_search_heading`:
title and term names; `faqs_search_document`: those and the answer), on PostgreSQL two
tsvector columns of this table with GIN indexes. Neither is a Django field, since
neither exists on the other database: migration 0011 creates them.

`SearchSpelling` is the site's own vocabulary for typo tolerance: each indexed word
under itself and under each form with one letter deleted ("symmetric delete"), so
the words within two edits of a misspelling are one indexed lookup away.
"""

from __future__ import annotations

from django.db import models

from faqs.models.question import Question


class SearchEntry(models.Model):
    question = models.OneToOneField(
        Question, primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    published_at = models.DateTimeField(db_index=True)
    title = models.TextField()
    terms = models.TextField(blank=True)  # category and tag names

    class Meta:
        db_table = "faqs_searchentry"  # kept from when it was part of faqs
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return self.title


class SearchSpelling(models.Model):
    variant = models.CharField(max_length=40)
    word = models.CharField(max_length=40)

    class Meta:
        db_table = "faqs_searchspelling"  # kept from when it was part of faqs
        constraints = [models.UniqueConstraint(fields=["variant", "word"], name="search_spelling_unique")]

    def __str__(self) -> str:
        return f"{self.variant} → {self.word}"
