"""The 风险管控清单 as an office opens it: the Excel and the Word file rendered through
LibreOffice (skipped, with the reason, where it is not installed)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.core.tests.libreoffice import render
from xiaoan.risks.tests.support import with_measure

pytestmark = pytest.mark.django_db


def _content(response) -> bytes:
    assert response.status_code == 200
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_it_renders_the_control_list_in_excel_and_word(client_for, persona, units, tmp_path):
    with_measure(persona, units)
    client = client_for("school_a_officer")
    files = {
        "risks.xlsx": _content(client.get(reverse("risks:riskpoint_export"))),
        "risks-notice.docx": _content(client.get(reverse("risks:riskpoint_word"))),
    }
    pages = render(files, tmp_path)
    for name in files:
        rendered = pages[name]
        assert rendered.pages >= 1, name
        text = "".join(rendered.text.split())
        for expected in ("1号学生宿", "每晚熄灯后巡查宿舍用电", "一般", "L=3"):
            assert expected in text, (name, expected)
