"""The site's URLs, and two pages that show what any signed-in page can reach."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path

from awareness import urls as site_urls


@login_required
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"signed in: {request.user.pk}\n", content_type="text/plain")


@login_required
def layout(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/layout.html")


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/bare/", bare),
    path("bench/layout/", layout),
    *site_urls.urlpatterns,
]
handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500
