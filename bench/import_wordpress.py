"""How fast `manage.py import_wordpress` imports a large WordPress export.

Usage: .venv/bin/python bench/import_wordpress.py [N] [DATABASE_URL] [--export DIR]
Makes N faq items (default 10,000) shaped like the reference response, in files of
500 (or, with --export, takes a ready export such as `wp_export_gen.py N DIR`
writes: realistic answers, terms and tags), imports them into a fresh database (a
throwaway SQLite file unless a DATABASE_URL is given: it must point at an empty,
migratable database), then imports them again (nothing changes). Prints items per
second and peak memory.
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
PARAGRAPH = (
    "Most certification bodies allow several attempts, typically with a waiting period "
    "between them. Review your score report, focus on weak content areas and practise "
    "with timed mock exams before you book the next sitting. "
)


def make_items(count: int, folder: Path) -> None:
    for start in range(0, count, 500):
        items = []
        for item_id in range(1000 + start, 1000 + min(start + 500, count)):
            link = f"https://certilyst.com/resources/faq/question-{item_id - 1}/"
            body = f'<p>{PARAGRAPH * 3}See <a href="{link}">the previous question</a>.</p>\n\n' * 4
            items.append(
                {
                    "id": item_id,
                    "date": "2025-10-01T08:00:00",
                    "date_gmt": "2025-10-01T08:00:00",
                    "guid": {"rendered": f"https://certilyst.com/resources/?post_type=faq&#038;p={item_id}"},
                    "modified": "2025-10-02T08:00:00",
                    "modified_gmt": "2025-10-02T08:00:00",
                    "slug": f"question-{item_id}",
                    "status": "publish",
                    "type": "faq",
                    "link": f"https://certilyst.com/resources/faq/question-{item_id}/",
                    "title": {"rendered": f"What happens in case number {item_id}?"},
                    "content": {"rendered": body, "protected": False},
                    "template": "",
                    "faq-categories": [1 + item_id % 20],
                    "class_list": [f"post-{item_id}", "faq", f"faq-categories-exam-{1 + item_id % 20}"],
                }
            )
        (folder / f"faq-{start // 500:04d}.json").write_text(json.dumps(items))


def timed_import(folder: Path, env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", "import_wordpress", str(folder)],
        cwd=PROJECT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return time.perf_counter() - started, result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=10_000)
    parser.add_argument("database_url", nargs="?")
    parser.add_argument("--export", type=Path, help="import this export folder instead of made items")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="certfaq-import-bench-"))
    database_url = options.database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench-" + "x" * 50}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=PROJECT, env=env, check=True)
    folder = options.export or work / "export"
    if options.export is None:
        folder.mkdir()
        make_items(options.count, folder)
    count = _item_count(folder)
    size_mb = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
    first, summary = timed_import(folder, env)
    second, again = timed_import(folder, env)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    database = database_url.split(":", 1)[0]
    print(f"{count} items, {size_mb:.1f} MB of JSON, database: {database}")
    analysed = re.search(r"content analysis: (\d+) question\(s\) rated in ([\d.]+) s", summary)
    rating = float(analysed.group(2)) if analysed else 0.0
    summary = summary.splitlines()[0]
    print(f"first import : {first:6.1f} s  {count / first:8.0f} items/s   ({summary})")
    if analysed:
        # The content analysis pass after the import (analysis.stored.analyse_missing),
        # in worker processes: the import itself, pages served, is the time before it.
        print(f"  of which the content analysis of {analysed.group(1)} questions: {rating:.1f} s;")
        print(f"  the import before it: {first - rating:.1f} s")
    print(f"re-import    : {second:6.1f} s  {count / second:8.0f} items/s   ({again})")
    print(f"peak memory of the import process: {peak_mb:.0f} MB")


def _item_count(folder: Path) -> int:
    """How many faq items the export holds (terms and redirects aside)."""
    return sum(
        1
        for path in folder.glob("*.json")
        for item in json.loads(path.read_text())
        if isinstance(item, dict) and item.get("type") == "faq"
    )


if __name__ == "__main__":
    main()
