"""The district officer's ledger at desktop size (1280×900): a filter and the Excel export."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from xiaoan.browser_tests.support import DESKTOP

pytestmark = pytest.mark.browser


def sheet_numbers(path) -> list[str]:
    """The 编号 column of the export's first sheet, below its header row."""
    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(rows) if "编号" in row)
    column = rows[header].index("编号")
    # Below the table come the totals (合计, 按等级 …): only the rows above the first blank one.
    numbers = []
    for row in rows[header + 1 :]:
        # A read-only sheet trims empty trailing cells, so a blank row may be shorter.
        value = row[column] if column < len(row) else None
        if not value:
            break
        numbers.append(value)
    return numbers


def test_it_filters_the_ledger_and_exports_what_it_shows(browse, tmp_path):
    from xiaoan.hazards.models import Hazard

    majors = set(
        Hazard.objects.filter(level="major", unit__name="梁子湖高级中学").values_list(
            "number", flat=True
        )
    )
    assert majors and Hazard.objects.exclude(number__in=majors).exists()

    page = browse.page("district_officer", DESKTOP)
    page.get_by_role("link", name="隐患台账", exact=True).click()
    expect(page.get_by_role("heading", name="隐患台账")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("combobox", name="等级").select_option(label="重大隐患")
    expect(page).to_have_url(re.compile(r"[?&]level=major"))
    # Choosing a filter refreshes the results in place (htmx), not the whole page.
    assert page.evaluate("window.stillTheSamePage === true")

    table = page.get_by_role("table")
    rows = table.get_by_role("row").filter(has=page.get_by_role("cell"))
    expect(rows).to_have_count(len(majors))
    for number in majors:
        expect(table.get_by_role("link", name=number)).to_be_visible()

    page.get_by_role("button", name="导出 Excel").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="问题清单").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert set(sheet_numbers(path)) == majors
