"""What a page-cache hit costs a worker, in-process: a random kept question page asked
of gunicorn's application (certfaq.wsgi.application, whose front door answers hits
before Django's handler) and of Django's handler alone (certfaq.wsgi.django_application,
where PageCacheMiddleware answers them), for a client that accepts no coding (as wrk)
and one that accepts Brotli (as a browser). No server and no socket: bench/serve.py
measures those; this is the part of a hit that is ours.

Usage: .venv/bin/python bench/hit_cost.py [--cache disk|locmem|redis] [--questions 10000]
           [--pages 1000] [--requests 3000] [--rounds 5] [--database-url ...] [--reseed]

Seeds (or reuses) the site as bench/serve.py does and collects its static files,
keeps --pages random question pages in the cache (the default disk cache in a new
temporary folder, local memory, or Redis at 127.0.0.1:6379/9, the benches' own
database, emptied afterwards; one miss each, per
coding), then runs --rounds interleaved rounds of --requests random hits per front
and coding. Prints the median of the rounds' mean microseconds per hit.
"""

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sites  # noqa: E402

CACHE_URLS = {"disk": "disk://", "locmem": "locmem://", "redis": "redis://127.0.0.1:6379/9"}
PREFIX = "/resources/"  # SITE_URL's path, pinned by sites.BENCH_ENV
CODINGS = {"identity": {}, "br": {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}}


def environ(path: str, headers: dict) -> dict:
    """A WSGI environ as gunicorn makes one for GET `path`."""
    return {
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr, "wsgi.version": (1, 0), "wsgi.multithread": False,
        "wsgi.multiprocess": True, "wsgi.run_once": False, **headers,
    }  # fmt: skip


def ask(application, path: str, headers: dict) -> str:
    """One request; the X-Page-Cache it was answered with."""
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen.update(response_headers)

    body = application(environ(path, headers), start_response)
    b"".join(body)
    if hasattr(body, "close"):
        body.close()
    return seen.get("X-Page-Cache", "")


def mean_microseconds(application, paths: list[str], headers: dict) -> float:
    started = time.perf_counter()
    for path in paths:
        ask(application, path, headers)
    return (time.perf_counter() - started) / len(paths) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cache", choices=tuple(CACHE_URLS), default="disk")
    parser.add_argument("--questions", type=int, default=10_000, help="site size (default 10,000)")
    parser.add_argument("--pages", type=int, default=1_000, help="question pages kept (default 1,000)")
    parser.add_argument("--requests", type=int, default=3_000, help="hits per round, front and coding")
    parser.add_argument("--rounds", type=int, default=5)
    sites.add_options(parser)
    options = parser.parse_args()

    site = sites.site_for(options.questions, options)
    static_root = sites.collect_static(options, site.database_url)
    work = Path(tempfile.mkdtemp(prefix="hit-cost-"))
    stamp_file = work / "stamp"
    cache_url = CACHE_URLS[options.cache] + (str(work / "cache") if options.cache == "disk" else "")
    os.environ.update(
        sites.bench_env(
            site.database_url,
            STATIC_ROOT=str(static_root),
            PAGE_CACHE_STAMP_FILE=str(stamp_file),
            CACHE_URL=cache_url,
            PAGE_CACHE="on",
            CACHE_MAX_ENTRIES="50000",
            # Room for every kept page (as sent, 1,000 pages of two codings pass local
            # memory's 32 MiB default): this measures a hit, not the bound.
            CACHE_MAX_BYTES=str(2**30),
            DJANGO_SETTINGS_MODULE="certfaq.settings",
        )  # fmt: skip
    )
    sys.path.insert(0, str(sites.PROJECT))
    from django.core.cache import cache

    from certfaq.wsgi import application, django_application

    fronts = {"front door": application, "Django's handler": django_application}
    rng = random.Random(7)
    numbers = rng.sample(range(1, options.questions + 1), options.pages)
    kept = [f"{PREFIX}faq/q-{number}/" for number in numbers]
    for headers in CODINGS.values():
        for path in kept:
            ask(application, path, headers)
        missed = [path for path in kept if ask(application, path, headers) != "hit"]
        if missed:
            sys.exit(f"{len(missed)} of {len(kept)} pages were not kept, e.g. {missed[0]}")

    rounds = {(front, coding): [] for front in fronts for coding in CODINGS}
    for _ in range(options.rounds):
        paths = [rng.choice(kept) for _ in range(options.requests)]
        for (front, coding), figures in rounds.items():
            figures.append(mean_microseconds(fronts[front], paths, CODINGS[coding]))

    if options.cache == "redis":
        cache.clear()  # FLUSHDB of the benches' own database, as bench/serve.py does
    print(
        f"{site.size} questions, {site.database}, {options.cache}; {options.pages} pages kept, "
        f"{options.rounds} rounds of {options.requests} random hits, medians; {sites.machine()}"
    )
    print(f"{'front':<18}{'coding':<10}{'µs per hit':>12}")
    for (front, coding), figures in rounds.items():
        print(f"{front:<18}{coding:<10}{statistics.median(figures):>12.0f}")


if __name__ == "__main__":
    main()
