"""A stand-in WordPress for the pull's tests and bench/pull.py: a real HTTP server on
127.0.0.1 (a port of its own) answering as WordPress's REST API does, from items in
the reference's shape.

The home page announces the API (`Link: <…/wp-json/>; rel="https://api.w.org/"`, or
`?rest_route=/` with plain permalinks); wp-json/ lists the namespaces and routes;
wp/v2/faq, wp/v2/faq-categories and wp/v2/media answer pages (`per_page` up to 100,
`page` or `offset`, `orderby` id or date, `order`, `include`, `status`, `context`,
`_embed`) with X-WP-Total and X-WP-TotalPages, gzipped when asked; drafts and
`context=edit` need Basic auth with the application password; wp-content/uploads/
serves files. Faults are set per request to wp/v2/faq (the first is 1): a 500, a hang
longer than the client's timeout, a 429 with Retry-After: 1, a malformed page, a site
that is down until healed, a change of the questions (some deleted, some added) just
before answering, Ctrl-C (SIGINT to the process's main thread, where pytest and
pytest-xdist run the test) while the client waits. Every request is logged (`seen`).
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import math
import mimetypes
import signal
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

API_REL = "https://api.w.org/"
WORDPRESS_ROUTES = ["/", "/wp/v2/faq", "/wp/v2/faq/(?P<id>[\\d]+)", "/wp/v2/faq-categories", "/wp/v2/media"]


@dataclass(frozen=True)
class Fault:
    """What the stand-in does to one request for wp/v2/faq, instead of answering
    (500, hang, 429, malformed, down, interrupt) or before answering (change)."""

    kind: str
    removed: tuple[int, ...] = ()  # change: these questions are deleted
    added: tuple[dict, ...] = ()  # change: these are published


@dataclass(frozen=True)
class Seen:
    route: str  # "wp/v2/faq", "home", "uploads/2024/01/chart.jpg" …
    query: dict
    status: int
    at: float  # time.monotonic()


class StandInWordPress:
    def __init__(
        self,
        questions: list[dict],
        terms: list[dict] = (),
        *,
        media: list[dict] = (),
        files: dict[str, bytes] | None = None,
        credentials: tuple[str, str] | None = None,
        permalinks: bool = True,
        announce: bool = True,
        hang_seconds: float = 3.0,
        routes: list[str] = WORDPRESS_ROUTES,
        sign_in_required: bool = False,
    ):
        self.users: dict[int, dict] = {}
        self.media = {item["id"]: item for item in media}
        self.questions = {item["id"]: self._kept(item) for item in questions}
        self.terms = {item["id"]: item for item in terms}
        self.files = files or {}
        self.credentials = credentials
        self.permalinks, self.announce, self.hang_seconds = permalinks, announce, hang_seconds
        self.routes = routes  # what the index lists, and all that is answered
        self.sign_in_required = sign_in_required  # as plugins that close the API to visitors
        self.faults: dict[int, Fault] = {}
        self.seen: list[Seen] = []
        self.faq_requests = 0
        self.down = False
        self._lock = threading.Lock()
        self._release = threading.Event()  # ends hangs when the stand-in stops
        self._encoded: dict[tuple, bytes] = {}
        self._orders: dict[tuple, tuple[int, list[dict]]] = {}  # query → (version, items in order)
        self._version = 0  # moved by every change of the questions
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.site = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _kept(self, item: dict) -> dict:
        """The item without `_embedded`: its author and featured image are kept apart
        (as WordPress keeps users and attachments) and embedded again on ?_embed."""
        embedded = item.get("_embedded") or {}
        for user in embedded.get("author", []):
            self.users[user["id"]] = user
        for attachment in embedded.get("wp:featuredmedia", []):
            self.media.setdefault(attachment["id"], attachment)
        return {key: value for key, value in item.items() if key != "_embedded"}

    # --- running

    def __enter__(self) -> StandInWordPress:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/resources/"

    @property
    def api_root(self) -> str:
        return f"{self.url}wp-json/" if self.permalinks else f"{self.url}?rest_route=/"

    def hold(self, questions: list[dict], media: list[dict] = ()) -> None:
        """What the site holds from now on (a test that needs the site's own address in
        its answers sets them once the stand-in has its port)."""
        with self._lock:
            self.media.update((item["id"], item) for item in media)
            self.questions = {item["id"]: self._kept(item) for item in questions}
            self._version += 1

    def heal(self) -> None:
        self.down = False

    def requests_to(self, route: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.route == route]

    # --- answering

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        rest = parts.path.removeprefix("/resources/") if parts.path.startswith("/resources/") else None
        if rest is None:
            status, headers, body = 404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>"
            route = parts.path
        elif "rest_route" in query and self.announce:
            route = query.pop("rest_route").strip("/")
            status, headers, body = self._api(route, query, handler)
        elif rest.startswith("wp-json") and self.announce and self.permalinks:  # plain: a 404
            route = rest.removeprefix("wp-json").strip("/")
            status, headers, body = self._api(route, query, handler)
        elif rest.startswith("wp-content/uploads/"):
            route = "uploads/" + rest.removeprefix("wp-content/uploads/")
            status, headers, body = self._file(rest.removeprefix("wp-content/uploads/"))
        elif rest == "":
            route = "home"
            status, headers, body = self._home()
        else:
            route, status, headers, body = rest, 404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>"
        with self._lock:
            self.seen.append(Seen(route, query, status, time.monotonic()))
        if "gzip" in handler.headers.get("Accept-Encoding", "") and len(body) > 1000:
            body, headers = gzip.compress(body, compresslevel=1), {**headers, "Content-Encoding": "gzip"}
        self._send(handler, status, headers, body)

    def _send(self, handler, status: int, headers: dict, body: bytes) -> None:
        # A client that gave up (a hang outlived its timeout) has closed the socket: the
        # answer is for nobody, and the pull's retry is what the test watches.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            handler.send_response(status)
            for name, value in headers.items():
                for one in value if isinstance(value, list) else [value]:
                    handler.send_header(name, str(one))
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

    def _home(self):
        links = [f"<{self.url}?p=1>; rel=shortlink"]
        if self.announce:
            links.insert(0, f'<{self.api_root}>; rel="{API_REL}"')
        return 200, {"Content-Type": "text/html; charset=UTF-8", "Link": links}, b"<h1>Certilyst</h1>"

    def _file(self, path: str):
        if path not in self.files:
            return 404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>"
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return 200, {"Content-Type": kind}, self.files[path]

    def _api(self, route: str, query: dict, handler):
        signed_in, refusal = self._signed_in(handler.headers.get("Authorization", ""))
        if refusal:
            return refusal
        if self.sign_in_required and not signed_in:
            return _error(401, "rest_not_logged_in", "You are not currently logged in.")
        if route == "wp/v2/faq":
            fault = self._fault()
            if fault is not None:
                return fault
        if route == "":
            return _json(200, self._index())
        collections = {
            "wp/v2/faq": (self.questions, "date"),
            "wp/v2/faq-categories": (self.terms, "name"),
            "wp/v2/media": (self.media, "date"),
        }
        if route not in collections or f"/{route}" not in self.routes:
            return _error(404, "rest_no_route", "No route was found matching the URL and request method.")
        items, default_order = collections[route]
        return self._collection(route, items, default_order, query, signed_in)

    def _signed_in(self, authorization: str):
        if not authorization:
            return False, None
        try:
            user, _, password = base64.b64decode(authorization.removeprefix("Basic ")).decode().partition(":")
        except ValueError:
            user, password = "", ""
        if self.credentials is None or user != self.credentials[0]:
            return False, _error(401, "invalid_username", "Unknown username. Check again or try your email.")
        if password != self.credentials[1]:
            return False, _error(
                401, "incorrect_password", "The provided password is an invalid application password."
            )
        return True, None

    def _fault(self):
        with self._lock:
            self.faq_requests += 1
            fault = self.faults.get(self.faq_requests)
        if self.down or (fault and fault.kind == "down"):
            self.down = True
            return _error(503, "service_unavailable", "The site is down for maintenance.")
        if fault is None:
            return None
        if fault.kind == "500":
            return _error(500, "internal_server_error", "There has been a critical error on this website.")
        if fault.kind == "429":
            status, headers, body = _error(429, "too_many_requests", "Slow down.")
            return status, {**headers, "Retry-After": "1"}, body
        if fault.kind == "malformed":
            return 200, {"Content-Type": "application/json; charset=UTF-8"}, b'[{"id": 1, "title": {"rend'
        if fault.kind == "hang":
            self._release.wait(self.hang_seconds)
            return None  # answered at last, to a client that stopped waiting
        if fault.kind == "interrupt":  # Ctrl-C, pressed while the client waits for this page
            signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
            self._release.wait(self.hang_seconds)
            return None
        if fault.kind == "change":
            with self._lock:
                for question_id in fault.removed:
                    self.questions.pop(question_id, None)
                self.questions.update((item["id"], self._kept(item)) for item in fault.added)
                self._version += 1
            return None
        raise ValueError(f"unknown fault {fault.kind!r}")

    def _index(self) -> dict:
        return {
            "name": "Certilyst",
            "description": "A hub for all your certification exams",
            "url": self.url.rstrip("/"),
            "home": self.url.rstrip("/"),
            "namespaces": ["oembed/1.0", "wp/v2"],
            "routes": {route: {"namespace": "wp/v2", "methods": ["GET"]} for route in self.routes},
        }

    def _collection(self, route: str, items: dict, default_order: str, query: dict, signed_in: bool):
        context, embed = query.get("context", "view"), query.get("_embed")
        if context == "edit" and not signed_in:
            return _error(
                401, "rest_forbidden_context", "Sorry, you are not allowed to edit posts in this post type."
            )
        statuses = query.get("status", "publish").split(",")
        if route == "wp/v2/faq" and statuses != ["publish"] and not signed_in:
            return _error(400, "rest_invalid_param", "Invalid parameter(s): status")
        try:
            per_page, page = int(query.get("per_page", 10)), int(query.get("page", 1))
            offset = int(query["offset"]) if "offset" in query else (page - 1) * per_page
        except ValueError:
            return _error(400, "rest_invalid_param", "Invalid parameter(s): per_page, page, offset")
        if not 1 <= per_page <= 100:
            return _error(400, "rest_invalid_param", "Invalid parameter(s): per_page")
        orderby = query.get("orderby", default_order)
        descending = query.get("order", "desc" if orderby == "date" else "asc") == "desc"
        chosen = self._ordered(items, route, statuses, query.get("include"), orderby, descending)
        total, pages = len(chosen), math.ceil(len(chosen) / per_page)
        if "offset" not in query and page > max(pages, 1):
            return _error(
                400,
                "rest_post_invalid_page_number",
                "The page number requested is larger than the number of pages available.",
            )
        body = (
            b"["
            + b",".join(
                self._encoded_item(route, item, context, embed) for item in chosen[offset : offset + per_page]
            )
            + b"]"
        )
        headers = {
            "Content-Type": "application/json; charset=UTF-8",
            "X-WP-Total": total,
            "X-WP-TotalPages": pages,
        }
        return 200, headers, body

    def _ordered(
        self,
        items: dict,
        route: str,
        statuses: list[str],
        include: str | None,
        orderby: str,
        descending: bool,
    ) -> list[dict]:
        """The collection's items the query asks for, in its order: kept until the
        questions change, as a database keeps an index (a page costs a slice, not a sort)."""
        key = (route, tuple(sorted(statuses)), include, orderby, descending)
        with self._lock:
            version, kept = self._orders.get(key, (None, None))
            if version == self._version:
                return kept
            chosen = list(items.values())
            if route == "wp/v2/faq":
                every = {"publish", "future", "draft", "pending", "private"}
                wanted = every if "any" in statuses else set(statuses)
                chosen = [item for item in chosen if item.get("status", "publish") in wanted]
            if include is not None:
                ids = {int(i) for i in include.split(",") if i.isdigit()}
                chosen = [item for item in chosen if item["id"] in ids]
            sort_key = {
                "id": lambda i: i["id"],
                "date": lambda i: i.get("date_gmt") or "",
                "name": lambda i: i.get("name"),
            }[orderby]
            chosen.sort(key=sort_key, reverse=descending)
            self._orders[key] = (self._version, chosen)
            return chosen

    def _encoded_item(self, route: str, item: dict, context: str, embed: str | None) -> bytes:
        key = (route, item["id"], context, embed)
        if key not in self._encoded:
            shown = dict(item)
            if context == "edit" and isinstance(item.get("content"), dict):
                shown["content"] = {**item["content"], "raw": item["content"]["rendered"]}
            if embed is not None:
                # ?_embed (every embeddable link) or, since WordPress 5.4, ?_embed=rel,rel
                rels = None if embed in ("", "1", "true") else set(embed.split(","))
                shown["_embedded"] = {
                    rel: value for rel, value in self._embeds(item).items() if rels is None or rel in rels
                }
            self._encoded[key] = json.dumps(shown).encode()
        return self._encoded[key]

    def _embeds(self, item: dict) -> dict:
        """What WordPress's ?_embed adds to a question: its author, its featured image
        (or the error WordPress embeds for one it will not show), its terms."""
        embeds = {}
        if item.get("author") in self.users:
            embeds["author"] = [self.users[item["author"]]]
        if item.get("featured_media"):
            attachment = self.media.get(item["featured_media"])
            embeds["wp:featuredmedia"] = [
                attachment or {"code": "rest_post_invalid_id", "message": "Invalid post ID."}
            ]
        terms = [self.terms[t] for t in item.get("faq-categories", []) if t in self.terms]
        embeds["wp:term"] = [[{k: t[k] for k in ("id", "name", "slug", "taxonomy")} for t in terms]]
        return embeds


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.server.site.answer(self)

    def log_message(self, format, *args) -> None:
        """Silent: a test reads the requests from `seen`, not from a log on stderr."""


def _json(status: int, value) -> tuple[int, dict, bytes]:
    return status, {"Content-Type": "application/json; charset=UTF-8"}, json.dumps(value).encode()


def _error(status: int, code: str, message: str) -> tuple[int, dict, bytes]:
    """WordPress's error shape."""
    return _json(status, {"code": code, "message": message, "data": {"status": status}})
