"""IndexNow (indexnow.org): search engines told which of the site's URLs appeared,
changed or went, in batches of up to 10,000 URLs a POST, with the site's key and the
address of its key file (`keyLocation`: under SITE_URL's path, which scopes the URLs
the key may announce to the site's own)."""

from __future__ import annotations

import json

from django.conf import settings
from django.urls import reverse

from faqs import site
from notify import delivery
from notify.delivery import Outcome
from notify.models import OutboxEntry

BATCH = 10_000  # URLs a POST at most (the protocol's limit)
# 403: the engine could not read the key file yet (a deploy under way); worth retrying.
KEY_NOT_READ = 403


def key_location() -> str:
    """The key file's absolute URL: <SITE_URL><key>.txt (notify.views)."""
    return site.absolute_url(reverse("faqs:indexnow_key", kwargs={"key": settings.INDEXNOW_KEY}))


def payload(paths: list[str]) -> dict:
    """The protocol's JSON body for these pages."""
    return {
        "host": site.parts().hostname,
        "key": settings.INDEXNOW_KEY,
        "keyLocation": key_location(),
        "urlList": [site.absolute_url(path) for path in paths],
    }


def send(paths: list[str]) -> Outcome:
    """One POST of up to BATCH pages to INDEXNOW_ENDPOINT (200 or 202: received)."""
    body = json.dumps(payload(paths)).encode()
    return delivery.request(
        "POST",
        settings.INDEXNOW_ENDPOINT,
        body=body,
        headers={"Content-Type": "application/json; charset=utf-8"},
        retried=(KEY_NOT_READ,),
    )


def send_due(**options) -> delivery.Run:
    """Every IndexNow row due, in batches (`manage.py send_indexnow`)."""
    return delivery.run(OutboxEntry.Target.INDEXNOW, "IndexNow", send, BATCH, **options)
