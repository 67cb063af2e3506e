"""持证上岗 on the dashboard and behind the 专职保安配备 indicator."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.certificates.indicators import guards
from xiaoan.certificates.tests.support import SCHOOL_A, SCHOOL_B, days, make
from xiaoan.core.todos import todos_for
from xiaoan.indicators import values
from xiaoan.indicators.models import Indicator

pytestmark = pytest.mark.django_db
GUARD = {"post": "guard", "kind": "security_guard"}


def test_it_shows_expired_and_expiring_certificates_on_the_dashboard(client_for, persona, units):
    officer = persona("school_a_officer")
    make(officer, units[SCHOOL_A], code="A1", valid_until=days(-3))
    make(officer, units[SCHOOL_A], code="A2", valid_until=days(10))
    make(officer, units[SCHOOL_A], code="A3", valid_until=days(100))
    page = client_for("school_a_officer").get(reverse("reports:dashboard"))
    body = page.content.decode()
    assert page.status_code == 200 and "持证上岗" in body and "证书已过期" in body
    district = client_for("district_officer").get(reverse("reports:dashboard")).content.decode()
    assert "证书过期" in district


def test_it_puts_expiring_certificates_on_the_home_page(persona, units):
    make(persona("school_a_officer"), units[SCHOOL_A], valid_until=days(10))
    keys = {t.key for t in todos_for(persona("school_a_officer"))}
    assert any("certificates" in key for key in keys)
    assert not any("certificates" in t.key for t in todos_for(persona("school_b_teacher")))


def test_it_computes_the_guard_indicator_from_the_register(persona, units):
    officer, district = persona("school_a_officer"), persona("district_officer")
    school_a, school_b = units[SCHOOL_A], units[SCHOOL_B]
    other = units["太和镇中心学校"]
    year = timezone.localdate().year
    make(officer, school_a, code="BA-1", valid_until=days(100), **GUARD)
    make(district, school_b, code="BA-2", valid_until=days(-1), **GUARD)
    make(district, other, code="JK-1", post="canteen", kind="health")  # not a guard
    assert guards([school_a, school_b, other], year) == {
        school_a.pk: 100,
        school_b.pk: 0,
        other.pk: None,
    }
    indicator = Indicator.objects.get(code="security-guards", owner=None)
    cell = values.board(school_a, year, indicators=[indicator]).cells[0]
    assert cell.value == 100
