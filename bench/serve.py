"""Requests per second of question pages under gunicorn, against a constant page of the
same size served by the same gunicorn in the same run.

Usage: .venv/bin/python bench/serve.py [--questions 10000] [--workers 2] [--threads 1]
           [--worker-class sync] [--duration 10] [--connections 16] [--rounds 3]
           [--database-url postgres://postgres@127.0.0.1:5432/h_bench] [--reseed]
Needs wrk (Debian/Ubuntu: `apt-get install wrk`; macOS: `brew install wrk`).
Seeds (or reuses) a site of --questions questions as bench/scale.py does, collects the
static files into the cache, then starts gunicorn with the site's gunicorn.conf.py on
a free 127.0.0.1 port, overriding workers, threads, worker class and max-requests (off:
recycling workers would measure their restarts), with bench/serve_settings.py: the
site plus bench-constant/, the bytes of a question page of median size. Rounds
alternate constant and question (`wrk -t2 -cC -dDs --latency`, a random question per
request, bench/random_question.lua); prints median requests/s, p50 and p99 latency for
each, their ratio (target ≥ 0.06) and the peak RSS of gunicorn's processes.
"""

import argparse
import http.client
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sites  # noqa: E402

BENCH = Path(__file__).resolve().parent
PREFIX = "/resources/"  # SITE_URL's path, pinned by sites.BENCH_ENV
RATIO_TARGET = 0.06
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> tuple[int, bytes]:
    """One request without following redirects: a question must answer 200 itself."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def start_gunicorn(options, site: sites.Site, port: int, static_root: Path, work: Path) -> subprocess.Popen:
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
        "--access-logfile", str(work / "access.log"),
        "--error-logfile", str(work / "error.log"),
    ]  # fmt: skip
    env = sites.bench_env(
        site.database_url, STATIC_ROOT=str(static_root), BENCH_CONSTANT_FILE=str(work / "page.html")
    )
    return subprocess.Popen(command, cwd=sites.PROJECT, env=env)


def wait_until_ready(server: subprocess.Popen, port: int, work: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}; see {work / 'error.log'}")
        try:
            if get(port, f"{PREFIX}health/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer {PREFIX}health/ within 60 s; see {work / 'error.log'}")


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


def write_constant_page(port: int, questions: int, work: Path) -> int:
    """Sample question pages; keep the one of median size as the constant page's bytes."""
    rng = random.Random(questions)
    pages = []
    for number in rng.sample(range(1, questions + 1), min(51, questions)):
        status, body = get(port, f"{PREFIX}faq/q-{number}/")
        if status != 200:
            sys.exit(f"{PREFIX}faq/q-{number}/ answered {status}, not 200")
        pages.append(body)
    median = sorted(pages, key=len)[len(pages) // 2]
    (work / "page.html").write_bytes(median)
    status, body = get(port, "/bench-constant/")
    if status != 200 or body != median:
        sys.exit(f"/bench-constant/ answered {status} with {len(body)} bytes, not the page")
    return len(median)


def wrk(options, url: str, seconds: int, script: bool) -> dict:
    command = ["wrk", "-t2", f"-c{options.connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    if script:
        command += ["-s", str(BENCH / "random_question.lua"), url, "--", str(options.questions)]
    else:
        command.append(url)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        sys.exit(f"some requests did not succeed:\n{output}")
    latency = {
        percent: float(value) * UNITS[unit]
        for percent, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    }
    if set(latency) != {"50", "99"}:
        sys.exit(f"unexpected output from {' '.join(command)}:\n{output}")
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency["50"],
        "p99": latency["99"],
        "errors": errors.group(1) if errors else "",
    }


def peak_rss_mb(master: int) -> dict:
    """VmHWM (peak resident memory) of gunicorn's master and of each worker, in MB."""
    peaks = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        pid = int(status.parent.name)
        if pid == master or int(fields["PPid"]) == master:
            peaks[pid] = int(fields["VmHWM"].split()[0]) / 1024
    return peaks


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", type=int, default=10_000, help="site size (default 10,000)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--connections", type=int, default=16, help="wrk -c (default 16)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="constant/question pairs (default 3)")
    sites.add_options(parser)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk (Debian/Ubuntu), brew install wrk (macOS)")
    site = sites.site_for(options.questions, options)
    how = "cached" if site.cached else "just seeded"
    print(f"{site.size} questions, {site.database}: import_wordpress {site.seed_seconds:.1f} s ({how})")
    static_root = sites.collect_static(options, site.database_url)
    work = options.cache_dir / "serve"
    work.mkdir(parents=True, exist_ok=True)
    for log in ("access.log", "error.log"):  # gunicorn appends; keep this run's only
        (work / log).unlink(missing_ok=True)
    port = free_port()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    print(f"serving on 127.0.0.1:{port} ({sites.machine()}) ...", flush=True)
    server = start_gunicorn(options, site, port, static_root, work)
    try:
        wait_until_ready(server, port, work)
        size = write_constant_page(port, options.questions, work)
        base = f"http://127.0.0.1:{port}"
        targets = {"constant": (f"{base}/bench-constant/", False), "question": (f"{base}{PREFIX}", True)}
        for url, script in targets.values():
            wrk(options, url, 3, script)  # warm up: every worker imports and compiles its templates
            settle(port)
        runs = {name: [] for name in targets}
        for _ in range(options.rounds):
            for name, (url, script) in targets.items():
                runs[name].append(wrk(options, url, options.duration, script))
                settle(port)
        peaks = peak_rss_mb(server.pid)
    finally:
        stop(server)
    print(
        f"gunicorn: {options.workers} {options.worker_class} workers × {options.threads} threads; "
        f"wrk -t2 -c{options.connections} -d{options.duration}s, {options.rounds} rounds, medians; "
        f"question pages of {size:,} bytes (median), constant page the same"
    )
    print(f"{'':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}  socket errors")
    medians = {}
    for name, results in runs.items():
        medians[name] = {key: statistics.median(run[key] for run in results) for key in ("rps", "p50", "p99")}
        errors = "; ".join(sorted({run["errors"] for run in results if run["errors"]})) or "none"
        row = medians[name]
        print(f"{name:<10}{row['rps']:9.0f}{row['p50']:9.1f}{row['p99']:9.1f}  {errors}")
    ratio = medians["question"]["rps"] / medians["constant"]["rps"]
    verdict = "meets" if ratio >= RATIO_TARGET else "misses"
    print(f"question/constant: {ratio:.3f} ({verdict} the target ≥ {RATIO_TARGET})")
    master = peaks.pop(server.pid, 0.0)
    workers = ", ".join(f"{peak:.0f}" for peak in peaks.values())
    print(
        f"peak RSS: master {master:.0f} MB, workers {workers} MB; total {master + sum(peaks.values()):.0f} MB"
    )


if __name__ == "__main__":
    main()
