"""The incident ledger and the duty roster as an office opens them: rendered through
LibreOffice (skipped, with the reason, where it is not installed)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.core.tests.libreoffice import render
from xiaoan.incidents.tests.support import reported, reviewed, shift

pytestmark = pytest.mark.django_db


def _content(response) -> bytes:
    assert response.status_code == 200
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_it_renders_the_ledger_and_the_roster(client_for, persona, units, tmp_path):
    reported(persona, units, severity="serious", place="学生食堂二楼")
    reviewed(persona, units)
    shift(persona, units, name="王值班", period="元旦")
    client = client_for("school_a_officer")
    files = {
        "incidents.xlsx": _content(client.get(reverse("incidents:incident_export"))),
        "roster.xlsx": _content(client.get(reverse("incidents:dutyshift_export"))),
    }
    pages = render(files, tmp_path)
    ledger = pages["incidents.xlsx"]
    assert ledger.pages >= 1
    assert "学生食堂二楼" in ledger.text and "较大及以上" in ledger.text
    roster = pages["roster.xlsx"]
    assert roster.pages >= 1 and "王值班" in roster.text and "元旦" in roster.text
