"""Stand-ins for the servers notify/ speaks to: a real HTTP server on 127.0.0.1 (a
port of its own, threads), recording every request and answering as a test scripts
it (IndexNow's endpoint, Cloudflare's API, a cache that takes PURGE and BAN)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    """One request as the stand-in saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Answer:
    """What the stand-in says to one request; `hang` makes it answer nothing until the
    test ends (the client's timeout fires first); `gate`, answer once the test opens it."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False
    gate: threading.Event | None = None


class StandIn:
    """A recording HTTP server. `answers` are used in order, one a request; once
    they run out, `default` answers."""

    def __init__(self, default: Answer | None = None) -> None:
        self.received: list[Received] = []
        self.answers: list[Answer] = []
        self.default = default or Answer()
        self.release = threading.Event()  # lets a hanging answer go at the end
        self.arrived = threading.Event()  # set by each request, for tests that wait on one
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def next_answer(self) -> Answer:
        with self.lock:
            return self.answers.pop(0) if self.answers else self.default

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def handle_one(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                answer = stand_in.next_answer()
                with stand_in.lock:
                    stand_in.received.append(Received(self.command, self.path, dict(self.headers), body))
                stand_in.arrived.set()
                if answer.hang:
                    stand_in.release.wait(timeout=30)
                    return
                if answer.gate is not None:
                    answer.gate.wait(timeout=10)
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            do_GET = do_POST = do_PURGE = do_BAN = handle_one

            def log_message(self, *args) -> None:
                """Silent: a test reads the requests from `received`, not from stderr."""

        return Handler

    def start(self) -> StandIn:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@contextmanager
def running(default: Answer | None = None) -> Iterator[StandIn]:
    stand_in = StandIn(default).start()
    try:
        yield stand_in
    finally:
        stand_in.stop()


CLOUDFLARE_OK = Answer(200, json.dumps({"success": True, "errors": [], "result": {"id": "x"}}).encode())
