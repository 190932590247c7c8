"""Enrollment links as QR codes: SVG, inlined as a data: URI (the CSP allows img data:)."""

import base64

import qrcode
from qrcode.image.svg import SvgPathImage


def data_uri(text: str) -> str:
    """A data:image/svg+xml URI of a QR code holding `text`."""
    image = qrcode.make(text, image_factory=SvgPathImage, border=2)
    svg = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
