"""A pull's spool (wordpress.pull): what it fetched from the site, kept on disk until
imported, so an interrupted pull resumes where it stopped.

state.json (where each collection's paging stands, saved after every page),
items/<collection>/NNNNNN.json (each page's new items, as the site gave them) and
uploads/ (the images, laid out as wp-content/uploads). The items and uploads are what
`import_wordpress DIR --media-dir DIR/uploads` would read: the import is the file
import's. A finished import removes the spool; one whose items were skipped keeps it to
be looked at, marked so that the next pull reads the site anew.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from wordpress.remote import PullError
from wordpress.sources import read_sources

STATE_FORMAT = 1
OURS = {"state.json", ".lock", "items", "uploads"}


@dataclass
class Cursor:
    """Where a collection's pull stands (wordpress.pull.next_page moves it)."""

    offset: int = 0  # the position after the last item taken, in the id-ordered collection
    last_id: int = 0
    items: int = 0
    pages: int = 0
    total: int | None = None  # the site's X-WP-Total at the last page
    done: bool = False


class Spool:
    """A pull's folder; one pull at a time uses it."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.items = self.folder / "items"
        self.uploads = self.folder / "uploads"
        self.state_file = self.folder / "state.json"
        self.state: dict = {}

    @contextmanager
    def opened(self, site: str, user: str) -> Iterator[str]:
        """The spool, locked for this process; yields what was found in it ("" if nothing)."""
        if self.folder.is_dir() and set(os.listdir(self.folder)) - OURS:
            raise PullError(f"{self.folder} holds files that are not a pull's: give --spool another folder.")
        # Private: a signed-in pull spools drafts and private questions.
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with (self.folder / ".lock").open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise PullError(f"{self.folder}: another pull is using this spool.") from None
            yield self._begin(site, user)

    def _begin(self, site: str, user: str) -> str:
        """Resume the spool's pull when it is this site's, read as this user; else start afresh."""
        state = self._read_state()
        if state.get("imported"):
            state = {}  # kept to be looked at after its import: the site is read anew
        if state and state.get("site") == site and state.get("user") == user:
            self.state = state
            fetched = sum(c.get("items", 0) for c in state.get("collections", {}).values())
            return (
                f"resuming the pull begun {state.get('began', '?')}: {fetched} items already fetched "
                f"(in {self.folder}; delete it to start over)"
            )
        self._clear()
        began = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        self.state = {"format": STATE_FORMAT, "site": site, "user": user, "began": began, "collections": {}}
        self._save_state()
        return f"{self.folder} held a pull of another site or user: started afresh" if state else ""

    def _read_state(self) -> dict:
        try:
            state = json.loads(self.state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) and state.get("format") == STATE_FORMAT else {}

    def cursor(self, name: str) -> Cursor:
        return Cursor(**self.state["collections"].get(name, {}))

    def keep_page(self, name: str, cursor: Cursor, items: list[dict]) -> None:
        """The page's items, then the cursor past them: a crash between the two
        fetches that page again and writes the same file."""
        if items:
            self.keep_file(f"{name}/{cursor.pages:06d}.json", items)
        self.state["collections"][name] = asdict(cursor)
        self._save_state()

    def keep_file(self, name: str, items: list[dict]) -> None:
        write_atomically(self.items / name, json.dumps(items).encode())

    def flag(self, name: str) -> bool:
        return bool(self.state.get(name))

    def set_flag(self, name: str) -> None:
        self.state[name] = True
        self._save_state()

    def items_of(self, name: str) -> Iterator[dict]:
        """The objects fetched of one collection, a page file at a time (a site of
        100,000 questions is not held twice while its images are looked for)."""
        for path in sorted((self.items / name).glob("*.json")):
            yield from (item for item in json.loads(path.read_bytes()) if isinstance(item, dict))

    def all_items(self) -> tuple[list, list]:
        """What the pull fetched, as the file import reads it (`sources.read_sources`)."""
        if not any(self.items.rglob("*.json")):
            return [], []  # a site with no questions and no categories
        return read_sources([str(self.items)])

    def finish(self, *, keep: bool) -> None:
        """After the import: removed, or kept to be looked at (items were skipped) and
        marked so that it is not resumed."""
        if not keep:
            self.remove()
            return
        self.state["imported"] = True
        self._save_state()

    def remove(self) -> None:
        """What the pull wrote, and the folder if nothing else is in it."""
        self._clear()
        for name in ("state.json", ".lock"):
            (self.folder / name).unlink(missing_ok=True)
        with suppress(OSError):
            self.folder.rmdir()

    def _clear(self) -> None:
        for tree in (self.items, self.uploads):
            _remove_tree(tree)

    def _save_state(self) -> None:
        write_atomically(self.state_file, json.dumps(self.state, indent=1).encode())


def default_spool(root: str) -> Path:
    """.wordpress-pull/<host>[-<port>][-<path>] in the working directory: one per site."""
    parts = urlsplit(root)
    path = parts.path.replace("wp-json", "").strip("/").replace("/", "-")
    name = "-".join(filter(None, [parts.hostname, str(parts.port or ""), path]))
    return Path(".wordpress-pull") / name


def write_atomically(path: Path, data: bytes) -> None:
    """Whole or not at all: a crash leaves the old file or none, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)


def _remove_tree(tree: Path) -> None:
    """A tree the pull made; a link inside it is removed, never followed."""
    if not tree.is_dir() or tree.is_symlink():
        return
    for root, folders, files in os.walk(tree, topdown=False):
        for name in files:
            (Path(root) / name).unlink()
        for name in folders:
            path = Path(root) / name
            path.unlink() if path.is_symlink() else path.rmdir()
    tree.rmdir()
