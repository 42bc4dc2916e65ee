"""Seeded sites for the benchmarks: a generated WordPress export of N questions,
imported with `manage.py import_wordpress`, cached per size and per version of faqs/.

Shared by bench/scale.py, bench/search.py and bench/serve.py (not a script). The
benches touch the site only through its public interface: `migrate`,
`import_wordpress`, DATABASE_URL and public URLs, so they keep working while the
internals change.

Exports come from ../shared/tools/wp_export_gen.py (deterministic: slugs and ids
q-1 … q-N, categories exam-1 … exam-30, tags tag-0 … tag-199), written once into the
cache directory. A seeded database is reused while `git rev-parse HEAD:faqs` (the tree
of faqs/, migrations included) is unchanged; commit a change, or pass --reseed, to
seed again. SQLite: one file per size in the cache directory. PostgreSQL: one database
per size, named after --database-url's (which must start with h_bench): h_bench_1k,
h_bench_10k, ...; the seed's version is kept in the database's comment.
BENCH_REUSE_SITES=1 takes the newest finished SQLite site of a size instead, migrated.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = PROJECT / "bench" / ".cache"
DEFAULT_GENERATOR = PROJECT.parent / "shared" / "tools" / "wp_export_gen.py"
DATABASE_PREFIX = "h_bench"
BENCH_ENV = {
    "SECRET_KEY": "bench-not-secret-" + "x" * 40,
    "DEBUG": "false",
    "LOG_LEVEL": "ERROR",
    # The default address, whatever the shell says: benches request its path, /resources/.
    "SITE_URL": "http://127.0.0.1:8000/resources/",
}


@dataclass
class Site:
    size: int
    database_url: str
    export: Path
    seed_seconds: float
    cached: bool

    @property
    def database(self) -> str:
        return "postgresql" if self.database_url.startswith("postgres") else "sqlite"


def add_options(parser: argparse.ArgumentParser) -> None:
    """The options every bench that needs a seeded site takes."""
    parser.add_argument(
        "--database-url",
        help="postgres://user@host:port/h_bench… (makes one database per size beside it); default SQLite",
    )
    parser.add_argument("--reseed", action="store_true", help="seed again even when the cached site matches")
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(os.environ.get("BENCH_CACHE_DIR", DEFAULT_CACHE)),
        help="exports, SQLite sites and static files (default bench/.cache, or BENCH_CACHE_DIR)",
    )  # fmt: skip
    parser.add_argument(
        "--generator", type=Path, default=Path(os.environ.get("WP_EXPORT_GEN", DEFAULT_GENERATOR)),
        help="wp_export_gen.py (default ../shared/tools/wp_export_gen.py, or WP_EXPORT_GEN)",
    )  # fmt: skip
    parser.add_argument(
        "--exports", type=Path, default=os.environ.get("BENCH_EXPORTS"),
        help="a folder holding finished exports as <N>/ (e.g. /tmp/exports), read before generating",
    )  # fmt: skip


def add_measuring_options(parser: argparse.ArgumentParser) -> None:
    """The options of a bench that times pages in-process at several sizes
    (bench/scale.py, bench/search.py), then those of add_options()."""
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated numbers of questions")
    parser.add_argument("--runs", type=int, default=30, help="measured requests per page (default 30)")
    parser.add_argument("--budget", type=float, default=15.0, help="seconds per page after which 5+ runs do")
    add_options(parser)


def machine() -> str:
    """Cores and load: figures taken beside other work are not comparable."""
    return f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"


def size_label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def bench_env(database_url: str, **extra: str) -> dict:
    """The environment of a manage.py or gunicorn run on a seeded site."""
    return {**os.environ, **BENCH_ENV, "DATABASE_URL": database_url, **extra}


def code_version() -> str:
    """The git tree of faqs/ at HEAD: a seeded site belongs to one version of the code."""
    result = subprocess.run(
        ["git", "-C", str(PROJECT), "rev-parse", "HEAD:faqs"], capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"cannot read the version of faqs/ from git: {result.stderr.strip()}")
    return result.stdout.strip()[:12]


def manage(database_url: str, *args: str) -> str:
    """Run manage.py on the site; its output, or exit with its errors."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT, env=bench_env(database_url), capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout.strip()


def export_for(size: int, options: argparse.Namespace) -> Path:
    """A finished export of `size` questions, every one already published and written
    by one of AUTHORS authors."""
    export = _generated_export(size, options)
    newest = _newest_date(export)
    if newest > _utc_now():
        export = _past_dated_copy(export, newest, options.cache_dir / "exports" / f"{size}-past")
    return _authored_copy(export, options.cache_dir / "exports" / f"{export.name}-authored")


AUTHORS = 25  # writer-1 … writer-25: question k is written by writer-(k % 25 + 1)


def _authored_copy(export: Path, folder: Path) -> Path:
    """The export with WordPress's `author` on every item, and the author described in
    `_embedded.author` as an export made with ?_embed has it (the generator writes no
    author): the seeded sites have bylines, author profiles and author pages."""
    if (folder / "search_words.txt").exists():
        return folder
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(export, partial, ignore=shutil.ignore_patterns("faq-*.json"))
    for path in _item_files(export):
        items = json.loads(path.read_text())
        for item in items:
            number = item["id"] % AUTHORS + 1
            item["author"] = number
            item["_embedded"] = {
                **item.get("_embedded", {}),
                "author": [
                    {
                        "id": number,
                        "name": f"Writer {number}",
                        "slug": f"writer-{number}",
                        "description": f"Writer {number} has written exam answers since 2015.",
                        "url": "",
                    }
                ],
            }
        (partial / path.name).write_text(json.dumps(items))
    partial.rename(folder)
    return folder


def _generated_export(size: int, options: argparse.Namespace) -> Path:
    """The generator's export: from --exports, the cache, or generated into the cache."""
    # The generator writes search_words.txt last: its presence means the export is whole.
    if options.exports and (Path(options.exports) / str(size) / "search_words.txt").exists():
        return Path(options.exports) / str(size)
    folder = options.cache_dir / "exports" / str(size)
    if (folder / "search_words.txt").exists():
        return folder
    if not options.generator.exists():
        sys.exit(
            f"no export of {size} questions and no {options.generator}: pass --generator or set WP_EXPORT_GEN"
        )
    partial = folder.with_name(f"{size}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.parent.mkdir(parents=True, exist_ok=True)
    print(
        f"generating an export of {size} questions (5 to 8 s per 1,000) with {options.generator}", flush=True
    )
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(options.generator), str(size), str(partial)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    partial.rename(folder)
    print(f"  generated in {time.perf_counter() - started:.0f} s: {folder}")
    return folder


def _utc_now() -> datetime:
    # The export's date_gmt values are naive UTC times.
    return datetime.now(UTC).replace(tzinfo=None)


def _item_files(export: Path) -> list[Path]:
    return sorted(path for path in export.glob("faq-*.json"))


def _newest_date(export: Path) -> datetime:
    # The generator writes items in date order, so the newest is in the last file.
    items = json.loads(_item_files(export)[-1].read_text())
    return max(datetime.fromisoformat(item["date_gmt"]) for item in items)


def _past_dated_copy(export: Path, newest: datetime, folder: Path) -> Path:
    """The export with every date moved back by the same whole number of weeks, so the
    newest question is in the past. The generator spaces questions 97 minutes apart from
    2024-01-01, so beyond ~16,000 they lie in the future and would import as scheduled
    (not public); the copy keeps their order, spacing and everything else."""
    if (folder / "search_words.txt").exists():
        return folder
    shift = timedelta(weeks=(newest - _utc_now()).days // 7 + 1)
    print(f"writing {folder}: the export with its dates {shift.days} days earlier", flush=True)
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(export, partial, ignore=shutil.ignore_patterns("faq-*.json"))
    for path in _item_files(export):
        items = json.loads(path.read_text())
        for item in items:
            for field in ("date", "date_gmt", "modified", "modified_gmt"):
                item[field] = (datetime.fromisoformat(item[field]) - shift).isoformat()
        (partial / path.name).write_text(json.dumps(items))
    partial.rename(folder)
    return folder


def seed(database_url: str, export: Path) -> float:
    """Migrate and import the export; the import's duration in seconds."""
    manage(database_url, "migrate", "--verbosity", "0")
    started = time.perf_counter()
    summary = manage(database_url, "import_wordpress", str(export))
    seconds = time.perf_counter() - started
    print(f"  import_wordpress: {seconds:.1f} s ({summary})", flush=True)
    return seconds


def site_for(size: int, options: argparse.Namespace) -> Site:
    """A site of `size` questions seeded by the current code, made when missing."""
    if options.database_url:
        return _postgres_site(size, options)
    return _sqlite_site(size, options)


def _sqlite_site(size: int, options: argparse.Namespace) -> Site:
    folder = options.cache_dir / "sites"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"sqlite-{size_label(size)}-{code_version()}.sqlite3"
    if os.environ.get("BENCH_REUSE_SITES") and not options.reseed:
        path = _newest_seeded(folder, size) or path
    marker = path.with_suffix(".json")  # written once the seed has finished
    database_url = f"sqlite:///{path}"
    if marker.exists() and path.exists() and not options.reseed:
        recorded = json.loads(marker.read_text())
        return Site(size, database_url, Path(recorded["export"]), recorded["seconds"], True)
    export = export_for(size, options)
    for stale in folder.glob(f"sqlite-{size_label(size)}-*"):
        # Its files, and the folders beside them (the page cache's, disk://).
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    print(f"seeding {path.name} from {export} ...", flush=True)
    seconds = seed(database_url, export)
    marker.write_text(json.dumps({"seconds": seconds, "export": str(export)}))
    return Site(size, database_url, export, seconds, False)


def _newest_seeded(folder: Path, size: int) -> Path | None:
    """BENCH_REUSE_SITES=1: the newest finished SQLite site of `size`, whatever version of
    faqs/ seeded it, migrated to the current code (while working on code that changes
    faqs/, a 100k seed per commit costs more than the measurement)."""
    markers = sorted(folder.glob(f"sqlite-{size_label(size)}-*.json"), key=lambda m: m.stat().st_mtime)
    for marker in reversed(markers):
        path = marker.with_suffix(".sqlite3")
        if path.exists():
            manage(f"sqlite:///{path}", "migrate", "--verbosity", "0")
            return path
    return None


def _postgres_site(size: int, options: argparse.Namespace) -> Site:
    parts = urlsplit(options.database_url)
    base = unquote(parts.path.lstrip("/"))
    if not base.startswith(DATABASE_PREFIX):
        sys.exit(f"--database-url must name a database starting with {DATABASE_PREFIX}, not {base!r}")
    name = f"{base}_{size_label(size)}"
    database_url = parts._replace(path=f"/{name}").geturl()
    version = code_version()
    recorded = _database_comment(database_url)
    if recorded and recorded.get("faqs") == version and not options.reseed:
        return Site(size, database_url, Path(recorded["export"]), recorded["seconds"], True)
    export = export_for(size, options)
    client = _pg_client_args(parts)
    print(f"seeding PostgreSQL database {name} from {export} ...", flush=True)
    subprocess.run(["dropdb", *client, "--if-exists", name], check=True, env=_pg_env(parts))
    subprocess.run(["createdb", *client, name], check=True, env=_pg_env(parts))
    seconds = seed(database_url, export)
    # What autovacuum does soon after a bulk import; without statistics the planner
    # picks plans no running site would (and some servers run with autovacuum off).
    analyzed = _psql(database_url, "VACUUM ANALYZE")
    if analyzed.returncode != 0:
        sys.exit(f"VACUUM ANALYZE failed on {name}: {analyzed.stderr.strip()}")
    comment = json.dumps({"faqs": version, "seconds": seconds, "export": str(export)})
    _psql(database_url, f"COMMENT ON DATABASE \"{name}\" IS '{comment}'")
    return Site(size, database_url, export, seconds, False)


def _pg_client_args(parts) -> list[str]:
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    return args + (["-U", unquote(parts.username)] if parts.username else [])


def _pg_env(parts) -> dict:
    env = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}  # no "does not exist, skipping"
    return {**env, **({"PGPASSWORD": unquote(parts.password)} if parts.password else {})}


def _psql(database_url: str, sql: str) -> subprocess.CompletedProcess:
    plain = urlsplit(database_url)._replace(query="").geturl()
    return subprocess.run(["psql", "-X", "-tA", "-c", sql, plain], capture_output=True, text=True)


def _database_comment(database_url: str) -> dict | None:
    """The seed record kept in the database's comment; None when there is no database."""
    sql = "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
    result = _psql(database_url, sql)
    if result.returncode != 0:
        if "does not exist" in result.stderr:
            return None
        sys.exit(f"cannot reach PostgreSQL at {database_url}: {result.stderr.strip()}")
    try:
        return json.loads(result.stdout.strip() or "null")
    except json.JSONDecodeError:
        return None


def collect_static(options: argparse.Namespace, database_url: str) -> Path:
    """Static files collected into the cache, so pages render as in production
    (hashed names from the manifest) with DEBUG off."""
    root = options.cache_dir / "static"
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=PROJECT, env=bench_env(database_url, STATIC_ROOT=str(root)), check=True,
    )  # fmt: skip
    return root
