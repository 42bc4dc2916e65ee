"""How much a worker's memory grows while it answers distinct query strings: the
Django application gunicorn serves (`certfaq.wsgi.application`, page cache in front),
called in this process on its own SQLite site, RSS read from /proc.

    DATABASE_URL=sqlite:////tmp/m.sqlite3 python tests/http_cache/page_cache_memory.py exclude 10000

prints one JSON line: {"workload", "requests", "grown_mb", "entry_kb", "ms_per_request"}.
`exclude` sends wp-json reads that differ only in a free-form value (exclude=<n>);
`paging` sends reads that differ only in bounded ones (page, per_page, order, orderby).
A run stops early once the worker has grown by STOP_MB: the figure is then above it.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certfaq.settings")

STOP_MB = 128
WARM_UP = 200
# Words drawn at random compress about as an answer does not: an entry as large as a
# page of wp-json items, from one question that renders in a few milliseconds.
ANSWER_WORDS = 2_500


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def make_site(questions: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from faqs import publishing
    from faqs.models import Question

    call_command("migrate", verbosity=0)
    words = random.Random(17)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = ["".join(words.choices(letters, k=words.randint(3, 9))) for _ in range(5000)]
    for number in range(questions):
        answer = " ".join(words.choices(vocabulary, k=ANSWER_WORDS // questions))
        question = Question(title=f"What is question {number}?", content=f"<p>{answer}</p>")
        question.status, question.published_at = Question.Status.PUBLISHED, timezone.now()
        publishing.save_question(question)
    assert Question.objects.published().count() == questions


def queries(workload: str):
    if workload == "exclude":
        for number in itertools.count(10_000_000):
            yield f"exclude={number}"
    orders = itertools.product(("date", "id", "title", "slug", "modified"), ("asc", "desc"))
    for (orderby, order), per_page in itertools.product(orders, range(1, 101)):
        for page in range(1, -(-40 // per_page) + 1):
            yield f"per_page={per_page}&page={page}&orderby={orderby}&order={order}"


def get(application, query: str) -> tuple[int, int]:
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": "/resources/wp-json/wp/v2/faq", "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
        "SCRIPT_NAME": "",
    }  # fmt: skip
    answered = []
    body = b"".join(application(environ, lambda status, headers, exc_info=None: answered.append(status)))
    return int(answered[0].split()[0]), len(body)


def main(workload: str, requests: int) -> dict:
    import django

    django.setup()
    make_site(40 if workload == "paging" else 1)
    from certfaq.wsgi import application

    sent = queries(workload)
    for query in itertools.islice(sent, WARM_UP):
        assert get(application, query)[0] == 200, query
    before, started, answered = resident_mb(), time.perf_counter(), 0
    for query in itertools.islice(sent, requests):
        status, _ = get(application, query)
        assert status == 200, (query, status)
        answered += 1
        if answered % 250 == 0 and resident_mb() - before > STOP_MB:
            break
    seconds = time.perf_counter() - started
    from django.core.cache import cache

    if isinstance(cache._cache, dict):  # local memory: the entries' sizes
        kept = [len(value) for value in cache._cache.values()]
        cache_bytes = sum(kept)
    else:  # the disk cache: the folder's bytes as it counts them, spread over its entries
        cache_bytes = cache._cache.volume()
        kept = [cache_bytes // max(len(cache._cache), 1)]
    return {
        "cache_bytes": cache_bytes,
        "workload": workload,
        "requests": answered,
        "grown_mb": round(resident_mb() - before, 1),
        "entry_kb": round(max(kept) / 1024, 1) if kept else 0,
        "ms_per_request": round(seconds * 1000 / max(answered, 1), 2),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]))))
