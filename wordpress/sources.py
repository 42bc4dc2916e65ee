"""Reading WordPress exports from files, directories and stdin: REST JSON, and
WordPress's own export (WXR, `wordpress.wxr`), told apart by their first bytes.

Every item found keeps its place (file and position), so a problem with it can be
reported exactly; a file that cannot be read or parsed is a problem too. JSON is read
whole; a WXR file is checked whole first, then streamed item by item when the items
are read (`SourceItems`)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.management import CommandError

from wordpress import wxr


@dataclass(frozen=True)
class SourceItem:
    source: str  # a file name or <stdin>
    position: str  # "item 3" in a list, "object" for a single object
    data: Any


@dataclass(frozen=True)
class Problem:
    source: str
    position: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.position}: {self.reason}"


class SourceItems:
    """The items of one run, in the order their files were named: JSON's as read, each
    WXR file's read again, one item at a time, whenever this is iterated."""

    def __init__(self) -> None:
        self.parts: list[list[SourceItem] | wxr.WXRFile] = []

    def __iter__(self) -> Iterator[SourceItem]:
        for part in self.parts:
            if isinstance(part, list):
                yield from part
                continue
            try:
                for position, data in part.items():
                    yield SourceItem(part.source, position, data)
            except wxr.SourceChanged as error:  # checked a moment ago: nothing is imported
                raise CommandError(f"{error}; nothing was imported.") from None


def read_sources(paths: Iterable[str], stdin: IO[str] | None = None) -> tuple[SourceItems, list[Problem]]:
    """Every item in the given files, directories (all *.json and *.xml below, sorted)
    or stdin ("-"), each with its place; unreadable or malformed files, and anything
    that is not a regular file, become problems."""
    items = SourceItems()
    problems: list[Problem] = []
    for raw_path in paths:
        for source, found, error in _files(raw_path, stdin):
            if error:
                problems.append(Problem(source, "file", error))
            elif isinstance(found, wxr.WXRFile):
                refusal = found.check()
                if refusal:
                    problems.append(Problem(source, "file", refusal))
                else:
                    items.parts.append(found)
            else:
                objects, problem = _objects_in(source, found)
                items.parts.append(objects)
                if problem:
                    problems.append(problem)
    return items, problems


def _files(raw_path: str, stdin: IO[str] | None):
    """(source, JSON text or a WXR file, error) for each file a path names."""
    if raw_path == "-":
        text = stdin.read() if stdin else ""
        if wxr.looks_like_xml(text[: wxr.SNIFF_BYTES].encode()):
            data = text.encode()  # standard input is read once: its bytes are kept for the second read
            yield "<stdin>", wxr.WXRFile("<stdin>", lambda: io.BytesIO(data)), None
        else:
            yield "<stdin>", text, None
        return
    path = Path(raw_path)
    files = (
        sorted(file for pattern in ("*.json", "*.xml") for file in path.rglob(pattern))
        if path.is_dir()
        else [path]
    )
    if path.is_dir() and not files:
        yield str(path), None, "no .json or .xml file in this directory"
    for file in files:
        if file.exists() and not file.is_file():
            # Reading a pipe (FIFO), socket or device would wait for ever, or never end.
            yield str(file), None, "not a regular file (a pipe, socket, device or folder); not read"
            continue
        try:
            with file.open("rb") as handle:
                start = handle.read(wxr.SNIFF_BYTES)
            if wxr.looks_like_xml(start):
                yield str(file), wxr.WXRFile(str(file), lambda file=file: file.open("rb")), None
            else:
                yield str(file), file.read_text(encoding="utf-8-sig"), None
        except (OSError, UnicodeDecodeError) as error:
            yield str(file), None, f"cannot be read: {error}"


def _objects_in(source: str, text: str) -> tuple[list[SourceItem], Problem | None]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        return [], Problem(source, f"line {error.lineno} column {error.colno}", f"invalid JSON: {error.msg}")
    if isinstance(value, dict):
        return [SourceItem(source, "object", value)], None
    if isinstance(value, list):
        return [SourceItem(source, f"item {n}", item) for n, item in enumerate(value, start=1)], None
    return [], Problem(source, "file", f"expected an object or a list of objects, not {type(value).__name__}")
