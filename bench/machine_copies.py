"""What the machine-readable copies cost (issue 22): llms.txt, a file of the full list
(the first and the last) and a question's Markdown copy, made anew on every request
(page cache and fragments off: a miss, the worst case), in-process (django.test.Client)
on the seeded sites of bench/sites.py.

Usage: .venv/bin/python bench/machine_copies.py [--sizes 1000,10000] [--runs 15] [--reseed]
           [--database-url postgres://postgres@127.0.0.1:5432/h_bench]
Prints, per size and address, the p50 time in ms, the queries of one request and the
size of the answer. The queries must not grow with the site.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sites  # noqa: E402

WARM_UP = 2


def paths(size: int) -> list[str]:
    from machine_copies import llms  # after django.setup()

    last = -(-size // llms.QUESTIONS_PER_FILE)
    return [
        "/resources/llms.txt",
        "/resources/llms/1.txt",
        f"/resources/llms/{last}.txt",
        f"/resources/faq/q-{size // 2}.md",
    ]


def measure(size: int, runs: int) -> None:
    """In the seeded site's own process: one JSON line per address."""
    sys.path.insert(0, str(sites.PROJECT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for path in paths(size):
        for _ in range(WARM_UP):
            client.get(path)
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                sys.exit(f"{path} answered {response.status_code}")
        row = {"path": path, "p50": statistics.median(times), "queries": len(queries.captured_queries)}
        print(json.dumps({**row, "bytes": len(response.content)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sites.add_measuring_options(parser)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # the child process
    options = parser.parse_args()
    if options.measure:
        measure(options.measure, options.runs)
        return
    print(f"machine: {sites.machine()}")
    for size in [int(size) for size in options.sizes.split(",")]:
        site = sites.site_for(size, options)
        env = sites.bench_env(
            site.database_url, PAGE_CACHE="false", PAGE_FRAGMENTS="false", ALLOWED_HOSTS="testserver"
        )
        env.setdefault("DJANGO_SETTINGS_MODULE", "certfaq.settings")
        command = [sys.executable, __file__, "--measure", str(size), "--runs", str(options.runs)]
        result = subprocess.run(command, env=env, cwd=sites.PROJECT, stdout=subprocess.PIPE, text=True)
        if result.returncode != 0:
            sys.exit(result.returncode)
        for line in result.stdout.splitlines():
            row = json.loads(line)
            print(f"{site.database} {sites.size_label(size):>5} {row['path']:<28} p50 {row['p50']:6.1f} ms"
                  f"  {row['queries']} queries  {row['bytes']:,} bytes")  # fmt: skip


if __name__ == "__main__":
    os.chdir(sites.PROJECT)
    main()
