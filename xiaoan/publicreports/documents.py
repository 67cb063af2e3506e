"""The poster as a PDF (A4, WeasyPrint through xiaoan.core.pdf): the school, the QR code
(inline SVG, nothing fetched) and what happens to a report."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

STYLESHEET = """
@page { size: A4 portrait; margin: 15mm; }
body { text-align: center; }
h1 { font-size: 26pt; font-weight: 700; margin: 0 0 4mm; }
.school { font-size: 20pt; margin-bottom: 8mm; }
.qr svg { width: 110mm; height: 110mm; }
ol { text-align: left; font-size: 13pt; margin: 8mm auto 0; width: 150mm; }
li { margin-bottom: 2mm; }
.url { font-size: 8pt; color: #555; word-break: break-all; margin-top: 6mm; }
"""


def qr_svg(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def poster_pdf(school_name: str, public_url: str) -> bytes:
    from xiaoan.core.pdf import pdf_font, write_pdf

    font = pdf_font()  # PdfUnavailable before any work when the font is missing
    context = {"school_name": school_name, "public_url": public_url,
               "qr_svg": mark_safe(qr_svg(public_url))}  # fmt: skip  # our own SVG
    html = render_to_string("publicreports/poster_pdf.html", context)
    return write_pdf(html, font, stylesheet=STYLESHEET)
