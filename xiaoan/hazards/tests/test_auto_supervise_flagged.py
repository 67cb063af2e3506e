"""屡查屡犯 and 自查未发现 hazards go under supervision automatically while
XIAOAN_AUTO_SUPERVISE_RECURRING is on: when confirmation finds the recurrence, and through
`supervise_flagged` for hazards an inspection flagged in bulk."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoan.hazards import services
from xiaoan.hazards.choices import HazardLevel
from xiaoan.hazards.models import Hazard, Supervision
from xiaoan.hazards.tests.pages_support import jpeg, reported
from xiaoan.notifications.models import Notification

SCHOOL = "梁子湖高级中学"


def _recurrence(persona, units) -> Hazard:
    """A fire extinguisher found expired again after the first one was closed."""
    officer, head = persona("school_a_officer"), persona("school_a_head")
    school = units[SCHOOL]
    old = reported(persona, school, "食堂后厨灭火器过期")
    services.confirm(officer, old.pk, level=HazardLevel.GENERAL, category="灭火器")
    services.fix_on_spot(officer, old.pk, note="更换", photos=[jpeg()])
    services.verify(head, old.pk, passed=True, note="合格")
    new = reported(persona, school, "食堂后厨灭火器已过期")
    services.confirm(officer, new.pk, level=HazardLevel.GENERAL, category="灭火器")
    new.refresh_from_db()
    assert new.is_recurring
    return new


def _missed(persona, units, count: int) -> list[Hazard]:
    """Hazards an outside inspection found that the school's self-check passed: flagged
    in bulk, the way the inspections app does."""
    made = [reported(persona, units[SCHOOL], f"三号楼安全出口指示灯不亮 {i}") for i in range(count)]
    Hazard.objects.filter(pk__in=[h.pk for h in made]).update(missed_by_self_check=True)
    return made


def test_it_supervises_a_recurrence_when_confirmed(persona, units):
    hazard = _recurrence(persona, units)
    supervision = hazard.supervisions.get()
    assert supervision.reason == "屡查屡犯自动挂牌督办" and supervision.automatic
    assert supervision.supervising_unit == units["梁子湖区教育局"]
    assert supervision.number.startswith("督〔") and hazard.is_supervised


def test_it_leaves_a_recurrence_alone_with_the_setting_off(persona, units, settings):
    settings.XIAOAN_AUTO_SUPERVISE_RECURRING = False
    hazard = _recurrence(persona, units)
    assert not hazard.supervisions.exists() and not hazard.is_supervised


def test_it_supervises_hazards_flagged_missed_elsewhere_once(persona, units):
    made = _missed(persona, units, 3)
    plain = reported(persona, units[SCHOOL], "操场围栏松动")

    assert services.supervise_flagged([*made, plain.pk]) == 3

    listed = Supervision.objects.filter(hazard__in=made)
    assert listed.count() == 3
    assert set(listed.values_list("reason", flat=True)) == {"自查未发现自动挂牌督办"}
    assert sorted(listed.values_list("serial", flat=True)) == [1, 2, 3]
    assert Hazard.objects.filter(pk__in=[h.pk for h in made], is_supervised=True).count() == 3
    assert not plain.supervisions.exists()
    # Again: nothing new, and the hazards already listed cost no query each.
    more = _missed(persona, units, 3)
    services.supervise_flagged(more)
    with CaptureQueriesContext(connection) as few:
        assert services.supervise_flagged(Hazard.objects.filter(missed_by_self_check=True)) == 0
    with CaptureQueriesContext(connection) as one:
        assert services.supervise_flagged([made[0]]) == 0
    assert len(few) == len(one)


def test_it_supervises_a_missed_hazard_when_it_is_confirmed(persona, units):
    (hazard,) = _missed(persona, units, 1)
    services.confirm(persona("school_a_officer"), hazard.pk, level=HazardLevel.GENERAL)
    assert hazard.supervisions.get().reason == "自查未发现自动挂牌督办"


@pytest.mark.parametrize("status", ["closed", "dismissed"])
def test_it_skips_flagged_hazards_no_longer_open(persona, units, status):
    (hazard,) = _missed(persona, units, 1)
    Hazard.objects.filter(pk=hazard.pk).update(status=status)
    assert services.supervise_flagged([hazard]) == 0


def test_it_supervises_nothing_flagged_with_the_setting_off(persona, units, settings):
    settings.XIAOAN_AUTO_SUPERVISE_RECURRING = False
    made = _missed(persona, units, 2)
    assert services.supervise_flagged(made) == 0
    assert not Supervision.objects.exists()


def test_it_tells_each_person_once_for_all_hazards_listed_together(persona, units):
    made = _missed(persona, units, 3)
    owner_notices = Notification.objects.filter(
        recipient=persona("school_a_officer"), kind="supervised"
    )
    assert services.supervise_flagged(made) == 3
    assert owner_notices.count() == 1
