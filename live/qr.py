"""The join link as a QR code: an SVG drawn on the server with segno (pure Python), inline in
the projector page (no image request, nothing from a third party, nothing the CSP forbids)."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, label: str) -> SafeString:
    """An inline SVG of ``url`` that scales to its box (``.live-qr``), named ``label`` for
    screen readers; black on white with the standard quiet zone of four modules."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(
        scale=1, border=4, dark="#000", light="#fff", omitsize=True, title=label, svgclass="live-qr"
    )
    # segno escapes the title; the role makes the SVG one named image.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308
