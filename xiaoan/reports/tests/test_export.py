"""The dashboard's Excel: the figures, every table and the ranking as the page shows them, for
the people who may see that unit only, recorded in the audit trail."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from xiaoan.audit.models import AuditEntry
from xiaoan.hazards.tests.pages_support import private_media, reported  # noqa: F401
from xiaoan.reports.services import dashboard

pytestmark = pytest.mark.django_db


def book(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)


def rows_of(sheet) -> list[tuple]:
    return [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]


def test_it_exports_the_dashboard_as_it_stands(persona, units, client_for):
    reported(persona, units["梁子湖高级中学"])
    district = units["梁子湖区教育局"]
    response = client_for("district_officer").get(f"/reports/export.xlsx?unit={district.pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    workbook = book(response)
    names = workbook.sheetnames
    assert names[0] == "概况" and names[-1] == "下级单位排名"
    assert "近12个月发现与销号" in names
    board = dashboard(persona("district_officer"), district.pk)
    summary = rows_of(workbook["概况"])
    assert summary[0][0] == "梁子湖区教育局安全工作情况"
    figures = {(r[0], r[1]): r[2] for r in summary if len(r) > 2 and r[1]}
    hazards = board.sections_by_key["hazards"]
    for figure in hazards.figures:
        assert figures[(str(hazards.title), str(figure.label))] == figure.value
    ranking = rows_of(workbook["下级单位排名"])
    header = next(i for i, r in enumerate(ranking) if r[0] == "单位")
    exported = [(r[0], r[1]) for r in ranking[header + 1 :]]
    assert exported == [(r["unit"].name, r["score"]) for r in board.ranking]
    assert AuditEntry.objects.filter(action="export", detail__kind="dashboard").exists()


def test_it_refuses_a_unit_out_of_scope(units, client_for):
    school_b = units["东沟镇中心小学"]
    client = client_for("school_a_officer")
    assert client.get(f"/reports/export.xlsx?unit={school_b.pk}").status_code == 404
    assert client.get("/reports/export.xlsx?unit=x").status_code == 404
    assert client_for("expert").get("/reports/export.xlsx").status_code == 404


def test_it_prints_through_libreoffice(persona, units, client_for, tmp_path):
    from xiaoan.core.tests.libreoffice import render

    reported(persona, units["梁子湖高级中学"])
    district = units["梁子湖区教育局"]
    response = client_for("district_officer").get(f"/reports/export.xlsx?unit={district.pk}")
    content = b"".join(response.streaming_content)
    if keep := __import__("os").environ.get("XIAOAN_SHOTS"):
        (__import__("pathlib").Path(keep) / "dashboard.xlsx").write_bytes(content)
    rendered = render({"dashboard.xlsx": content}, tmp_path)["dashboard.xlsx"]
    text = "".join(rendered.text.split())
    assert "梁子湖区教育局安全工作情况" in text and "未销号重大隐患" in text
    assert "下级单位排名" in text and "梁子湖高级中学" in text and "审核人" in text
    # A score of sections' figures and tables, then the ranking: a blown-up layout (a
    # sheet not fitted to the page's width) would print several times more.
    assert rendered.pages <= 16


def test_it_prints_the_brief_on_one_page(persona, units, client_for, tmp_path):
    import io as _io

    from pypdf import PdfReader

    major = reported(persona, units["梁子湖高级中学"], "配电房线路老化裸露")
    from xiaoan.hazards import services as hazards
    from xiaoan.hazards.choices import HazardLevel

    hazards.confirm(persona("school_a_officer"), major.pk, level=HazardLevel.MAJOR)
    district = units["梁子湖区教育局"]
    response = client_for("district_officer").get(f"/reports/brief.pdf?unit={district.pk}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    if keep := __import__("os").environ.get("XIAOAN_SHOTS"):
        (__import__("pathlib").Path(keep) / "brief.pdf").write_bytes(data)
    reader = PdfReader(_io.BytesIO(data))
    assert len(reader.pages) == 1
    text = "".join(reader.pages[0].extract_text().split())
    assert "梁子湖区教育局安全工作情况简报" in text
    assert major.number in text and "最需关注的下级单位" in text and "审核人" in text
    assert AuditEntry.objects.filter(action="export", detail__kind="dashboard-brief").exists()
    school_b = units["东沟镇中心小学"]
    assert (
        client_for("school_a_officer").get(f"/reports/brief.pdf?unit={school_b.pk}").status_code
        == 404
    )


def test_it_downloads_one_charts_numbers(persona, units, client_for):
    reported(persona, units["梁子湖高级中学"])
    district = units["梁子湖区教育局"]
    client = client_for("district_officer")
    response = client.get(f"/reports/export.xlsx?unit={district.pk}&table=hazards.by_month")
    workbook = book(response)
    assert workbook.sheetnames == ["近12个月发现与销号"]
    rows = rows_of(workbook.active)
    header = next(i for i, r in enumerate(rows) if r[0] == "月份")
    board = dashboard(persona("district_officer"), district.pk)
    table = next(t for t in board.sections_by_key["hazards"].tables if t["key"] == "by_month")
    assert [list(r[:3]) for r in rows[header + 1 :]] == table["rows"]
    assert client.get(f"/reports/export.xlsx?unit={district.pk}&table=nope").status_code == 404
    page = client.get(f"/reports/?unit={district.pk}").content.decode()
    assert "table=hazards.by_month" in page
