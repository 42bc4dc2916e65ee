"""Requests per second of the site's page types under gunicorn, each against a plain
Django view answering the same bytes (the ceiling), measured in the same run (issue 18).

Usage: .venv/bin/python bench/serve.py [--questions 10000,100000] [--modes makerun,cold,redis]
           [--pages question,zipf,home,archive,category,search,wp-json,sitemap]
           [--duration 10] [--rounds 3] [--zipf-seconds 30] [--connections 16]
           [--workers 2] [--threads 1] [--worker-class sync] [--json FILE]
           [--database-url postgres://postgres@127.0.0.1:5432/h_bench] [--reseed]
Needs wrk (Debian/Ubuntu: `apt-get install wrk`; macOS: `brew install wrk`), and Redis
at 127.0.0.1:6379 for the cold and redis modes (its database 9 is emptied; no other is
touched). Seeded sites come from bench/sites.py (BENCH_CACHE_DIR, BENCH_REUSE_SITES).

Three servers answer in every mode, and every measurement is `wrk -t2 -c16 -dDs
--latency`, one server loaded at a time:
- plain: the ceiling, bench/ceiling/ (a separate Django project with startproject's
  settings and MIDDLEWARE, DEBUG off, no database), one view answering the bytes and
  Content-Type of a page of each type (the median size of 51 sampled pages), under its own
  gunicorn with the site's worker count, class and threads and gunicorn's defaults (no
  access log, no recycling). Every ratio is a page's requests/s ÷ this one's.
- stack: the same constant bytes through the project's whole stack (bench/serve_settings:
  certfaq.wsgi, its middleware, bench-constant/<page>/), started exactly as the site is;
  its ratio to plain is what the project's stack costs before any page is made.
- site: the site, started as the mode says.
Each round runs, for every page type, plain, stack, then the page, and samples 50 URLs
of the page's traffic (5 of a one-URL type) for X-Page-Cache: hit afterwards; the table
shows medians of the rounds. Before the rounds, every URL of every type is asked once
(16 at a time), and each constant page gets a 2 s wrk run on both constant servers.

The modes:
- makerun: the site as `make run` serves it: `gunicorn --config gunicorn.conf.py
  certfaq.wsgi` with the shipped config (its workers, its max_requests recycling, its
  access log, to a file) and no CACHE_URL (the default cache, whatever the settings
  choose), on a private copy of a SQLite site (the default stamp and any cache beside
  the database are then this run's). The default cache's folder and the stamp file (asked
  of Django) are removed before the server starts. question: uniform random question
  pages after one pass over all of them; zipf: question pages drawn Zipf-distributed
  (s = 1) from a cold start (the server restarted with its cache emptied), wrk run
  --zipf-seconds unmeasured, then --zipf-seconds measured, traffic continuing.
- cold: the page cache off (PAGE_CACHE=off), fragments kept in Redis (CACHE_URL=redis)
  and filled by the pass; every page is made anew from kept parts.
- redis: the page cache in Redis, filled by the pass.
cold and redis run the shipped config with --workers, --threads, --worker-class and no
recycling (--max-requests 0). The page types: question, zipf (makerun only), home,
archive, category (a random one of exam-1 … exam-30), search (?s=<the export's first
search word>, never cached), wp-json (wp-json/wp/v2/faq?per_page=100) and the sitemap
(faq-sitemap.xml). Peak memory: the sum of the resident memory of the site's gunicorn
master and all its workers, sampled every 0.5 s, its peak per mode (and the number of
worker processes seen: recycling starts new ones).

Prints one table per size (the issue's targets and a verdict beside each figure) and
the peak memory; --json writes every figure, each round's included. Figures taken beside
other work are not comparable: the machine's load is printed.

How long: a round is 3 × --duration per page type, and a makerun zipf round a restart,
2 × --zipf-seconds and 2 × --duration; a pass asks every question once at the cold
page's pace (about 10,000 a minute and a half on 2 cores when nothing else runs). With
the defaults (3 rounds of 10 s, 30 s zipf halves, all page types) a mode takes about
12 minutes plus its pass, makerun about 17 plus its pass and copy: at 10,000 questions
about 45 minutes for the three modes; makerun at 100,000 about 35 minutes.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sites  # noqa: E402
from serve_load import PageType, get, hit_rate, page_types, request_every_url, wrk  # noqa: E402
from serve_servers import (  # noqa: E402
    PeakMemory,
    Server,
    Workers,
    default_cache,
    empty_default_cache,
    makerun_env,
    makerun_server,
    plain_server,
    private_copy,
    shipped_workers,
    tuned_server,
)

REDIS_URL = "redis://127.0.0.1:6379/9"  # the bench's own database: FLUSHDB empties it
RUN_PROBES = 50  # URLs sampled for X-Page-Cache after each page run
ONE_URL_PROBES = 5  # as many of a one-URL type (a cold wp-json answer takes 0.3 s)
PASS_CONNECTIONS = 16
WARM_UP_SECONDS = 2  # a short run of each constant page before the rounds: imports, first reads
MEMORY_TARGET_MB = 600  # at 100,000 questions, as make run serves the site
MEMORY_TARGET_SIZE = 100_000


@dataclass(frozen=True)
class Target:
    """The issue's bar for a page: a share of the plain ceiling's requests/s, and for
    makerun's question page a p99 latency."""

    ratio: float
    p99_ms: float | None = None

    def met_by(self, ratio: float, p99_ms: float) -> bool:
        return ratio >= self.ratio and (self.p99_ms is None or p99_ms <= self.p99_ms)

    def __str__(self) -> str:
        p99 = f", p99 ≤ {self.p99_ms:.0f} ms" if self.p99_ms else ""
        return f"≥ {self.ratio:.2f}{p99}"


# The "Targets", by mode and page type. Search results (never cached) have one
# bar whatever the mode, set at 10,000 questions.
TARGETS = {
    "makerun": {"question": Target(0.60, 15), "zipf": Target(0.50), "wp-json": Target(0.30)},
    "cold": {
        "question": Target(0.10),
        "home": Target(0.08),
        "archive": Target(0.08),
        "category": Target(0.08),
        "wp-json": Target(0.02),
    },
    "redis": {"question": Target(0.60), "wp-json": Target(0.30)},
}
SEARCH_TARGET = Target(0.08)
SEARCH_TARGET_MAX_SIZE = 10_000


def target_for(mode: str, page: str, size: int) -> Target | None:
    if page == "search":
        return SEARCH_TARGET if size <= SEARCH_TARGET_MAX_SIZE else None
    return TARGETS[mode].get(page)


@dataclass(frozen=True)
class Mode:
    name: str
    env: dict  # for cold and redis: what selects the caches
    uses_redis: bool = False


MODES = {
    mode.name: mode
    for mode in (
        Mode("makerun", {}),
        Mode("cold", {"PAGE_CACHE": "off", "CACHE_URL": REDIS_URL}, uses_redis=True),
        Mode("redis", {"CACHE_URL": REDIS_URL}, uses_redis=True),
    )
}


@dataclass
class Servers:
    """The three servers of a mode and where their files go."""

    plain: Server
    stack: Server
    site: Server
    work: Path

    @property
    def constant_dir(self) -> Path:
        return self.work / "constant"

    def start(self) -> None:
        for server in (self.plain, self.stack, self.site):
            server.start()

    def stop(self) -> None:
        for server in (self.site, self.stack, self.plain):
            server.stop()


def empty_redis_database() -> None:
    """FLUSHDB on the bench's database only, so a mode starts from an empty cache."""
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.ConnectionError as error:
        sys.exit(f"the cold and redis modes need Redis at {REDIS_URL}: {error}")


def write_constant_page(port: int, page: PageType, folder: Path) -> int:
    """Sample the type's pages; keep the one of median size (with its Content-Type) as
    the constant page's bytes. Its size."""
    answers = []
    for path in page.sample(random.Random(page.count), 51):  # the same sample in every mode
        answer = get(port, path)
        if answer.status != 200:
            sys.exit(f"{path} answered {answer.status}, not 200")
        answers.append(answer)
    median = sorted(answers, key=lambda answer: len(answer.body))[len(answers) // 2]
    (folder / f"{page.name}.body").write_bytes(median.body)
    (folder / f"{page.name}.content-type").write_text(median.content_type)
    return len(median.body)


def constant_path(page: PageType) -> str:
    return f"/bench-constant/{page.constant_name}/"


def check_constant(server: Server, page: PageType, folder: Path) -> None:
    """The constant page answers the written bytes, and not from the page cache."""
    answer = get(server.port, constant_path(page))
    expected = (folder / f"{page.constant_name}.body").read_bytes()
    if (answer.status, answer.body) != (200, expected):
        sys.exit(f"{server.name}: {constant_path(page)} answered {answer.status}, not the page's bytes")
    if answer.page_cache == "hit":
        sys.exit(f"{server.name}: the page cache serves {constant_path(page)}: not a view's ceiling")


def warm_up(server: Server, page: PageType) -> None:
    wrk(16, [server.base + constant_path(page)], WARM_UP_SECONDS)
    server.settle()


def prepare(servers: Servers, pages: dict[str, PageType], all_pages: dict[str, PageType]) -> dict[str, int]:
    """Write each type's constant page (sampled from the site), check both constant
    servers answer it, then ask for every URL of every type once. The constant sizes."""
    constants = {page.constant_name: all_pages[page.constant_name] for page in pages.values()}
    sizes = {}
    for name, page in constants.items():
        sizes[name] = write_constant_page(servers.site.port, page, servers.constant_dir)
        for server in (servers.plain, servers.stack):
            check_constant(server, page, servers.constant_dir)
            warm_up(server, page)
    for page in pages.values():
        if page.distribution == "zipf":
            continue  # measured from a cold start: no pass
        seconds = request_every_url(servers.site.port, page, PASS_CONNECTIONS)
        print(f"  {page.name}: {page.count:,} pages asked once in {seconds:.0f} s", flush=True)
    return sizes


def probes(page: PageType) -> int:
    return RUN_PROBES if page.is_random else ONE_URL_PROBES


def measure_page(options, servers: Servers, page: PageType) -> dict:
    """One round of a page type: plain, stack, then the page (and its hit rate)."""
    run = {}
    for role, server in (("plain", servers.plain), ("stack", servers.stack)):
        run[role] = wrk(options.connections, [server.base + constant_path(page)], options.duration)
        server.settle()
    site = servers.site
    run["site"] = wrk(options.connections, page.wrk_target(site.base), options.duration)
    site.settle()
    run["site"]["hit_rate"] = hit_rate(site.port, page, probes(page))
    return run


def measure_zipf_round(
    options, servers: Servers, page: PageType, cache: dict | None, database_url: str
) -> dict:
    """One zipf round: the site restarted with an emptied cache, wrk for --zipf-seconds
    unmeasured and at once --zipf-seconds measured; then plain and stack."""
    # The stack server shares the default cache: both stop before it is removed.
    servers.site.stop()
    servers.stack.stop()
    if cache is not None:
        empty_default_cache(cache, database_url)
    servers.site.start()
    servers.stack.start()
    target = page.wrk_target(servers.site.base)
    wrk(options.connections, target, options.zipf_seconds)
    run = {"site": wrk(options.connections, target, options.zipf_seconds)}
    servers.site.settle()
    run["site"]["hit_rate"] = hit_rate(servers.site.port, page, probes(page))
    warm_up(servers.stack, page)  # just restarted: its imports and first reads unmeasured
    for role, server in (("plain", servers.plain), ("stack", servers.stack)):
        run[role] = wrk(options.connections, [server.base + constant_path(page)], options.duration)
        server.settle()
    return run


def build_servers(mode: Mode, database_url: str, static_root: Path, options, work: Path):
    """The mode's three servers, the workers they run and its default cache (makerun)."""
    logs = work / mode.name
    logs.mkdir(parents=True, exist_ok=True)
    if mode.name == "makerun":
        env = makerun_env(database_url, static_root)
        workers = shipped_workers(env)
        site = makerun_server("site", env, logs)
        stack = makerun_server(
            "stack", {**env, "BENCH_CONSTANT_DIR": str(work / "constant")}, logs, "serve_settings"
        )
        cache = default_cache(env)
    else:
        env = sites.bench_env(
            database_url, STATIC_ROOT=str(static_root), PAGE_CACHE_STAMP_FILE=str(logs / "page-cache-stamp")
        )
        env.pop("PAGE_CACHE", None)  # on unless the mode turns it off, whatever the shell says
        env.update(mode.env)
        workers = Workers(options.workers, options.worker_class, options.threads)
        site = tuned_server("site", env, workers, logs)
        stack_env = {**env, "BENCH_CONSTANT_DIR": str(work / "constant")}
        stack = tuned_server("stack", stack_env, workers, logs, "serve_settings")
        cache = None
    plain = plain_server(workers, work / "constant", logs)
    return Servers(plain, stack, site, work), workers, cache


def run_mode(options, mode: Mode, site: sites.Site, static_root: Path, work: Path, all_pages) -> dict:
    """Start the mode's servers from an empty cache, measure, stop; the mode's figures."""
    private = work / "makerun-site"
    database_url = private_copy(site.database_url, private) if mode.name == "makerun" else site.database_url
    servers, workers, cache = build_servers(mode, database_url, static_root, options, work)
    print(f"{mode.name}: {workers}, {sites.machine()}", flush=True)
    if cache is not None:
        print(f"  default cache: {cache['backend']} at {cache['location'] or '—'}; stamp {cache['stamp']}")
        empty_default_cache(cache, database_url)
    if mode.uses_redis:
        empty_redis_database()
    pages = {name: all_pages[name] for name in options.pages if name != "zipf" or mode.name == "makerun"}
    try:
        sizes, runs, memory = measure_after_a_pass(options, mode, servers, pages, all_pages)
        if "zipf" in pages:
            runs["zipf"], memory[f"{mode.name} zipf"] = measure_zipf(
                options, servers, pages["zipf"], cache, database_url
            )
    finally:
        servers.stop()
        shutil.rmtree(private, ignore_errors=True)  # the copy, its stamp, any cache beside it
    rows = [
        summarise(mode.name, page, sizes[page.constant_name], runs[name], site.size)
        for name, page in pages.items()
    ]
    return {"workers": str(workers), "rows": rows, "memory": memory}


def measure_after_a_pass(options, mode: Mode, servers: Servers, pages: dict, all_pages: dict):
    """Start the servers, prepare (constants, one pass over every URL), run the rounds
    of every type but zipf; the constant sizes, the runs and the peak memory."""
    runs = {name: [] for name, page in pages.items() if page.distribution != "zipf"}
    with PeakMemory(servers.site) as peak:
        servers.start()
        sizes = prepare(servers, pages, all_pages)
        for _ in range(options.rounds):
            for name in runs:
                runs[name].append(measure_page(options, servers, pages[name]))
    return sizes, runs, {mode.name: memory_figures(peak)}


def measure_zipf(options, servers: Servers, page: PageType, cache: dict | None, database_url: str):
    """makerun's zipf rounds, each from a cold start; the runs and the peak memory."""
    with PeakMemory(servers.site) as peak:
        runs = [
            measure_zipf_round(options, servers, page, cache, database_url) for _ in range(options.rounds)
        ]
    return runs, memory_figures(peak)


def memory_figures(peak: PeakMemory) -> dict:
    return {"peak_mb": round(peak.peak_mb, 1), "workers_seen": len(peak.workers_seen)}


def summarise(mode: str, page: PageType, size: int, runs: list[dict], questions: int) -> dict:
    """Medians of the rounds, the ratios to the plain ceiling and the verdict."""
    medians = {
        role: {key: statistics.median(run[role][key] for run in runs) for key in ("rps", "p50", "p99")}
        for role in ("plain", "stack", "site")
    }
    ratio = medians["site"]["rps"] / medians["plain"]["rps"]
    rates = [run["site"]["hit_rate"] for run in runs if run["site"]["hit_rate"] is not None]
    target = target_for(mode, page.name, questions)
    met = target.met_by(ratio, medians["site"]["p99"]) if target else None
    errors = sorted({run[role]["errors"] for run in runs for role in run if run[role]["errors"]})
    return {
        "mode": mode,
        "page": page.name,
        "distribution": page.described,
        "url": page.url_path(1) if not page.is_random else page.path,
        "bytes": size,
        **medians,
        "ratio": ratio,
        "stack_ratio": medians["stack"]["rps"] / medians["plain"]["rps"],
        "lowest_hit_rate": min(rates) if rates else None,
        "target": str(target) if target else None,
        "verdict": {True: "meets", False: "MISSES", None: "—"}[met],
        "socket_errors": errors,
        "runs": runs,
    }


def print_table(size: int, results: dict) -> None:
    print(f"\n{size:,} questions")
    print(
        f"{'mode':<8}{'page':<9}{'distribution':<18}{'bytes':>8}{'page r/s':>9}{'plain r/s':>10}{'ratio':>7}"
        f"{'stack r/s':>10}{'ratio':>7}{'p50 ms':>8}{'p99 ms':>8}{'hits':>6}  {'target':<21}verdict"
    )
    for figures in results.values():
        for row in figures["rows"]:
            hits = "—" if row["lowest_hit_rate"] is None else f"{row['lowest_hit_rate']:.0%}"
            print(
                f"{row['mode']:<8}{row['page']:<9}{row['distribution']:<18}{row['bytes']:>8,}"
                f"{row['site']['rps']:9.0f}{row['plain']['rps']:10.0f}{row['ratio']:7.3f}"
                f"{row['stack']['rps']:10.0f}{row['stack_ratio']:7.2f}"
                f"{row['site']['p50']:8.1f}{row['site']['p99']:8.1f}{hits:>6}"
                f"  {row['target'] or '—':<21}{row['verdict']}"
            )
    for figures in results.values():
        for row in figures["rows"]:
            if row["socket_errors"]:
                print(f"socket errors, {row['mode']} {row['page']}: {'; '.join(row['socket_errors'])}")
    for mode, figures in results.items():
        for name, memory in figures["memory"].items():
            print(f"peak memory, {name}: {memory_line(mode, memory, size)} ({figures['workers']})")


def memory_line(mode: str, memory: dict, size: int) -> str:
    line = f"{memory['peak_mb']:.0f} MB, master and workers ({memory['workers_seen']} worker processes seen)"
    if mode == "makerun" and size >= MEMORY_TARGET_SIZE:
        verdict = "meets" if memory["peak_mb"] <= MEMORY_TARGET_MB else "MISSES"
        line += f"; target ≤ {MEMORY_TARGET_MB} MB: {verdict}"
    return line


def names(value: str, known) -> list[str]:
    """A comma-separated choice of `known`'s names, in the order given."""
    chosen = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in known]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(known)}, not {value!r}")
    return chosen


def sizes(value: str) -> list[int]:
    try:
        return [int(size.replace("_", "")) for size in value.split(",") if size.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"comma-separated numbers of questions, not {value!r}") from None


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--modes", type=lambda value: names(value, MODES), default=list(MODES),
        help=f"comma-separated, from {','.join(MODES)} (default all)",
    )  # fmt: skip
    known_pages = page_types(1, "word")
    parser.add_argument(
        "--pages", type=lambda value: names(value, known_pages), default=list(known_pages),
        help=f"comma-separated, from {','.join(known_pages)} (default all; zipf runs in makerun only)",
    )  # fmt: skip
    parser.add_argument("--questions", type=sizes, default=[10_000], help="site sizes, e.g. 10000,100000")
    parser.add_argument("--workers", type=int, default=2, help="cold and redis modes (default 2)")
    parser.add_argument("--threads", type=int, default=1, help="cold and redis modes (default 1)")
    parser.add_argument("--worker-class", default="sync", help="cold and redis modes (default sync)")
    parser.add_argument("--connections", type=int, default=16, help="wrk -c (default 16)")
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument(
        "--zipf-seconds", type=float, default=30, help="each half of a zipf round (default 30)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="plain/stack/page triples per type (default 3)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file as JSON")
    parser.add_argument(
        "--work-dir", type=Path,
        help="logs, constant pages, static files and makerun's copy of the site, emptied at the start "
        "(default <cache dir>/serve)",
    )  # fmt: skip
    sites.add_options(parser)
    return parser.parse_args()


def run_size(options, size: int, work: Path) -> dict:
    site = sites.site_for(size, options)
    how = "cached" if site.cached else "just seeded"
    print(f"{site.size:,} questions, {site.database}: import_wordpress {site.seed_seconds:.1f} s ({how})")
    # Into the run's own folder: the cache directory's sites may be shared by other benches.
    static_root = sites.collect_static(argparse.Namespace(cache_dir=work), site.database_url)
    search_word = (site.export / "search_words.txt").read_text().split()[0]
    all_pages = page_types(size, search_word)
    return {
        name: run_mode(options, MODES[name], site, static_root, work, all_pages) for name in options.modes
    }


def main() -> None:
    options = parse_options()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk (Debian/Ubuntu), brew install wrk (macOS)")
    work = options.work_dir or options.cache_dir / "serve"
    shutil.rmtree(work, ignore_errors=True)  # gunicorn appends to its logs; keep this run's only
    (work / "constant").mkdir(parents=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    started = time.monotonic()
    results = {size: run_size(options, size, work) for size in options.questions}
    half = f"{options.zipf_seconds:g} s"
    zipf = f"zipf: {half} unmeasured then {half} measured from a cold start; "
    print(
        f"\nwrk -t2 -c{options.connections} -d{options.duration:g}s, {options.rounds} rounds, medians; "
        f"{zipf if 'makerun' in options.modes else ''}"
        f"ratio: page ÷ plain Django ceiling; stack: the same constant bytes through the project's stack; "
        f"hits: the lowest share of X-Page-Cache: hit sampled after a run; {sites.machine()}; "
        f"{(time.monotonic() - started) / 60:.0f} min"
    )
    for size, figures in results.items():
        print_table(size, figures)
    if options.json:
        settings = {key: getattr(options, key) for key in ("workers", "threads", "worker_class")}
        wrk_settings = {
            key: getattr(options, key) for key in ("connections", "duration", "rounds", "zipf_seconds")
        }
        figures = {
            "cold_redis_workers": settings,
            "wrk": wrk_settings,
            "machine": sites.machine(),
            "sizes": results,
        }
        options.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
        print(f"figures written to {options.json}")


if __name__ == "__main__":
    main()
