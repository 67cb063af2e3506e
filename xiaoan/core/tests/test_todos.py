"""The home page's 待办事项 and `/api/todos/`: each count is the number of records waiting for
that person (checked against the records), owners act and superiors do not get every school's
work, and the number of queries does not grow with the records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoan.core.todos import todos_for
from xiaoan.hazards import services
from xiaoan.hazards.choices import HazardLevel
from xiaoan.hazards.models import Hazard
from xiaoan.hazards.tests.pages_support import assigned, private_media, reported, today  # noqa: F401
from xiaoan.notifications.models import Notification

pytestmark = pytest.mark.django_db


def counts(user) -> dict[str, tuple[int, int]]:
    return {t.key: (t.count, t.late) for t in todos_for(user)}


def test_it_lists_hazards_to_confirm_for_the_school_not_the_district(persona, units):
    officer = persona("school_a_officer")
    before = counts(officer).get("hazards.confirm", (0, 0))[0]
    reported(persona, units["梁子湖高级中学"])
    reported(persona, units["梁子湖高级中学"], "实验室灭火器过期")
    assert counts(officer)["hazards.confirm"][0] == before + 2
    waiting = Hazard.objects.restrict(officer, "confirm").filter(
        status="reported", unit__path__startswith=units["梁子湖高级中学"].path
    )
    assert counts(officer)["hazards.confirm"][0] == waiting.count()
    # The bureau's officer may confirm too, but supervises: not handed the school's work.
    assert "hazards.confirm" not in counts(persona("district_officer"))


def test_it_lists_the_owners_work_with_the_late_ones(persona, units):
    owner = persona("school_a_owner")
    before = counts(owner).get("hazards.rectify", (0, 0))
    hazard = assigned(persona, units)
    Hazard.objects.filter(pk=hazard.pk).update(deadline=today() - dt.timedelta(days=1))
    assert counts(owner)["hazards.rectify"] == (before[0] + 1, before[1] + 1)


def test_it_lists_what_waits_for_assignment_after_confirmation(persona, units):
    officer = persona("school_a_officer")
    before = counts(officer).get("hazards.assign", (0, 0))[0]
    hazard = reported(persona, units["梁子湖高级中学"])
    services.confirm(officer, hazard.pk, level=HazardLevel.GENERAL)
    assert counts(officer)["hazards.assign"][0] == before + 1


def test_it_counts_unread_notices(persona):
    teacher = persona("school_b_teacher")
    before = counts(teacher).get("notifications.unread", (0, 0))[0]
    Notification.objects.create(recipient=teacher, title="测试通知", kind="other")
    assert counts(teacher)["notifications.unread"][0] == before + 1


def test_it_shows_the_todos_and_the_snapshot_button_on_the_home_page(persona, units, client_for):
    reported(persona, units["梁子湖高级中学"])
    page = client_for("school_a_officer").get("/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-todo="hazards.confirm"' in text
    assert "/hazards/?status=reported" in text
    assert "随手拍：上报隐患" in text


def test_it_tells_someone_with_nothing_to_do_so(client_for):
    text = client_for("auditor").get("/").content.decode()
    assert "暂时没有等您处理的事项。" in text
    assert "随手拍：上报隐患" not in text


def test_it_answers_the_api_for_the_caller_only(persona, units, api_for, client):
    reported(persona, units["梁子湖高级中学"])
    assert client.get("/api/todos/").status_code in (401, 403)
    rows = api_for("school_a_officer").get("/api/todos/").json()
    assert {"key", "label", "count", "late", "url"} <= set(rows[0])
    assert "hazards.confirm" in {row["key"] for row in rows}
    other = api_for("school_b_teacher").get("/api/todos/").json()
    assert "hazards.confirm" not in {row["key"] for row in other}


def test_it_uses_the_same_number_of_queries_however_many_records(persona, units, settings):
    settings.XIAOAN_PAGE_CACHE = False  # the counts themselves, not the kept ones
    todos_for(persona("school_a_officer"))  # discover the providers
    officer = persona("school_a_officer")
    with CaptureQueriesContext(connection) as few:
        todos_for(officer)
    for n in range(5):
        reported(persona, units["梁子湖高级中学"], f"第{n}处楼道堆放杂物")
    officer = persona("school_a_officer")
    with CaptureQueriesContext(connection) as many:
        todos_for(officer)
    assert len(many) == len(few)


def test_it_lists_duty_records_awaiting_the_issuers_review(persona, units):
    from django.utils import timezone

    from xiaoan.duties import services as duties
    from xiaoan.duties.models import Obligation
    from xiaoan.duties.tests.support import SCHOOL_A, duty, evidence

    officer = persona("district_officer")
    before = counts(officer).get("duties.review", (0, 0))[0]
    d = duty(persona, units, name="年度演练", recurrence="yearly", proof="record",
             record_kind="drill")  # fmt: skip
    duties.generate_duty(d, timezone.localdate())
    ob = Obligation.objects.get(duty=d, unit=units[SCHOOL_A])
    duties.submit_record(persona("school_a_officer"), ob.pk, evidence=evidence())
    assert counts(officer)["duties.review"][0] == before + 1
    # The school that recorded it does not review it.
    assert "duties.review" not in counts(persona("school_a_officer"))


def test_it_lists_supervisions_awaiting_the_schools_answer(persona, units, settings):
    # The answer date is moved back by hand below; a day that really passes is in the key of
    # the kept counts (xiaoan.core.todos).
    settings.XIAOAN_PAGE_CACHE = False
    officer = persona("school_a_officer")
    before = counts(officer).get("hazards.supervision_answer", (0, 0))[0]
    hazard = assigned(persona, units)
    services.supervise(persona("district_officer"), hazard.pk, reason="督促整改")
    assert counts(officer)["hazards.supervision_answer"][0] == before + 1
    late = counts(officer)["hazards.supervision_answer"][1]
    # Past its answer date it is also late (the count and its late part in one query).
    from django.utils import timezone

    from xiaoan.hazards.models import Supervision

    Supervision.objects.filter(hazard=hazard).update(
        answer_due=timezone.localdate() - dt.timedelta(days=1)
    )
    assert counts(officer)["hazards.supervision_answer"] == (before + 1, late + 1)
    # The bureau supervises; the answer is not its to give.
    assert "hazards.supervision_answer" not in counts(persona("district_officer"))


def test_it_leaves_verification_to_the_school(persona, units):
    from xiaoan.hazards.tests.pages_support import submitted

    submitted(persona, units)
    assert counts(persona("school_a_officer"))["hazards.verify"][0] >= 1
    assert "hazards.verify" not in counts(persona("district_officer"))


def test_it_keeps_the_counts_until_a_write_at_the_persons_units(persona, units):
    school = units["梁子湖高级中学"]
    officer = persona("school_a_officer")
    todos_for(officer)
    with CaptureQueriesContext(connection) as kept:
        before = {t.key: t.count for t in todos_for(persona("school_a_officer"))}
    # Asked again: only the grants and what is asked every time (notices, invitations).
    assert len(kept) <= 10
    reported(persona, units["东沟镇中心小学"], "校门口护栏缺失", who="district_officer")
    with CaptureQueriesContext(connection) as built:
        todos_for(persona("school_a_officer"))
    assert len(built) == len(kept)  # another school's write changes nothing here
    reported(persona, school)
    after = {t.key: t.count for t in todos_for(persona("school_a_officer"))}
    assert after["hazards.confirm"] == before.get("hazards.confirm", 0) + 1
