"""WordPress's images into the media library, as questions are imported (issue 21).

A WordPress answer shows its pictures from wp-content/uploads/, often a size variant
WordPress made (chart-300x200.jpg) with the theme's srcset, sizes and classes; its
featured image is an attachment id. Here the library keeps one clean original of each
picture and the page makes its own responsive markup from it, so an imported <img>
becomes the library's address and its alt text, nothing else, and `featured_media`
becomes `Question.featured_image`. The files come from a local copy of the uploads
folder (`--media-dir`): each is stored once through `media.uploads.store_upload`, and
`Image.wp_source` (its path under uploads/) finds it again on the next import. An
image that cannot be brought in leaves its markup as it was, and is reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.files import File
from django.core.files.storage import default_storage

from faqs import content
from faqs.identifiers import LARGEST_ID, is_id
from faqs.models import Question
from media import addresses, uploads
from media.models import Image
from wordpress import shapes
from wordpress.items import ItemError

UPLOADS = "/wp-content/uploads/"
# WordPress's size variants (chart-300x200.jpg) and, since 5.3, a big upload's
# scaled copy (chart-scaled.jpg): the original is chart.jpg.
SIZE_SUFFIX = re.compile(r"-\d+x\d+$")
SCALED_SUFFIX = "-scaled"
# An <img> tag whose quoted attribute values may hold ">"; a WordPress figure (block
# editor or [caption]), which never nests, with its images and caption.
IMG = re.compile(r"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
FIGURE_OR_IMG = re.compile(rf"<figure\b.*?</figure\s*>|{IMG.pattern}", re.IGNORECASE | re.DOTALL)
FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption\s*>", re.IGNORECASE | re.DOTALL)
ATTACHMENT_CLASS = re.compile(r"\bwp-image-(\d+)\b")  # WordPress marks an inserted image so
NO_FOLDER = "no --media-dir given"


@dataclass(frozen=True)
class AttachmentData:
    """A WordPress attachment (a wp/v2/media item, or one an item embeds): what the
    library keeps of it. `path` is its file under wp-content/uploads/, "" if unknown."""

    id: int
    path: str
    url: str
    title: str = ""
    alt_text: str = ""
    caption: str = ""


@dataclass(frozen=True)
class ImageRef:
    """An image an answer or a featured_media names, with what it says of it."""

    url: str
    path: str  # under wp-content/uploads/
    title: str = ""
    alt_text: str = ""
    caption: str = ""
    attachment_id: int | None = None


@dataclass(frozen=True)
class ImageCounts:
    imported: int
    reused: int
    not_found: int

    def __str__(self) -> str:
        return f"{self.imported} imported, {self.reused} reused, {self.not_found} not found"


# --- reading attachments


def parse_attachment(data: dict) -> AttachmentData:
    """A wp/v2/media item; ItemError when it has no usable id."""
    if not is_id(data.get("id")):
        raise ItemError(f"'id' must be a whole number from 1 to {LARGEST_ID}, not {data.get('id')!r}")
    url = _text(data, "source_url")
    details = data.get("media_details") if isinstance(data.get("media_details"), dict) else {}
    # media_details.file is relative to the uploads folder even when source_url is a CDN's.
    return AttachmentData(
        id=data["id"],
        path=_text(details, "file") or uploads_path(url) or "",
        url=url,
        title=shapes.decoded_text(_rendered_text(data, "title")).strip(),
        alt_text=_text(data, "alt_text").strip(),
        caption=" ".join(content.text_blocks(_rendered_text(data, "caption"))),
    )


def embedded_attachments(data: dict) -> list[AttachmentData]:
    """The featured image an item embeds (exported with ?_embed). WordPress embeds an
    error object ({"code": …}) for media it will not show: those are left out."""
    embedded = data.get("_embedded") if isinstance(data.get("_embedded"), dict) else {}
    media = embedded.get("wp:featuredmedia") if isinstance(embedded.get("wp:featuredmedia"), list) else []
    return [parse_attachment(entry) for entry in media if isinstance(entry, dict) and is_id(entry.get("id"))]


def _text(data: dict, key: str) -> str:
    return data[key] if isinstance(data.get(key), str) else ""


def _rendered_text(data: dict, key: str) -> str:
    value = data.get(key)
    return _text(value, "rendered") if isinstance(value, dict) else _text(data, key)


# --- paths under wp-content/uploads/


def library_image(url: str) -> Image | None:
    """The library image at `url` when it is an address of this site's library."""
    name = addresses.library_name(url)
    return Image.objects.filter(file=name).first() if name else None


def uploads_path(url: str) -> str | None:
    """The path after wp-content/uploads/ of an address, decoded; None for any other."""
    _, found, rest = urlsplit(url.strip()).path.partition(UPLOADS)
    return unquote(rest) if found and rest else None


def original_path(path: str) -> str:
    """The original a size variant or scaled copy was made from (itself if neither)."""
    pure = PurePosixPath(path)
    stem = SIZE_SUFFIX.sub("", pure.stem).removesuffix(SCALED_SUFFIX)
    return str(pure.with_name(stem + pure.suffix)) if stem else path


def candidates(path: str) -> list[str]:
    """The files that may hold an image, best first: the original, then the path named."""
    return list(dict.fromkeys([original_path(path), path]))


def path_problem(path: str) -> str:
    """Why a path must not be opened under the uploads folder ("" if it may)."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in path or "\x00" in path:
        return "its path leaves the uploads folder: refused"
    return ""


# --- the answer's markup


def rewrite_images(answer: str, image_for: Callable[[ImageRef], Image | None]) -> str:
    """Each <img> from wp-content/uploads/ that `image_for` gives a library image
    becomes the library's <img>; a figure keeps its figcaption, anything else stays."""

    def figure_or_img(match: re.Match) -> str:
        chunk = match.group(0)
        if chunk[:4].lower() == "<img":
            return library_img(chunk, "", image_for)
        caption = FIGCAPTION.search(chunk)
        text = " ".join(content.text_blocks(caption.group(1))) if caption else ""
        return IMG.sub(lambda img: library_img(img.group(0), text, image_for), chunk)

    return FIGURE_OR_IMG.sub(figure_or_img, answer)


def library_img(tag: str, caption: str, image_for: Callable[[ImageRef], Image | None]) -> str:
    """The library's <img> for a WordPress one: src and alt only (srcset, sizes, class,
    width and height are the page's to make from the library), or `tag` if not brought in."""
    attributes = tag_attributes(tag)
    path = uploads_path(attributes.get("src", ""))
    if path is None:
        return tag
    number = ATTACHMENT_CLASS.search(attributes.get("class", ""))
    ref = ImageRef(
        url=attributes["src"],
        path=path,
        alt_text=attributes.get("alt", "").strip(),
        caption=caption,
        attachment_id=int(number.group(1)) if number else None,
    )
    image = image_for(ref)
    if image is None:
        return tag
    alt = attributes.get("alt", image.alt)  # the answer's own alt wins, empty (decorative) too
    return f'<img src="{escape(image.file.url)}" alt="{escape(alt.strip())}">'


class _TagReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            self.attributes.setdefault(name, value or "")  # as browsers do: the first wins


def tag_attributes(tag: str) -> dict[str, str]:
    """A start tag's attributes, entities decoded."""
    reader = _TagReader()
    reader.feed(tag)
    reader.close()
    return reader.attributes


# --- one import's images


@dataclass
class Outcome:
    """What became of an image: the library's image, nothing yet (a dry run), or why not."""

    image: Image | None = None
    problem: str = ""


@dataclass
class NotFound:
    url: str
    problem: str
    questions: list[str] = field(default_factory=list)

    def warning(self) -> str:
        first, others = self.questions[0], self.questions[1:]
        also = f" (also in question {', '.join(others)})" if others else ""
        return f"question {first}: image {self.url} not brought into the library: {self.problem}{also}"


class LibraryImport:
    """The images of one import: each found in the uploads folder and stored once, or
    found in the library (an earlier import's), or reported once. A dry run stores
    nothing and checks each file as an upload would be checked."""

    def __init__(self, folder: Path | None, attachments: list[AttachmentData], *, dry_run: bool):
        self.folder = Path(folder).resolve() if folder else None
        self.attachments: dict[int, AttachmentData] = {}
        for attachment in attachments:  # the first the import gives of each
            self.attachments.setdefault(attachment.id, attachment)
        self.dry_run = dry_run
        self.outcomes: dict[str, Outcome] = {}  # by path under uploads/
        self.imported: set[str] = set()  # paths under uploads/ of the files stored
        self.reused: set[str] = set()  # of the images earlier imports stored
        self.not_found: dict[str, NotFound] = {}
        self.stored_files: list[str] = []  # to delete if the import is rolled back

    def bring_in(self, question: Question, featured_media: int | None) -> None:
        """The answer's images as the library's, and its featured image."""
        question.content = rewrite_images(question.content, lambda ref: self.image_for(ref, question))
        image = self.featured_image(featured_media, question) if featured_media else None
        if image is not None:
            question.featured_image_id = image.pk

    def featured_image(self, attachment_id: int, question: Question) -> Image | None:
        attachment = self.attachments.get(attachment_id)
        if attachment is not None and (image := library_image(attachment.url)) is not None:
            return image  # already this site's (certfaq's own export)
        if attachment is None or not attachment.path:
            problem = (
                "the import does not describe it: export with ?_embed, or add the wp/v2/media items"
                if attachment is None
                else "the import names no file for it"
            )
            key = f"attachment {attachment_id}"
            self._report(key, f"(featured media {attachment_id})", problem, question)
            return None
        ref = ImageRef(attachment.url or attachment.path, attachment.path, attachment_id=attachment_id)
        return self.image_for(ref, question)

    def image_for(self, ref: ImageRef, question: Question) -> Image | None:
        """The library image for `ref`, once for the whole import; None (reported) when
        it cannot be brought in, or in a dry run."""
        outcome = self.outcomes.get(ref.path)
        if outcome is None:
            outcome = self.outcomes[ref.path] = self._outcome(self._described(ref))
        if outcome.problem:
            self._report(ref.path, ref.url, outcome.problem, question)
        return outcome.image

    def _described(self, ref: ImageRef) -> ImageRef:
        """The attachment's own title, alt text and caption, when the import has it."""
        attachment = self.attachments.get(ref.attachment_id or 0)
        if attachment is None:
            return ref
        return ImageRef(
            ref.url,
            ref.path,
            title=attachment.title,
            alt_text=attachment.alt_text or ref.alt_text,
            caption=attachment.caption or ref.caption,
        )

    def _outcome(self, ref: ImageRef) -> Outcome:
        if (image := library_image(ref.url)) is not None:
            return Outcome(image)
        if self.folder is None:
            return Outcome(problem=NO_FOLDER)
        if problem := path_problem(ref.path):
            return Outcome(problem=problem)
        known = self._in_library(ref.path)
        if known is not None:
            if known.wp_source not in self.imported:  # not this import's own, met again
                self.reused.add(known.wp_source)
            return Outcome(known)
        files = self._files(ref.path)
        if not files:
            return Outcome(problem=f"{' or '.join(candidates(ref.path))} is not in {self.folder}")
        refusals = []
        for file, source in files:  # the original first; a variant if the library refuses it
            outcome = self._store(file, source, ref)
            if not outcome.problem:
                return outcome
            refusals.append(f"{source}: {outcome.problem}")
        return Outcome(problem="; ".join(refusals))

    def _in_library(self, path: str) -> Image | None:
        """The image an earlier import stored from this file (or its original)."""
        wanted = candidates(path)
        found = {image.wp_source: image for image in Image.objects.filter(wp_source__in=wanted)}
        return next((found[source] for source in wanted if source in found), None)

    def _files(self, path: str) -> list[tuple[Path, str]]:
        """The regular files inside the folder that may hold the image, best first."""
        files = []
        for source in candidates(path):
            try:
                file = (self.folder / source).resolve()
                if file.is_relative_to(self.folder) and file.is_file():  # a link out, a pipe: not read
                    files.append((file, source))
            except OSError:  # a name too long for the file system, a loop of links
                continue
        return files

    def _store(self, file: Path, source: str, ref: ImageRef) -> Outcome:
        try:
            with file.open("rb") as handle:
                upload = File(handle, name=file.name)
                if self.dry_run:
                    uploads.decode(uploads.read_within_limit(upload))
                    self.imported.add(source)
                    return Outcome()
                image = uploads.store_upload(
                    upload, title=ref.title[:255], alt_text=ref.alt_text[:500], caption=ref.caption[:500]
                )
        except uploads.UploadRefused as refused:
            return Outcome(problem=refused.message)
        except OSError as error:
            return Outcome(problem=f"cannot be read: {error}")
        Image.objects.filter(pk=image.pk).update(wp_source=source)
        image.wp_source = source
        self.stored_files += [image.file.name, *image.renditions.values_list("file", flat=True)]
        self.imported.add(source)
        return Outcome(image)

    def _report(self, key: str, url: str, problem: str, question: Question) -> None:
        record = self.not_found.setdefault(key, NotFound(url, problem))
        named = f"{question.pk} ({question.slug})"
        if named not in record.questions:
            record.questions.append(named)

    def counts(self) -> ImageCounts | None:
        """None when no folder was given: nothing was looked for."""
        if self.folder is None:
            return None
        return ImageCounts(len(self.imported), len(self.reused), len(self.not_found))

    def warnings(self) -> list[str]:
        """One line an image not brought in; without a folder, one line for them all, so
        a large import is not flooded."""
        if self.folder is not None:
            return [record.warning() for record in self.not_found.values()]
        if not self.not_found:
            return []
        answers = {named for record in self.not_found.values() for named in record.questions}
        return [
            f"{len(self.not_found)} image(s) in {len(answers)} answer(s) not brought into the library: "
            "give --media-dir (WordPress's wp-content/uploads folder, copied here)"
        ]

    def discard_files(self) -> None:
        """After a failed import, whose rollback took the rows: their files too."""
        for name in self.stored_files:
            default_storage.delete(name)
