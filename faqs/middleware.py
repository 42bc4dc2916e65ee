"""Input no page can use, stopped before it reaches a database."""

from django.http import Http404, HttpRequest, QueryDict


class RejectNulBytesMiddleware:
    """PostgreSQL refuses text holding NUL (0x00), so a URL like /faq/%00/ or ?s=%00
    would turn into a 500. No real link holds one: the path answers 404 and NULs
    are dropped from query values."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if "\x00" in request.path:
            raise Http404("No page has a NUL byte in its address")
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            request.GET = self._without_nul(request.GET)
        return self.get_response(request)

    @staticmethod
    def _without_nul(query: QueryDict) -> QueryDict:
        cleaned = QueryDict(mutable=True)
        for key, values in query.lists():
            cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
        cleaned._mutable = False
        return cleaned
