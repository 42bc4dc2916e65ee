"""Reading WordPress REST JSON from files, directories and stdin.

Every JSON object found keeps its place (file and position), so a problem with it
can be reported exactly; a file that cannot be read or parsed is a problem too."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any


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


def read_sources(
    paths: Iterable[str], stdin: IO[str] | None = None
) -> tuple[list[SourceItem], list[Problem]]:
    """Every JSON object in the given files, directories (all *.json below, sorted)
    or stdin ("-"), each with its place; unreadable files, and anything that is not
    a regular file, become problems."""
    items: list[SourceItem] = []
    problems: list[Problem] = []
    for raw_path in paths:
        for source, text, error in _texts(raw_path, stdin):
            if error:
                problems.append(Problem(source, "file", error))
                continue
            found, problem = _objects_in(source, text)
            items.extend(found)
            if problem:
                problems.append(problem)
    return items, problems


def _texts(raw_path: str, stdin: IO[str] | None):
    if raw_path == "-":
        yield "<stdin>", (stdin.read() if stdin else ""), None
        return
    path = Path(raw_path)
    files = sorted(path.rglob("*.json")) if path.is_dir() else [path]
    if path.is_dir() and not files:
        yield str(path), None, "no .json file in this directory"
    for file in files:
        if file.exists() and not file.is_file():
            # Reading a pipe (FIFO), socket or device would wait for ever, or never end.
            yield str(file), None, "not a regular file (a pipe, socket, device or folder); not read"
            continue
        try:
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
