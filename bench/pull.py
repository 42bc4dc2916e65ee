"""How long `manage.py import_wordpress https://…` takes to pull a live site of 5,000 and
of 100,000 questions: a stand-in WordPress (tests/wordpress/standin.py) on loopback
serving a generated export, pulled into a fresh database, then pulled again (nothing
changes).

Usage: .venv/bin/python bench/pull.py [--sizes 5000,100000] [--cache-dir DIR]
       [--exports DIR] [--generator PATH] [--database-url URL]

The exports are bench/sites.py's (../shared/tools/wp_export_gen.py: realistic answers,
30 categories, 200 tags; 25 authors, embedded as ?_embed embeds them), cached in
bench/.cache/exports/. The stand-in serves them from this process; the pull runs as
manage.py in another, as against a real site. Per size: the fetch (pages and items a
second), the import of what was fetched, the whole pull, the second pull, and the pull
process's peak memory. The database is a throwaway SQLite file per size, unless
--database-url names an empty, migratable one (used for the first size only).
"""

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "bench"))
sys.path.insert(0, str(PROJECT))

import sites  # noqa: E402

from tests.wordpress.standin import StandInWordPress  # noqa: E402


def load_export(export: Path) -> tuple[list[dict], list[dict]]:
    """The export's questions and terms, as the stand-in keeps them."""
    terms = json.loads((export / "a-terms.json").read_text())
    questions = [item for path in sorted(export.glob("faq-*.json")) for item in json.loads(path.read_text())]
    return questions, terms


def timed_pull(url: str, spool: Path, env: dict) -> tuple[float, str]:
    began = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", "import_wordpress", url, "--spool", str(spool)],
        cwd=PROJECT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode != 0:
        sys.exit(f"the pull failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return time.perf_counter() - began, result.stdout


def figure(pattern: str, text: str) -> float:
    found = re.search(pattern, text)
    return float(found.group(1)) if found else 0.0


def bench_size(size: int, options: argparse.Namespace, database_url: str | None, work: Path) -> None:
    export = sites.export_for(size, options)
    questions, terms = load_export(export)
    database_url = database_url or f"sqlite:///{work / f'pull-{size}.sqlite3'}"
    env = sites.bench_env(database_url)
    sites.manage(database_url, "migrate", "-v0")
    with StandInWordPress(questions, terms) as standin:
        first, said = timed_pull(standin.url, work / f"spool-{size}", env)
        pages = len(standin.requests_to("wp/v2/faq"))
        second, said_again = timed_pull(standin.url, work / f"spool-{size}", env)
    fetch = figure(r"questions in ([\d.]+) s", said)
    analysis = figure(r"rated in ([\d.]+) s", said)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{size:,} questions ({sites.machine()}), database: {database_url.split(':', 1)[0]}")
    print(f"  fetch        : {fetch:7.1f} s  {len(questions) / fetch:7.0f} items/s, {pages} pages of 100")
    print(f"  import       : {first - fetch:7.1f} s  (with start-up; the content analysis: {analysis:.1f} s)")
    print(f"  whole pull   : {first:7.1f} s  ({_summary(said)})")
    print(f"  second pull  : {second:7.1f} s  ({_summary(said_again)})")
    print(f"  peak memory of a manage.py process so far: {peak_mb:.0f} MB", flush=True)


def _summary(output: str) -> str:
    return next((line for line in output.splitlines() if line.startswith("questions:")), output.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,100000", help="comma-separated numbers of questions")
    parser.add_argument("--database-url", help="an empty, migratable database (default: throwaway SQLite)")
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(os.environ.get("BENCH_CACHE_DIR", sites.DEFAULT_CACHE))
    )
    parser.add_argument(
        "--generator", type=Path, default=Path(os.environ.get("WP_EXPORT_GEN", sites.DEFAULT_GENERATOR))
    )
    parser.add_argument("--exports", type=Path, default=os.environ.get("BENCH_EXPORTS"))
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="certfaq-pull-bench-"))
    for n, size in enumerate(int(s) for s in options.sizes.split(",")):
        bench_size(size, options, options.database_url if n == 0 else None, work)


if __name__ == "__main__":
    main()
