"""Purging the CDN: the pages a write changed dropped from the caches in front of the
site, as wagtail.contrib.frontend_cache does. Cloudflare through its API (the zone's
`purge_cache`: by URL in batches, or everything), and any cache that takes HTTP
`PURGE <path>` (Varnish, Fastly, nginx's or Squid's purge) at the addresses of
CDN_PURGE_URLS, with the site's Host; everything there is one `BAN <site path>`
(Varnish, with the rule README's "Behind a CDN" gives). More than CDN_PURGE_ALL_ABOVE
pages in a batch purge everything instead."""

from __future__ import annotations

import json

from django.conf import settings

from faqs import site
from notify import delivery
from notify.delivery import Outcome
from notify.models import EVERYTHING, OutboxEntry

# URLs a Cloudflare purge_cache call takes at most, on every plan (Cloudflare's docs).
CLOUDFLARE_BATCH = 100
# A PURGE of a page the cache does not hold: nginx's purge module answers 404.
NOT_CACHED = 404


def send(paths: list[str]) -> Outcome:
    """Purge these pages (or everything, when `*` is among them or they are more than
    CDN_PURGE_ALL_ABOVE) at every configured cache; retried as a whole if one failed."""
    everything = EVERYTHING in paths or len(paths) > settings.CDN_PURGE_ALL_ABOVE
    outcomes = []
    if settings.CDN_CLOUDFLARE_ZONE:
        outcomes.append(cloudflare(paths, everything))
    for address in settings.CDN_PURGE_URLS:
        outcomes.append(http_cache(address, paths, everything))
    return Outcome.worst(outcomes)


def cloudflare(paths: list[str], everything: bool) -> Outcome:
    """The zone's purge_cache: the pages' absolute URLs, CLOUDFLARE_BATCH a call, or
    `purge_everything`. Stops at the first call that fails."""
    url = f"{settings.CDN_CLOUDFLARE_API}/zones/{settings.CDN_CLOUDFLARE_ZONE}/purge_cache"
    urls = [site.absolute_url(path) for path in paths]
    if everything:
        bodies = [{"purge_everything": True}]
    else:
        bodies = [{"files": urls[n : n + CLOUDFLARE_BATCH]} for n in range(0, len(urls), CLOUDFLARE_BATCH)]
    headers = {
        "Authorization": f"Bearer {settings.CDN_CLOUDFLARE_TOKEN}",
        "Content-Type": "application/json",
    }
    for body in bodies:
        outcome = delivery.request(
            "POST", url, body=json.dumps(body).encode(), headers=headers, check=cloudflare_complaint
        )
        if outcome.kind != "sent":
            return outcome
    done = "everything" if everything else f"{len(urls)} URLs"
    return Outcome("sent", f"Cloudflare purged {done}", everything=everything)


def cloudflare_complaint(body: bytes) -> str:
    """Cloudflare's verdict in a 2xx answer: "" when `success`, else its errors."""
    try:
        answer = json.loads(body)
    except ValueError:
        return "an answer that is not JSON"
    if isinstance(answer, dict) and answer.get("success") is True:
        return ""
    errors = answer.get("errors") if isinstance(answer, dict) else None
    return f"Cloudflare said {json.dumps(errors)[:200]}"


def http_cache(address: str, paths: list[str], everything: bool) -> Outcome:
    """`PURGE <path>` for each page (`BAN <site path>` for everything) sent to the cache
    at `address` with the site's Host, as the cache keys its copies. Stops at the first
    request that fails: a cache down costs one timeout, not one a page."""
    host = {"Host": site.domain()}
    if everything:
        outcome = delivery.request("BAN", f"{address}{site.path_prefix()}", headers=host)
        return Outcome(outcome.kind, outcome.message, outcome.retry_after, everything=outcome.kind == "sent")
    for path in paths:
        outcome = delivery.request("PURGE", f"{address}{path}", headers=host, ok=(NOT_CACHED,))
        if outcome.kind != "sent":
            return outcome
    return Outcome("sent", f"{address} purged {len(paths)} pages")


def send_due(**options) -> delivery.Run:
    """Every purge row due, in batches (`manage.py purge_cdn`): a batch of more than
    CDN_PURGE_ALL_ABOVE pages is one purge of everything."""
    batch = settings.CDN_PURGE_ALL_ABOVE + 1
    return delivery.run(OutboxEntry.Target.PURGE, "CDN purge", send, batch, **options)
