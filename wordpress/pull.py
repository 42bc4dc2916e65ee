"""`import_wordpress https://example.org/resources/`: a live WordPress site's questions,
categories and images, pulled through its REST API (`wordpress.remote`) into a spool
(`wordpress.spool`), then imported from it exactly as files are.

Why a spool: the import is the file import's own (`import_items` over the spooled
pages, `media_dir` the spooled images), so a pull ends with the rows a file import of
the same data makes and is as idempotent as it; an interrupted pull (Ctrl-C, a crash,
a site that stopped answering) keeps what it fetched, and the same command resumes
it, fetching only what is missing. Writing as pages arrived would mean an import per
page, and an interruption would leave half a site imported.

Collections are read in id order at an offset with one item of overlap (`next_page`):
WordPress numbers pages by position, so paging by page number skips an item whenever
one before it is deleted mid-pull. X-WP-Total, read again from every answer, drives
the progress only. Signed in (an application password), the pull asks for
`context=edit&status=any`: drafts, pending and private questions come too.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from django.core.management.base import OutputWrapper

from faqs.identifiers import is_id
from wordpress import shapes
from wordpress.media_import import ATTACHMENT_CLASS
from wordpress.pull_images import answer_html, download, embedded, in_library, spooled, wanted_images
from wordpress.remote import Client, PullError, RestApi
from wordpress.spool import Cursor, Spool

PER_PAGE = 100  # WordPress's largest
FAQ_ROUTE = f"wp/v2/{shapes.FAQ_TYPE}"
TERMS_ROUTE = f"wp/v2/{shapes.TAXONOMY}"
MEDIA_ROUTE = "wp/v2/media"
EMBEDDED = "author,wp:featuredmedia"
MOST_READS_A_PAGE = 10_000  # step-backs after deletions mid-pull, bounded


@dataclass
class PullReport:
    fetched: dict[str, int] = field(default_factory=dict)  # items a collection, this run and before
    seconds: float = 0.0  # this run's fetching and downloading
    downloaded: int = 0  # image files, this run
    in_library: int = 0  # images an earlier import brought: not downloaded
    warnings: list[str] = field(default_factory=list)


def pull(api: RestApi, spool: Spool, *, signed_in: bool, progress: Progress) -> PullReport:
    """Everything the import needs from the site, into the spool, resumed where it stopped."""
    report, began = PullReport(), time.monotonic()
    if not api.has(FAQ_ROUTE):
        raise PullError(
            f"{api.root} has no {FAQ_ROUTE} route: the site's faq post type is not shown in its "
            "REST API (show_in_rest), or is not called faq."
        )
    edit = {"context": "edit"} if signed_in else {}
    if api.has(TERMS_ROUTE):
        pull_collection(api, spool, "terms", TERMS_ROUTE, edit, progress)
    else:
        report.warnings.append(f"the site's API has no {TERMS_ROUTE}: categories are made from their ids")
    # Each question's author (its byline) and featured image come embedded; only those
    # (WordPress 5.4+): every embedded link is a request WordPress makes for each item.
    faq_params = {**edit, **({"status": "any"} if signed_in else {}), "_embed": EMBEDDED}
    pull_collection(api, spool, "faq", FAQ_ROUTE, faq_params, progress)
    if api.has(MEDIA_ROUTE) and not spool.flag("attachments_done"):
        pull_attachments(api, spool, edit)
    download_images(api.client, spool, report, progress)
    report.fetched = {name: spool.cursor(name).items for name in ("terms", "faq")}
    report.seconds = time.monotonic() - began
    return report


def pull_collection(api: RestApi, spool: Spool, name: str, route: str, params: dict, progress: Progress):
    cursor = spool.cursor(name)
    progress.begin(name, cursor.items, "items")
    while not cursor.done:
        fresh = next_page(api, route, params, cursor)
        spool.keep_page(name, cursor, fresh)
        progress.update(name, cursor.items, cursor.total, cursor.pages, expected_pages(cursor))
    progress.end(name)


def next_page(api: RestApi, route: str, params: dict, cursor: Cursor) -> list[dict]:
    """The collection's items after `cursor.last_id`, the cursor moved past them.

    Read in id order from one item before the cursor's offset: that item, the last
    taken, must come back first. When a later one comes first instead, items before it
    were deleted since and the cursor's place moved back, so the read steps back a page
    until the overlap holds; a read whose items were all taken already moves on. New
    questions get new ids, so they append. Nothing is skipped, nothing taken twice."""
    for _ in range(MOST_READS_A_PAGE):
        start = max(cursor.offset - 1, 0)
        query = {**params, "per_page": PER_PAGE, "offset": start, "orderby": "id", "order": "asc"}
        page = api.page(route, query)
        ids = [item["id"] for item in page.items]
        if ids != sorted(ids):
            raise PullError(f"{api.url(route, query)}: the site does not order by id; it cannot be paged.")
        if start and page.total is not None and start >= page.total and ids:
            raise PullError(f"{api.url(route, query)}: items past the site's total: it ignores `offset`.")
        if start and (not ids or ids[0] > cursor.last_id):
            cursor.offset = max(cursor.offset - PER_PAGE, 0)  # deletions moved our place back
            continue
        fresh = [item for item in page.items if item["id"] > cursor.last_id]
        cursor.offset, cursor.total = start + len(ids), page.total
        cursor.done = len(ids) < PER_PAGE
        if fresh or cursor.done:
            cursor.last_id = max(cursor.last_id, *ids) if ids else cursor.last_id
            cursor.items, cursor.pages = cursor.items + len(fresh), cursor.pages + 1
            return fresh
    raise PullError(f"{route}: the site kept changing under the pull; try again when it is quieter.")


def expected_pages(cursor: Cursor) -> int | None:
    """Pages for the site's total, each PER_PAGE - 1 new items (one is the overlap)."""
    if cursor.total is None:
        return None
    return max(cursor.pages, math.ceil(max(cursor.total - 1, 0) / (PER_PAGE - 1)) or 1)


def pull_attachments(api: RestApi, spool: Spool, params: dict) -> None:
    """The wp/v2/media items the questions name and do not embed: their title, alt text
    and caption describe the images (featured, and inline `wp-image-N`). Read whole
    again on a resume: a few requests of up to 100 ids each."""
    embeds, named = set(), set()
    for question in spool.items_of("faq"):
        embeds.update(attachment.id for attachment in embedded(question))
        if isinstance(question.get("featured_media"), int):
            named.add(question["featured_media"])
        named.update(int(n) for n in ATTACHMENT_CLASS.findall(answer_html(question)))
    wanted = sorted(i for i in named - embeds if is_id(i))
    for number, start in enumerate(range(0, len(wanted), PER_PAGE), start=1):
        chunk = wanted[start : start + PER_PAGE]
        query = {**params, "include": ",".join(map(str, chunk)), "per_page": PER_PAGE}
        found = api.page(MEDIA_ROUTE, query).items
        if found:
            spool.keep_file(f"media/{number:06d}.json", found)
    spool.set_flag("attachments_done")


def download_images(client: Client, spool: Spool, report: PullReport, progress: Progress) -> None:
    """Each image the questions show, unless the library or the spool has it already."""
    wanted = wanted_images(spool.items_of("faq"), list(spool.items_of("media")))
    known = in_library(list(wanted))
    to_fetch = sorted((p, url) for p, url in wanted.items() if p not in known and not spooled(spool, p))
    report.in_library = len(known)
    progress.begin("images", 0, "files")
    for done, (path, url) in enumerate(to_fetch, start=1):
        if problem := download(client, spool, path, url):
            report.warnings.append(f"image {url} not downloaded: {problem}")
        else:
            report.downloaded += 1
        progress.update("images", done, len(to_fetch))
    progress.end("images")


class Progress:
    """Items, pages, rate and time left: one line rewritten in place on a terminal,
    plain lines in a log (every `every` pages, and the last)."""

    def __init__(self, stream: OutputWrapper, *, live: bool, every: int = 10):
        self.stream, self.live, self.every = stream, live, every
        self.began: dict[str, tuple[float, int, str]] = {}  # name → (clock, done before this run, unit)
        self.shown = False

    def begin(self, name: str, done_before: int, unit: str) -> None:
        self.began[name] = (time.monotonic(), done_before, unit)

    def update(
        self,
        name: str,
        done: int,
        total: int | None,
        pages: int | None = None,
        pages_expected: int | None = None,
    ) -> None:
        clock, before, unit = self.began[name]
        rate = (done - before) / max(time.monotonic() - clock, 1e-6)
        line = f"{name}: {done:,}{f' of {total:,}' if total is not None else ''} {unit}"
        if pages is not None:
            line += f", {pages:,}{f' of {pages_expected:,}' if pages_expected else ''} pages"
        line += f", {rate:,.0f} {unit}/s"
        if total is not None and rate > 0:
            line += f", {_duration((total - done) / rate)} left"
        step, last = (pages, pages_expected) if pages is not None else (done, total)
        if self.live:
            self.stream.write("\r" + line.ljust(78), style_func=_plain, ending="")
            self.stream.flush()
            self.shown = True
        elif step % self.every == 0 or (last and step >= last):
            self.stream.write(line, style_func=_plain)

    def end(self, name: str) -> None:
        if self.shown:
            self.stream.write("")  # the live line stays, the next starts below it
            self.shown = False


def _plain(text: str) -> str:
    """Progress is no error: not coloured as Django colours stderr on a terminal."""
    return text


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds} s" if seconds < 120 else f"{seconds // 60} min {seconds % 60:02d} s"
