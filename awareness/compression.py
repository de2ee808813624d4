"""Pages go out gzip-compressed, except event streams."""

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware


class PagesGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, except for ``text/event-stream`` responses (live.events): gzip
    holds each event back until enough others follow, so a phone would hear of a vote late."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.get("Content-Type", "").startswith("text/event-stream"):
            return response
        return super().process_response(request, response)
