"""The ONE builder of head metadata and the schema.org graph, for every page type.

Each view describes its page as a `PageInfo`; `build_head()` turns that into a plain
dict shaped exactly like Yoast's `yoast_head_json`. The HTML head (and, later, the
API's `yoast_head`) is rendered from that dict by `includes/seo_head.html`, so the
page head and the API can never disagree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urljoin

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from faqs import content
from faqs.site import absolute_url, home_url, search_url

# Label of the FAQ archive in breadcrumbs: the old site's post type label, kept as-is.
ARCHIVE_LABEL = "faqs"
# Characters of a meta description search results show on desktop before cutting it
# (the snippet meter's red line, and the content health panel's "too long").
DESCRIPTION_MAX_CHARS = 158
ROBOTS_EXTRAS = {
    "max-snippet": "max-snippet:-1",
    "max-image-preview": "max-image-preview:large",
    "max-video-preview": "max-video-preview:-1",
}


@dataclass
class Crumb:
    name: str
    path: str | None = None  # root-relative; None for the current page


@dataclass(frozen=True)
class PersonInfo:
    """A person the page names (its author, its reviewer, a profile's subject)."""

    name: str
    path: str  # root-relative path of their profile page
    job_title: str = ""
    credentials: str = ""  # "CMA (AAMA)": schema.org's honorificSuffix
    description: str = ""
    same_as: tuple[str, ...] = ()

    @classmethod
    def of(cls, person) -> PersonInfo | None:
        """From a people.Person (read as plain attributes: the builder imports no app)."""
        if person is None:
            return None
        return cls(
            name=person.name,
            path=person.get_absolute_url(),
            job_title=person.job_title,
            credentials=person.credentials,
            description=person.bio,
            same_as=tuple(person.same_as),
        )


@dataclass(frozen=True)
class ImageInfo:
    """The picture a page is shared with (og:image, twitter:image, primaryImageOfPage):
    the featured image's social card, or the site's default image (SOCIAL_IMAGE_ID)."""

    url: str  # absolute
    width: int
    height: int
    mime_type: str
    alt: str = ""
    caption: str = ""

    @classmethod
    def of(cls, image) -> ImageInfo | None:
        """From a media.Image (plain attributes; its renditions prefetched): its 1,200 ×
        630 card in its own format when made, else the stored image itself."""
        if image is None:
            return None
        cards = [r for r in image.renditions.all() if r.kind == "card"]
        card = next((r for r in cards if r.format == image.format), cards[0] if cards else None)
        shown = card or image
        return cls(
            url=absolute_url(shown.file.url),
            width=shown.width,
            height=shown.height,
            mime_type=shown.mime_type,
            alt=image.alt,
            caption=image.caption,
        )


@dataclass(frozen=True)
class Citation:
    """A source the answer relies on: schema.org's citation, a CreativeWork."""

    name: str
    url: str
    publisher: str = ""


@dataclass(frozen=True)
class Alternate:
    """The page in another format, named by a <link rel="alternate"> (a question's
    Markdown copy). Not Yoast's: kept out of the head dict, so wp-json's yoast_head_json
    and yoast_head stay the old site's; only the page's own head shows it."""

    url: str  # absolute
    media_type: str


@dataclass
class PageInfo:
    """What the builder needs to know about one page."""

    title: str
    path: str  # root-relative path of the page
    crumbs: list[Crumb]
    description: str = ""
    schema_type: str = "WebPage"  # CollectionPage for archives, SearchResultsPage for search
    og_type: str = "website"
    canonical_override: str = ""
    noindex: bool = False
    nofollow: bool = False
    published_at: datetime | None = None
    modified_at: datetime | None = None
    reading_minutes: int | None = None
    question_text: str = ""  # the question entity (FAQPage) when set
    answer_html: str = ""
    # Who wrote and who checked the page, when (issue 20): nodes and properties appear
    # only with data, so a page without them keeps the old site's graph exactly.
    author: PersonInfo | None = None
    reviewer: PersonInfo | None = None
    last_reviewed: date | None = None
    citations: tuple[Citation, ...] = ()
    profile_of: PersonInfo | None = None  # a ProfilePage's subject, its mainEntity
    image: ImageInfo | None = None  # issue 21: absent, the head is the old site's exactly
    alternates: tuple[Alternate, ...] = ()  # issue 22: rendered by render_head(), not in the dict


def schema_datetime(value: datetime) -> str:
    """Yoast prints times in UTC with an explicit offset: 2025-12-18T09:36:06+00:00."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def og_locale() -> str:
    return settings.LANGUAGE.replace("-", "_")


def robots(page: PageInfo) -> dict:
    directives = {
        "index": "noindex" if page.noindex else "index",
        "follow": "nofollow" if page.nofollow else "follow",
    }
    if not page.noindex:  # the snippet limits only mean something on an indexed page
        directives.update(ROBOTS_EXTRAS)
    return directives


def build_head(page: PageInfo) -> dict:
    """The head of one page, in the key order of Yoast's yoast_head_json."""
    url = page.canonical_override or absolute_url(page.path)
    head: dict = {"title": page.title}
    if page.description:
        head["description"] = page.description
    head["robots"] = robots(page)
    if not page.noindex:  # Yoast prints no canonical on a page it keeps out of the index
        head["canonical"] = url
    head["og_locale"] = og_locale()
    head["og_type"] = page.og_type
    head["og_title"] = page.title
    if page.description:
        head["og_description"] = page.description
    head["og_url"] = url
    head["og_site_name"] = settings.SITE_NAME
    if page.modified_at and page.og_type == "article":
        head["article_modified_time"] = schema_datetime(page.modified_at)
    if page.image:  # Yoast's og_image: one picture, with its size and type
        picture = {"width": page.image.width, "height": page.image.height, "url": page.image.url}
        picture["type"] = page.image.mime_type
        if page.image.alt:  # og:image:alt, which Yoast leaves out: a shared card needs it too
            picture["alt"] = page.image.alt
        head["og_image"] = [picture]
    head["twitter_card"] = "summary_large_image"
    if page.image:
        head["twitter_image"] = page.image.url
    if page.reading_minutes:
        head["twitter_misc"] = {"Est. reading time": content.reading_time_label(page.reading_minutes)}
    head["schema"] = {"@context": "https://schema.org", "@graph": build_graph(page, url)}
    return head


def build_graph(page: PageInfo, url: str) -> list[dict]:
    graph = [webpage_node(page, url)]
    if page.image:  # where Yoast puts it: after the page, before its breadcrumbs
        graph.append(image_node(page.image, url))
    graph += [breadcrumb_node(page, url), website_node()]
    if (publisher := organization_node()) is not None:
        graph.append(publisher)
    graph.extend(person_node(person) for person in people_of(page))
    if page.question_text:
        graph.append(question_node(page, url))
    return graph


def image_node(image: ImageInfo, url: str) -> dict:
    """Yoast's primary image: an ImageObject with the page's #primaryimage id."""
    node = {
        "@type": "ImageObject",
        "inLanguage": settings.LANGUAGE,
        "@id": f"{url}#primaryimage",
        "url": image.url,
        "contentUrl": image.url,
        "width": image.width,
        "height": image.height,
    }
    if image.caption or image.alt:
        node["caption"] = image.caption or image.alt
    return node


def people_of(page: PageInfo) -> list[PersonInfo]:
    """The people the page names, each once (an author may review their own answer)."""
    named = {}
    for person in (page.profile_of, page.author, page.reviewer):
        if person is not None:
            named.setdefault(person.path, person)
    return list(named.values())


def person_id(person: PersonInfo) -> str:
    """A Person's @id: on their profile page's URL, as the ProfilePage's mainEntity."""
    return f"{absolute_url(person.path)}#person"


def person_node(person: PersonInfo) -> dict:
    node: dict = {"@type": "Person", "@id": person_id(person), "name": person.name}
    if person.credentials:
        node["honorificSuffix"] = person.credentials
    if person.job_title:
        node["jobTitle"] = person.job_title
    if person.description:
        node["description"] = person.description
    if person.same_as:
        node["sameAs"] = list(person.same_as)
    node["url"] = absolute_url(person.path)
    return node


def citation_node(citation: Citation) -> dict:
    node: dict = {"@type": "CreativeWork", "name": citation.name, "url": citation.url}
    if citation.publisher:
        node["publisher"] = {"@type": "Organization", "name": citation.publisher}
    return node


def credits(page: PageInfo) -> dict:
    """The WebPage's author, reviewer, review date and sources, when it has them."""
    node: dict = {}
    if page.author:
        node["author"] = {"@id": person_id(page.author)}
    if page.reviewer:
        node["reviewedBy"] = {"@id": person_id(page.reviewer)}
    if page.last_reviewed:
        node["lastReviewed"] = page.last_reviewed.isoformat()
    if page.citations:
        node["citation"] = [citation_node(citation) for citation in page.citations]
    return node


def webpage_node(page: PageInfo, url: str) -> dict:
    node: dict = {
        "@type": ["WebPage", "FAQPage"] if page.question_text else page.schema_type,
        "@id": url,
        "url": url,
        "name": page.title,
        "isPartOf": {"@id": website_id()},
    }
    if page.image:
        node["primaryImageOfPage"] = {"@id": f"{url}#primaryimage"}
        node["image"] = {"@id": f"{url}#primaryimage"}
        node["thumbnailUrl"] = page.image.url
    if page.published_at:
        node["datePublished"] = schema_datetime(page.published_at)
    if page.modified_at:
        node["dateModified"] = schema_datetime(page.modified_at)
    if page.description:
        node["description"] = page.description
    node.update(credits(page))
    node["breadcrumb"] = {"@id": f"{url}#breadcrumb"}
    if page.question_text:
        node["mainEntity"] = [{"@id": f"{url}#question"}]
    elif page.profile_of:
        node["mainEntity"] = {"@id": person_id(page.profile_of)}
    node["inLanguage"] = settings.LANGUAGE
    node["potentialAction"] = [{"@type": "ReadAction", "target": [url]}]
    return node


def breadcrumb_node(page: PageInfo, url: str) -> dict:
    items = []
    for position, crumb in enumerate(page.crumbs, start=1):
        item = {"@type": "ListItem", "position": position, "name": crumb.name}
        if crumb.path is not None:  # the last crumb, the page itself, has no item
            item["item"] = absolute_url(crumb.path)
        items.append(item)
    return {"@type": "BreadcrumbList", "@id": f"{url}#breadcrumb", "itemListElement": items}


def website_id() -> str:
    return f"{home_url()}#website"


def organization_id() -> str:
    return f"{home_url()}#organization"


def organization_node() -> dict | None:
    """The site's publisher, as Yoast's Organization node (its logo an ImageObject, the
    editorial policy its publishingPrinciples), when ORGANIZATION_NAME names one; None
    otherwise, so a site without it keeps the old site's graph exactly."""
    if not settings.ORGANIZATION_NAME:
        return None
    node: dict = {
        "@type": "Organization",
        "@id": organization_id(),
        "name": settings.ORGANIZATION_NAME,
        "url": home_url(),
    }
    if settings.ORGANIZATION_LOGO_URL:
        logo_id = f"{home_url()}#/schema/logo/image/"
        logo = urljoin(home_url(), settings.ORGANIZATION_LOGO_URL)  # a path, or a whole URL
        node["logo"] = {
            "@type": "ImageObject",
            "@id": logo_id,
            "url": logo,
            "contentUrl": logo,
            "caption": settings.ORGANIZATION_NAME,
        }
        node["image"] = {"@id": logo_id}
    if settings.EDITORIAL_POLICY_URL:
        node["publishingPrinciples"] = urljoin(home_url(), settings.EDITORIAL_POLICY_URL)
    return node


def website_node() -> dict:
    node = {
        "@type": "WebSite",
        "@id": website_id(),
        "url": home_url(),
        "name": settings.SITE_NAME,
        "description": settings.SITE_TAGLINE,
    }
    if settings.ORGANIZATION_NAME:
        node["publisher"] = {"@id": organization_id()}  # where Yoast puts it, before the search
    return node | {
        "potentialAction": [
            {
                "@type": "SearchAction",
                "target": {
                    "@type": "EntryPoint",
                    "urlTemplate": absolute_url(search_url("")) + "{search_term_string}",
                },
                "query-input": {
                    "@type": "PropertyValueSpecification",
                    "valueRequired": True,
                    "valueName": "search_term_string",
                },
            }
        ],
        "inLanguage": settings.LANGUAGE,
    }


def question_node(page: PageInfo, url: str) -> dict:
    """The Question/Answer entity that makes the page an FAQPage."""
    node: dict = {
        "@type": "Question",
        "@id": f"{url}#question",
        "url": url,
        "name": page.question_text,
        "answerCount": 1,
        "acceptedAnswer": {
            "@type": "Answer",
            "text": page.answer_html,
            "inLanguage": settings.LANGUAGE,
        },
        "inLanguage": settings.LANGUAGE,
    }
    if page.published_at:
        node["datePublished"] = schema_datetime(page.published_at)
    return node


# --- rendering -----------------------------------------------------------------


def schema_json(schema: dict) -> SafeString:
    """JSON for a <script> element: <, > and & are \\u-escaped, so no title or
    answer can close the element ("</script>") or open a comment."""
    text = json.dumps(schema, ensure_ascii=False, separators=(",", ":"))
    # Three str.replace calls, not str.translate: translate walks the text a character
    # at a time (wp-json: 35 ms of CPU for a page of 100 heads; replace, 5 ms. Issue 18).
    return mark_safe(text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026"))


def head_context(head: dict, alternates: tuple[Alternate, ...] = ()) -> dict:
    """What includes/seo_head.html needs: the dict plus its two rendered forms, and the
    page's alternates (`PageInfo.alternates`; none for the API's yoast_head)."""
    return {
        "head": head,
        "robots_content": ", ".join(head["robots"].values()),
        "twitter_misc": list(head.get("twitter_misc", {}).items()),
        "schema_json": schema_json(head["schema"]),
        "alternates": alternates,
    }


def render_head(head: dict, alternates: tuple[Alternate, ...] = ()) -> SafeString:
    """The head tags as HTML, for pages and for the API's `yoast_head`."""
    return mark_safe(head_tags(head, alternates).strip())


def head_tags(head: dict, alternates: tuple[Alternate, ...] = ()) -> SafeString:
    """The head tags exactly as `{% seo_head head %}` writes them, for a page that keeps
    them rendered (its fragments)."""
    return mark_safe(render_to_string("includes/seo_head.html", head_context(head, alternates)))


# --- pages -----------------------------------------------------------------------
# One constructor per page type; views call these, then build_head().


def _paged_title(base: str, page) -> str:
    """Yoast's archive titles: "CMA Exam Archives - Page 2 of 5 - Certilyst". `page`
    is a paginator page, or None for the archive as a whole (the API's term head)."""
    if page is not None and page.number > 1:
        base = f"{base} - Page {page.number} of {page.paginator.num_pages}"
    return f"{base} - {settings.SITE_NAME}"


def _questions(count: int) -> str:
    """“1 question”, “1,200 questions”: the count that describes a list page."""
    return f"{count:,} question{'' if count == 1 else 's'}"


def _home_crumb() -> Crumb:
    return Crumb("Home", reverse("faqs:home"))


def _archive_crumb() -> Crumb:
    return Crumb(ARCHIVE_LABEL, reverse("faqs:archive"))


def question_page(question) -> PageInfo:
    return PageInfo(
        title=question.effective_title,
        path=question.get_absolute_url(),
        crumbs=[_home_crumb(), _archive_crumb(), Crumb(question.title)],
        description=question.effective_description,
        og_type="article",
        canonical_override=question.canonical_url,
        # A preview of an unpublished question must never be indexed.
        noindex=question.noindex or not question.is_public(),
        nofollow=question.nofollow,
        published_at=question.published_at,
        modified_at=question.modified_at,
        reading_minutes=question.reading_minutes,
        question_text=question.title,
        answer_html=question.content,
        author=PersonInfo.of(question.written_by) if question.written_by_id else None,
        reviewer=PersonInfo.of(question.reviewed_by) if question.reviewed_by_id else None,
        last_reviewed=question.last_reviewed,
        citations=citations_of(question),
        image=shared_image(question),
        alternates=markdown_copy(question),
    )


def markdown_copy(question) -> tuple[Alternate, ...]:
    """The public question's Markdown copy (machine_copies: faq/<slug>.md); none for
    a preview or a form not saved yet, which have no copy."""
    if not (question.pk and question.slug and question.is_public()):
        return ()
    path = reverse("faqs:question_markdown", kwargs={"slug": question.slug})
    return (Alternate(absolute_url(path), "text/markdown"),)


def shared_image(question) -> ImageInfo | None:
    """The question's featured image, else the site's default one (SOCIAL_IMAGE_ID,
    off unless set: read once a process), else none."""
    if question.featured_image_id:
        return ImageInfo.of(question.featured_image)
    return default_image()


def default_image() -> ImageInfo | None:
    if not settings.SOCIAL_IMAGE_ID:
        return None
    from media.models import Image  # the builder reads apps' rows only here

    image = Image.objects.prefetch_related("renditions").filter(pk=settings.SOCIAL_IMAGE_ID).first()
    return ImageInfo.of(image)


def citations_of(question) -> tuple[Citation, ...]:
    """The question's sources (sources.Source, in their order; prefetched by lists). A
    question not saved yet (the add form's snippet preview) has none."""
    if question.pk is None:
        return ()
    sources = question.sources.all()
    return tuple(
        Citation(source.title, source.web_url, source.publisher) for source in sources if source.web_url
    )


def profile_page(person, path: str, page) -> PageInfo:
    """An author page (author/<slug>/), as Yoast's author archive: a ProfilePage whose
    mainEntity is the Person; `page` is the paginator page of their questions (None
    for the profile as a whole: the API's user head)."""
    info = PersonInfo.of(person)
    return PageInfo(
        title=_paged_title(person.name, page),
        path=path,
        crumbs=[_home_crumb(), Crumb(person.name)],
        description=content.cut_at_word(person.bio, DESCRIPTION_MAX_CHARS)
        or f"{_questions(page.paginator.count) if page else 'Questions'} by {person.name}.",
        schema_type="ProfilePage",
        profile_of=info,
        # As Yoast treats an author archive with no posts: nothing for a search engine.
        noindex=page is not None and page.paginator.count == 0,
    )


def home_page() -> PageInfo:
    return PageInfo(
        title=f"{settings.SITE_NAME} - {settings.SITE_TAGLINE}",
        path=reverse("faqs:home"),
        crumbs=[Crumb("Home")],
        description=settings.SITE_TAGLINE,
        schema_type="CollectionPage",
    )


def archive_page(path: str, page) -> PageInfo:
    return PageInfo(
        title=_paged_title("FAQ Archive", page),
        path=path,
        crumbs=[_home_crumb(), Crumb(ARCHIVE_LABEL)],
        description=f"{_questions(page.paginator.count)} on {settings.SITE_NAME}, newest first.",
        schema_type="CollectionPage",
    )


def category_page(category, ancestors: list, path: str, page, count: int) -> PageInfo:
    """A term archive as Yoast presents it: Home › parents › term, og:type article;
    the description is the term's own (HTML allowed, its first paragraph used), else
    a sentence with its `count` of public questions."""
    crumbs = [_home_crumb(), *(Crumb(parent.name, parent.get_absolute_url()) for parent in ancestors)]
    description = content.derive_description(category.description)
    return PageInfo(
        title=_paged_title(f"{category.name} Archives", page),
        path=path,
        crumbs=[*crumbs, Crumb(category.name)],
        description=description or f"{_questions(count)} about {category.name}.",
        schema_type="CollectionPage",
        og_type="article",
    )


def tag_page(tag, path: str, page) -> PageInfo:
    return PageInfo(
        title=_paged_title(f"{tag.name} Archives", page),
        path=path,
        crumbs=[_home_crumb(), Crumb(tag.name)],
        description=f"{_questions(page.paginator.count)} tagged “{tag.name}”.",
        schema_type="CollectionPage",
        og_type="article",
    )


def search_page(query: str, count: int) -> PageInfo:
    """Search results are kept out of the index, as Yoast does; `count` is the number
    of questions found."""
    name = f"You searched for {query}" if query else "Search"
    found = f"{_questions(count)} found for “{query}”." if query else ""
    return PageInfo(
        title=f"{name} - {settings.SITE_NAME}",
        path=search_url(query),
        crumbs=[_home_crumb(), Crumb(name)],
        description=found or f"Search the questions on {settings.SITE_NAME}.",
        schema_type="SearchResultsPage",
        noindex=True,
    )


def site_page(title: str, path: str, content_html: str) -> PageInfo:
    """An editor's site page (About, Editorial policy…) as Yoast presents a WordPress
    page: Home › title, og:type article, the description from its first paragraph."""
    return PageInfo(
        title=f"{title} - {settings.SITE_NAME}",
        path=path,
        crumbs=[_home_crumb(), Crumb(title)],
        description=content.derive_description(content_html),
        og_type="article",
    )


def not_found_page(path: str) -> PageInfo:
    return PageInfo(
        title=f"Page not found - {settings.SITE_NAME}",
        path=path,
        crumbs=[_home_crumb(), Crumb("Page not found")],
        noindex=True,
    )
