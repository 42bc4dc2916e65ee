"""Is every page flat from 1,000 to 100,000 questions? p50/p90 render time and SQL
queries of each public page type, in-process (django.test.Client, like bench/pages.py).

Usage: .venv/bin/python bench/scale.py [--sizes 1000,10000,100000] [--runs 30] [--reseed]
           [--database-url postgres://postgres@127.0.0.1:5432/h_bench]
Sites are seeded once per size with `manage.py import_wordpress` of a generated export
and cached until faqs/ changes (see bench/sites.py; the import's time is printed, target
10,000 items ≤ 30 s). Each size is measured in its own process: a few requests to warm
up, then --runs requests per page (fewer when they pass --budget seconds); a random
question for the question pages; every request must answer 200. Prints one table per
database: page type × size, p50 and p90 in ms, p50 of the CPU time (steadier when the
machine is shared) and the queries of one request, the ratio
of p50 between the largest and the smallest size (! above 1.3) and the question page's
p50 at the largest size against the 10 ms target.
"""

import argparse
import gc
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sites  # noqa: E402

RATIO_LIMIT = 1.3
QUESTION_TARGET_MS = 10.0
WARM_UP = 3
SITE_PATH = "/resources/"  # SITE_URL's path, pinned by sites.BENCH_ENV


# Page type → path below SITE_URL's. {k}: a random question (slug q-k, id k);
# {last}: the listing's last page, found by probing; {word}: a common word of the export.
PAGES = {
    "question": "faq/q-{k}/",
    "home": "",
    "archive, page 1": "faq/",
    "archive, last page": "faq/page/{last}/",
    "category, page 1": "faq-categories/exam-1/",
    "category, last page": "faq-categories/exam-1/page/{last}/",
    "tag, page 1": "tag/tag-0/",
    "tag, last page": "tag/tag-0/page/{last}/",
    "author, page 1": "author/writer-1/",
    "author, last page": "author/writer-1/page/{last}/",
    "faq-sitemap.xml": "faq-sitemap.xml",
    "faq-sitemap.xml, last page": "faq-sitemap.xml?p={last}",
    "sitemap_index.xml": "sitemap_index.xml",
    "faq-categories-sitemap.xml": "faq-categories-sitemap.xml",
    "feed/": "feed/",
    "api faq?per_page=100": "wp-json/wp/v2/faq?per_page=100",
    "api faq, last page": "wp-json/wp/v2/faq?per_page=100&page={last}",
    "api faq&_embed": "wp-json/wp/v2/faq?per_page=100&_embed",
    "api faq&_embed, last page": "wp-json/wp/v2/faq?per_page=100&_embed&page={last}",
    "api faq/<id>": "wp-json/wp/v2/faq/{k}",
    "api faq-categories": "wp-json/wp/v2/faq-categories?per_page=100",
    # Last: at 100k one search takes a second and leaves a heap that slows what follows.
    "search ?s=<word>": "?s={word}",
}


def last_page_number(client, template: str) -> int:
    """The highest page number of a listing that answers 200 (pages past the end don't).
    The number the first page states (X-WP-TotalPages, "Page 1 of N") is tried first and
    checked; otherwise, or when wrong, a search: deep pages can take seconds each."""
    answers = {}

    def exists(number: int) -> bool:
        if number not in answers:
            answers[number] = client.get(template.replace("{last}", str(number))).status_code == 200
        return answers[number]

    stated = stated_pages(client.get(page_url(template, 1)))
    if stated and (stated == 1 or exists(stated)) and not exists(stated + 1):
        return stated
    low, high = 1, 2
    while exists(high):
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if exists(middle) else (low, middle)
    return low


def stated_pages(response) -> int | None:
    if "X-WP-TotalPages" in response.headers:
        return int(response.headers["X-WP-TotalPages"])
    stated = re.search(rb"Page 1 of (\d+)", response.content)
    return int(stated.group(1)) if stated else None


def page_url(template: str, number: int) -> str:
    """The listing's page `number`; page 1 has no number (faq/page/1/ redirects to faq/)."""
    if number > 1:
        return template.replace("{last}", str(number))
    for page_part in ("page/{last}/", "&page={last}", "?p={last}"):
        template = template.replace(page_part, "")
    return template


def count_queries(client, connection, url: str) -> int:
    executed = []

    def record(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        timed_get(client, url)
    return len(executed)


def timed_get(client, url: str) -> tuple[float, float]:
    """Wall and CPU milliseconds of one request. CPU time is this process's alone (Django
    and SQLite, not PostgreSQL's server), but it holds when other work shares the machine."""
    started, started_cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}, not 200")
    return elapsed * 1000, cpu * 1000


def measure_site(size: int, export: Path, runs: int, budget: float) -> dict:
    """Each page's figures; run in a process whose environment names the site's database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certfaq.settings")
    sys.path.insert(0, str(sites.PROJECT))
    import django

    django.setup()
    import logging
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    # Probing for last pages asks for pages past the end: those 404s and 400s are expected.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    prefix = urlsplit(settings.SITE_URL).path
    search_word = (export / "search_words.txt").read_text().split()[0]
    client = Client()
    rng = random.Random(size)
    results = {}
    for name, path in PAGES.items():
        template = prefix + path.replace("{word}", search_word)
        if "{last}" in template:
            # The _embed listing has the plain one's pages: probe the cheaper.
            template = page_url(template, last_page_number(client, template.replace("&_embed", "")))

        def url(template=template) -> str:
            return template.replace("{k}", str(rng.randint(1, size)))

        # Each page starts from a clean heap: the garbage of the page before (a
        # 1-second search at 100k makes plenty) would otherwise be collected during
        # this one's requests and charged to it.
        gc.collect()
        for _ in range(WARM_UP):
            if timed_get(client, url())[0] > 1000:
                break  # one request warms a slow page enough
        queries = count_queries(client, connection, url())
        timings = []
        started = time.perf_counter()
        while len(timings) < runs and (len(timings) < 5 or time.perf_counter() - started < budget):
            timings.append(timed_get(client, url()))
        wall = [elapsed for elapsed, _ in timings]
        results[name] = {
            "p50": statistics.median(wall),
            "p90": statistics.quantiles(wall, n=10, method="inclusive")[8],
            "cpu": statistics.median(cpu for _, cpu in timings),
            "queries": queries,
            "runs": len(timings),
            "url": url(),
        }
    return results


def measure_in_child(site: sites.Site, options: argparse.Namespace, static_root: Path) -> dict:
    """Run measure_site in a fresh process on the site's database."""
    env = sites.bench_env(
        site.database_url, STATIC_ROOT=str(static_root), ALLOWED_HOSTS="127.0.0.1,localhost,testserver"
    )
    command = [sys.executable, __file__, "--measure", str(site.size), str(site.export)]
    command += [str(options.runs), str(options.budget)]
    result = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"measuring {site.size} questions failed ({result.returncode})")
    return json.loads(result.stdout.strip().splitlines()[-1])


def print_table(site: sites.Site, sizes: list[int], figures: dict, runs: int) -> None:
    labels = [sites.size_label(size) for size in sizes]
    ratio_label = f"{labels[-1]}/{labels[0]}"
    word = (site.export / "search_words.txt").read_text().split()[0]
    print(f"\ndatabase: {site.database}; ms over {runs} runs: p50, p90, cpu (p50 of this process's CPU")
    print(f"time); sql: queries of one request; <word>: {word}; ! marks a p50 ratio above {RATIO_LIMIT}")
    print(f"{'':<29}" + "".join(f"{label:^29}" for label in labels) + f"{ratio_label:>9}")
    print(f"{'page':<29}" + f"{'p50':>8}{'p90':>8}{'cpu':>8}{'sql':>5}" * len(sizes) + f"{'p50':>9}")
    short = False
    for name in figures[sizes[0]]:
        row = f"{name:<29}"
        for size in sizes:
            cell = figures[size][name]
            mark = "*" if cell["runs"] < runs else " "
            row += f"{cell['p50']:8.1f}{cell['p90']:8.1f}{mark}{cell['cpu']:7.1f}{cell['queries']:5d}"
            short = short or cell["runs"] < runs
        ratio = figures[sizes[-1]][name]["p50"] / figures[sizes[0]][name]["p50"]
        row += f"{ratio:9.2f}" + (" !" if ratio > RATIO_LIMIT else "")
        print(row)
    lasts = [cell["url"] for name, cell in figures[sizes[-1]].items() if "last page" in name]
    print(f"last pages at {labels[-1]}: " + ", ".join(url.removeprefix(SITE_PATH) for url in lasts))
    if short:
        print(f"* fewer runs: the page took more than --budget seconds for {runs}")
    question = figures[sizes[-1]]["question"]["p50"]
    verdict = "meets" if question <= QUESTION_TARGET_MS else "misses"
    target = f"the {QUESTION_TARGET_MS:.0f} ms target"
    print(f"question page p50 at {labels[-1]}: {question:.1f} ms, {verdict} {target}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        size, export, runs, budget = sys.argv[2:6]
        print(json.dumps(measure_site(int(size), Path(export), int(runs), float(budget))))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sites.add_measuring_options(parser)
    options = parser.parse_args()
    sizes = sorted(int(size) for size in options.sizes.split(","))
    started = time.perf_counter()
    seeded = [sites.site_for(size, options) for size in sizes]
    for site in seeded:
        how = "cached" if site.cached else "just seeded"
        rate = site.size / site.seed_seconds
        print(f"{site.size:>7} questions, {site.database}: import_wordpress", end=" ")
        print(f"{site.seed_seconds:6.1f} s ({rate:.0f} items/s, {how})")
    static_root = sites.collect_static(options, seeded[0].database_url)
    figures = {}
    for site in seeded:
        print(f"measuring {site.size} questions ({sites.machine()}) ...", flush=True)
        figures[site.size] = measure_in_child(site, options, static_root)
    print_table(seeded[0], sizes, figures, options.runs)
    print(f"import target: 10,000 items in ≤ 30 s (≥ 333/s); whole run {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
