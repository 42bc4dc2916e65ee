"""The library's files, served from the storage (MEDIA_ROOT by default) under
MEDIA_URL, as `make run`'s gunicorn runs the site: no web server in front is needed.

Only names of ours are served: a path under images/ of the form our uploads write
(`media.uploads.stored_stem`), one of the library's extensions, no `..`, no absolute
path, no NUL, no backslash. The type comes from the extension, which the upload chose
from the decoded content, never from the sender. Names are unique and never rewritten,
so a browser and a CDN may keep a file a year (`immutable`); `nosniff` keeps a browser
from guessing another type. A FileResponse streams the file and is never kept by the
page cache (http_cache.middleware keeps only whole, non-streaming answers), so images
do not crowd pages out of it.
"""

from __future__ import annotations

import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "avif": "image/avif",
}
NAME = re.compile(r"images/(?:renditions/)?[A-Za-z0-9][A-Za-z0-9_-]{0,120}\.(jpg|png|gif|webp|avif)")
CACHE_CONTROL = "public, max-age=31536000, immutable"


@require_safe
def serve(request: HttpRequest, path: str) -> FileResponse:
    match = NAME.fullmatch(path)
    if match is None or not default_storage.exists(path):
        raise Http404("No such file in the media library.")
    response = FileResponse(default_storage.open(path), content_type=CONTENT_TYPES[match.group(1)])
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response
