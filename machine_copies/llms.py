"""llms.txt (llmstxt.org) for the site, and the paged list of every question beside it.

`llms.txt` is an index an assistant can read whole: the site's name and description,
then one `## section` for each category (its path, "CMA Exam › Retakes", so that nested
categories stay H2 sections as the format asks), listing the newest
QUESTIONS_PER_CATEGORY questions filed directly under it as links to their Markdown
copies, and the category page when it holds more. A question is listed under each
category it is filed in. The `## Optional` section links `llms/<n>.txt`: every public
question, oldest first (a page changes only when one of its own questions does), in
files of QUESTIONS_PER_FILE.

Everything is read from the archives (listings): the categories with their public
counts in one query, every category's newest questions in two, a page of the full
list in three. No query reads more rows than the file shows, at any size of site.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from faqs import content, seo, site
from faqs.models import Category, Question
from listings.archives import ArchivePaginator, newest_of_each
from listings.models.archive import ALL, category_key
from machine_copies.markdown import escape_text, link_destination

# An index an assistant reads whole: 30 categories of 10 are ~80 KB, ~20,000 tokens.
QUESTIONS_PER_CATEGORY = 10
# A file of the full list: ~170 KB; its rows are read in one query (SQLite's 999
# parameters), and 100,000 questions are 200 files.
QUESTIONS_PER_FILE = 500
# A question's summary cut where a search result's snippet is (seo.DESCRIPTION_MAX_CHARS).
SUMMARY_CHARS = seo.DESCRIPTION_MAX_CHARS
PATH_SEPARATOR = " › "


@dataclass(frozen=True)
class CategorySection:
    """A category as llms.txt lists it."""

    heading: str  # its path from the top category
    url: str  # its page
    count: int  # public questions filed directly under it
    newest: list[Question]


def index_text() -> str:
    """llms.txt."""
    lines = [f"# {escape_text(settings.SITE_NAME)}", ""]
    if settings.SITE_TAGLINE:
        lines += [f"> {escape_text(settings.SITE_TAGLINE)}", ""]
    lines += [
        "Each question links to a Markdown copy of its page (the page itself is the copy's "
        f"canonical address). A category lists its {QUESTIONS_PER_CATEGORY} newest questions "
        "and links to its page when it holds more; the files under Optional list every question.",
        "",
    ]
    for section in category_sections():
        lines += [f"## {escape_text(section.heading)}", ""]
        lines += [entry(question) for question in section.newest]
        if section.count > len(section.newest):
            name = escape_text(f"All {section.count:,} questions in {section.heading}")
            lines.append(f"- [{name}]({link_destination(section.url)})")
        lines.append("")
    lines += full_list_links()
    return "\n".join(lines).rstrip("\n") + "\n"


def category_sections() -> list[CategorySection]:
    """Every category with public questions filed directly under it, in the tree's
    order (a parent, then its subcategories, each level in the editors' order)."""
    categories = list(Category.objects.with_question_counts())
    tree = {category.pk: category for category in categories}
    shown = [category for category in in_tree_order(categories) if category.question_count > 0]
    counts = {category_key(category.pk): category.question_count for category in shown}
    newest = newest_of_each(
        counts, dict.fromkeys(counts, QUESTIONS_PER_CATEGORY), Question.objects.for_cards()
    )
    return [
        CategorySection(
            heading=PATH_SEPARATOR.join(
                [*(parent.name for parent in Category.ancestors(category, tree)), category.name]
            ),
            url=site.absolute_url(category.get_absolute_url()),
            count=category.question_count,
            newest=newest[category_key(category.pk)],
        )
        for category in shown
    ]


def in_tree_order(categories: list[Category]) -> list[Category]:
    """The categories (in the editors' order) depth first: each parent before its
    children. A category whose parent is missing counts as a top one."""
    ids = {category.pk for category in categories}
    children: dict[int | None, list[Category]] = defaultdict(list)
    for category in categories:
        children[category.parent_id if category.parent_id in ids else None].append(category)
    ordered: list[Category] = []
    seen: set[int] = set()
    stack = list(reversed(children[None]))
    while stack:
        category = stack.pop()
        if category.pk in seen:
            continue
        seen.add(category.pk)
        ordered.append(category)
        stack.extend(reversed(children[category.pk]))
    # A loop in the hierarchy (no admin form allows one) is listed after the rest.
    return ordered + [category for category in categories if category.pk not in seen]


def full_list_links() -> list[str]:
    """The Optional section: a link to each file of the full list."""
    paginator = full_list()
    if not paginator.count:
        return []
    lines = ["## Optional", ""]
    for number in paginator.page_range:
        first = (number - 1) * QUESTIONS_PER_FILE + 1
        last = min(number * QUESTIONS_PER_FILE, paginator.count)
        name = f"Questions {first:,} to {last:,} of {paginator.count:,}, oldest first"
        lines.append(f"- [{escape_text(name)}]({link_destination(page_url(number))})")
    return lines


def full_list() -> ArchivePaginator:
    """Every public question, oldest first, QUESTIONS_PER_FILE to a file."""
    return ArchivePaginator(ALL, QUESTIONS_PER_FILE, Question.objects.for_cards(), newest_first=False)


def page_text(page) -> str:
    """llms/<n>.txt: one page of every public question, oldest first, in llms.txt's form."""
    paginator = page.paginator
    first = page.start_index()
    title = f"{settings.SITE_NAME}: every question, page {page.number:,} of {paginator.num_pages:,}"
    lines = [
        f"# {escape_text(title)}",
        "",
        f"> Questions {first:,} to {page.end_index():,} of {paginator.count:,}, oldest first.",
        "",
        f"The index: [llms.txt]({link_destination(index_url())})",
        "",
        "## Questions",
        "",
        *(entry(question) for question in page.object_list),
    ]
    nearby = []
    if page.has_previous():
        nearby.append(f"- [Previous page]({link_destination(page_url(page.number - 1))})")
    if page.has_next():
        nearby.append(f"- [Next page]({link_destination(page_url(page.number + 1))})")
    if nearby:
        lines += ["", "## Optional", "", *nearby]
    return "\n".join(lines) + "\n"


def entry(question: Question) -> str:
    """A question as a line of llms.txt: its title linking to its Markdown copy, and its
    summary."""
    title = escape_text(" ".join(question.title.split()))
    line = f"- [{title}]({link_destination(markdown_url(question))})"
    # Its words: an imported excerpt may hold markup or character references.
    summary = content.cut_at_word(" ".join(content.text_blocks(question.summary)), SUMMARY_CHARS)
    return f"{line}: {escape_text(summary)}" if summary else line


def markdown_url(question: Question) -> str:
    return site.absolute_url(reverse("faqs:question_markdown", kwargs={"slug": question.slug}))


def index_url() -> str:
    return site.absolute_url(reverse("faqs:llms_txt"))


def page_url(number: int) -> str:
    return site.absolute_url(reverse("faqs:llms_page", kwargs={"page_number": str(number)}))
