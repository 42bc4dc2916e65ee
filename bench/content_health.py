"""What the content health panel (dashboard/health.py) costs to make at 1,000, 10,000
and 100,000 questions: its question counts made anew (they are kept under the site's
stamp, so this is the first view of the admin index after a change), in-process, with
the number of queries and the slowest ones.

Usage: .venv/bin/python bench/content_health.py [--sizes 1000,10000,100000] [--runs 5]
           [--database-url postgres://postgres@127.0.0.1:5432/h_bench] [--cache-dir DIR]
Sites are seeded and cached by bench/sites.py (BENCH_CACHE_DIR, BENCH_REUSE_SITES), and
migrated first, which derives the stored facts of a site seeded before them.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sites  # noqa: E402


def measure(runs: int) -> dict:
    """In a process whose environment names the site's database."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certfaq.settings")
    sys.path.insert(0, str(sites.PROJECT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dashboard import health

    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            health.question_counts(None)
            timings.append((time.perf_counter() - started) * 1000)
    slowest = sorted(((float(query["time"]) * 1000, query["sql"][:70]) for query in captured), reverse=True)
    return {"ms": statistics.median(timings), "queries": len(captured), "slowest": slowest[:3]}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated numbers of questions")
    parser.add_argument("--runs", type=int, default=5, help="times the counts are made (median)")
    sites.add_options(parser)
    options = parser.parse_args()
    rows = []
    for size in [int(size) for size in options.sizes.split(",")]:
        site = sites.site_for(size, options)
        sites.manage(site.database_url, "migrate", "--verbosity", "0")
        env = sites.bench_env(site.database_url, CACHE_URL="dummy://")
        done = subprocess.run(
            [sys.executable, __file__, "--measure", str(options.runs)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        if done.returncode != 0:
            sys.exit(f"measuring {size} questions failed ({done.returncode})")
        rows.append((size, json.loads(done.stdout.strip().splitlines()[-1])))
    print(f"\ncontent health counts, {site.database}, median of {options.runs} ({sites.machine()})\n")
    print("| questions | ms | queries | slowest queries |")
    print("|---|---|---|---|")
    for size, figures in rows:
        slowest = "; ".join(f"{ms:.0f} ms {sql}" for ms, sql in figures["slowest"])
        print(f"| {size:,} | {figures['ms']:.0f} | {figures['queries']} | {slowest} |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        main()
