"""How fast is search at 1,000, 10,000 and 100,000 questions? p50/p90 of the results
page, instant search and wp-json's search=, in-process (django.test.Client, as
bench/scale.py does), against the targets of issue 18, with the p50 of the CPU time
the process spent (time.process_time: what other work on the machine changes least)
beside the wall time.

Usage: .venv/bin/python bench/search.py [--sizes 1000,10000,100000] [--runs 30] [--budget 15]
           [--database-url postgres://postgres@127.0.0.1:5432/h_bench] [--exports DIR]
           [--cache-dir DIR] [--reseed]
Sites are seeded and cached by bench/sites.py (the same options as bench/scale.py; with
--database-url one database per size beside it: h_bench_1k, h_bench_10k, ...). Queries
come from the export's search_words.txt (50 common words of its answers): each run asks
for another one, cycling; two words are each word with the next; the misspelled form
drops the word's middle letter (the correction path); instant search types a word's
first three letters, alone and after the previous word. Each size is measured in its
own process with an empty cache of its own (so every search is one the site has not
kept: results are kept per query under the site's stamp), each page from a clean
heap: a few requests to warm up, then --runs requests (fewer when they pass --budget
seconds). Page 2 skips words with too few
results for a second page; every other request must answer 200. Prints a markdown
table, page × size, p50 and p90 in ms and the CPU p50, the p50 marked ok/MISS where a
target applies (results page ≤ 10 ms at 10k and ≤ 20 ms at 100k, instant search ≤ 10 ms
at 100k),
then how many questions the first query of each kind matched at each size (from
search.search(), the interface behind every search box, with any correction it
made). Instant search reads "n/a (endpoint missing)" while the URL faqs:search_suggest
does not exist.
"""

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sites  # noqa: E402

WARM_UP = 3
SLOW_MS = 1000  # one warm-up request is enough for a page this slow
RESULTS_TARGETS = {10_000: 10.0, 100_000: 20.0}
INSTANT_TARGETS = {100_000: 10.0}
ENDPOINT_MISSING = "n/a (endpoint missing)"

# Row label → (page, kind of query, p50 targets by size).
ROWS = {
    "results ?s=<word>": ("results", "word", RESULTS_TARGETS),
    "results ?s=<two words>": ("results", "two words", RESULTS_TARGETS),
    "results ?s=<misspelled>": ("results", "misspelled", RESULTS_TARGETS),
    "results ?s=<word>&paged=2": ("results page 2", "word", RESULTS_TARGETS),
    "instant ?s=<prefix>": ("instant", "prefix", INSTANT_TARGETS),
    "instant ?s=<word> <prefix>": ("instant", "word and prefix", INSTANT_TARGETS),
    "wp-json faq?search=<word>": ("api", "word", {}),
    "wp-json faq?search=<word>&orderby=relevance": ("api by relevance", "word", {}),
}
COUNTED_KINDS = ("word", "two words", "misspelled")


def search_words(export: Path) -> list[str]:
    return (export / "search_words.txt").read_text().split()


def misspelled(word: str) -> str:
    """The word with its middle letter dropped: `certification` → `certifcation`."""
    middle = len(word) // 2
    return word[:middle] + word[middle + 1 :]


def queries_by_kind(words: list[str]) -> dict[str, list[str]]:
    following = words[1:] + words[:1]
    return {
        "word": words,
        "two words": [f"{word} {after}" for word, after in zip(words, following, strict=True)],
        "misspelled": [misspelled(word) for word in words],
        "prefix": list(dict.fromkeys(word[:3] for word in words)),
        "word and prefix": [f"{word} {after[:3]}" for word, after in zip(words, following, strict=True)],
    }


def page_urls(home: str) -> dict[str, str | None]:
    """Each page's URL with `{q}` where the query goes; None for a page not built yet."""
    from django.urls import NoReverseMatch, reverse

    try:
        instant = reverse("faqs:search_suggest") + "?{q}"
    except NoReverseMatch:
        instant = None
    return {
        "results": home + "?{q}",
        "results page 2": home + "?{q}&paged=2",
        "instant": instant,
        "api": home + "wp-json/wp/v2/faq?{q}",
        "api by relevance": home + "wp-json/wp/v2/faq?{q}&orderby=relevance",
    }


def query_string(page: str, query: str) -> str:
    return urlencode({"search" if page.startswith("api") else "s": query})


def timed_get(client, url: str) -> tuple[int, float, float]:
    """The status, wall milliseconds and CPU milliseconds of one request."""
    started, cpu_started = time.perf_counter(), time.process_time()
    status = client.get(url).status_code
    return status, (time.perf_counter() - started) * 1000, (time.process_time() - cpu_started) * 1000


def measure_row(client, template: str, queries: list[str], page: str, runs: int, budget: float) -> dict:
    """p50/p90 of `runs` requests, a different query each, after a warm-up. On page 2 a
    query with a single page of results (404) leaves the cycle untimed."""
    cycle = list(queries)
    position = 0

    cpu_timings = []

    def next_request() -> float | None:
        """Wall ms of the next query's request (its CPU ms kept aside); None once no
        query is left."""
        nonlocal position
        while cycle:
            query = cycle[position % len(cycle)]
            url = template.replace("{q}", query_string(page, query))
            status, elapsed, cpu = timed_get(client, url)
            if status == 404 and page == "results page 2":
                cycle.remove(query)  # a single page of results
                continue
            if status != 200:
                sys.exit(f"{url} answered {status}, not 200")
            position += 1
            cpu_timings.append(cpu)
            return elapsed
        return None

    gc.collect()  # the garbage of the row before is not this row's to collect
    for _ in range(WARM_UP):
        elapsed = next_request()
        if elapsed is None or elapsed > SLOW_MS:
            break
    timings = []
    del cpu_timings[:]  # the warm-up's
    started = time.perf_counter()
    while len(timings) < runs and (len(timings) < 5 or time.perf_counter() - started < budget):
        elapsed = next_request()
        if elapsed is None:
            break
        timings.append(elapsed)
    if len(timings) < 2:
        return {"missing": "n/a (no query has a second page)"}
    return {
        "p50": statistics.median(timings),
        "p90": statistics.quantiles(timings, n=10, method="inclusive")[8],
        "cpu p50": statistics.median(cpu_timings),
        "runs": len(timings),
    }


def first_query_counts(queries: dict[str, list[str]]) -> list[dict]:
    """What the first query of each kind found, as the results page tells it."""
    from search import engine as search

    counts = []
    for kind in COUNTED_KINDS:
        query = queries[kind][0]
        results = search.search(query)
        counts.append(
            {
                "kind": kind,
                "query": query,
                "count": results.count,
                "capped": results.capped,
                "corrected": results.corrected,
            }
        )
    return counts


def measure_site(export: Path, runs: int, budget: float) -> dict:
    """Every row's figures; run in a process whose environment names the site's database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certfaq.settings")
    sys.path.insert(0, str(sites.PROJECT))
    import django

    django.setup()
    import logging

    from django.test import Client
    from django.urls import reverse

    # Page 2 of a word with few results is a 404 by design.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    queries = queries_by_kind(search_words(export))
    urls = page_urls(reverse("faqs:home"))
    client = Client()
    rows = {}
    for label, (page, kind, _) in ROWS.items():
        if urls[page] is None:
            rows[label] = {"missing": ENDPOINT_MISSING}
            continue
        rows[label] = measure_row(client, urls[page], queries[kind], page, runs, budget)
    return {"rows": rows, "counts": first_query_counts(queries)}


def measure_in_child(site: sites.Site, options: argparse.Namespace, static_root: Path) -> dict:
    """Run measure_site in a fresh process on the site's database."""
    # A cache of this run's own, empty: the results page keeps a search's results under
    # the site's stamp (a search asked again costs no query), and a cache left beside
    # the database by an earlier run would answer every query from what it kept.
    fresh = Path(tempfile.mkdtemp(prefix="bench-search-"))
    env = sites.bench_env(
        site.database_url,
        STATIC_ROOT=str(static_root),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        CACHE_URL=f"disk://{fresh / 'cache'}",
        PAGE_CACHE_STAMP_FILE=str(fresh / "stamp"),
        SEARCH_LOG_BUFFER=str(fresh / "search-log.buffer"),
    )
    command = [sys.executable, __file__, "--measure", str(site.export)]
    command += [str(options.runs), str(options.budget)]
    result = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True)
    shutil.rmtree(fresh, ignore_errors=True)
    if result.returncode != 0:
        sys.exit(f"measuring {site.size} questions failed ({result.returncode})")
    return json.loads(result.stdout.strip().splitlines()[-1])


def target_text(targets: dict[int, float]) -> str:
    return ", ".join(f"p50 ≤ {ms:.0f} ms at {sites.size_label(size)}" for size, ms in targets.items())


def cells(cell: dict, target: float | None, runs: int) -> list[str]:
    if "missing" in cell:
        return [cell["missing"], "", ""]
    p50 = f"{cell['p50']:.1f}"
    if target is not None:
        p50 += " ok" if cell["p50"] <= target else " MISS"
    short = "*" if cell["runs"] < runs else ""
    return [p50, f"{cell['p90']:.1f}{short}", f"{cell['cpu p50']:.1f}"]


def print_table(database: str, sizes: list[int], figures: dict, runs: int) -> None:
    labels = [sites.size_label(size) for size in sizes]
    print(f"\nsearch on {database}, ms over {runs} runs ({sites.machine()}); * fewer runs (--budget)\n")
    header = ["page", *(f"{label} {p}" for label in labels for p in ("p50", "p90", "CPU p50")), "target"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for label, (_, _, targets) in ROWS.items():
        row = [label]
        for size in sizes:
            row += cells(figures[size]["rows"][label], targets.get(size), runs)
        row.append(target_text(targets))
        print("| " + " | ".join(row) + " |")
    print()
    for size, label in zip(sizes, labels, strict=True):
        print(f"{label}: " + "; ".join(count_text(count) for count in figures[size]["counts"]))


def count_text(count: dict) -> str:
    found = f"{count['count']}{'+' if count['capped'] else ''} matches"
    corrected = f" (corrected to {count['corrected']!r})" if count["corrected"] else ""
    return f"{count['kind']} {count['query']!r}{corrected}: {found}"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        export, runs, budget = sys.argv[2:5]
        print(json.dumps(measure_site(Path(export), int(runs), float(budget))))
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
        print(f"{site.size:>7} questions, {site.database}: seeded in {site.seed_seconds:.1f} s ({how})")
    static_root = sites.collect_static(options, seeded[0].database_url)
    figures = {}
    for site in seeded:
        print(f"measuring search at {site.size} questions ({sites.machine()}) ...", flush=True)
        figures[site.size] = measure_in_child(site, options, static_root)
    print_table(seeded[0].database, sizes, figures, options.runs)
    print(f"\nwhole run {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
