"""gunicorn settings; every value can be overridden from the environment."""

import gc
import multiprocessing
import os
import sys


def whole_number(name: str, default: int) -> int:
    """A gunicorn setting from the environment; a bad value stops with its name."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        sys.exit(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# One sync worker per core, chosen by bench/serve.py on 2 cores (README, "Sizing"):
# a page is CPU work (a cached one a fraction of a millisecond, a made one a few), so
# more processes than cores add only memory, and threads add contention for the GIL;
# 2 sync workers served more pages, with a lower p99 and less memory, than 5 sync
# workers, 2 × 4 or 5 × 4 threads. Behind a reverse proxy that buffers (nginx), slow
# clients never hold a worker. GUNICORN_THREADS > 1 switches to gthread.
workers = whole_number("WEB_CONCURRENCY", multiprocessing.cpu_count())
threads = whole_number("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = whole_number("GUNICORN_TIMEOUT", 30)
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak never takes the site down. Rarely: a new
# worker costs 0.42 s of CPU to import Django and the apps (measured), and while it
# starts its share of the requests waits. At 2,000 (issue 18) a worker serving 1,250
# kept pages a second was replaced every 1.6 s, a quarter of its CPU; at 50,000 the
# two workers of `make run`, serving 1,900 a second each, were replaced every 26 s,
# often both within a second (a 10 % jitter on equal loads), and a 10 s run holding
# such a replacement had a p99 of 83-219 ms instead of 6 (bench/serve.py, 10,000
# questions). At 1,000,000 a worker at that pace lives 9 minutes, at a busy site's
# 50 a second 5 hours; half of it as jitter keeps two workers from going together.
# Nothing kept is lost either way: the default cache is on disk, shared by the workers.
# GUNICORN_MAX_REQUESTS=0 never recycles.
never_recycle = os.environ.get("GUNICORN_MAX_REQUESTS", "").strip() == "0"
max_requests = 0 if never_recycle else whole_number("GUNICORN_MAX_REQUESTS", 1_000_000)
max_requests_jitter = max_requests // 2
# No access log unless asked for (GUNICORN_ACCESS_LOG=- for standard output, or a file):
# gunicorn's formatting and writing of each line cost a sixth of the requests a worker
# serves (a constant page: 4,800 → 3,980 requests/s, issue 18), and behind nginx, the
# deployment README describes, nginx logs every request already.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# gunicorn ≥ 25.1 opens a control socket in the home folder by default, shared by every
# instance of the user; off unless asked for with GUNICORN_CONTROL_SOCKET=/path.
control_socket_disable = "GUNICORN_CONTROL_SOCKET" not in os.environ
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
# Trust X-Forwarded-* only from the local reverse proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker) -> None:
    """Freeze what the worker has loaded (Django, the apps, the URLconf): it lives as
    long as the worker, and the collector's full passes then skip it. Measured
    in-process making 3,300 pages of a 10,000-question site: a full pass over the
    ~90,000 objects took 34-43 ms, a pause of whichever page was being made; after
    freezing, 7-8 ms (issue 18)."""
    gc.freeze()
