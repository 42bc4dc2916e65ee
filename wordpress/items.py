"""One imported item, checked and turned into unsaved rows: a `faq` item into a
Question, a `faq-categories` term into a Category, a redirect into a Redirect.
Anything that does not fit raises ItemError with the reason, before any write."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from django.contrib.redirects.models import Redirect
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.text import slugify

from faqs import content
from faqs.identifiers import LARGEST_ID, is_id
from faqs.models import Category, Question
from faqs.slugs import slug_from_title
from faqs.tags import MAX_NAME_CHARS, too_long
from people.models import Person
from sources.models import Source
from wordpress import shapes


class ItemError(ValueError):
    """An item that cannot be imported; the message says why."""


def _require(data: dict, key: str) -> Any:
    if key not in data or data[key] is None:
        raise ItemError(f"missing {key!r}")
    return data[key]


def _id(data: dict, key: str = "id") -> int:
    value = _require(data, key)
    if not is_id(value):
        raise ItemError(f"{key!r} must be a whole number from 1 to {LARGEST_ID}, not {value!r}")
    return value


def _string(data: dict, key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if value is None:
        raise ItemError(f"missing {key!r}")
    if not isinstance(value, str):
        raise ItemError(f"{key!r} must be a string, not {type(value).__name__}")
    return value


def _rendered(data: dict, key: str, default: str | None = None) -> str:
    """WordPress wraps HTML fields as {"rendered": …}; a bare string is accepted too."""
    value = data.get(key)
    if isinstance(value, dict):
        return _string(value, "rendered", default)
    if value is None and default is not None:
        return default
    return _string(data, key, default)


def _time(data: dict, gmt_key: str, local_key: str | None) -> Any:
    """The *_gmt value; None when it is null or 0000-…, which WordPress uses for a
    "floating" date (a draft never published). Only when the gmt key is absent is the
    local value (`local_key`, in the site's zone) used."""
    gmt, local = data.get(gmt_key), data.get(local_key) if local_key else None
    for key, value in ((gmt_key, gmt), (local_key, local)):
        if value is not None and not isinstance(value, str):
            raise ItemError(f"{key!r} must be a date string, not {type(value).__name__}")
    try:
        if gmt and not gmt.startswith("0000"):
            return shapes.parse_gmt(gmt).astimezone(UTC)
        if gmt_key in data:
            return None
        if local and not local.startswith("0000"):
            return shapes.parse_site_time(local).astimezone(UTC)
    except (ValueError, OverflowError):
        raise ItemError(f"{gmt_key!r} or {local_key!r} is not a date: {gmt or local!r}") from None
    return None


def item_kind(data: Any) -> str:
    if not isinstance(data, dict):
        raise ItemError(f"expected an object, not {type(data).__name__}")
    if "old_path" in data and "new_path" in data and "title" not in data:
        return "redirect"
    if data.get("taxonomy") == shapes.TAXONOMY:
        return "term"
    if data.get("type") == shapes.ATTACHMENT_TYPE:
        return "attachment"  # its file, for the images of the questions (wordpress.media_import)
    if data.get("type", shapes.FAQ_TYPE) == shapes.FAQ_TYPE and "title" in data:
        return "question"
    if "type" in data and data["type"] != shapes.FAQ_TYPE:
        raise ItemError(f"type {data['type']!r} is not {shapes.FAQ_TYPE!r}")
    if "taxonomy" in data:
        raise ItemError(f"taxonomy {data['taxonomy']!r} is not {shapes.TAXONOMY!r}")
    raise ItemError("missing 'title': neither a faq item nor a faq-categories term")


@dataclass
class TermData:
    id: int
    name: str
    slug: str
    description: str
    parent: int
    ordering: int | None

    def fingerprint(self) -> str:
        """A digest of what the source says of the term, to recognise it next time."""
        said = [self.name, self.slug, self.description, self.parent, self.ordering]
        return hashlib.sha256(json.dumps(said).encode()).hexdigest()


def parse_term(data: dict) -> TermData:
    term_id = _id(data)
    name = shapes.decoded_text(_string(data, "name")).strip()
    if not name:
        raise ItemError("empty 'name'")
    parent = data.get("parent", 0) or 0
    if parent and not is_id(parent):
        raise ItemError(f"'parent' must be a term id, not {parent!r}")
    extension = data.get("certfaq") if isinstance(data.get("certfaq"), dict) else {}
    term = TermData(
        id=term_id,
        name=name,
        slug=shapes.decoded_slug(_string(data, "slug", ""))
        or slug_from_title(name, f"faq-category-{term_id}"),
        description=_string(data, "description", ""),  # WordPress gives it raw, not rendered
        parent=parent,
        ordering=extension.get("ordering") if isinstance(extension.get("ordering"), int) else None,
    )
    _check_lengths(Category(name=term.name, slug=term.slug))
    return term


@dataclass(frozen=True)
class WriterData:
    """A WordPress author as an item names it: its id, and what `_embedded.author`
    shows of it (WordPress's public user fields), when the item embeds it."""

    id: int
    name: str = ""
    slug: str = ""
    description: str = ""
    url: str = ""


def parse_writer(data: dict) -> WriterData | None:
    """The item's author, or None when it has none (a post type without author support,
    as the reference's); a malformed one is an error, as any field's."""
    if "author" not in data or data["author"] in (0, None):
        return None
    writer_id = _id(data, "author")
    embedded = data.get("_embedded") if isinstance(data.get("_embedded"), dict) else {}
    users = embedded.get("author") if isinstance(embedded.get("author"), list) else []
    user = next((u for u in users if isinstance(u, dict) and u.get("id") == writer_id), None)
    if user is None:
        return WriterData(writer_id)
    text = {
        key: user[key].strip() if isinstance(user.get(key), str) else ""
        for key in ("name", "slug", "description", "url")
    }
    return WriterData(
        writer_id,
        name=shapes.decoded_text(text["name"])[:150],
        slug=shapes.decoded_slug(text["slug"])[:150],
        description=text["description"],
        url=text["url"] if text["url"].startswith(("https://", "http://")) else "",
    )


@dataclass
class QuestionData:
    question: Question
    category_ids: list[int]
    category_slug_hints: dict[int, str]
    tags: list[str] | None
    author: str | None
    yoast_head: dict | None  # to keep Yoast's overrides, when no certfaq extension is there
    link: str
    # WordPress's `author` (a user id): the byline's profile (people.Person, same id),
    # described by `_embedded.author` when the export was made with ?_embed.
    writer: WriterData | None = None
    # certfaq's own export: the profiles in full, the review and the sources.
    profiles: list[dict] = field(default_factory=list)
    reviewer_id: int | None = None
    sources: list[dict] | None = None
    # WordPress's `featured_media`: an attachment id, made a library image on import.
    featured_media: int | None = None

    def finish(self) -> None:
        """Sanitise and derive, then keep Yoast's overrides: work done only for rows
        that are written, so re-importing an unchanged export stays cheap."""
        self.question.prepare_content()
        if self.yoast_head:
            _apply_seo(self.question, self.yoast_head, self.link)


def parse_question(data: dict) -> QuestionData:
    question_id = _id(data)
    title = shapes.decoded_text(_rendered(data, "title")).strip()
    if not title:
        raise ItemError("empty 'title'")
    status_word = _string(data, "status", "publish")
    if status_word == "trash":
        raise ItemError("status 'trash': trashed questions are not imported")
    if status_word not in shapes.STATUS_FROM_WORDPRESS:
        raise ItemError(f"unknown status {status_word!r}")
    status = shapes.STATUS_FROM_WORDPRESS[status_word]
    published_at = _time(data, "date_gmt", "date")
    modified_at = _time(data, "modified_gmt", "modified") or published_at or timezone.now()
    category_ids = data.get(shapes.TAXONOMY, [])
    if not isinstance(category_ids, list) or not all(is_id(term_id) for term_id in category_ids):
        raise ItemError(f"{shapes.TAXONOMY!r} must be a list of term ids, not {category_ids!r}")
    answer = _rendered(data, "content", "")
    size_error = content.answer_size_error(answer)
    if size_error:
        raise ItemError(size_error)
    guid = shapes.decoded_text(_rendered(data, "guid", ""))
    question = Question(
        id=question_id,
        title=title,
        slug=shapes.decoded_slug(_string(data, "slug", "")),
        content=answer,
        excerpt=_manual_excerpt(data),
        status=status,
        published_at=published_at,
        modified_at=modified_at,
        saved_at=modified_at,  # as WordPress last wrote it: the page's Last-Modified is kept
        # The guid WordPress would give this id anyway is not worth storing.
        wp_guid="" if guid == Question(id=question_id).guid else guid,
    )
    extension = data.get("certfaq") if isinstance(data.get("certfaq"), dict) else {}
    _apply_extension(question, extension)
    _check_lengths(question)
    tags = [str(tag) for tag in extension["tags"]] if isinstance(extension.get("tags"), list) else None
    long_tags = too_long(tags or [])
    if long_tags:
        raise ItemError(f"tag {long_tags[0][:40]!r}… is longer than {MAX_NAME_CHARS} characters")
    head = data.get("yoast_head_json")
    return QuestionData(
        question=question,
        category_ids=list(dict.fromkeys(category_ids)),
        category_slug_hints=_category_hints(data, category_ids),
        tags=tags,
        author=extension.get("author") if isinstance(extension.get("author"), str) else None,
        # certfaq's own export carries the exact SEO fields; Yoast's are a fallback.
        yoast_head=head if isinstance(head, dict) and not extension else None,
        link=data.get("link") if isinstance(data.get("link"), str) else "",
        writer=parse_writer(data),
        featured_media=data["featured_media"] if is_id(data.get("featured_media")) else None,
        **_credits_extension(question, extension),
    )


@dataclass
class RedirectData:
    old_path: str
    new_path: str  # "" for 410 Gone


def parse_redirect(data: dict) -> RedirectData:
    old_path, new_path = _string(data, "old_path"), _string(data, "new_path")
    if not old_path.startswith("/"):
        raise ItemError(f"'old_path' must start with /, not {old_path!r}")
    redirect = RedirectData(old_path, new_path)
    _check_lengths(Redirect(old_path=old_path, new_path=new_path))
    return redirect


def _check_lengths(instance) -> None:
    """A value longer than its column is reported here, before any row is written:
    PostgreSQL would refuse the whole batch, SQLite would store it anyway."""
    for model_field in instance._meta.concrete_fields:
        value = getattr(instance, model_field.attname)
        if model_field.max_length and isinstance(value, str) and len(value) > model_field.max_length:
            raise ItemError(f"{model_field.name} is longer than {model_field.max_length} characters")


def _manual_excerpt(data: dict) -> str:
    """WordPress's REST excerpt is generated when no manual one exists; generated
    ones end in "[&hellip;]" and are not worth keeping."""
    try:
        rendered = _rendered(data, "excerpt", "")
    except ItemError:
        return ""
    if not rendered.strip() or "[&hellip;]" in rendered or "[…]" in rendered:
        return ""
    return " ".join(content.text_blocks(rendered))


def _apply_seo(question: Question, head: dict, link: str) -> None:
    """Keep Yoast's per-page signals: a title, description or canonical that differs
    from what certfaq would derive (so after prepare_content()), and noindex/nofollow."""
    # Overrides too long for their field are left out rather than cut.
    seo_title = shapes.decoded_text(head["title"]) if isinstance(head.get("title"), str) else ""
    if seo_title and seo_title != question.title and len(seo_title) <= 255:
        question.seo_title = seo_title
    description = head.get("description")
    if isinstance(description, str) and description and description != question.auto_description:
        question.meta_description = shapes.decoded_text(description)
    canonical = head.get("canonical")
    if isinstance(canonical, str) and canonical and canonical != link and len(canonical) <= 500:
        question.canonical_url = canonical
    robots = head.get("robots") if isinstance(head.get("robots"), dict) else {}
    question.noindex = robots.get("index") == "noindex"
    question.nofollow = robots.get("follow") == "nofollow"


EXTENSION_FIELDS = (
    "seo_title", "meta_description", "canonical_url", "noindex", "nofollow", "excerpt",
    "focus_keyphrase", "keyphrase_synonyms", "cornerstone",  # the content analysis's
)  # fmt: skip


def _apply_extension(question: Question, extension: dict) -> None:
    """certfaq's own fields, written by export_wordpress, win over derived guesses."""
    for name in EXTENSION_FIELDS:
        if name in extension and isinstance(extension[name], type(getattr(question, name))):
            setattr(question, name, extension[name])


def _profile(value) -> dict | None:
    """A profile as export_wordpress writes it, each field held to what its column
    takes; anything else is an error (the item is skipped with the reason)."""
    if value is None:
        return None
    if not isinstance(value, dict) or not is_id(value.get("id")) or not isinstance(value.get("name"), str):
        raise ItemError("a profile must be an object with an 'id' and a 'name'")
    text = {name: value[name].strip() for name in PROFILE_FIELDS if isinstance(value.get(name), str)}
    profile = Person(id=value["id"], **text)
    profile.slug = slugify(profile.slug, allow_unicode=True)
    try:
        profile.clean_fields(exclude=["account", "slug"] if not profile.slug else ["account"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ItemError(f"profile {value['id']}: {field}: {messages[0]}") from None
    return {"id": profile.pk, **{name: getattr(profile, name) for name in PROFILE_FIELDS}}


def _day(value, what: str):
    if value is None:
        return None
    day = parse_date(value) if isinstance(value, str) else None
    if day is None:
        raise ItemError(f"{what} must be a date (YYYY-MM-DD), not {value!r}")
    return day


PROFILE_FIELDS = ("name", "slug", "job_title", "credentials", "bio", "profile_links", "email")


def _source(value: dict) -> dict:
    """One source of certfaq's export, checked as the question form checks it (a web
    address: never a javascript: link under an answer)."""
    publisher = value.get("publisher") if isinstance(value.get("publisher"), str) else ""
    source = Source(title=value["title"].strip(), url=value["url"].strip(), publisher=publisher.strip())
    source.checked_on = _day(value.get("checked_on"), "a source's 'checked_on'")
    try:
        source.clean_fields(exclude=["question", "position"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ItemError(f"source {source.title[:40]!r}: {field}: {messages[0]}") from None
    return {
        "title": source.title,
        "url": source.url,
        "publisher": source.publisher,
        "checked_on": source.checked_on,
    }


def _credits_extension(question: Question, extension: dict) -> dict:
    """The byline's profiles, the review date and the sources of certfaq's export."""
    written, reviewed = _profile(extension.get("written_by")), _profile(extension.get("reviewed_by"))
    question.last_reviewed = _day(extension.get("last_reviewed"), "'last_reviewed'")
    sources = extension.get("sources")
    if sources is not None:
        if not isinstance(sources, list) or not all(
            isinstance(s, dict) and isinstance(s.get("title"), str) and isinstance(s.get("url"), str)
            for s in sources
        ):
            raise ItemError("'sources' must be a list of objects with a 'title' and a 'url'")
        sources = [_source(s) for s in sources]
    return {
        "profiles": [p for p in (written, reviewed) if p],
        "reviewer_id": reviewed["id"] if reviewed else None,
        "sources": sources,
    }


def _category_hints(data: dict, category_ids: list[int]) -> dict[int, str]:
    """Term slugs for ids we may not know: from embedded terms, or from the one
    `faq-categories-<slug>` class when the item has a single category."""
    hints: dict[int, str] = {}
    embedded = data.get("_embedded", {}).get("wp:term", []) if isinstance(data.get("_embedded"), dict) else []
    for group in embedded if isinstance(embedded, list) else []:
        for term in group if isinstance(group, list) else []:
            if (
                isinstance(term, dict)
                and isinstance(term.get("id"), int)
                and isinstance(term.get("slug"), str)
            ):
                hints[term["id"]] = term["slug"]
    prefix = f"{shapes.TAXONOMY}-"
    classes = [
        c[len(prefix) :] for c in data.get("class_list", []) if isinstance(c, str) and c.startswith(prefix)
    ]
    if len(category_ids) == 1 and len(classes) == 1:
        hints.setdefault(category_ids[0], classes[0])
    return hints
