"""Memory and time of `manage.py import_wordpress export.xml` for large WXR files.

Usage: .venv/bin/python bench/import_wxr.py [N ...]          (default: 10000 100000)

For each N: writes WordPress's export of N questions with bench/wxr_gen.py (kept as
bench/.cache/wxr-N.xml), then in separate processes: reads it through the WXR reader
alone (its check and its items, nothing written: what streaming costs), imports it
into a fresh SQLite database, and imports it again (nothing changes). Prints each
one's time and peak resident memory (os.wait4's ru_maxrss: the largest process of the
run, the import itself; the content analysis's workers after it are smaller).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CACHE = PROJECT / "bench" / ".cache"
READ_ONLY = """
import django, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certfaq.settings")
django.setup()
from wordpress.sources import read_sources
items, problems = read_sources([sys.argv[1]])
assert not problems, problems
print(sum(1 for item in items), "items read")
"""


def measured(command: list[str], env: dict) -> tuple[float, float, str]:
    """Seconds, peak MB and standard output of one process (and what it waits for)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)  # this process's own peak, not the bench's
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{err.read().decode()[-2000:]}")
        return seconds, usage.ru_maxrss / 1024, out.read().decode().strip()


def export_file(count: int) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"wxr-{count}.xml"
    if not path.exists():
        partial = path.with_suffix(".partial")
        subprocess.run(
            [sys.executable, "bench/wxr_gen.py", str(count), str(partial)], cwd=PROJECT, check=True
        )
        partial.rename(path)
    return path


def bench(count: int) -> None:
    export = export_file(count)
    work = Path(tempfile.mkdtemp(prefix="certfaq-wxr-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
        "SECRET_KEY": "bench-" + "x" * 50,
        "LOG_LEVEL": "ERROR",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=PROJECT, env=env, check=True)
    read = measured([sys.executable, "-c", READ_ONLY, str(export)], env)
    first = measured([sys.executable, "manage.py", "import_wordpress", str(export)], env)
    again = measured([sys.executable, "manage.py", "import_wordpress", str(export)], env)
    print(f"{count} faq items, {export.stat().st_size / 1e6:.0f} MB of WXR")
    print(f"  reader alone : {read[0]:7.1f} s  peak {read[1]:6.0f} MB   ({read[2]})")
    print(
        f"  first import : {first[0]:7.1f} s  peak {first[1]:6.0f} MB   ({' / '.join(first[2].splitlines())})"
    )
    print(f"  re-import    : {again[0]:7.1f} s  peak {again[1]:6.0f} MB   ({again[2].splitlines()[0]})")


def main() -> None:
    for count in [int(arg) for arg in sys.argv[1:]] or [10_000, 100_000]:
        bench(count)


if __name__ == "__main__":
    main()
