"""Library images inside answers (issue 21, point 4).

An answer stores an image as the editor inserts it: `<img src="{the library file's
address}" alt="…">` in a <figure>, with an optional <figcaption>. Two things follow
from that plain form:

- `responsive()`: when a page is built (and kept: never per view), each such <img>
  becomes the library's <picture> (media/picture.html: AVIF, WebP and the original's
  format at every width made at upload, width and height against layout shift), lazy
  unless it is near the top of a page without a featured image. The stored answer
  stays what the editor can open again; a new rendition size changes every page.
- `InlineImages`, a deriver of the write pipeline (faqs.derivers): InlineImage rows
  follow the answers, so "used by", the unused filter, the delete warning and the page
  renewal after an image's edit see inline use as they see featured images. An answer
  without an <img>, before and after, costs it no query.
"""

from __future__ import annotations

import re
from html import unescape

from django.template import loader

from faqs.derivers import Deriver, WriteContext
from faqs.models import Question
from faqs.models.bulk import chunks
from media import addresses, renditions
from media.models import Image, InlineImage

_IMG = re.compile(r"<img( [^>]*)?>")
_ATTRIBUTE = re.compile(r' ([a-z][a-z-]*)="([^"]*)"')
# Block ends before an image: fewer than this many and the image is near the top (on a
# phone, the first screen: the title, the byline, a paragraph).
_BLOCK_END = re.compile(r"</(?:p|h[2-6]|ul|ol|table|blockquote|pre|figure|dl)>")
NEAR_THE_TOP_BLOCKS = 2


def _attributes(tag: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in _ATTRIBUTE.findall(tag)}


def library_names(clean_html: str) -> set[str]:
    """The storage names of the library files an answer's images show."""
    if "<img" not in clean_html:
        return set()
    names = (
        addresses.library_name(_attributes(match.group(0)).get("src", ""))
        for match in _IMG.finditer(clean_html)
    )
    return {name for name in names if name}


def responsive(clean_html: str, *, featured: bool) -> str:
    """The answer with each library image as its responsive <picture>; `featured`: the
    page shows a featured image above the answer (so no inline image is at the top).
    One query for an answer with images, none without."""
    names = library_names(clean_html)
    if not names:
        return clean_html
    images = {
        image.file.name: image
        for image in Image.objects.filter(file__in=names).prefetch_related("renditions")
    }
    first = [True]

    def picture(match: re.Match) -> str:
        attributes = _attributes(match.group(0))
        image = images.get(addresses.library_name(attributes.get("src", "")) or "")
        if image is None:
            return match.group(0)  # a library file since deleted: as stored
        near_top = first[0] and not featured and _near_the_top(clean_html, match.start())
        first[0] = False
        alt = attributes.get("alt", image.alt)
        context = {"alt": alt, "lazy": not near_top, **renditions.picture(image)}
        return loader.render_to_string("media/picture.html", context).strip()

    return _IMG.sub(picture, clean_html)


def _near_the_top(html: str, position: int) -> bool:
    return len(_BLOCK_END.findall(html, 0, position)) < NEAR_THE_TOP_BLOCKS


# --- InlineImage rows: the write pipeline's deriver


def sync(questions: list[Question]) -> None:
    """InlineImage rows of `questions` made anew from their answers: one query to read
    the images named, one to delete, one to insert."""
    wanted = {question.pk: library_names(question.content) for question in questions}
    every_name = set().union(*wanted.values()) if wanted else set()
    ids = dict(Image.objects.filter(file__in=every_name).values_list("file", "pk")) if every_name else {}
    InlineImage.objects.filter(question_id__in=list(wanted)).delete()
    InlineImage.objects.bulk_create(
        InlineImage(question_id=pk, image_id=ids[name])
        for pk, names in wanted.items()
        for name in names
        if name in ids
    )


def _had_images(ctx: WriteContext, question: Question) -> bool:
    """Whether its answer showed an image before the write (a new question: no)."""
    before = ctx.before.get(question.pk)
    return before is not None and ("content" not in before or "<img" in (before["content"] or ""))


class InlineImages(Deriver):
    def after_write(self, ctx: WriteContext) -> None:
        changed = [
            question
            for question in ctx.questions
            if ctx.changed(question, "content") and ("<img" in question.content or _had_images(ctx, question))
        ]
        for chunk in chunks(changed):
            sync(chunk)

    def rebuild(self) -> None:
        InlineImage.objects.all().delete()
        ids = list(
            Question.objects.filter(content__contains="<img").order_by("pk").values_list("pk", flat=True)
        )
        for chunk in chunks(ids):
            sync(list(Question.objects.filter(pk__in=chunk).only("pk", "content")))

    def is_missing(self) -> bool:
        """A site upgraded from before inline images were counted: answers with images,
        no rows."""
        return not InlineImage.objects.exists() and Question.objects.filter(content__contains="<img").exists()


deriver = InlineImages()
