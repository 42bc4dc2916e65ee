"""Requests per second of the site's page types under gunicorn, each against a constant
page of the same size served by the same gunicorn in the same run, with the page cache
off (cold), on with the local-memory cache, and on with Redis (issue 10).

Usage: .venv/bin/python bench/serve.py [--modes cold,locmem,redis]
           [--pages question,home,archive,category,wp-json,sitemap] [--questions 10000]
           [--workers 2] [--threads 1] [--worker-class sync] [--duration 10]
           [--connections 16] [--rounds 3] [--json FILE]
           [--database-url postgres://postgres@127.0.0.1:5432/h_bench] [--reseed]
Needs wrk (Debian/Ubuntu: `apt-get install wrk`; macOS: `brew install wrk`), and Redis
at 127.0.0.1:6379 for the redis mode (its database 9 is emptied; no other is touched).

Seeds (or reuses) a site of --questions questions as bench/scale.py does and collects
the static files into the cache. Then, for each mode, starts gunicorn once with the
site's gunicorn.conf.py on a free 127.0.0.1 port, overriding workers, threads, worker
class and max-requests (off: recycling workers would measure their restarts), with
bench/serve_settings.py: the site plus bench-constant/<page>/, the bytes and
Content-Type of a page of each type (the median size of sampled pages for the random
types). The modes: cold (PAGE_CACHE=off; fragments kept in Redis, filled first by
asking for every URL of each type once, so every page is made anew from kept parts),
locmem (the page
cache in local memory, CACHE_MAX_ENTRIES=50000, the workers' invalidation stamp in
PAGE_CACHE_STAMP_FILE) and redis (CACHE_URL=redis://127.0.0.1:6379/9). Constant pages,
the stamp and gunicorn's logs go to <cache dir>/serve/, emptied at the start. The page
types: question (a random one of the site's, bench/random_page.lua), home, archive,
category (a random one of exam-1 … exam-30), wp-json (per_page=10) and the sitemap
(faq-sitemap.xml).

A warm mode measures only once every URL of a type is cached in every worker: wrk
passes run until all of 400 random URLs answer X-Page-Cache: hit (or 10 minutes have
passed; the rate reached is printed). Rounds alternate constant and page for each type
(`wrk -t2 -cC -dDs --latency`); after each page run, 50 random URLs are sampled for
X-Page-Cache. Prints one table of medians (page and constant requests/s, their ratio,
p50 and p99 of the page, the lowest hit rate sampled) with the issue's targets and a
verdict, and the peak RSS of gunicorn's processes in each mode; --json writes every
figure, each round's included. The targets: the question page warm ≥ 0.70× the
constant's requests/s with locmem and ≥ 0.50× with Redis, p99 ≤ 15 ms; cold ≥ 0.15×;
every other type warm ≥ 0.60× (no target cold). A default run takes 25 minutes or more.
"""

import argparse
import http.client
import json
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sites  # noqa: E402

BENCH = Path(__file__).resolve().parent
PREFIX = "/resources/"  # SITE_URL's path, pinned by sites.BENCH_ENV
REDIS_URL = "redis://127.0.0.1:6379/9"  # the bench's own database: FLUSHDB empties it
CATEGORIES = 30  # the export's categories, exam-1 … exam-30
CACHE_MAX_ENTRIES = 50_000  # 10,000 questions and the lists, per worker
# Every probe a hit: at 98%, the misses left (a page made anew costs ten hits) raised
# the question page's p99 (local memory 20.4 ms, then 16.9 ms; Redis 24.1, then 17.1).
WARM_HIT_RATE = 1.0
WARM_PROBES = 400
WARM_PASS_SECONDS = 10
WARM_LIMIT_SECONDS = 600  # 2 × 10,000 misses at a cold page's pace, and the hits between
RUN_PROBES = 50
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class PageType:
    """Pages of one kind: `path` below PREFIX, where %d stands for a number from 1 to
    `count` (the export's numbered slugs); a path without %d is one fixed page."""

    name: str
    path: str
    count: int = 1

    @property
    def is_random(self) -> bool:
        return "%d" in self.path

    def url_path(self, number: int) -> str:
        return PREFIX + (self.path % number if self.is_random else self.path)

    def sample(self, rng: random.Random, size: int) -> list[str]:
        """Up to `size` different URL paths of the type."""
        numbers = rng.sample(range(1, self.count + 1), min(size, self.count))
        return [self.url_path(number) for number in numbers]

    def wrk_target(self, base: str) -> list[str]:
        """wrk's last arguments: the URL, and the script that picks a random page."""
        if not self.is_random:
            return [base + self.url_path(1)]
        return ["-s", str(BENCH / "random_page.lua"), base + PREFIX, "--", self.path, str(self.count)]


def page_types(questions: int) -> dict[str, PageType]:
    return {
        page.name: page
        for page in (
            PageType("question", "faq/q-%d/", questions),
            PageType("home", ""),
            PageType("archive", "faq/"),
            PageType("category", "faq-categories/exam-%d/", CATEGORIES),
            PageType("wp-json", "wp-json/wp/v2/faq?per_page=10"),
            PageType("sitemap", "faq-sitemap.xml"),
        )
    }


@dataclass(frozen=True)
class Target:
    """The issue's bar for a page: a share of the constant page's requests/s, and for
    the warm question page a p99 latency."""

    ratio: float
    p99_ms: float | None = None

    def met_by(self, ratio: float, p99_ms: float) -> bool:
        return ratio >= self.ratio and (self.p99_ms is None or p99_ms <= self.p99_ms)

    def __str__(self) -> str:
        p99 = f", p99 ≤ {self.p99_ms:.0f} ms" if self.p99_ms else ""
        return f"≥ {self.ratio:.2f}×{p99}"


@dataclass(frozen=True)
class Mode:
    """One gunicorn start: the environment that selects the caches, and the targets."""

    name: str
    env: dict
    warm: bool
    question_target: Target
    # Fill the fragment cache first: every URL of each type asked once (the cache is
    # Redis, shared by the workers), so pages miss but their parts are kept.
    fill_fragments: bool = False

    def target(self, page: str) -> Target | None:
        if page == "question":
            return self.question_target
        return Target(0.60) if self.warm else None  # the cold mode's target is the question page's only


MODES = {
    mode.name: mode
    for mode in (
        Mode("cold", {"PAGE_CACHE": "off", "CACHE_URL": REDIS_URL}, False, Target(0.15), fill_fragments=True),
        Mode("locmem", {"CACHE_URL": "locmem://"}, True, Target(0.70, 15)),
        Mode("redis", {"CACHE_URL": REDIS_URL}, True, Target(0.50, 15)),
    )
}


class Answer(NamedTuple):
    status: int
    body: bytes
    content_type: str
    page_cache: str | None  # X-Page-Cache: hit, miss or bypass; None without a page cache


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> Answer:
    """One request without following redirects: a page must answer 200 itself."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        return Answer(
            response.status, body, response.getheader("Content-Type", ""), response.getheader("X-Page-Cache")
        )
    finally:
        connection.close()


def start_gunicorn(options, mode: Mode, site: sites.Site, port: int, static_root: Path, work: Path):
    command = [
        sys.executable, "-m", "gunicorn", "certfaq.wsgi",
        "--config", str(sites.PROJECT / "gunicorn.conf.py"),
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(options.workers),
        "--threads", str(options.threads),
        "--worker-class", options.worker_class,
        "--max-requests", "0",
        "--pythonpath", f"{sites.PROJECT},{BENCH}",
        "--env", "DJANGO_SETTINGS_MODULE=serve_settings",
        "--access-logfile", str(work / f"access-{mode.name}.log"),
        "--error-logfile", str(work / f"error-{mode.name}.log"),
    ]  # fmt: skip
    env = sites.bench_env(
        site.database_url,
        STATIC_ROOT=str(static_root),
        BENCH_CONSTANT_DIR=str(work / "constant"),
        PAGE_CACHE_STAMP_FILE=str(work / "page-cache-stamp"),
        CACHE_MAX_ENTRIES=str(CACHE_MAX_ENTRIES),
    )
    env.pop("PAGE_CACHE", None)  # on unless the mode turns it off, whatever the shell says
    env.update(mode.env)
    return subprocess.Popen(command, cwd=sites.PROJECT, env=env)


def wait_until_ready(server: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}; see {log}")
        try:
            if get(port, f"{PREFIX}health/").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer {PREFIX}health/ within 60 s; see {log}")


def settle(port: int) -> None:
    """Wait until requests queued by the last wrk run are served: wrk stops sending, but
    gunicorn still works through its backlog, which would slow the next run."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        started = time.perf_counter()
        get(port, f"{PREFIX}health/")
        if time.perf_counter() - started < 0.05:
            return
    sys.exit("gunicorn still busy 120 s after a wrk run")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def empty_redis_database() -> None:
    """FLUSHDB on the bench's database only, so the redis mode starts from an empty cache."""
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.ConnectionError as error:
        sys.exit(f"the redis mode needs Redis at {REDIS_URL}: {error}")


def write_constant_page(port: int, page: PageType, folder: Path) -> Answer:
    """Sample the type's pages; keep the one of median size (with its Content-Type) as
    the bytes of /bench-constant/<page>/, and check that it serves them."""
    answers = []
    for path in page.sample(random.Random(page.count), 51):
        answer = get(port, path)
        if answer.status != 200:
            sys.exit(f"{path} answered {answer.status}, not 200")
        answers.append(answer)
    median = sorted(answers, key=lambda answer: len(answer.body))[len(answers) // 2]
    (folder / f"{page.name}.body").write_bytes(median.body)
    (folder / f"{page.name}.content-type").write_text(median.content_type)
    path = constant_path(page)
    constant = get(port, path)
    if (constant.status, constant.body, constant.content_type) != (200, median.body, median.content_type):
        sys.exit(f"{path} answered {constant.status} with {len(constant.body)} bytes, not the page")
    if constant.page_cache == "hit":
        print(f"  warning: the page cache serves {path}: its ceiling is a cache hit's")
    return median


def constant_path(page: PageType) -> str:
    return f"/bench-constant/{page.name}/"


def hit_rate(port: int, page: PageType, probes: int) -> float | None:
    """The share of `probes` random URLs of the type that answer X-Page-Cache: hit;
    None when responses carry no X-Page-Cache (a site without a page cache)."""
    rng = random.Random()
    hits = 0
    for _ in range(probes):
        answer = get(port, page.url_path(rng.randint(1, page.count)))
        if answer.page_cache is None:
            return None
        hits += answer.page_cache == "hit"
    return hits / probes


def fill_page_cache(options, port: int, page: PageType) -> float | None:
    """Run wrk passes over the type's URLs until nearly every one is cached in every
    worker, or the time limit passes; the hit rate reached (None: no page cache)."""
    started = time.monotonic()
    while True:
        rate = hit_rate(port, page, WARM_PROBES)
        if rate is None:
            print(f"  warning: {page.name} answers without X-Page-Cache (no page cache?); measuring anyway")
            return None
        elapsed = time.monotonic() - started
        if rate >= WARM_HIT_RATE:
            print(f"  {page.name}: {rate:.0%} hits after {elapsed:.0f} s of warm-up", flush=True)
            return rate
        if elapsed > WARM_LIMIT_SECONDS:
            print(f"  warning: {page.name} reached only {rate:.0%} hits in {elapsed:.0f} s of warm-up")
            return rate
        wrk(options, page.wrk_target(f"http://127.0.0.1:{port}"), WARM_PASS_SECONDS)
        settle(port)


def fill_fragment_cache(port: int, page: PageType) -> None:
    """Ask for every URL of the type once, eight at a time."""
    started = time.monotonic()
    paths = [page.url_path(number) for number in range(1, page.count + 1)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = set(pool.map(lambda path: get(port, path).status, paths))
    if statuses != {200}:
        sys.exit(f"filling the fragments of {page.name}: answers {sorted(statuses)}, not only 200")
    print(f"  {page.name}: {len(paths):,} pages made once in {time.monotonic() - started:.0f} s", flush=True)


def wrk(options, target: list[str], seconds: int) -> dict:
    command = ["wrk", "-t2", f"-c{options.connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    output = subprocess.run(command + target, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        sys.exit(f"some requests did not succeed:\n{output}")
    latency = {
        percent: float(value) * UNITS[unit]
        for percent, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    }
    if set(latency) != {"50", "99"}:
        sys.exit(f"unexpected output from {' '.join(command + target)}:\n{output}")
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency["50"],
        "p99": latency["99"],
        "errors": errors.group(1) if errors else "",
    }


def peak_rss_mb(master: int) -> dict:
    """VmHWM (peak resident memory) of gunicorn's master and of its workers, in MB."""
    peaks = {"master": 0.0, "workers": []}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if int(status.parent.name) == master:
            peaks["master"] = int(fields["VmHWM"].split()[0]) / 1024
        elif int(fields["PPid"]) == master:
            peaks["workers"].append(int(fields["VmHWM"].split()[0]) / 1024)
    return peaks


def measure_rounds(options, port: int, pages: dict[str, PageType]) -> dict:
    """Each round runs every type's constant page, then its page; after a page run,
    a sample of its URLs tells how many the page cache answered."""
    base = f"http://127.0.0.1:{port}"
    runs = {name: {"constant": [], "page": []} for name in pages}
    for _ in range(options.rounds):
        for name, page in pages.items():
            runs[name]["constant"].append(wrk(options, [base + constant_path(page)], options.duration))
            settle(port)
            result = wrk(options, page.wrk_target(base), options.duration)
            settle(port)
            runs[name]["page"].append({**result, "hit_rate": hit_rate(port, page, RUN_PROBES)})
    return runs


def warm_up_workers(options, port: int, pages: dict[str, PageType]) -> None:
    """A short wrk run of every constant page and page: each worker imports its code
    and compiles its templates before anything is measured."""
    base = f"http://127.0.0.1:{port}"
    for page in pages.values():
        for target in ([base + constant_path(page)], page.wrk_target(base)):
            wrk(options, target, 3)
            settle(port)


def measure_mode(options, mode: Mode, pages: dict[str, PageType], site, static_root, work: Path) -> dict:
    """Start gunicorn for the mode, write the constant pages, warm up, measure the rounds."""
    if mode.env["CACHE_URL"] == REDIS_URL:
        empty_redis_database()
    port = free_port()
    print(f"{mode.name}: serving on 127.0.0.1:{port} ({sites.machine()}) ...", flush=True)
    server = start_gunicorn(options, mode, site, port, static_root, work)
    try:
        wait_until_ready(server, port, work / f"error-{mode.name}.log")
        samples = {name: write_constant_page(port, page, work / "constant") for name, page in pages.items()}
        warm_up_workers(options, port, pages)
        if mode.fill_fragments:
            for page in pages.values():
                fill_fragment_cache(port, page)
        warm_hit_rates = {}
        if mode.warm:
            warm_hit_rates = {name: fill_page_cache(options, port, page) for name, page in pages.items()}
        runs = measure_rounds(options, port, pages)
        peaks = peak_rss_mb(server.pid)
    finally:
        stop(server)
    return {
        "peak_rss_mb": peaks,
        "pages": {
            name: summarise(mode, name, samples[name], warm_hit_rates.get(name), runs[name]) for name in pages
        },
    }


def summarise(mode: Mode, name: str, sample: Answer, warm_hit_rate: float | None, runs: dict) -> dict:
    """Medians of the rounds, the ratio to the constant page and the verdict."""
    medians = {
        kind: {key: statistics.median(run[key] for run in results) for key in ("rps", "p50", "p99")}
        for kind, results in runs.items()
    }
    ratio = medians["page"]["rps"] / medians["constant"]["rps"]
    rates = [run["hit_rate"] for run in runs["page"] if run["hit_rate"] is not None]
    target = mode.target(name)
    met = target.met_by(ratio, medians["page"]["p99"]) if target else None
    return {
        "bytes": len(sample.body),
        "content_type": sample.content_type,
        "page": medians["page"],
        "constant": medians["constant"],
        "ratio": ratio,
        "warm_hit_rate": warm_hit_rate,
        "lowest_hit_rate": min(rates) if rates else None,
        "target": str(target) if target else None,
        "verdict": {True: "meets", False: "misses", None: "—"}[met],
        "socket_errors": sorted({run["errors"] for kind in runs.values() for run in kind if run["errors"]}),
        "runs": runs,
    }


def print_table(results: dict) -> None:
    print(
        f"{'mode':<7}{'page':<10}{'bytes':>8}{'page r/s':>10}{'const r/s':>10}{'ratio':>7}"
        f"{'p50 ms':>8}{'p99 ms':>8}{'hits':>6}  {'target':<22}verdict"
    )
    for mode, figures in results.items():
        for name, row in figures["pages"].items():
            hits = "—" if row["lowest_hit_rate"] is None else f"{row['lowest_hit_rate']:.0%}"
            print(
                f"{mode:<7}{name:<10}{row['bytes']:>8,}{row['page']['rps']:10.0f}{row['constant']['rps']:10.0f}"
                f"{row['ratio']:7.2f}{row['page']['p50']:8.1f}{row['page']['p99']:8.1f}{hits:>6}"
                f"  {row['target'] or '—':<22}{row['verdict']}"
            )
    for mode, figures in results.items():
        for name, row in figures["pages"].items():
            if row["socket_errors"]:
                print(f"socket errors, {mode} {name}: {'; '.join(row['socket_errors'])}")
    for mode, figures in results.items():
        peaks = figures["peak_rss_mb"]
        workers = ", ".join(f"{peak:.0f}" for peak in peaks["workers"])
        total = peaks["master"] + sum(peaks["workers"])
        print(
            f"peak RSS, {mode}: master {peaks['master']:.0f} MB, workers {workers} MB; total {total:.0f} MB"
        )


def names(value: str, known: dict) -> list[str]:
    """A comma-separated choice of `known`'s names, in the order given."""
    chosen = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in known]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(known)}, not {value!r}")
    return chosen


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--modes", type=lambda value: names(value, MODES), default=list(MODES),
        help=f"comma-separated, from {','.join(MODES)} (default all)",
    )  # fmt: skip
    known_pages = page_types(1)
    parser.add_argument(
        "--pages", type=lambda value: names(value, known_pages), default=list(known_pages),
        help=f"comma-separated, from {','.join(known_pages)} (default all)",
    )  # fmt: skip
    parser.add_argument("--questions", type=int, default=10_000, help="site size (default 10,000)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--connections", type=int, default=16, help="wrk -c (default 16)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="constant/page pairs per type (default 3)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file as JSON")
    sites.add_options(parser)
    return parser.parse_args()


def main() -> None:
    options = parse_options()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk (Debian/Ubuntu), brew install wrk (macOS)")
    site = sites.site_for(options.questions, options)
    how = "cached" if site.cached else "just seeded"
    print(f"{site.size} questions, {site.database}: import_wordpress {site.seed_seconds:.1f} s ({how})")
    static_root = sites.collect_static(options, site.database_url)
    work = options.cache_dir / "serve"
    shutil.rmtree(work, ignore_errors=True)  # gunicorn appends to its logs; keep this run's only
    (work / "constant").mkdir(parents=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    all_pages = page_types(options.questions)
    pages = {name: all_pages[name] for name in options.pages}
    results = {
        name: measure_mode(options, MODES[name], pages, site, static_root, work) for name in options.modes
    }
    print(
        f"gunicorn: {options.workers} {options.worker_class} workers × {options.threads} threads; "
        f"wrk -t2 -c{options.connections} -d{options.duration}s, {options.rounds} rounds, medians; "
        f"constant pages of each page's size (the median of sampled pages for question and category); "
        f"hits: the lowest share of X-Page-Cache: hit sampled after a run"
    )
    print_table(results)
    if options.json:
        settings = {key: getattr(options, key) for key in ("questions", "workers", "threads", "worker_class")}
        wrk_settings = {key: getattr(options, key) for key in ("connections", "duration", "rounds")}
        figures = {"site": settings, "wrk": wrk_settings, "machine": sites.machine(), "modes": results}
        options.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
        print(f"figures written to {options.json}")


if __name__ == "__main__":
    main()
