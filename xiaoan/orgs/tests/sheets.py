"""Building .xlsx files in tests, the way an education bureau fills in the template."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [
    "名称",
    "类型",
    "上级单位",
    "学校类型",
    "在校学生数",
    "是否寄宿",
    "住宿学生数",
    "教职工数",
]


def xlsx(rows: list[list[Any]], headers: list[str] | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "单位"
    sheet.append(headers if headers is not None else HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "units.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


# A good sheet for district_officer: parents that come later in the sheet, schools typed as
# "小学" in the kind column, and "处室" rows that become a section under a bureau and a
# department under a school.
GOOD_ROWS: list[list[Any]] = [
    ["梁子湖区第二实验小学", "小学", "梧桐湖教育办", "", 600, "否", "", 40],  # row 2
    ["安全办", "处室", "梁子湖区第二实验小学", "", "", "", "", ""],  # row 3
    ["梧桐湖教育办", "教育局", "梁子湖区教育局", "", "", "", "", 8],  # row 4
    ["应急股", "处室", "梧桐湖教育办", "", "", "", "", ""],  # row 5
    ["梁子湖区第三中学", "学校", "梁子湖区教育局", "初中", 800, "是", 300, 60],  # row 6
    ["后勤处", "部门", "梁子湖高级中学", "", "", "", "", ""],  # row 7
]
GOOD_NAMES = [row[0] for row in GOOD_ROWS]
