"""Query count and render time of each public page type on a site of N questions.

Usage: .venv/bin/python bench/pages.py [N]   (default 2000; uses a throwaway SQLite file
unless DATABASE_URL is set, in which case that database is used and left populated)
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
workdir = tempfile.mkdtemp(prefix="certfaq-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certfaq.settings")
os.environ.setdefault("STATIC_ROOT", f"{workdir}/static")

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from faqs.models import Category, Question  # noqa: E402

RUNS = 30


def populate(size: int) -> None:
    categories = [Category.objects.create(name=f"Exam {n}", slug=f"exam-{n}") for n in range(8)]
    now = timezone.now()
    for n in range(size):
        question = Question(
            title=f"How do I pass exam number {n}?",
            content=f"<p>Study plan {n}. " + "Practice every day with timed tests. " * 30 + "</p>",
            status="published",
            published_at=now - timezone.timedelta(minutes=n + 1),
        )
        question.save()
        question.categories.set([categories[n % 8]])
        question.tags.set([f"tag{n % 20}", "exam"])


def measure(client: Client, url: str) -> tuple[int, float]:
    executed = []
    with connection.execute_wrapper(lambda execute, sql, *args: executed.append(sql) or execute(sql, *args)):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return len(executed), statistics.median(timings)


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    setup_test_environment()
    call_command("migrate", verbosity=0)
    if not Question.objects.exists():
        started = time.perf_counter()
        populate(size)
        print(f"created {size} questions in {time.perf_counter() - started:.1f} s")
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    question = Question.objects.published().first()
    pages = {
        "home": "/resources/",
        "search": "/resources/?s=exam+number+12",
        "archive": "/resources/faq/",
        "archive, last page": f"/resources/faq/page/{-(-Question.objects.count() // 20)}/",
        "question": question.get_absolute_url(),
        "category": "/resources/faq-categories/exam-3/",
        "tag": "/resources/tag/tag7/",
    }
    client = Client()
    print(f"database: {connection.vendor}, questions: {Question.objects.count()}, median of {RUNS} runs")
    print(f"{'page':<18}{'queries':>8}{'median ms':>11}")
    for name, url in pages.items():
        queries, median_ms = measure(client, url)
        print(f"{name:<18}{queries:>8}{median_ms:>11.1f}")


if __name__ == "__main__":
    main()
