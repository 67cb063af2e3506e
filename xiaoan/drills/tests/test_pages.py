"""The drill pages at the level a person meets them: plan, the phone record page (photos kept
across a refusal, a retried post recorded once), the checklist page (problems to hazards),
the drill's page with its hazards and observers, the ledger's Excel and the PDF; and who may
see or do what on each (another school 404, no right 403, an invited observer that drill)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xiaoan.drills import services
from xiaoan.drills.models import Drill
from xiaoan.hazards.models import Hazard

from .support import SCHOOL_A, SCHOOL_B, answers, evaluated, photo, planned, recorded

pytestmark = pytest.mark.django_db
LOCAL = "%Y-%m-%dT%H:%M"


def _url(name, *args):
    return reverse(f"drills:{name}", args=args)


def _when(minutes):
    return timezone.localtime(timezone.now() - timezone.timedelta(minutes=minutes)).strftime(LOCAL)


def test_it_plans_a_drill_on_the_page(client_for, units):
    client = client_for("school_a_officer")
    assert client.get(_url("drill_add")).status_code == 200
    response = client.post(
        _url("drill_add"),
        {
            "unit": units[SCHOOL_A].pk,
            "kind": "earthquake",
            "planned_on": "2026-12-20",
            "organiser": "张校长",
            "roles": "总指挥 张校长\n疏散引导组：王老师",
        },
    )
    drill = Drill.objects.get()
    assert response.status_code == 302 and response.url == _url("drill_detail", drill.pk)
    assert drill.roles == [
        {"role": "总指挥", "name": "张校长"},
        {"role": "疏散引导组", "name": "王老师"},
    ]
    refused = client.post(_url("drill_add"), {"unit": units[SCHOOL_B].pk, "kind": "flood"})
    assert refused.status_code == 400 and Drill.objects.count() == 1


def test_it_edits_a_planned_drill(client_for, persona, units):
    drill = planned(persona, units)
    client = client_for("school_a_officer")
    assert client.get(_url("drill_edit", drill.pk)).status_code == 200
    response = client.post(
        _url("drill_edit", drill.pk),
        {"kind": "stampede", "planned_on": "2026-12-21", "organiser": "李主任", "version": 1},
    )
    assert response.status_code == 302
    drill.refresh_from_db()
    assert (drill.kind, drill.organiser, drill.version) == ("stampede", "李主任", 2)
    assert client_for("school_b_teacher").get(_url("drill_edit", drill.pk)).status_code == 403
    assert client_for("uni_security").get(_url("drill_edit", drill.pk)).status_code == 404
    assert client_for("district_officer").get(_url("drill_edit", 999999)).status_code == 404
    services.cancel(persona("school_a_officer"), drill.pk, note="改期")
    assert client.get(_url("drill_edit", drill.pk)).status_code == 302
    late = client.post(
        _url("drill_edit", drill.pk),
        {"kind": "flood", "planned_on": "2026-12-22", "organiser": "李主任", "version": 3},
    )
    assert late.status_code == 302
    drill.refresh_from_db()
    assert drill.kind == "stampede"


def test_the_record_page_keeps_the_photo_across_a_refusal_and_records_once(
    client_for, persona, units
):
    drill = planned(persona, units)
    client = client_for("school_a_officer")
    page = client.get(_url("drill_record", drill.pk))
    assert page.status_code == 200
    key = page.context["form"].initial["idempotency_key"]
    bad = {
        "started_at": _when(30),
        "ended_at": _when(60),  # before the start
        "participants": 1400,
        "version": 1,
        "idempotency_key": key,
        "photos": photo(),
    }
    refused = client.post(_url("drill_record", drill.pk), bad)
    assert refused.status_code == 400 and "结束时间须晚于开始时间" in refused.content.decode()
    kept = [p["token"] for p in refused.context["kept_photos"]]
    assert len(kept) == 1
    good = {**bad, "started_at": _when(60), "ended_at": _when(30), "kept_photo": kept}
    del good["photos"]
    done = client.post(_url("drill_record", drill.pk), good)
    assert done.status_code == 302
    drill.refresh_from_db()
    assert drill.status == "recorded" and drill.photos.count() == 1
    again = client.post(_url("drill_record", drill.pk), good)  # the same post, retried
    assert again.status_code == 302
    assert drill.events.filter(action="record").count() == 1
    photo_url = _url("drill_photo", drill.pk, drill.photos.get().pk)
    assert client.get(photo_url).status_code == 200
    assert client_for("uni_security").get(photo_url).status_code == 404
    assert client_for("school_b_teacher").get(photo_url).status_code == 403
    # Recorded: the page sends the person back to the drill.
    assert client.get(_url("drill_record", drill.pk)).status_code == 302


def test_the_evaluation_page_raises_hazards_listed_on_the_drill(client_for, persona, units):
    drill = recorded(persona, units)
    client = client_for("school_a_head")
    page = client.get(_url("drill_evaluate", drill.pk))
    assert page.status_code == 200
    key = page.context["key"]
    data = {"version": drill.version, "idempotency_key": key, "summary": "总体良好"}
    for row in answers():
        data[f"result-{row['code']}"] = row["result"]
    data["result-routes"] = "problem"
    refused = client.post(_url("drill_evaluate", drill.pk), data)  # the problem has no note
    assert refused.status_code == 400 and "写明问题" in refused.content.decode()
    data["note-routes"] = "二楼东侧安全出口上锁"
    assert client.post(_url("drill_evaluate", drill.pk), data).status_code == 302
    assert client.post(_url("drill_evaluate", drill.pk), data).status_code == 302  # retried
    hazard = Hazard.objects.get(source="drill")
    detail = client.get(_url("drill_detail", drill.pk))
    text = detail.content.decode()
    assert hazard.number in text and "二楼东侧安全出口上锁" in text
    shown = client.get(reverse("hazards:hazard_detail", args=[hazard.pk])).content.decode()
    assert _url("drill_detail", drill.pk) in shown  # the hazard says where it came from


def test_who_may_see_the_drill_pages(client_for, persona, units):
    drill = evaluated(persona, units, problems={"alarm": "广播故障"})
    detail = _url("drill_detail", drill.pk)
    assert client_for("school_a_officer").get(detail).status_code == 200
    assert client_for("district_officer").get(detail).status_code == 200
    assert client_for("uni_security").get(detail).status_code == 404  # another school
    assert client_for("school_b_teacher").get(detail).status_code == 403  # no drill right
    assert client_for("expert").get(detail).status_code == 403  # invited nowhere
    for name in ("drill_record", "drill_evaluate"):
        assert client_for("uni_security").get(_url(name, drill.pk)).status_code == 404
        assert client_for("auditor").get(_url(name, drill.pk)).status_code == 403
        assert client_for("district_officer").get(_url(name, 999999)).status_code == 404
    assert client_for("school_a_owner").get(_url("drill_add")).status_code == 403
    assert client_for("auditor").get(_url("drill_add")).status_code == 403
    assert client_for("expert").get(_url("drill_list")).status_code == 403
    assert client_for("expert").get(_url("drill_export")).status_code == 403
    assert client_for("expert").get(_url("drill_print", drill.pk)).status_code == 403
    assert client_for("uni_security").get(_url("drill_print", drill.pk)).status_code == 404
    assert client_for("uni_security").get(_url("drill_export")).status_code == 200


def test_an_invited_observer_sees_that_drill_only(client_for, persona, units):
    drill = planned(persona, units)
    other = planned(persona, units, kind="flood")
    officer = client_for("school_a_officer")
    page = officer.get(_url("drill_detail", drill.pk))
    assert "邀请观摩" in page.content.decode()
    expert = persona("expert")
    response = officer.post(_url("drill_invite", drill.pk), {"user": expert.pk, "version": 1})
    assert response.status_code == 302
    observer = client_for("expert")
    assert observer.get(_url("drill_detail", drill.pk)).status_code == 200
    assert observer.get(_url("drill_detail", other.pk)).status_code == 404
    assert observer.get(_url("drill_record", drill.pk)).status_code == 403
    listed = observer.get(_url("drill_list"))
    assert list(listed.context["object_list"]) == [drill]
    # Observers may not invite or cancel.
    assert (
        observer.post(_url("drill_cancel", drill.pk), {"note": "x", "version": 1}).status_code
        == 403
    )
    assert observer.post(_url("drill_invite", drill.pk), {"user": expert.pk}).status_code == 403
    refused = officer.post(_url("drill_uninvite", drill.pk), {"user": expert.pk, "version": 1})
    assert refused.status_code == 302
    assert observer.get(_url("drill_detail", drill.pk)).status_code == 403
    teacher = client_for("school_b_teacher")
    assert (
        teacher.post(_url("drill_uninvite", drill.pk), {"user": 1, "version": 1}).status_code == 403
    )


def test_it_cancels_on_the_page(client_for, persona, units):
    drill = planned(persona, units)
    client = client_for("school_a_officer")
    refused = client.post(_url("drill_cancel", drill.pk), {"note": "", "version": 1})
    assert refused.status_code == 400
    done = client.post(_url("drill_cancel", drill.pk), {"note": "暴雨改期", "version": 1})
    assert done.status_code == 302
    drill.refresh_from_db()
    assert drill.status == "cancelled"
    other = client_for("district_officer").post(
        _url("drill_cancel", 999999), {"note": "x", "version": 1}
    )
    assert other.status_code == 404


def test_the_ledger_exports_every_visible_drill_with_its_figures(
    client_for, persona, units, django_assert_max_num_queries
):
    evaluated(persona, units, problems={"alarm": "广播故障", "routes": "楼梯堆物"})
    planned(persona, units, kind="flood")
    planned(persona, units, school=SCHOOL_B)
    client = client_for("school_a_officer")
    with django_assert_max_num_queries(12):
        response = client.get(_url("drill_export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    header = rows[2]
    data = [r for r in rows[3:] if r[0]]
    assert len(data) == Drill.objects.restrict(persona("school_a_officer")).count() == 2
    evaluated_row = next(r for r in data if r[header.index("状态")] == "已评估")
    assert evaluated_row[header.index("登记隐患数")] == 2
    assert evaluated_row[header.index("参加率")].endswith("%")
    # The list page: one query per page however many drills.
    with django_assert_max_num_queries(14):
        assert client.get(_url("drill_list")).status_code == 200


def test_it_prints_the_record_and_evaluation(client_for, persona, units):
    drill = evaluated(persona, units, problems={"alarm": "广播故障"})
    response = client_for("school_a_officer").get(_url("drill_print", drill.pk))
    if response.status_code == 302:  # no CJK font on this machine: told on the drill's page
        pytest.skip("PDF font not installed")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    text = "".join(text.split())  # table cells wrap
    assert "演练计划" in text and "梁子湖高级中学" in text
    assert "广播故障" in text
    hazard = Hazard.objects.get(source="drill")
    assert hazard.number in text


def test_the_home_page_lists_drills_to_record_and_to_evaluate(persona, units):
    from xiaoan.core.todos import todos_for

    planned(persona, units, planned_on=timezone.localdate() - timezone.timedelta(days=2))
    planned(persona, units, planned_on=timezone.localdate() + timezone.timedelta(days=9))
    recorded(persona, units)
    todos = {t.key: t for t in todos_for(persona("school_a_officer"))}
    assert todos["drills.record"].count == 1 and todos["drills.record"].late == 1
    assert todos["drills.evaluate"].count == 1
    district = {t.key for t in todos_for(persona("district_officer"))}
    assert "drills.record" not in district  # the school's work, not the bureau's


def test_the_drill_page_offers_the_steps_the_person_may_take(client_for, persona, units):
    drill = planned(persona, units)
    officer = client_for("school_a_officer").get(_url("drill_detail", drill.pk))
    assert officer.context["can_record"] and officer.context["can_edit"]
    auditor = client_for("auditor").get(_url("drill_detail", drill.pk))
    assert not auditor.context["can_record"] and not auditor.context["actions"]
    services.cancel(persona("school_a_officer"), drill.pk, note="改期")
    again = client_for("school_a_officer").get(_url("drill_detail", drill.pk))
    assert not again.context["can_record"]


def test_it_suggests_the_time_item_from_the_recorded_evacuation_time(client_for, persona, units):
    from xiaoan.drills import services
    from xiaoan.drills.tests.support import ago, planned

    drill = planned(persona, units, target_seconds=180)
    services.record(
        persona("school_a_officer"),
        drill.pk,
        started_at=ago(90),
        ended_at=ago(60),
        participants=100,
        evacuation_seconds=205,
    )
    page = client_for("school_a_officer").get(f"/drills/{drill.pk}/evaluate/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "疏散用时 205 秒，超过目标 180 秒。" in text
    assert 'name="result-time" value="problem" checked' in text


def test_an_observer_outside_the_list_is_invited_by_username(client_for, persona, units):
    from xiaoan.drills.models import DrillInvite

    drill = planned(persona, units)
    officer = client_for("school_a_officer")
    expert = persona("expert")
    empty = officer.post(_url("drill_invite", drill.pk), {"user": "", "who": "", "version": 1})
    assert empty.status_code == 400
    assert "请选择观摩人" in empty.content.decode()
    unknown = officer.post(_url("drill_invite", drill.pk), {"who": "nobody-here", "version": 1})
    assert unknown.status_code == 400
    assert not DrillInvite.objects.filter(drill=drill).exists()
    done = officer.post(_url("drill_invite", drill.pk), {"who": expert.username, "version": 1})
    assert done.status_code == 302
    assert DrillInvite.objects.filter(drill=drill, user=expert).exists()
