"""A decision as Excel, Word and PDF (pages and API): opened back, with the figures of the day
and the commitments; only what the person sees (a named school its own entry); 404 out of
scope, 403 without the right; rendered through LibreOffice where it is installed."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from xiaoan.accountability import documents, exports, services
from xiaoan.audit.models import AuditEntry
from xiaoan.core.tests.libreoffice import render
from xiaoan.core.xlsx import XLSX

from .support import DISTRICT, SCHOOL_A, SCHOOL_B, committed, drafted, issued

pytestmark = pytest.mark.django_db
API = "/api/accountability/"
HUGE = 10**18


def _two_schools(persona, units):
    officer = persona("district_officer")
    decision = drafted(persona, units)
    entry_a = services.add_entry(officer, decision.pk, target=units[SCHOOL_A].pk, reason="隐患逾期")
    services.add_entry(officer, decision.pk, target=units[SCHOOL_B].pk, reason="乙校专属事由")
    services.issue(officer, decision.pk)
    services.commit(
        officer, decision.pk, entry=entry_a.pk, text="甲校一个月内整改", due_on=decision.decided_on
    )
    entry_b = decision.entries.get(target=units[SCHOOL_B])
    services.commit(
        officer, decision.pk, entry=entry_b.pk, text="乙校两周内整改", due_on=decision.decided_on
    )
    decision.refresh_from_db()
    return decision, entry_a


def _xlsx(content: bytes):
    return load_workbook(io.BytesIO(content))


def _values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _text_of(rows) -> str:
    return " ".join(str(v) for row in rows for v in row if v is not None)


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_it_exports_the_decision_to_excel(api_for, persona, units):
    decision, entry, _commitment = committed(persona, units)
    response = api_for("district_officer").get(f"{API}{decision.pk}/xlsx/")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    book = _xlsx(b"".join(response.streaming_content))
    assert book.sheetnames == ["名单", "整改承诺"]
    rows = _values(book["名单"])
    assert rows[0][0] == decision.title
    head = _text_of(rows[:4])
    assert DISTRICT in head and "约谈" in head and decision.number in head
    assert "已印发" in head and f"{decision.decided_on:%Y-%m-%d}" in head
    header = rows[4]
    assert header[:6] == ["序号", "对象单位", "事由", "取数日期", "排名范围", "得分"]
    figure = next(f for f in entry.evidence["figures"] if f["value"])
    assert figure["label"] in header
    zero = next(f for f in entry.evidence["figures"] if not f["value"])
    assert zero["label"] not in header, "a figure 0 for every entry is left out"
    assert "未列出" in _text_of(rows[6:])
    line = rows[5]
    assert line[1] == SCHOOL_A and line[2] == "隐患逾期"
    assert line[3] == entry.evidence["on"]
    assert line[header.index(figure["label"])] == figure["value"]
    assert line[5] == entry.evidence["score"]
    commitments = _values(book["整改承诺"])
    assert commitments[2] == ["承诺单位", "整改承诺", "完成期限", "状态", "是否逾期"]
    assert commitments[3][0] == SCHOOL_A and commitments[3][1] == "一个月内完成全部逾期隐患整改"
    assert commitments[3][3] == "整改中" and commitments[3][4] == "否"
    assert AuditEntry.objects.filter(action="export", object_id=str(decision.pk)).exists()


def test_it_keeps_the_frozen_figures_in_the_export(api_for, persona, units):
    decision, entry = _two_schools(persona, units)
    frozen = dict(entry.evidence)
    entry.evidence = {**frozen, "score": 12345.5}
    entry.save()  # the export reads the entry as stored, never the dashboard of today
    response = api_for("district_officer").get(f"{API}{decision.pk}/xlsx/")
    rows = _values(_xlsx(_content(response))["名单"])
    assert rows[5][5] == 12345.5


def _content(response) -> bytes:
    assert response.status_code == 200, getattr(response, "content", b"")[:300]
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_it_exports_only_what_a_named_school_sees(api_for, client_for, persona, units):
    decision, _entry = _two_schools(persona, units)
    head = api_for("school_a_head")
    book = _xlsx(_content(head.get(f"{API}{decision.pk}/xlsx/")))
    text = _text_of(_values(book["名单"])) + _text_of(_values(book["整改承诺"]))
    assert SCHOOL_A in text and "甲校一个月内整改" in text
    assert SCHOOL_B not in text and "乙校两周内整改" not in text and "乙校专属事由" not in text
    word = _docx_text(_content(head.get(f"{API}{decision.pk}/docx/")))
    assert SCHOOL_A in word and SCHOOL_B not in word and "乙校" not in word
    page = client_for("school_a_head").get(
        reverse("accountability:decision_docx", args=[decision.pk])
    )
    assert SCHOOL_B not in _docx_text(_content(page))
    # The district sees both.
    full = _docx_text(_content(api_for("district_officer").get(f"{API}{decision.pk}/docx/")))
    assert SCHOOL_A in full and SCHOOL_B in full and "乙校两周内整改" in full


def test_it_writes_the_notice_in_official_layout(api_for, persona, units):
    decision, entry, _commitment = committed(persona, units)
    services.record_meeting(
        persona("district_officer"),
        decision.pk,
        meeting_at=decision.issued_at,
        place="区教育局三楼会议室",
        attendees="校长、分管副校长",
        minutes="限期一个月整改",
    )
    response = api_for("district_officer").get(f"{API}{decision.pk}/docx/")
    content = _content(response)
    assert response["Content-Type"] == exports.DOCX
    assert ".docx" in response["Content-Disposition"]
    doc = Document(io.BytesIO(content))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == decision.number and paragraphs[1] == decision.title
    assert doc.paragraphs[1].runs[0].font.name == documents.TITLE_FONT
    assert f"{SCHOOL_A}：" in paragraphs
    assert any("决定对以下单位予以约谈" in p and "隐患逾期未整改" in p for p in paragraphs)
    assert "二、约谈情况" in paragraphs and "三、整改承诺" in paragraphs
    assert any("区教育局三楼会议室" in p for p in paragraphs)
    assert paragraphs[-2:] == [DISTRICT, documents.date_text(decision.decided_on)]
    day = documents.date_text(decision.decided_on)
    assert f"以下数据为{day}列入名单时的数据。" in paragraphs
    listing = doc.tables[0]
    assert [c.text for c in listing.rows[0].cells] == ["序号", "单位", "事由", "当日数据"]
    assert listing.rows[1].cells[1].text == SCHOOL_A
    assert f"得分 {entry.evidence['score']}" in listing.rows[1].cells[3].text
    assert doc.tables[1].rows[1].cells[0].text == SCHOOL_A


def test_it_renders_the_notice_to_pdf(api_for, client_for, persona, units):
    decision, _entry = _two_schools(persona, units)
    response = api_for("school_a_head").get(f"{API}{decision.pk}/pdf/")
    content = _content(response)
    assert content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    text = "".join(text.split())
    assert decision.title in text and SCHOOL_A in text and SCHOOL_B not in text
    page = client_for("district_officer").get(
        reverse("accountability:decision_pdf", args=[decision.pk])
    )
    assert _content(page).startswith(b"%PDF")


def test_it_serves_the_files_on_the_page(client_for, persona, units):
    decision, _entry = issued(persona, units)
    officer = client_for("district_officer")
    detail = officer.get(reverse("accountability:decision_detail", args=[decision.pk]))
    for name in ("decision_xlsx", "decision_docx", "decision_pdf"):
        assert reverse(f"accountability:{name}", args=[decision.pk]) in detail.content.decode()
    book = _xlsx(_content(officer.get(reverse("accountability:decision_xlsx", args=[decision.pk]))))
    assert _values(book["名单"])[5][1] == SCHOOL_A


@pytest.mark.parametrize("ext", ["xlsx", "docx", "pdf"])
def test_it_scopes_the_files(api_for, client_for, persona, units, ext):
    only_b, _entry = issued(persona, units, school=SCHOOL_B, title="约谈乙校")
    draft = drafted(persona, units, title="草稿")
    page = f"accountability:decision_{ext}"
    head_api, head = api_for("school_a_head"), client_for("school_a_head")
    for pk in (only_b.pk, draft.pk, HUGE):
        assert head_api.get(f"{API}{pk}/{ext}/").status_code == 404
        assert head.get(reverse(page, args=[pk])).status_code == 404
    for who in ("school_b_teacher", "expert"):
        assert api_for(who).get(f"{API}{only_b.pk}/{ext}/").status_code == 403
        assert client_for(who).get(reverse(page, args=[only_b.pk])).status_code == 403
    assert api_for("district_officer").get(f"{API}abc/{ext}/").status_code == 404
    # The auditor may view every decision of the district, so may export it.
    assert api_for("auditor").get(f"{API}{only_b.pk}/{ext}/").status_code == 200


def test_it_renders_through_libreoffice(persona, units, tmp_path):
    decision, _entry, _commitment = committed(persona, units)
    officer = persona("district_officer")
    handle = io.BytesIO()
    exports.write(officer, decision, handle)
    pdfs = render(
        {
            "decision-list.xlsx": handle.getvalue(),
            "decision-notice.docx": documents.decision_docx(officer, decision),
        },
        tmp_path,
    )
    sheet = "".join(pdfs["decision-list.xlsx"].text.split())
    word = "".join(pdfs["decision-notice.docx"].text.split())
    assert 1 <= pdfs["decision-list.xlsx"].pages <= 4, pdfs["decision-list.xlsx"].pages
    assert 1 <= pdfs["decision-notice.docx"].pages <= 3, pdfs["decision-notice.docx"].pages
    assert SCHOOL_A in sheet and decision.number in sheet and "整改承诺" in sheet
    assert decision.title in word and SCHOOL_A in word and DISTRICT in word
