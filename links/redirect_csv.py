"""Redirect CSV files as Yoast SEO Premium and the Redirection plugin write them: read
into this site's redirects (`import_redirects`) and written from them (`export_redirects`).

The two formats, as their code reads and writes them:
- Yoast SEO Premium (WPSEO_Redirect_CSV_Exporter / _CSV_Loader): a header
  `Origin,Target,Type,Format` (translated with WordPress's language), then exactly four
  quoted columns: origin, target, HTTP type (301, 302, 307, 410, 451), format (`plain`
  or `regex`). Paths are relative to WordPress's home, which was SITE_URL (Yoast strips
  the home's path from the request before matching), and a plain origin matches with or
  without its trailing slash.
- Redirection (Red_Csv_File): `source,target,regex,code,type,hits,title,status`, strings
  quoted, numbers bare; on import only source and target are required, the regex flag is
  guessed from `()[]$^*` when its column is missing, the code defaults to 301, and a
  header is any first row whose cells say `source` or `target`. Paths are the request's
  whole path (REQUEST_URI), SITE_URL's path included; 4xx codes carry no target.

This site answers 301 (`Redirect.new_path`) and 410 (an empty `new_path`) only: 308 is
kept as 301 (both permanent; old addresses are read with GET), temporary codes and 451
are reported and skipped. Every redirect kept passes the redirect admin's form."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TextIO
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

from django.utils.encoding import escape_uri_path

from faqs import site
from links.redirects import redirects

YOAST, REDIRECTION = "yoast", "redirection"
FORMATS = (YOAST, REDIRECTION)
YOAST_HEADER = ["Origin", "Target", "Type", "Format"]
REDIRECTION_HEADER = ["source", "target", "regex", "code", "type", "hits", "title", "status"]
DELIMITERS = (",", ";", "|")  # the ones Redirection's loader tries, in its order
REGEX_SYNTAX = frozenset(".^$*+?()[]{}|")
REDIRECTION_REGEX_HINT = frozenset("()[]$^*")  # Red_Csv_File::is_regex, when no regex column
PERMANENT, GONE = 301, 410


class RedirectFileError(Exception):
    """The file as a whole cannot be read: empty, binary, not UTF-8, of no known format."""


class Skipped(Exception):
    """One row that is not imported, with the reason readers of the report see."""


@dataclass(frozen=True)
class Row:
    """One redirect a file gives, in this site's terms: root-relative old path (as
    Django's redirect fallback looks it up), and a target or "" for 410 Gone."""

    line: int
    old_path: str
    new_path: str
    from_regex: bool = False


@dataclass(frozen=True, order=True)
class Skip:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


# --- reading the file -------------------------------------------------------------


def read_redirects(data: bytes, file_format: str = "auto") -> tuple[str, list[Row], list[Skip]]:
    """The format (given, or told from the header and first rows), the rows it gives
    and the rows it could not read. Raises RedirectFileError for a file with no rows."""
    table, problems = table_of(text_of(data))
    if not table:
        raise RedirectFileError(f"it holds no rows of comma-separated values ({problems[0]})")
    if file_format not in FORMATS:
        file_format = detected_format(table)
    row_of = yoast_row if file_format == YOAST else redirection_row
    rows = []
    for index, (line, cells) in enumerate(table):
        if index == 0 and is_header(file_format, cells):
            continue
        try:
            rows.append(row_of(line, [cell.strip() for cell in cells]))
        except Skipped as skipped:
            problems.append(Skip(line, str(skipped)))
    return file_format, rows, problems


def text_of(data: bytes) -> str:
    """UTF-8, with or without the BOM Excel writes."""
    if b"\x00" in data:
        raise RedirectFileError("it holds binary data, not CSV text (save it as “CSV UTF-8”)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RedirectFileError(
            f"it is not UTF-8 text (byte {error.start + 1}); save it as “CSV UTF-8”"
        ) from None
    if not text.strip():
        raise RedirectFileError("it is empty")
    return text


def table_of(text: str) -> tuple[list[tuple[int, list[str]]], list[Skip]]:
    """(first line, cells) of each non-blank row, Excel-style quoting (a quoted cell may
    hold commas, doubled quotes and line breaks); rows that are not valid CSV apart."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text), strict=True)
    table, problems, line = [], [], 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return table, problems
        except csv.Error as error:
            problems.append(Skip(line, f"not valid CSV ({error})"))
        else:
            if any(cell.strip() for cell in cells):
                table.append((line, cells))
        line = reader.line_num + 1


def delimiter_of(text: str) -> str:
    """A comma, or the first of Redirection's other separators that splits the first
    line when a comma does not (Excel writes semicolons in some languages)."""
    first_line = text.strip().splitlines()[0]
    for delimiter in DELIMITERS:
        try:
            if len(next(csv.reader([first_line], delimiter=delimiter))) > 1:
                return delimiter
        except csv.Error:  # a field over the csv module's limit: the table reports it
            break
    return ","


def detected_format(table: list[tuple[int, list[str]]]) -> str:
    """Yoast's or Redirection's, from the header or, without one (or with Yoast's in
    another language), from the shape of the first rows."""
    header = [cell.strip().lower() for cell in table[0][1]]
    if header == [name.lower() for name in YOAST_HEADER]:
        return YOAST
    if is_header(REDIRECTION, table[0][1]):
        return REDIRECTION
    for _, cells in table[:3]:
        cells = [cell.strip().lower() for cell in cells]
        if len(cells) == 4 and is_number(cells[2]) and cells[3] in ("plain", "regex"):
            return YOAST
        if len(cells) > 1 and is_address(cells[0]) and (len(cells) == 2 or cells[2] in ("0", "1")):
            return REDIRECTION
    raise RedirectFileError(
        "it is neither Yoast's redirect CSV (Origin, Target, Type, Format) nor Redirection's "
        "(source, target, regex, code); give --format if it is one of them"
    )


def is_address(cell: str) -> bool:
    """A path, a web address or an anchored pattern, as a Redirection source is."""
    return cell.startswith(("/", "^", "http://", "https://"))


def is_header(file_format: str, cells: list[str]) -> bool:
    """Yoast's loader drops a row whose type is not a number (its header, in any
    language); Redirection's one whose first cells say `source` or `target`."""
    cells = [cell.strip().lower() for cell in cells]
    if file_format == YOAST:
        return len(cells) > 2 and not is_number(cells[2])
    return cells[0] in ("source", "source url") or cells[1:2] in (["target"], ["target url"])


def yoast_row(line: int, cells: list[str]) -> Row:
    if len(cells) != 4:
        raise Skipped(
            f"Yoast's rows have 4 columns (origin, target, type, format); this one has {len(cells)}"
        )
    origin, target, code, origin_format = cells
    status = kept_status(code)
    if origin_format.lower() not in ("plain", "regex"):
        raise Skipped(f"the format is “{origin_format}”, not plain or regex")
    from_regex = origin_format.lower() == "regex"
    if from_regex:
        origin = plain_origin(origin)
    old_path = old_path_of(origin, home_relative=True)
    new_path = "" if status == GONE else target_of(target, home_relative=True)
    return Row(line, old_path, new_path, from_regex)


def redirection_row(line: int, cells: list[str]) -> Row:
    if len(cells) < 2:
        raise Skipped("Redirection's rows have at least 2 columns (source, target)")
    source, target = cells[0], cells[1]
    from_regex = regex_flag(cells[2]) if len(cells) > 2 else bool(REDIRECTION_REGEX_HINT & set(source))
    status = kept_status(cells[3] if len(cells) > 3 and cells[3] else str(PERMANENT))
    action = cells[4].lower() if len(cells) > 4 else ""
    if action not in ("", "url", "error"):
        raise Skipped(f"Redirection's “{action}” action has no equivalent here")
    if len(cells) > 7 and cells[7].lower() == "disabled":
        raise Skipped("the redirect is disabled in Redirection")
    if from_regex:
        source = plain_origin(source)
    old_path = old_path_of(source, home_relative=False)
    new_path = "" if status == GONE else target_of(target, home_relative=False)
    return Row(line, old_path, new_path, from_regex)


def kept_status(code: str) -> int:
    """The answer this site keeps for a plugin's HTTP code: 301 or 410."""
    if not is_number(code):
        raise Skipped(f"the HTTP code is “{code}”, not a number")
    number = int(code)
    if number in (301, 308):  # both permanent; they differ only for POSTs, which old URLs do not get
        return PERMANENT
    if number == GONE:
        return GONE
    if number in (302, 303, 307):
        raise Skipped(
            f"{number} is a temporary redirect; this site's redirects are permanent (301) and "
            "browsers keep them, so change it to 301 in the file if it is meant for good"
        )
    if number == 404:
        raise Skipped("404: an address nothing answers already gets one")
    raise Skipped(f"HTTP {number} is not an answer this site gives (it keeps 301, 308 as 301, and 410)")


def is_number(cell: str) -> bool:
    return cell.isascii() and cell.isdigit()


def regex_flag(value: str) -> bool:
    if value not in ("", "0", "1"):
        raise Skipped(f"the regex column is “{value}”, not 0 or 1")
    return value == "1"


def plain_origin(pattern: str) -> str:
    path = plain_path_of_regex(pattern)
    if path is None:
        raise Skipped(f"“{pattern}” is a regular expression; this site's redirects match one address each")
    return path


def plain_path_of_regex(pattern: str) -> str | None:
    """The one address a regular expression matches, when it names one: anchored at
    both ends, nothing but literal characters (escaped ones included), and an optional
    trailing slash (`^/old-page/?$` is `/old-page/`; Django's APPEND_SLASH finds the
    address without it). None for a real pattern."""
    if not (pattern.startswith("^") and pattern.endswith("$")) or pattern.endswith("\\$"):
        return None
    body, optional_slash = pattern[1:-1], pattern.endswith("/?$")
    if optional_slash:
        body = body[:-2]
    literal, characters = [], iter(body)
    for character in characters:
        if character == "\\":
            escaped = next(characters, "")
            if not escaped or escaped.isalnum() or escaped.isspace():  # \d, \w, \Z …: a class
                return None
            literal.append(escaped)
        elif character in REGEX_SYNTAX:
            return None
        else:
            literal.append(character)
    path = "".join(literal)
    return f"{path.rstrip('/')}/" if optional_slash else path


# --- addresses: the plugins' paths in this site's terms ----------------------------


def old_path_of(address: str, *, home_relative: bool) -> str:
    """The root-relative path Django's redirect fallback compares with a request's:
    percent-encoded as request.get_full_path() gives it. A Yoast origin is relative to
    the site's path and gets a trailing slash, so both forms of the address find it
    (Yoast ignores the slash; Django tries the address with one appended)."""
    if not address:
        raise Skipped("the old address is empty")
    parts = split_address(address)
    if parts.scheme or parts.netloc:
        if parts.netloc.lower() != site.domain().lower():
            raise Skipped(f"{address} is another site's address; this site answers only its own")
        path, home_relative = parts.path or "/", False
    else:
        path = parts.path
    if home_relative:
        path = f"{site.path_prefix()}{path.lstrip('/')}"
        path = path if path.endswith("/") else f"{path}/"
    elif not path.startswith("/"):
        path = f"/{path}"
    path = escape_uri_path(unquote(path))
    return f"{path}?{parts.query}" if parts.query else path


def target_of(address: str, *, home_relative: bool) -> str:
    """Where a redirect sends readers: an address of this site becomes its path (as
    Yoast keeps its own home's addresses); a Yoast path is read from the site's path,
    with or without it (Yoast's strip_base_url_path_from_url), a Redirection path from
    the root; another site's address stays as it is, for the form to judge."""
    if not address:
        raise Skipped("the target is empty (only a 410 has none)")
    parts = split_address(address)
    if parts.scheme or parts.netloc:
        if parts.scheme in ("http", "https") and parts.netloc.lower() == site.domain().lower():
            return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
        return address
    if not home_relative:
        return address if address.startswith("/") else f"/{address}"
    prefix = site.path_prefix()
    rest = address.lstrip("/")
    if f"/{rest}/".startswith(prefix):
        rest = rest[len(prefix) - 1 :].lstrip("/")
    return f"{prefix}{rest}"


def split_address(address: str) -> SplitResult:
    """The parts of `address`, written with SITE_URL's host when it names an alias."""
    try:
        return urlsplit(site.localized(address) or address)
    except ValueError:  # an unclosed IPv6 bracket, say
        raise Skipped(f"“{address}” is not a valid address") from None


def chain_key(target: str) -> str | None:
    """The old path a request for `target` would look up, if it stays on this site's
    paths: its path and query, as old_path_of() writes them; None otherwise."""
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    path = escape_uri_path(unquote(parts.path))
    return f"{path}?{parts.query}" if parts.query else path


# --- writing the file -------------------------------------------------------------


def export_redirects(stream: TextIO, file_format: str) -> tuple[int, list[str]]:
    """Write the site's redirects (301s and 410s, by old path) in `file_format`, as the
    plugin's own export does. Returns how many were written and those left out, why."""
    if file_format == YOAST:
        writer = csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(YOAST_HEADER)
    else:
        writer = csv.writer(stream, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        writer.writerow(REDIRECTION_HEADER)
    written, left_out = 0, []
    for old_path, new_path in redirects().order_by("old_path").values_list("old_path", "new_path"):
        if file_format == REDIRECTION:
            writer.writerow(redirection_export_row(old_path, new_path))
        elif not old_path.startswith(site.path_prefix()):
            left_out.append(
                f"{old_path}: outside the site's path {site.path_prefix()}, which Yoast's "
                "origins are relative to (--format redirection keeps it)"
            )
            continue
        else:
            writer.writerow(yoast_export_row(old_path, new_path))
        written += 1
    return written, left_out


def yoast_export_row(old_path: str, new_path: str) -> list[str]:
    origin = "/" + old_path[len(site.path_prefix()) :]
    if not new_path:
        return [origin, "", str(GONE), "plain"]
    return [origin, yoast_target(new_path), str(PERMANENT), "plain"]


def yoast_target(new_path: str) -> str:
    """Yoast reads a path from its home: one under the site's path loses that path;
    another path of this host is written as a whole address, so Yoast keeps it."""
    prefix = site.path_prefix()
    if new_path.startswith(prefix):
        return "/" + new_path[len(prefix) :]
    if chain_key(new_path) is not None:
        return site.absolute_url(new_path)
    return new_path


def redirection_export_row(old_path: str, new_path: str) -> list:
    """source, target, regex, code, type, hits, title, status, as Red_Csv_File writes
    them: a 4xx has no target and the `error` action."""
    if not new_path:
        return [old_path, "", 0, GONE, "error", 0, "", "active"]
    return [old_path, new_path, 0, PERMANENT, "url", 0, "", "active"]
