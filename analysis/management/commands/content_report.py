"""`manage.py content_report [--json] [--slug SLUG ...]`: every question's content
analysis, for people (a line per question) or pipelines (--json), made by the same
module the change form's lights use."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from analysis.stored import analyses
from faqs.models import Question
from faqs.models.bulk import chunks


class Command(BaseCommand):
    help = (
        "Rate every question's SEO and readability as the editor's content analysis does. "
        '--json prints {"questions": [{"id", "title", "seo", "readability", '
        '"checks": [{"id", "rating", "text"}]}]} for pipelines.'
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="JSON for pipelines instead of lines."
        )
        parser.add_argument(
            "--slug", action="append", default=[], help="Only this question (may be given again)."
        )

    def handle(self, *args, as_json: bool = False, slug: list[str], **options) -> None:
        questions = Question.objects.defer("search_text").order_by("pk")
        if slug:
            questions = questions.filter(slug__in=slug)
            missing = sorted(set(slug) - set(questions.values_list("slug", flat=True)))
            if missing:
                raise CommandError(f"No question has the slug {', '.join(missing)}.")
        write = self._json_item if as_json else self._line
        if as_json:
            self.stdout.write('{"questions": [', ending="")
        first = True
        for chunk in chunks(questions.values_list("pk", flat=True)):
            rows = list(questions.filter(pk__in=chunk))
            for question, found in zip(rows, analyses(rows, search_each=False), strict=True):
                write(question, found, first)
                first = False
        if as_json:
            self.stdout.write("]}")

    def _json_item(self, question, found, first: bool) -> None:
        item = {
            "id": question.pk,
            "title": question.title,
            "seo": found.seo,
            "readability": found.readability,
            "checks": [
                {"id": check.id, "rating": check.rating, "text": check.text} for check in found.checks
            ],
        }
        self.stdout.write(("" if first else ", ") + json.dumps(item, ensure_ascii=False), ending="")

    def _line(self, question, found, first: bool) -> None:
        problems = [f"{check.id} ({check.rating})" for check in found.checks if check.rating != "good"]
        self.stdout.write(
            f"{question.pk}\t{question.slug}\tSEO {found.seo}\treadability {found.readability}\t"
            + (", ".join(problems) or "no problems")
        )
