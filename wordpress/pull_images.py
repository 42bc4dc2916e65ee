"""The images a pull brings (wordpress.pull): each image its questions show or are
featured with, downloaded into the spool's uploads/ laid out as wp-content/uploads, so
the import's `media_import.LibraryImport` finds them as it finds a copied uploads folder.

Only what the import will look for is downloaded: an image the library already holds
from an earlier import (`Image.wp_source`), or the spool from before an interruption, is
not fetched again. The original WordPress made its size variants from comes first (the
library keeps originals, as `media_import.candidates` prefers), then the file named. A
file over MEDIA_MAX_UPLOAD_MB is not read past that size.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote, urlsplit

from django.conf import settings

from faqs.models.bulk import chunks
from media.models import Image
from wordpress.items import ItemError
from wordpress.media_import import (
    IMG,
    UPLOADS,
    AttachmentData,
    candidates,
    embedded_attachments,
    parse_attachment,
    path_problem,
    tag_attributes,
    uploads_path,
)
from wordpress.remote import Answer, Client, Passing, TooLarge
from wordpress.spool import Spool, write_atomically


def answer_html(question: dict) -> str:
    value = question.get("content")
    rendered = value.get("rendered") if isinstance(value, dict) else value
    return rendered if isinstance(rendered, str) else ""


def embedded(question: dict) -> list[AttachmentData]:
    try:
        return embedded_attachments(question)
    except ItemError:
        return []


def wanted_images(questions: Iterable[dict], attachments: list[dict]) -> dict[str, str]:
    """Path under uploads/ → address, of every image the questions show (an <img> from
    wp-content/uploads/) or are featured with (their attachment's file), in one pass."""
    wanted: dict[str, str] = {}
    described = {a.id: a for a in _parsed(attachments)}
    featured: set[int] = set()
    for question in questions:
        for tag in IMG.findall(answer_html(question)):
            src = tag_attributes(tag).get("src", "")
            if path := uploads_path(src):
                wanted.setdefault(path, src)
        described.update((a.id, a) for a in embedded(question))
        if isinstance(question.get("featured_media"), int):
            featured.add(question["featured_media"])
    for attachment_id in sorted(featured & set(described)):
        attachment = described[attachment_id]
        if attachment.path and attachment.url:
            wanted.setdefault(attachment.path, attachment.url)
    return wanted


def _parsed(items: list[dict]) -> list[AttachmentData]:
    found = []
    for item in items:
        try:
            found.append(parse_attachment(item))
        except ItemError:
            continue
    return found


def in_library(paths: list[str]) -> set[str]:
    """The paths whose image (or its original) an earlier import stored."""
    every = {c for path in paths for c in candidates(path)}
    stored: set[str] = set()
    for chunk in chunks(sorted(every)):
        stored.update(Image.objects.filter(wp_source__in=chunk).values_list("wp_source", flat=True))
    return {path for path in paths if stored & set(candidates(path))}


def spooled(spool: Spool, path: str) -> bool:
    return not path_problem(path) and any((spool.uploads / c).is_file() for c in candidates(path))


def download(client: Client, spool: Spool, path: str, url: str) -> str:
    """Download the image into the spool; "" once a file is there, else why not. A
    site that stops answering stops the pull (PullError): the same command resumes."""
    if problem := path_problem(path):
        return problem
    if urlsplit(url).scheme not in ("http", "https"):
        return "not a web address"
    limit = settings.MEDIA_MAX_UPLOAD_MB * 1024 * 1024
    problems = []
    for candidate, address in candidate_addresses(path, url):
        try:
            body = client.fetch(address, _file_body, limit=limit)
        except TooLarge:  # not read past the limit; a size variant may be small enough
            body = f"over MEDIA_MAX_UPLOAD_MB ({settings.MEDIA_MAX_UPLOAD_MB} MB)"
        if isinstance(body, bytes):
            write_atomically(spool.uploads / candidate, body)
            return ""
        problems.append(f"{address}: {body}")
    return "; ".join(problems)


def _file_body(answer: Answer) -> bytes | str:
    """The file's bytes, or why the site did not give them (5xx and 429 are tried again)."""
    if answer.status == 429 or answer.status >= 500:
        raise Passing(f"HTTP {answer.status}")
    return answer.body if answer.status == 200 else f"HTTP {answer.status}"


def candidate_addresses(path: str, url: str) -> list[tuple[str, str]]:
    """(path under uploads/, address) to try, the original first when the address is
    under wp-content/uploads/ (so the original's address is known)."""
    prefix, found, _ = url.partition(UPLOADS)
    if not found:
        return [(path, url)]
    return [(c, prefix + UPLOADS + quote(c)) for c in candidates(path)]
