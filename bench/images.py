"""What images cost a question page (issue 21): the demo's question with a featured image
and two inline figures against its twins (the same words) with the featured image only
and with no picture,
made anew on every request (page cache and fragments off: a miss, the worst case) and
served from the page cache (a hit). In-process (django.test.Client), interleaved
rounds, on a throwaway SQLite demo site with LIBRARY_IMAGES more images in the library
(so the lookup by name is not the lookup of a library of three).

Usage: .venv/bin/python bench/images.py [--requests 300] [--rounds 5] [--library 2000]
Prints, per page, the median over rounds of the p50 time (ms) and the queries of one
request (a hit's: none after the first round); renditions are never made while serving
(the Rendition count is checked).
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
workdir = tempfile.mkdtemp(prefix="certfaq-bench-images-")
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
os.environ["MEDIA_ROOT"] = f"{workdir}/media"
os.environ["ALLOWED_HOSTS"] = "testserver"  # django.test.Client's host
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certfaq.settings")
os.environ.setdefault("STATIC_ROOT", f"{workdir}/static")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from faqs import publishing  # noqa: E402
from faqs.models import Question  # noqa: E402
from media.models import Image, Rendition  # noqa: E402
from wordpress.demo import FEATURED_SLUG  # noqa: E402

TWIN_SLUG = "twin-without-images"
FEATURED_ONLY_SLUG = "twin-with-its-featured-image-only"


def seed(library: int) -> tuple[str, str, str]:
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    pictured = Question.objects.get(slug=FEATURED_SLUG)
    twin = Question(
        title=pictured.title + " (no images)",
        slug=TWIN_SLUG,
        content=_without_figures(pictured.content),
        status=Question.Status.PUBLISHED,
        published_at=pictured.published_at,
        written_by=pictured.written_by,
        reviewed_by=pictured.reviewed_by,
    )
    publishing.save_question(twin, categories=list(pictured.categories.all()))
    featured_only = Question(
        title=pictured.title + " (featured image only)",
        slug=FEATURED_ONLY_SLUG,
        content=twin.content,
        status=Question.Status.PUBLISHED,
        published_at=pictured.published_at,
        written_by=pictured.written_by,
        reviewed_by=pictured.reviewed_by,
        featured_image=pictured.featured_image,
    )
    publishing.save_question(featured_only, categories=list(pictured.categories.all()))
    # A library of `library` more rows (their files are not read while a page is made).
    model = Image.objects.first()
    Image.objects.bulk_create(
        Image(
            file=f"images/filler-{number:06d}.jpg",
            title=f"Filler {number}",
            alt_text="A filler",
            width=model.width,
            height=model.height,
            format=model.format,
            size=model.size,
        )
        for number in range(library)
    )
    return pictured.get_absolute_url(), featured_only.get_absolute_url(), twin.get_absolute_url()


def _without_figures(html: str) -> str:
    return re.sub(r"<figure.*?</figure>", "", html, flags=re.DOTALL)


def time_requests(client: Client, url: str, requests: int) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    count = len(queries.captured_queries)
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200
    return statistics.median(samples) * 1000, count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--library", type=int, default=2000)
    args = parser.parse_args()
    pictured, featured_only, twin = seed(args.library)
    renditions_before = Rendition.objects.count()
    results: dict[tuple[str, str], list[float]] = {}
    queries: dict[tuple[str, str], int] = {}
    modes = {
        "miss (made anew)": {"PAGE_CACHE": False, "PAGE_FRAGMENTS": False},
        "hit (page cache)": {"PAGE_CACHE": True},
    }
    for _ in range(args.rounds):
        for mode, options in modes.items():
            with override_settings(**options):
                client = Client()  # its handler (the middleware) made under these settings
                pages = {"featured + 2 inline": pictured, "featured only": featured_only, "no image": twin}
                for name, url in pages.items():
                    ms, count = time_requests(client, url, args.requests)
                    results.setdefault((mode, name), []).append(ms)
                    queries[(mode, name)] = count
    assert Rendition.objects.count() == renditions_before, "a rendition was made while serving"
    library = Image.objects.count()
    print(f"question page, {args.requests} requests x {args.rounds} rounds, library of {library} images")
    print(f"{'mode':<18} {'page':<20} {'p50 ms':>8} {'queries':>8}")
    for (mode, name), samples in results.items():
        print(f"{mode:<18} {name:<20} {statistics.median(samples):>8.2f} {queries[(mode, name)]:>8}")
    print(f"renditions made while serving: {Rendition.objects.count() - renditions_before}")


if __name__ == "__main__":
    main()
