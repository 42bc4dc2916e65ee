"""manage.py review_digest: mail each reviewer the answers they reviewed that are
due for review again (overdue), one mail a reviewer. For cron, e.g. every Monday:

    0 7 * * 1  cd /srv/certfaq && .venv/bin/python manage.py review_digest

Mail goes through Django's email backend (EMAIL_URL; the console by default).
Overdue answers with no reviewer, or whose reviewer has no address, are listed here
for an editor, not mailed."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.urls import reverse

from faqs.site import absolute_url
from review import cycle


class Command(BaseCommand):
    help = "Mail each reviewer their overdue answers (the review cycle)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say who would get what; send nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        by_reviewer, unassigned = defaultdict(list), []
        for due in cycle.schedule(cycle.overdue()):
            reviewer = due.question.reviewed_by
            if reviewer is not None and reviewer.reminder_email:
                by_reviewer[reviewer].append(due)
            else:
                unassigned.append(due)
        for reviewer, rows in by_reviewer.items():
            if not dry_run:
                send_mail(subject(rows), body(reviewer, rows), None, [reviewer.reminder_email])
            verb = "would mail" if dry_run else "mailed"
            self.stdout.write(f"{verb} {reviewer.name} <{reviewer.reminder_email}>: {len(rows)} overdue")
        for due in unassigned:
            who = due.question.reviewed_by.name if due.question.reviewed_by else "no reviewer"
            self.stdout.write(f"not mailed ({who}, no address): {due.question.title} (due {due.due_on})")
        if not by_reviewer and not unassigned:
            self.stdout.write("Nothing is overdue.")


def subject(rows: list[cycle.Due]) -> str:
    count = len(rows)
    return f"[{settings.SITE_NAME}] {count} answer{'s are' if count != 1 else ' is'} due for review"


def body(reviewer, rows: list[cycle.Due]) -> str:
    lines = [
        f"Hello {reviewer.name},",
        "",
        f"These answers on {settings.SITE_NAME} that you reviewed are due to be checked again:",
        "",
    ]
    for due in rows:
        change = absolute_url(reverse("admin:faqs_question_change", args=[due.question.pk]))
        lines += [f"- {due.question.title} (due {due.due_on:%B %-d, %Y})", f"  {change}"]
    lines += [
        "",
        "When an answer is still right, open it and press “Mark as reviewed”: readers then see the new date.",
    ]
    return "\n".join(lines)
