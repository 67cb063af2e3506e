"""A tiny PDF writer for tests: text in the Adobe-GB1 CID font STSong-Light (not embedded,
so no font file is needed; pdfminer maps its UCS-2 codes back to Unicode) and ruling lines
for tables. fpdf2/reportlab are not dependencies and LibreOffice is not installed."""

from __future__ import annotations


def make_pdf(
    lines: list[tuple[float, float, str]], rules: list[tuple[float, float, float, float]] = ()
) -> bytes:
    """One page: text lines at (x, y) and ruling lines (x0, y0, x1, y1)."""
    return make_pages([(lines, rules)])


def _content(lines, rules) -> bytes:
    ops = [f"{x0} {y0} m {x1} {y1} l S" for x0, y0, x1, y1 in rules]
    for x, y, text in lines:
        hexed = text.encode("utf-16-be").hex().upper()
        ops.append(f"BT /F1 10 Tf {x} {y} Td <{hexed}> Tj ET")
    return "\n".join(ops).encode()


def make_pages(pages) -> bytes:
    font = 3 + 2 * len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
    ]
    for index, (lines, rules) in enumerate(pages):
        stream = _content(lines, rules)
        page = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            f" /Resources << /Font << /F1 {font} 0 R >> >> /Contents {4 + 2 * index} 0 R >>"
        )
        objects.append(page.encode())
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"
        )
    objects += [
        f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
        f" /DescendantFonts [{font + 1} 0 R] >>".encode(),
        f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        f" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >>"
        f" /FontDescriptor {font + 2} 0 R /DW 1000 >>".encode(),
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def table_page(
    title: str, rows: list[list[str]], merged_below: set[tuple[int, int]], footer: str = ""
):
    """A ruled table; (row, column) in `merged_below` has no line under it (a vertical merge)."""
    xs = [60, 100, 330, 420, 540]
    ys = [700 - 30 * i for i in range(len(rows) + 1)]
    rules = [(x, ys[-1], x, ys[0]) for x in xs]
    for index, y in enumerate(ys):
        for column in range(len(xs) - 1):
            if (index - 1, column) not in merged_below:
                rules.append((xs[column], y, xs[column + 1], y))
    lines = [(72.0, 760.0, title)] if title else []
    for index, row in enumerate(rows):
        for x, text in zip(xs, row, strict=False):
            if text:
                lines.append((x + 3, ys[index] - 16, text))
    if footer:
        lines.append((280.0, 40.0, footer))
    return lines, rules


def table_pdf(title: str, rows: list[list[str]], merged_below: set[tuple[int, int]]) -> bytes:
    return make_pages([table_page(title, rows, merged_below)])
