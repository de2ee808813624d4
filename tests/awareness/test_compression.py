from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from awareness.compression import PagesGZipMiddleware


def respond(response):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip, br")
    return PagesGZipMiddleware(lambda request: response)(request)


def test_pages_are_compressed():
    assert respond(HttpResponse("x" * 500))["Content-Encoding"] == "gzip"
    streamed = respond(StreamingHttpResponse(iter([b"x" * 500]), content_type="text/csv"))
    assert streamed["Content-Encoding"] == "gzip"


def test_an_event_stream_is_not_held_back_by_compression():
    chunks = [b"data: 1\n\n", b"data: 2\n\n"]
    response = respond(StreamingHttpResponse(iter(chunks), content_type="text/event-stream"))
    assert not response.has_header("Content-Encoding")
    assert list(response.streaming_content) == chunks
