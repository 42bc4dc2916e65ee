"""gunicorn settings; every value can be overridden from the environment."""

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
# Sync workers with a few threads each: pages are quick database reads, and threads
# keep memory low on small machines. Two workers per core, at most eight by default.
workers = whole_number("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8))
threads = whole_number("GUNICORN_THREADS", 4)
worker_class = "gthread"
timeout = whole_number("GUNICORN_TIMEOUT", 30)
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak never takes the site down.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# gunicorn ≥ 25.1 opens a control socket in the home folder by default, shared by every
# instance of the user; off unless asked for with GUNICORN_CONTROL_SOCKET=/path.
control_socket_disable = "GUNICORN_CONTROL_SOCKET" not in os.environ
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
# Trust X-Forwarded-* only from the local reverse proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
