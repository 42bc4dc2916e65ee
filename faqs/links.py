"""The link graph: which question links to which, derived from answers on save.

`rebuild_links()` re-derives the InternalLink rows of some questions (one save, or a
whole import) with a bounded number of queries; `resolve` turns an href into the
question it names, following redirects of old slugs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.urls import reverse

from faqs import content
from faqs.identifiers import whole_number
from faqs.models import InternalLink, Question
from faqs.site import absolute_url

CHUNK = 500  # SQLite allows a limited number of parameters per query
MAX_REDIRECT_HOPS = 5
_QUESTION_PATH = re.compile(r"faq/([^/?#]+)/?")


@dataclass(frozen=True)
class NamedTarget:
    """The question an internal href names: by slug (faq/<slug>/) or by id (?p=<id>)."""

    slug: str = ""
    question_id: int | None = None


def question_path(slug: str) -> str:
    return reverse("faqs:question", kwargs={"slug": slug})


def site_prefixes() -> list[tuple[str, str]]:
    """(host, path) of SITE_URL and its aliases; http and https count alike."""
    prefixes = []
    for url in [settings.SITE_URL, *settings.SITE_URL_ALIASES]:
        parts = urlsplit(url)
        prefixes.append((parts.netloc.lower(), parts.path))
    return prefixes


def named_target(href: str, base_url: str) -> NamedTarget | None:
    """The question URL of this site that `href` names, read as a browser on the
    page `base_url` would (absolute, root-relative or relative); None for anything
    else: other sites, other pages of this site, mailto:, fragments."""
    parts = urlsplit(urljoin(base_url, href.strip()))
    if parts.scheme not in ("http", "https"):
        return None
    for host, root in site_prefixes():
        if parts.netloc.lower() != host or not parts.path.startswith(root):
            continue
        rest = unquote(parts.path[len(root) :])
        match = _QUESTION_PATH.fullmatch(rest)
        if match:
            return NamedTarget(slug=match.group(1).lower())
        post_id = whole_number(parse_qs(parts.query).get("p", [""])[-1])
        if rest == "" and post_id is not None:
            return NamedTarget(question_id=post_id)
    return None


def slug_of_path(path: str) -> str | None:
    """The question slug a root-relative path names (/resources/faq/<slug>/), if any."""
    prefix = f"/{settings.SITE_PATH}"
    if not path.startswith(prefix):
        return None
    match = _QUESTION_PATH.fullmatch(unquote(path[len(prefix) :]))
    return match.group(1).lower() if match else None


def _chunks(values: list) -> list[list]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def resolve_slugs(slugs: set[str]) -> dict[str, tuple[int, bool]]:
    """slug → (question id, reached through a redirect) for every slug that leads to
    a question, following redirects of old slugs (django.contrib.redirects)."""
    found = {}
    for chunk in _chunks(sorted(slugs)):
        rows = Question.objects.filter(slug__in=chunk).values_list("slug", "pk")
        found.update({slug: (pk, False) for slug, pk in rows})
    pending = {slug: slug for slug in slugs - set(found)}  # original slug → slug reached so far
    for _ in range(MAX_REDIRECT_HOPS):
        if not pending:
            break
        paths = {question_path(current): original for original, current in pending.items()}
        hops = Redirect.objects.filter(site_id=settings.SITE_ID, old_path__in=list(paths))
        hops = hops.exclude(new_path="")
        next_slugs = {}
        for old_path, new_path in hops.values_list("old_path", "new_path"):
            slug = slug_of_path(new_path)
            if slug:
                next_slugs[paths[old_path]] = slug
        landed = dict(Question.objects.filter(slug__in=set(next_slugs.values())).values_list("slug", "pk"))
        for original, slug in next_slugs.items():
            if slug in landed:
                found[original] = (landed[slug], True)
        pending = {original: slug for original, slug in next_slugs.items() if slug not in landed}
    return found


def derive_links(question: Question) -> list[tuple[InternalLink, NamedTarget | None]]:
    base = absolute_url(question.get_absolute_url())
    rows = []
    for position, (href, anchor) in enumerate(content.extract_links(question.content)):
        target = named_target(href, base)
        link = InternalLink(
            source=question,
            position=position,
            href=href[:2000],
            anchor=anchor[:500],
            is_internal=target is not None,
            target_slug=target.slug[:200] if target else "",
        )
        rows.append((link, target))
    return rows


def rebuild_links(questions: list[Question]) -> None:
    """Replace the InternalLink rows of `questions` with what their answers hold now,
    CHUNK questions at a time, so an import never holds all its links at once."""
    for chunk in _chunks(questions):
        derived = [pair for question in chunk for pair in derive_links(question)]
        _resolve_targets(derived)
        InternalLink.objects.filter(source_id__in=[question.pk for question in chunk]).delete()
        InternalLink.objects.bulk_create([link for link, _ in derived], batch_size=CHUNK)


def _resolve_targets(derived: list[tuple[InternalLink, NamedTarget | None]]) -> None:
    by_slug = resolve_slugs({target.slug for _, target in derived if target and target.slug})
    wanted_ids = sorted({target.question_id for _, target in derived if target and target.question_id})
    existing_ids = {
        pk
        for chunk in _chunks(wanted_ids)
        for pk in Question.objects.filter(pk__in=chunk).values_list("pk", flat=True)
    }
    for link, target in derived:
        if target and target.slug in by_slug:
            link.target_id, link.via_redirect = by_slug[target.slug]
        elif target and target.question_id in existing_ids:
            link.target_id = target.question_id


def attach_new_targets(questions: list[Question]) -> None:
    """A link that names a slug directly targets whoever holds that slug now: links
    that waited for it (broken) and links that reached another question through a
    redirect the slug has since replaced."""
    by_slug = {question.slug: question.pk for question in questions}
    for chunk in _chunks(sorted(by_slug)):
        named = InternalLink.objects.internal().filter(target_slug__in=chunk)
        waiting = [
            link
            for link in named.only("pk", "target_slug", "target_id", "via_redirect")
            if link.target_id != by_slug[link.target_slug] or link.via_redirect
        ]
        for link in waiting:
            link.target_id, link.via_redirect = by_slug[link.target_slug], False
        InternalLink.objects.bulk_update(waiting, ["target", "via_redirect"], batch_size=CHUNK)


def reresolve_slug(slug: str) -> None:
    """Links naming `slug` follow where it leads now: called when a redirect from that
    slug's URL is added, changed or removed (in the admin, say)."""
    named = InternalLink.objects.internal().filter(target_slug=slug)
    target_id, via_redirect = resolve_slugs({slug}).get(slug, (None, False))
    named.update(target_id=target_id, via_redirect=via_redirect)


def anchor_matches(anchor: str, title: str) -> bool:
    """Whether link text plausibly describes the target: a shared subject word (a
    specific one when the anchor has any: "exam" alone proves nothing), or an acronym
    of one side standing in the other ("Certified Medical Assistant" and "CMA").
    Anchors with no subject word ("here") are not judged."""
    anchor_words, title_words = content.meaningful_words(anchor), content.meaningful_words(title)
    specific = anchor_words - content.GENERIC_WORDS
    if not anchor_words or (specific or anchor_words) & title_words:
        return True
    anchor_acronym, title_acronym = content.acronym(anchor), content.acronym(title)
    if len(anchor_acronym) >= 2 and anchor_acronym in title_words:
        return True
    return any(len(word) >= 3 and word.isalpha() and word in title_acronym for word in anchor_words)


def target_title(link: InternalLink) -> str:
    """What the link points at, in words: the target's title, else its slug's words."""
    if link.target is not None:
        return link.target.title
    return link.target_slug.replace("-", " ")


_HREF = re.compile(r'href="([^"]*)"')


def localize(clean_html: str) -> str:
    """On this site's pages, links written with another address of it (SITE_URL_ALIASES:
    the old origin, production on a staging copy) point at SITE_URL instead. Hosts are
    compared as links are resolved (any case, http or https); the longest alias path
    wins, and a link already on SITE_URL or outside every alias is left alone."""
    home = urlsplit(settings.SITE_URL)
    aliases = sorted(
        (urlsplit(alias) for alias in settings.SITE_URL_ALIASES if alias != settings.SITE_URL),
        key=lambda alias: len(alias.path),
        reverse=True,
    )

    def rewrite(match: re.Match) -> str:
        href = match.group(1)
        parts = urlsplit(href)
        if parts.scheme not in ("http", "https") or href.startswith(settings.SITE_URL):
            return match.group(0)
        for alias in aliases:
            if parts.netloc.lower() == alias.netloc.lower() and parts.path.startswith(alias.path):
                local = parts._replace(
                    scheme=home.scheme, netloc=home.netloc, path=home.path + parts.path[len(alias.path) :]
                )
                return f'href="{urlunsplit(local)}"'
        return match.group(0)

    return _HREF.sub(rewrite, clean_html)
