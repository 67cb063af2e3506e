"""The buses' crew counters (无有效驾驶人 / 随车照管员) are rollups of the bus register that
read the certificates: a certificate's change at the bus's unit, the crew's change and the
bus's retirement move them, and the nightly recount agrees."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xiaoan.buses.crew import DRIVERS, ESCORTS, has_valid
from xiaoan.buses.models import Bus
from xiaoan.buses.registers import BUSES
from xiaoan.buses.tests.support import SCHOOL_A, cert, days, make
from xiaoan.certificates.registers import CERTIFICATES
from xiaoan.core import registers
from xiaoan.reports import rollups
from xiaoan.reports.services import dashboard

pytestmark = pytest.mark.django_db


def shown(user) -> dict[str, int]:
    section = dashboard(user, None).sections_by_key["buses"]
    return {f.key: f.value for f in section.figures if f.key in ("no_driver", "no_escort")}


def live() -> dict[str, int]:
    rows = Bus.objects.filter(retired_at__isnull=True)
    today = timezone.localdate()
    return {
        "no_driver": rows.filter(~has_valid(DRIVERS, today)).count(),
        "no_escort": rows.filter(~has_valid(ESCORTS, today)).count(),
    }


def test_a_certificates_change_moves_the_crew_counters(persona, units):
    officer, district = persona("school_a_officer"), persona("district_officer")
    school = units[SCHOOL_A]
    driver = cert(officer, school, "张国庆", "D-1")
    escort = cert(officer, school, "王秀英", "Z-1", escort=True)
    bus = make(officer, school, plate="鄂GA0001", drivers=[driver], escorts=[escort])
    make(officer, school, plate="鄂GA0002", drivers=[driver])
    assert shown(district) == live() == {"no_driver": 0, "no_escort": 1}

    registers.update(CERTIFICATES, officer, driver.pk, {"valid_until": days(-1)})  # expired
    assert shown(district) == live() == {"no_driver": 2, "no_escort": 1}
    registers.retire(CERTIFICATES, officer, escort.pk, reason="离职")
    assert shown(district) == live() == {"no_driver": 2, "no_escort": 2}
    registers.update(CERTIFICATES, officer, driver.pk, {"valid_until": days(100)})  # renewed
    assert shown(district) == live() == {"no_driver": 0, "no_escort": 2}

    other = cert(officer, school, "刘建华", "Z-2", escort=True)
    registers.update(BUSES, officer, bus.pk, {"escorts": [other.pk]})  # the crew changed
    assert shown(district) == live() == {"no_driver": 0, "no_escort": 1}
    registers.retire(BUSES, officer, bus.pk, reason="报废")
    assert shown(district) == live() == {"no_driver": 0, "no_escort": 1}
    assert rollups.reconcile(BUSES.tally_kind) == 0


def test_a_certificate_kept_at_a_department_moves_the_schools_buses(persona, units):
    """The crew's certificates may be kept by a department (政教处) of the bus's school: their
    change recounts the buses wherever in the school they are kept."""
    officer, district = persona("school_a_officer"), persona("district_officer")
    driver = cert(officer, units["政教处"], "张国庆", "D-1")
    make(officer, units[SCHOOL_A], plate="鄂GA0001", drivers=[driver])
    assert shown(district) == live() == {"no_driver": 0, "no_escort": 1}
    registers.update(CERTIFICATES, officer, driver.pk, {"valid_until": days(-1)})
    assert shown(district) == live() == {"no_driver": 1, "no_escort": 1}
    registers.retire(CERTIFICATES, officer, driver.pk, reason="离职")
    assert shown(district) == live() == {"no_driver": 1, "no_escort": 1}
    assert rollups.reconcile(BUSES.tally_kind) == 0
