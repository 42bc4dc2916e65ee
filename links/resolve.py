"""Which question an href names: by slug (faq/<slug>/) or by id (?p=<id>), on
SITE_URL or an alias, following redirects of old slugs (django.contrib.redirects).
A question's address is read by the URL configuration that routes it (resolve()),
so the two can never disagree on what a question URL is."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.urls import Resolver404, resolve

from faqs import site
from faqs.identifiers import whole_number
from faqs.models import Question
from faqs.models.bulk import chunks

MAX_REDIRECT_HOPS = 5
SITE_URLS = "faqs.urls"  # the URLs under SITE_URL's path


@dataclass(frozen=True)
class NamedTarget:
    """The question an internal href names: by slug (faq/<slug>/) or by id (?p=<id>)."""

    slug: str = ""
    question_id: int | None = None


def question_path(slug: str) -> str:
    return site.slug_path("faqs:question", slug)


@lru_cache(maxsize=4096)
def question_slug(rest: str) -> str | None:
    """The slug of the question whose page is `rest`, a path under the site's root
    (`faq/<slug>/`, its slash optional as APPEND_SLASH makes it), in lower case as
    WordPress slugs are; None for any other page. Resolved by the site's own URL
    configuration (faqs.urls, the part under the root); kept per path, as the same
    targets recur in every answer that links to them."""
    path = f"/{rest}" if rest.endswith("/") else f"/{rest}/"
    try:
        match = resolve(path, urlconf=SITE_URLS)
    except Resolver404:
        return None
    return match.kwargs["slug"].lower() if match.url_name == "question" else None


def named_target(href: str, base_url: str) -> NamedTarget | None:
    """The question URL of this site that `href` names, read as a browser on the
    page `base_url` would (absolute, root-relative or relative); None for anything
    else: other sites, other pages of this site, mailto:, fragments."""
    parts = urlsplit(urljoin(base_url, href.strip()))
    if parts.scheme not in ("http", "https"):
        return None
    for host, root in site.addresses():
        if parts.netloc.lower() != host or not parts.path.startswith(root):
            continue
        rest = unquote(parts.path[len(root) :])
        slug = question_slug(rest)
        if slug:
            return NamedTarget(slug=slug)
        post_id = whole_number(parse_qs(parts.query).get("p", [""])[-1])
        if rest == "" and post_id is not None:
            return NamedTarget(question_id=post_id)
    return None


def slug_of_path(path: str) -> str | None:
    """The question slug a root-relative path names (/resources/faq/<slug>/), if any."""
    prefix = site.path_prefix()
    if not path.startswith(prefix):
        return None
    return question_slug(unquote(path[len(prefix) :]))


def resolve_slugs(slugs: set[str]) -> dict[str, tuple[int, bool]]:
    """slug → (question id, reached through a redirect) for every slug that leads to
    a question, following redirects of old slugs."""
    found = {}
    for chunk in chunks(sorted(slugs)):
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
