"""The link report over a large site, and what one save costs there.

Usage: .venv/bin/python bench/link_report.py [QUESTIONS] [LINKS]   (default 10,000 and 50,000)
Builds the site with bulk inserts in a throwaway SQLite file (or DATABASE_URL, which
must be an empty, migratable database), then times build_link_report() and
`manage.py link_report --json`, and counts the queries of saving one question.
"""

import contextlib
import os
import random
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
workdir = tempfile.mkdtemp(prefix="certfaq-links-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certfaq.settings")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.core.management import CommandError, call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from faqs.models import Question  # noqa: E402
from links.models import InternalLink  # noqa: E402
from links.report import build_link_report  # noqa: E402


def populate(questions: int, links: int) -> None:
    now = timezone.now().replace(microsecond=0)
    rows = [
        Question(
            title=f"How do I pass exam {n}?",
            slug=f"exam-{n}",
            content="<p>Answer.</p>",
            status="published" if n % 10 else "draft",
            published_at=now,
            modified_at=now,
        )
        for n in range(questions)
    ]
    Question.objects.bulk_create(rows, batch_size=1000)
    ids = list(Question.objects.values_list("pk", flat=True))
    chooser = random.Random(1)
    link_rows = []
    for n in range(links):
        target = chooser.choice(ids) if n % 20 else None  # 1 in 20 broken
        slug = f"exam-{target - ids[0]}" if target else f"missing-{n}"
        anchor = "pass exam" if n % 7 else "pharmacy rules"  # 1 in 7 off-topic
        link_rows.append(
            InternalLink(
                source_id=ids[n % len(ids)],
                position=n // len(ids),
                href=f"/resources/faq/{slug}/",
                anchor=anchor,
                is_internal=True,
                target_slug=slug,
                target_id=target,
            )
        )
    InternalLink.objects.bulk_create(link_rows, batch_size=2000)


def main() -> None:
    questions = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    links = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    populate(questions, links)
    built = time.perf_counter() - started
    print(f"{connection.vendor}: {questions} questions, {links} links built in {built:.1f} s")

    started = time.perf_counter()
    report = build_link_report()
    took = time.perf_counter() - started
    counts = (len(report.broken), len(report.unpublished), len(report.mismatched), len(report.orphans))
    print(
        f"build_link_report(): {took:.2f} s — %d broken, %d unpublished, %d mismatched, %d orphans" % counts
    )
    started = time.perf_counter()
    # The command exits 1 (CommandError): the site is built with broken links.
    with open(os.devnull, "w") as sink, contextlib.suppress(CommandError):
        call_command("link_report", "--json", stdout=sink)
    print(f"manage.py link_report --json: {time.perf_counter() - started:.2f} s")

    question = Question.objects.published().first()
    question.content = "".join(f'<p><a href="/resources/faq/exam-{n}/">exam {n}</a></p>' for n in range(5))
    executed = []
    with connection.execute_wrapper(lambda execute, sql, *args: executed.append(sql) or execute(sql, *args)):
        started = time.perf_counter()
        question.save()
        took = time.perf_counter() - started
    print(f"saving one question with 5 links: {len(executed)} queries, {took * 1000:.0f} ms")


if __name__ == "__main__":
    main()
