"""A public question as Markdown: its title, its canonical address, its last change and
its answer, made from the stored (sanitised) answer as the page shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from faqs import content, seo, site
from faqs.models import Question
from machine_copies.markdown import escape_text, link_destination, to_markdown

# What the copy reads of the row: not the search text (as long as the answer) nor the
# derived fields.
COPY_FIELDS = (
    "title",
    "slug",
    "content",
    "status",
    "published_at",
    "modified_at",
    "saved_at",
    "canonical_url",
    "noindex",
    "nofollow",
)


@dataclass(frozen=True)
class MarkdownCopy:
    """What the response needs, the same for every reader (kept as a fragment)."""

    text: str
    canonical_url: str
    saved_at: datetime  # the response's Last-Modified, as the page's
    robots: str  # the page's noindex/nofollow, "" when it has neither


def public_copy(slug: str) -> MarkdownCopy | None:
    """The Markdown copy of the public question at `slug`; None when there is none (a
    draft, a scheduled question not yet due, no such slug): the copy never shows what
    the public page would not."""
    question = Question.objects.only(*COPY_FIELDS).filter(slug=slug).first()
    if question is None or not question.is_public():
        return None
    return markdown_copy(question)


def markdown_copy(question: Question) -> MarkdownCopy:
    page_url = site.absolute_url(question.get_absolute_url())
    # The page's canonical (seo.build_head): the editor's canonical URL, else the page.
    canonical = question.canonical_url or page_url
    lines = [
        f"# {escape_text(' '.join(question.title.split()))}",
        f"Canonical URL: <{link_destination(canonical)}>",
        f"Last modified: {seo.schema_datetime(question.modified_at)}",
    ]
    answer = to_markdown(shown_answer(question), base_url=page_url)
    text = "\n\n".join([*lines, answer] if answer else lines) + "\n"
    robots = ", ".join(
        name for name, on in (("noindex", question.noindex), ("nofollow", question.nofollow)) if on
    )
    return MarkdownCopy(text=text, canonical_url=canonical, saved_at=question.saved_at, robots=robots)


def shown_answer(question: Question) -> str:
    """The answer as the page shows it (faqs.views.answer_parts): links written with an
    alias of the site pointed at SITE_URL, every heading with its id. Images stay the
    library's <img> (the page's responsive <picture> is for browsers)."""
    answer_html, _ = content.with_section_ids(content.rewrite_hrefs(question.content, site.localized))
    return answer_html
