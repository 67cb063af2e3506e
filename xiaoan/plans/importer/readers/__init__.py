"""Readers: bytes of one file format → `Document`. The format is chosen by the file name's
extension and checked against the content (a .docx is a zip with word/document.xml)."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from django.utils.translation import gettext as _

from ..model import Document, PlanImportError

TEXT_SUFFIXES = {"", ".txt", ".text", ".md", ".markdown", ".tsv"}
OLD_BINARY = {".doc", ".xls", ".wps", ".et", ".rtf"}
# An upload larger than this is not a plan; a package that unpacks to more is a zip bomb.
MAX_BYTES = 30 * 1024 * 1024
MAX_UNPACKED = 300 * 1024 * 1024
SUFFIXES = {".docx", ".xlsx", ".pdf", ".csv", ".html", ".htm", *TEXT_SUFFIXES}


def read_document(data: bytes, filename: str = "") -> Document:
    path = PurePath(filename or "")
    suffix = path.suffix.lower()
    name = path.stem
    if suffix in OLD_BINARY:
        raise PlanImportError(
            _("不支持旧版 %(s)s 格式：请在 Office/WPS 中另存为 .docx 或 .xlsx 后再导入。")
            % {"s": suffix}
        )
    if len(data) > MAX_BYTES:
        raise PlanImportError(
            _("文件过大（超过 %(n)d MB）：请只上传方案正文或责任清单。") % {"n": MAX_BYTES >> 20}
        )
    if suffix not in SUFFIXES:
        raise PlanImportError(
            _(
                "不支持的文件类型“%(s)s”：请上传 .docx、.xlsx、.csv、.txt、.md、.html "
                "或带文字层的 .pdf 文件。"
            )
            % {"s": suffix or filename}
        )
    if suffix == ".docx":
        from .word import read_docx

        _check_zip(data, "word/document.xml", _("Word"))
        return read_docx(data, name)
    if suffix == ".xlsx":
        from .excel import read_xlsx

        _check_zip(data, "xl/workbook.xml", _("Excel"))
        return read_xlsx(data, name)
    if suffix == ".pdf":
        from .pdf import read_pdf

        if not data.lstrip()[:5] == b"%PDF-":
            raise PlanImportError(_("无法读取 PDF 文件：文件已损坏或不是 PDF 格式。"))
        return read_pdf(data, name)
    from .html import HAS_TABLE, read_html
    from .plain import decode, read_csv, read_text

    if data.startswith(b"PK\x03\x04") or data[:1024].count(b"\x00") > 8:
        raise PlanImportError(
            _("文件内容不是文本：请确认文件类型，Word/Excel 文件请使用 .docx/.xlsx 扩展名。")
        )
    text = decode(data)
    if suffix == ".csv":
        return read_csv(text, name)
    if suffix in (".html", ".htm") or HAS_TABLE.search(text):
        return read_html(text, name)
    return read_text(text, name)


def _check_zip(data: bytes, member: str, kind: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.getinfo(member)
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise PlanImportError(
            _("无法读取 %(k)s 文件：文件已损坏或不是有效的 %(k)s 文档。") % {"k": kind}
        ) from None
    if unpacked > MAX_UNPACKED:
        raise PlanImportError(_("无法读取 %(k)s 文件：解压后内容过大。") % {"k": kind})


__all__ = ["read_document"]
