"""Word .docx: paragraphs and tables in reading order, straight from the XML.

Vertically merged cells (w:vMerge continue) are marked `merged`; horizontally merged
ones (w:gridSpan) leave `spanned` placeholders so every row has one cell per grid column.
"""

from __future__ import annotations

import io
import re
import zipfile

from django.utils.translation import gettext as _
from lxml import etree

from ..model import Block, Cell, Document, Paragraph, PlanImportError, Table
from ..text import tidy

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P, _TBL, _TR, _TC, _SDT = (f"{{{W}}}{t}" for t in ("p", "tbl", "tr", "tc", "sdt"))
_NUMBER_ONLY = re.compile(
    r"^\s*(?:\d{1,3}\s*[.、．]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|[一二三四五六七八九十]+[、.．]|[①-⑳])\s*$"
)
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)


def read_docx(data: bytes, name: str = "") -> Document:
    try:
        from docx import Document as open_docx

        document = open_docx(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as error:
        raise PlanImportError(
            _("无法读取 Word 文件：文件已损坏或不是有效的 .docx 文档。")
        ) from error
    except Exception as error:  # python-docx raises assorted errors on damaged packages
        raise PlanImportError(
            _("无法读取 Word 文件：文件已损坏或不是有效的 .docx 文档。")
        ) from error
    styles = _style_info(document)
    blocks: list[Block] = []
    _walk(document.element.body, styles, blocks)
    return Document(blocks=blocks, name=name)


def _style_info(document) -> dict[str, tuple[int, bool, int]]:
    """Style id → (heading level, bold, list-numbered) for paragraph and character styles."""
    info: dict[str, tuple[int, bool, int]] = {}
    for style in document.styles:
        try:
            style_id, style_name = style.style_id, style.name or ""
        except (AttributeError, KeyError):  # pragma: no cover - malformed style
            continue
        match = _HEADING_STYLE.match(style_name.strip())
        level = int(match.group(1)) if match else (1 if style_name in ("Title", "标题") else 0)
        bold = False
        font = getattr(style, "font", None)
        if font is not None and font.bold:
            bold = True
        # A list style's level: its own ilvl, else the N of "List Number N" (0: not a list).
        numbered = 0
        if style.element.find(f"{{{W}}}pPr/{{{W}}}numPr") is not None:
            ilvl = _attr(style.element, f"{{{W}}}pPr/{{{W}}}numPr/{{{W}}}ilvl")
            named = re.search(r"(\d)$", style_name.strip())
            numbered = int(ilvl) + 1 if ilvl and ilvl.isdigit() else 1
            if numbered == 1 and named:
                numbered = int(named.group(1))
        info[style_id] = (level, bold, numbered)
    return info


def _walk(container, styles, blocks: list[Block]) -> None:
    for child in container.iterchildren():
        if child.tag == _P:
            blocks.append(_paragraph(child, styles))
        elif child.tag == _TBL:
            blocks.append(_table(child, styles))
        elif child.tag == _SDT:
            content = child.find(f"{{{W}}}sdtContent")
            if content is not None:
                _walk(content, styles, blocks)


def _attr(element, path: str) -> str | None:
    found = element.find(path)
    if found is None:
        return None
    return found.get(f"{{{W}}}val", "true")


def _is_bold(run, paragraph_bold: bool, styles) -> bool:
    value = _attr(run, f"{{{W}}}rPr/{{{W}}}b")
    if value is not None:
        return value not in ("0", "false", "off")
    style = _attr(run, f"{{{W}}}rPr/{{{W}}}rStyle")
    if style and styles.get(style, (0, False, 0))[1]:
        return True
    return paragraph_bold


def _paragraph(p, styles) -> Paragraph:
    style = _attr(p, f"{{{W}}}pPr/{{{W}}}pStyle")
    heading, paragraph_bold, style_numbered = styles.get(style or "", (0, False, 0))
    outline = _attr(p, f"{{{W}}}pPr/{{{W}}}outlineLvl")
    if not heading and outline and outline.isdigit() and int(outline) < 6:
        heading = int(outline) + 1
    list_level = style_numbered if not heading else 0
    if p.find(f"{{{W}}}pPr/{{{W}}}numPr") is not None:
        num_id = _attr(p, f"{{{W}}}pPr/{{{W}}}numPr/{{{W}}}numId")
        ilvl = _attr(p, f"{{{W}}}pPr/{{{W}}}numPr/{{{W}}}ilvl") or "0"
        list_level = 0
        if num_id not in (None, "0"):
            list_level = int(ilvl) + 1 if ilvl.isdigit() else 1
    parts: list[str] = []
    bold_parts: list[str] = []
    leading_bold = True
    for run in p.iter(f"{{{W}}}r"):
        text = "".join(
            "\t"
            if node.tag == f"{{{W}}}tab"
            else ("\n" if node.tag == f"{{{W}}}br" else node.text or "")
            for node in run
            if node.tag in (f"{{{W}}}t", f"{{{W}}}tab", f"{{{W}}}br")
        )
        if not text:
            continue
        parts.append(text)
        if leading_bold:
            if _is_bold(run, paragraph_bold, styles):
                bold_parts.append(text)
            elif text.strip() and (bold_parts or not _NUMBER_ONLY.match("".join(parts))):
                # A plain "1. " before the bold title is the number, not the end of it.
                leading_bold = False
    text = tidy("".join(parts))
    bold = tidy("".join(bold_parts)) if bold_parts and not leading_bold else ""
    if leading_bold and bold_parts:
        bold = ""  # an all-bold paragraph is a heading-like line, not a bold lead
    return Paragraph(text=text, bold=bold, heading=heading, list_level=list_level)


def _table(tbl, styles) -> Table:
    rows: list[list[Cell]] = []
    for tr in tbl.iterchildren(_TR):
        row: list[Cell] = []
        before = _attr(tr, f"{{{W}}}trPr/{{{W}}}gridBefore")
        if before and before.isdigit():
            row.extend(Cell("", spanned=True) for _ in range(int(before)))
        for tc in tr.iterchildren(_TC):
            span_value = _attr(tc, f"{{{W}}}tcPr/{{{W}}}gridSpan")
            span = int(span_value) if span_value and span_value.isdigit() else 1
            vmerge = _attr(tc, f"{{{W}}}tcPr/{{{W}}}vMerge")
            if vmerge is not None and vmerge != "restart":
                row.append(Cell("", merged=True))
            else:
                paragraphs = [_paragraph(p, styles) for p in tc.iterchildren(_P)]
                text = "\n".join(p.text for p in paragraphs if p.text)
                first = next((p for p in paragraphs if p.text), None)
                row.append(Cell(text, bold=first.bold if first else ""))
            row.extend(Cell("", spanned=True, merged=row[-1].merged) for _ in range(span - 1))
        rows.append(row)
    return Table(rows=rows)
