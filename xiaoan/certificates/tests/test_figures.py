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
    """100 only with a verified 安防建设 declaration meeting the guard rule AND a valid 保安员证;
    0 when either falls short; no value when neither exists."""
    from xiaoan.security.tests.support import verified

    officer, district = persona("school_a_officer"), persona("district_officer")
    school_a, school_b = units[SCHOOL_A], units[SCHOOL_B]
    other, short = units["太和镇中心学校"], units["沼山镇中心学校"]
    no_certificate = units["梁子镇初级中学"]
    year = timezone.localdate().year
    make(officer, school_a, code="BA-1", valid_until=days(100), **GUARD)
    verified(officer, district, school_a)  # the rule met (3 guards) and a valid certificate
    make(district, school_b, code="BA-2", valid_until=days(-1), **GUARD)  # expired, no posture
    make(district, other, code="JK-1", post="canteen", kind="health")  # not a guard
    make(district, short, code="BA-3", valid_until=days(100), **GUARD)
    from xiaoan.security.tests.support import make as declare

    for unit, guards_on_file in ((short, 1), (no_certificate, 5)):
        posture = declare(district, unit, guards=guards_on_file)
        posture.status, posture.submitted_by = "verified", district  # verified by the bureau
        posture.save()
    # A declaration not yet verified does not count.
    make(district, units["东沟镇初级中学"], code="BA-4", valid_until=days(100), **GUARD)
    declare(district, units["东沟镇初级中学"])
    schools = [school_a, school_b, other, short, no_certificate, units["东沟镇初级中学"]]
    assert guards(schools, year) == {
        school_a.pk: 100,
        school_b.pk: 0,
        other.pk: None,
        short.pk: 0,  # 1 guard where the rule asks 2
        no_certificate.pk: 0,
        units["东沟镇初级中学"].pk: 0,  # a certificate but no verified declaration
    }
    indicator = Indicator.objects.get(code="security-guards", owner=None)
    cell = values.board(school_a, year, indicators=[indicator]).cells[0]
    assert cell.value == 100
