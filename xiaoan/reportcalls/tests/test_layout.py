"""The report as an office opens it: rendered through LibreOffice (skipped where it is not
installed), its text intact and on a sane number of pages."""

from __future__ import annotations

import pytest

from xiaoan.core.tests.libreoffice import render
from xiaoan.reportcalls import documents
from xiaoan.reportcalls.tests.support import SCHOOL_A, filled, issue, report_of

pytestmark = pytest.mark.django_db


def test_it_renders_through_libreoffice(persona, units, tmp_path):
    call = issue(persona, units)
    report = filled(persona, report_of(call, units))
    pdf = render({"report.docx": documents.report_docx(report)}, tmp_path)["report.docx"]
    text = "".join(pdf.text.split())
    # A dozen sections of figures, two a line, and three short sections.
    assert 1 <= pdf.pages <= 6, pdf.pages
    assert report.number in text and SCHOOL_A in text and "下一步打算" in text
