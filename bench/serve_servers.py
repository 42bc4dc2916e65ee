"""The servers of bench/serve.py: the gunicorn processes it starts and stops, the peak
memory of one, and the emptying of the site's default cache. Not a script."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import sites
from serve_load import PREFIX, get

BENCH = Path(__file__).resolve().parent
CEILING = BENCH / "ceiling"  # the plain Django project: plain.settings, plain.wsgi
SHIPPED_CONFIG = sites.PROJECT / "gunicorn.conf.py"
MEMORY_INTERVAL = 0.5  # seconds between two samples of a server's resident memory
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Workers:
    """gunicorn's worker count, class and threads: the ceiling runs with the site's."""

    count: int
    worker_class: str
    threads: int

    def flags(self) -> list[str]:
        return [
            "--workers",
            str(self.count),
            "--worker-class",
            self.worker_class,
            "--threads",
            str(self.threads),
        ]

    def __str__(self) -> str:
        return f"{self.count} {self.worker_class} workers × {self.threads} threads"


def shipped_workers(env: dict) -> Workers:
    """The workers the shipped gunicorn.conf.py chooses in `env`, read as gunicorn reads it."""
    code = (
        "import json, runpy; s = runpy.run_path('gunicorn.conf.py');"
        "print(json.dumps([s['workers'], s['worker_class'], s['threads']]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=sites.PROJECT, env=env, capture_output=True, text=True, check=True
    )
    return Workers(*json.loads(result.stdout))


@dataclass
class Server:
    """One gunicorn: its command, environment and port; `health` is a path that answers
    200 quickly, for readiness and for settling after a run."""

    name: str
    command: list[str]
    env: dict
    port: int
    health: str
    logs: Path
    cwd: Path = sites.PROJECT
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process and self.process.poll() is None else None

    def start(self) -> None:
        # gunicorn's access log (make run's goes to stdout) and errors go to files.
        with (
            open(self.logs / f"{self.name}.out", "ab") as out,
            open(self.logs / f"{self.name}.err", "ab") as err,
        ):
            self.process = subprocess.Popen(self.command, cwd=self.cwd, env=self.env, stdout=out, stderr=err)
        self.wait_until_ready()

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"{self.name}: gunicorn exited with {self.process.returncode}; see {self.logs}")
            try:
                if get(self.port, self.health).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        sys.exit(f"{self.name}: gunicorn did not answer {self.health} within 60 s; see {self.logs}")

    def settle(self) -> None:
        """Wait until requests queued by the last wrk run are served: wrk stops sending,
        but gunicorn still works through its backlog, which would slow the next run."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            started = time.perf_counter()
            get(self.port, self.health)
            if time.perf_counter() - started < 0.05:
                return
        sys.exit(f"{self.name}: gunicorn still busy 120 s after a wrk run")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def plain_server(workers: Workers, constant_dir: Path, logs: Path) -> Server:
    """The ceiling: bench/ceiling's plain Django project under gunicorn's own defaults
    (no access log, no recycling) with the site's workers, and without the control
    socket gunicorn >= 25.1 opens in the home folder (shared by every instance)."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", *workers.flags(), "--bind", f"127.0.0.1:{port}",
        "--no-control-socket", "plain.wsgi",
    ]  # fmt: skip
    env = {**os.environ, "BENCH_CONSTANT_DIR": str(constant_dir), "DJANGO_SETTINGS_MODULE": "plain.settings"}
    return Server("plain", command, env, port, "/health/", logs, cwd=CEILING)


def makerun_env(database_url: str, static_root: Path) -> dict:
    """`make run`'s environment on a seeded site: the cache, page cache and gunicorn
    settings left to their shipped defaults, whatever the shell says."""
    env = sites.bench_env(database_url, STATIC_ROOT=str(static_root))
    for name in list(env):
        if name.startswith(("CACHE_", "PAGE_CACHE", "GUNICORN_")) or name in ("WEB_CONCURRENCY", "LOG_LEVEL"):
            del env[name]
    return env


def makerun_server(name: str, env: dict, logs: Path, settings_module: str | None = None) -> Server:
    """`gunicorn --config gunicorn.conf.py certfaq.wsgi` as `make run` runs it, on a free
    port (GUNICORN_BIND, read by gunicorn.conf.py). With `settings_module` (the project
    stack's constant view, serve_settings) the same command serves that module instead."""
    port = free_port()
    env = {**serving(env, settings_module), "GUNICORN_BIND": f"127.0.0.1:{port}"}
    command = [sys.executable, "-m", "gunicorn", "--config", str(SHIPPED_CONFIG), "certfaq.wsgi"]
    return Server(name, command, env, port, f"{PREFIX}health/", logs)


def tuned_server(
    name: str, env: dict, workers: Workers, logs: Path, settings_module: str | None = None
) -> Server:
    """The site under the shipped config with the bench's workers and no recycling
    (restarts would be measured), for the cold and redis modes."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "certfaq.wsgi", "--config", str(SHIPPED_CONFIG),
        "--bind", f"127.0.0.1:{port}", *workers.flags(), "--max-requests", "0",
    ]  # fmt: skip
    return Server(name, command, serving(env, settings_module), port, f"{PREFIX}health/", logs)


def serving(env: dict, settings_module: str | None) -> dict:
    """`env` for certfaq.wsgi: the site's own settings (certfaq.wsgi's default, whatever
    the shell says), or `settings_module` from bench/ (serve_settings)."""
    env = {name: value for name, value in env.items() if name != "DJANGO_SETTINGS_MODULE"}
    if settings_module:
        env.update(DJANGO_SETTINGS_MODULE=settings_module, PYTHONPATH=f"{sites.PROJECT}{os.pathsep}{BENCH}")
    return env


class PeakMemory:
    """The peak, over samples every MEMORY_INTERVAL s, of the summed resident memory of a
    server's gunicorn master and all its workers (recycled workers come and go: each
    sample reads the master's children anew), and how many workers were seen."""

    def __init__(self, server: Server):
        self.server = server
        self.peak_bytes = 0
        self.workers_seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak_bytes / 2**20

    def _run(self) -> None:
        while not self._stop.wait(MEMORY_INTERVAL):
            master = self.server.pid
            if master is None:  # between a stop and a start
                continue
            workers = children(master)
            self.workers_seen.update(workers)
            self.peak_bytes = max(self.peak_bytes, sum(resident_bytes(pid) for pid in [master, *workers]))


def children(pid: int) -> list[int]:
    found = []
    for listing in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in listing.read_text().split()]
        except OSError:  # the thread ended
            continue
    return found


def resident_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    except (OSError, IndexError):  # the process ended between listing and reading
        return 0


def private_copy(database_url: str, folder: Path) -> str:
    """A copy of a seeded SQLite site for the makerun mode: its default page-cache stamp
    (and any cache kept beside the database) then belong to this run, so emptying them
    touches no shared site. SQLite's backup API copies a consistent database even while
    another process writes to it. A PostgreSQL site is used as it is."""
    if not database_url.startswith("sqlite:///"):
        return database_url
    source = Path(database_url.removeprefix("sqlite:///"))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    copy = folder / source.name
    started = time.monotonic()
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as reader, sqlite3.connect(copy) as writer:
        reader.backup(writer)
    print(f"  copied {source.name} for makerun in {time.monotonic() - started:.0f} s", flush=True)
    return f"sqlite:///{copy}"


def default_cache(env: dict) -> dict:
    """The site's default cache and page-cache stamp file, as Django's settings make them."""
    code = (
        "import json; from django.conf import settings as s; d = s.CACHES['default'];"
        "print(json.dumps({'backend': d['BACKEND'], 'location': str(d.get('LOCATION') or ''),"
        " 'stamp': str(getattr(s, 'PAGE_CACHE_STAMP_FILE', '') or '')}))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=sites.PROJECT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode != 0:
        sys.exit(f"cannot read the site's default cache:\n{result.stdout}{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def empty_default_cache(cache: dict, database_url: str) -> None:
    """Remove the default cache's folder (or file) and the stamp file: the next start is
    cold. A memory cache empties with its processes; a cache elsewhere (a server) is not
    what a `make run` default can be, so the run stops rather than measure it warm."""
    backend, location = cache["backend"], cache["location"]
    if cache["stamp"]:
        Path(cache["stamp"]).unlink(missing_ok=True)
    if "locmem" in backend.lower() or "dummy" in backend.lower():
        return
    if not location.startswith(("/", ".")) and os.sep not in location:
        sys.exit(f"cannot empty the default cache {backend} at {location!r}: not a folder or file")
    path = (sites.PROJECT / location).resolve()
    refuse_to_remove(path, database_url)
    if path.is_dir():
        shutil.rmtree(path)
    else:
        for file in path.parent.glob(f"{path.name}*"):  # an SQLite file and its -wal, -shm
            file.unlink()


def refuse_to_remove(path: Path, database_url: str) -> None:
    """A cache's location is never a folder that holds the project, the site or a home."""
    database = Path(database_url.removeprefix("sqlite:///")).resolve()
    precious = [sites.PROJECT, database, Path.home(), Path(os.sep)]
    if any(path == other or path in other.parents for other in precious):
        sys.exit(f"refusing to remove {path} as the default cache: it holds {sites.PROJECT} or the site")
