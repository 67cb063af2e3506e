"""Page titles say names, never codes or "v1" (a version, where a person needs it, reads
第1版 on a secondary line); the checklist and schedule lists have phone cards."""

from __future__ import annotations

import re

import pytest

from xiaoan.inspections import schedules
from xiaoan.inspections.choices import InspectionKind
from xiaoan.inspections.models import ChecklistTemplate
from xiaoan.inspections.tests.support import checklist, make

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]

DISTRICT = "梁子湖区教育局"


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def _h1(html: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)).strip()


def _no_version_code(html: str) -> None:
    assert not re.search(r"\bv\d+\b", re.sub(r"<[^>]+>", " ", html)), "a v1-style version"


def test_it_names_the_checklist_without_code_or_v1(client_for, checklist):
    client = client_for("school_a_officer")
    html = client.get(f"/inspections/checklists/{checklist.pk}/").content.decode()
    assert _title(html) == "小检查表 · 校安" and _h1(html) == "小检查表"
    about = re.search(r'id="checklist-about">(.*?)</p>', html, re.S).group(1)
    assert "TEST-SMALL" not in about and "第1版" in about
    _no_version_code(html)


def test_it_lists_checklists_without_codes_or_v1(client_for, checklist):
    html = client_for("school_a_officer").get("/inspections/checklists/").content.decode()
    assert _title(html) == "检查表库 · 校安" and _h1(html) == "检查表库"
    assert "第1版" in html and "BLDG-SCHOOL" not in html
    _no_version_code(html)


def test_it_titles_the_record_and_run_pages_by_name(client_for, persona, units, checklist):
    inspection = make(persona, units, checklist, title="2026年秋季消防安全检查")
    client = client_for("school_a_officer")
    for url in (f"/inspections/{inspection.pk}/", f"/inspections/{inspection.pk}/run/"):
        html = client.get(url).content.decode()
        assert _title(html) == "2026年秋季消防安全检查 · 校安", url
        assert _h1(html) == "2026年秋季消防安全检查", url
        assert "TEST-SMALL" not in html, url  # no item or checklist codes
        _no_version_code(html)
    record = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "小检查表 第1版" in re.sub(r"<[^>]+>", "", record).replace("  ", " ")


def test_it_lists_checklists_as_phone_cards(client_for, persona):
    html = client_for("school_a_officer").get("/inspections/checklists/").content.decode()
    assert '<div class="d-md-none" id="checklist-cards">' in html
    cards = html.split('id="checklist-cards"', 1)[1].split('class="d-none d-md-block', 1)[0]
    shown = ChecklistTemplate.objects.restrict(persona("school_a_officer")).order_by("code")
    first = shown.filter(owner_unit__isnull=True).first()
    assert f'href="/inspections/checklists/{first.pk}/"' in cards and first.name in cards
    assert cards.count('class="card mb-2') >= 2 and "第1版" in cards


def test_it_lists_schedules_as_phone_cards(client_for, persona, units, checklist):
    schedules.create_schedule(
        persona("district_officer"),
        name="每月安全自查",
        kind=InspectionKind.SELF_CHECK,
        checklist=checklist,
        organiser=units[DISTRICT],
        recurrence="monthly",
        day=1,
        days_allowed=20,
    )
    html = client_for("district_officer").get("/inspections/schedules/").content.decode()
    assert '<div class="d-md-none" id="schedule-cards">' in html
    cards = html.split('id="schedule-cards"', 1)[1].split('class="d-none d-md-block', 1)[0]
    assert "每月安全自查" in cards and "每月" in cards and DISTRICT in cards
    assert "立即生成本期" in cards
