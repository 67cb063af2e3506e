"""挂牌督办 numbers and answers: 督〔year〕n号 per supervising unit and calendar year,
gap-free (also under concurrency, on PostgreSQL); the supervised unit answers by a deadline
(only its own people); an answer past due shows as 逾期未答复 and the supervising unit is
told once by the daily pass."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from xiaoan.hazards import services
from xiaoan.hazards.choices import HazardLevel
from xiaoan.hazards.models import Hazard, Supervision
from xiaoan.hazards.services import supervision as supervision_service
from xiaoan.hazards.tests.api_support import error_of, hazard_in
from xiaoan.hazards.tests.pages_support import assigned, hidden_value, today
from xiaoan.notifications.models import Notification

DISTRICT, CITY = "梁子湖区教育局", "鄂州市教育局"


def _supervise(persona, hazard, **kwargs) -> Supervision:
    return services.supervise(persona("district_officer"), hazard.pk, reason="重点跟踪", **kwargs)


def test_it_numbers_supervisions_per_unit_and_year(units, persona, monkeypatch):
    year = today().year
    first = _supervise(persona, assigned(persona, units, "一号楼消防通道堵塞"))
    # A major hazard is listed automatically: the same bureau's next number.
    major = hazard_in("confirmed", persona, units, description="实验室违规存放酒精", level="major")
    second = major.supervisions.get()
    assert (first.number, second.number) == (f"督〔{year}〕1号", f"督〔{year}〕2号")
    assert second.automatic and second.supervising_unit == units[DISTRICT]

    # The university's major hazard is listed by the city bureau: its own first number.
    uni = persona("uni_security")
    hazard = services.report(uni, units["鄂州职业大学"], description="图书馆安全出口上锁")
    services.confirm(uni, hazard.pk, level=HazardLevel.MAJOR)
    city = Supervision.objects.get(hazard=hazard)
    assert city.supervising_unit == units[CITY] and city.number == f"督〔{year}〕1号"

    # A new year starts again at 1.
    monkeypatch.setattr(supervision_service, "_today", lambda: dt.date(year + 1, 1, 2))
    later = _supervise(persona, assigned(persona, units, "食堂燃气软管老化"))
    assert later.number == f"督〔{year + 1}〕1号"
    assert later.answer_due == dt.date(year + 1, 1, 9)


def test_it_shows_the_number_and_deadline_on_the_page_and_in_the_api(
    units, persona, client_for, api_for
):
    hazard = assigned(persona, units)
    supervision = _supervise(persona, hazard)
    assert supervision.answer_due == today() + dt.timedelta(days=7)  # the default
    page = client_for("school_a_owner").get(reverse("hazards:hazard_detail", args=[hazard.pk]))
    html = page.content.decode()
    assert supervision.number in html
    assert f"待答复，答复期限 {supervision.answer_due:%Y-%m-%d}" in html
    record = api_for("school_a_owner").get(f"/api/hazards/{hazard.pk}/").json()
    listed = record["supervisions"][0]
    assert listed["number"] == supervision.number
    assert listed["answer_due"] == supervision.answer_due.isoformat()
    assert listed["answer_late"] is False and listed["answered_at"] is None
    assert "supervision_answer" in record["allowed_actions"]


def test_it_takes_the_deadline_the_supervisor_sets(units, persona, client_for, api_for):
    hazard = assigned(persona, units)
    client = client_for("district_officer")
    page = client.get(reverse("hazards:hazard_detail", args=[hazard.pk])).content.decode()
    url = reverse("hazards:hazard_supervise", args=[hazard.pk])
    default = (today() + dt.timedelta(days=7)).isoformat()
    assert f'name="answer_due" value="{default}"' in page[page.index(url) :]
    due = today() + dt.timedelta(days=3)
    response = client.post(
        url,
        {
            "version": hidden_value(page, "version", url),
            "reason": "涉及宿舍",
            "answer_due": due.isoformat(),
        },
    )
    assert response.status_code == 302
    assert hazard.supervisions.get().answer_due == due

    other = assigned(persona, units, "二号楼灭火器过期")
    refused = api_for("district_officer").post(
        f"/api/hazards/{other.pk}/supervise/",
        {"reason": "重点跟踪", "answer_due": (today() - dt.timedelta(days=1)).isoformat()},
        format="json",
    )
    assert refused.status_code == 400
    assert error_of(refused)["fields"] == {"answer_due": ["答复期限不能早于今天。"]}
    assert not other.supervisions.exists()


def test_it_lets_only_the_supervised_unit_answer(units, persona, client_for, api_for):
    hazard = assigned(persona, units)
    supervision = _supervise(persona, hazard)
    url = reverse("hazards:hazard_supervision_answer", args=[hazard.pk])
    body = {"version": Hazard.objects.get(pk=hazard.pk).version, "note": "本周内完成清理"}
    # The supervisor may not answer himself; another school's officer does not see it.
    assert client_for("district_officer").post(url, body).status_code == 403
    assert client_for("uni_security").post(url, body).status_code == 404
    api_path = f"/api/hazards/{hazard.pk}/answer-supervision/"
    assert api_for("district_officer").post(api_path, body, format="json").status_code == 403
    assert api_for("uni_security").post(api_path, body, format="json").status_code == 404
    supervision.refresh_from_db()
    assert supervision.answered_at is None

    empty = client_for("school_a_owner").post(url, {**body, "note": " "})
    assert empty.status_code == 400 and "该字段是必填项。" in empty.content.decode()
    assert (
        api_for("school_a_owner")
        .post(api_path, {"note": ""}, format="json")
        .json()["error"]["message"]
        == "请填写答复内容。"
    )

    done = client_for("school_a_owner").post(url, body)
    assert done.status_code == 302
    supervision.refresh_from_db()
    assert supervision.answer == "本周内完成清理"
    assert supervision.answered_by == persona("school_a_owner")
    assert Notification.objects.filter(
        recipient=persona("district_officer"), title__startswith="督办隐患已答复"
    ).exists()
    page = client_for("district_officer").get(reverse("hazards:hazard_detail", args=[hazard.pk]))
    assert "本周内完成清理" in page.content.decode()
    # Answered: nothing more to answer.
    again = api_for("school_a_owner").post(api_path, {"note": "再答复"}, format="json")
    assert again.status_code == 409


def test_it_answers_through_the_api(units, persona, api_for):
    hazard = hazard_in("supervised", persona, units)
    response = api_for("school_a_owner").post(
        f"/api/hazards/{hazard.pk}/answer-supervision/", {"note": "整改方案已报送"}, format="json"
    )
    assert response.status_code == 200
    listed = response.json()["supervisions"][0]
    assert listed["answer"] == "整改方案已报送" and listed["answered_by_name"]
    assert "supervision_answer" not in response.json()["allowed_actions"]


def test_it_shows_a_late_answer_and_tells_the_supervisors_once(units, persona, client_for, api_for):
    late = assigned(persona, units, "一号楼消防通道堵塞")
    _supervise(persona, late)
    answered = assigned(persona, units, "二号楼灭火器过期")
    _supervise(persona, answered)
    services.answer_supervision(persona("school_a_owner"), answered.pk, note="已更换")
    Supervision.objects.update(answer_due=today() - dt.timedelta(days=1))

    html = client_for("school_a_owner").get(reverse("hazards:hazard_detail", args=[late.pk]))
    assert "逾期未答复" in html.content.decode()
    record = api_for("district_officer").get(f"/api/hazards/{late.pk}/").json()
    assert record["supervisions"][0]["answer_late"] is True
    assert (
        api_for("district_officer")
        .get(f"/api/hazards/{answered.pk}/")
        .json()["supervisions"][0]["answer_late"]
        is False
    )

    officer = persona("district_officer")
    before = Notification.objects.filter(recipient=officer).count()
    assert services.daily()["late_answers"] == 1
    notices = Notification.objects.filter(recipient=officer).order_by("-pk")
    assert notices.count() == before + 1
    assert "逾期未答复" in notices[0].title or "逾期未答复" in str(notices[0].items)
    assert services.notify_late_answers() == 0  # once
    assert services.daily()["late_answers"] == 0


# ---------------------------------------------------------------- concurrency (PostgreSQL)


@pytest.fixture
def demo_after_flush(django_db_blocker):
    """A transactional test empties the database when it ends; put the demo back."""
    yield
    from xiaoan.orgs.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises all writers")
def test_it_numbers_concurrent_listings_without_gaps(demo_after_flush, transactional_db):
    from xiaoan.accounts.models import User
    from xiaoan.orgs.models import Unit

    officer = User.objects.get(username="school_a_officer")
    supervisor = User.objects.get(username="district_officer")
    school = Unit.objects.get(name="梁子湖高级中学")
    hazards = [
        services.report(officer, school, description=f"并发督办的隐患 {i}") for i in range(6)
    ]
    barrier = threading.Barrier(len(hazards))
    errors: list = []

    def run(pk: int) -> None:
        try:
            barrier.wait(timeout=10)
            services.supervise(supervisor, pk, reason="并发挂牌督办")
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(h.pk,)) for h in hazards]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    serials = sorted(Supervision.objects.values_list("serial", flat=True))
    assert serials == [1, 2, 3, 4, 5, 6]


def test_it_marks_an_owed_answer_in_my_tasks(units, persona, client_for):
    hazard = assigned(persona, units)
    other = assigned(persona, units, "二号楼灭火器过期")
    _supervise(persona, hazard)
    client = client_for("school_a_owner")
    page = client.get(reverse("hazards:my_tasks")).content.decode()
    assert page.count("待答复督办") == 1
    row = page[page.index(f'href="/hazards/{hazard.pk}/"') :]
    assert "待答复督办" in row[: row.index("</a>")]
    assert other.number in page
    services.answer_supervision(persona("school_a_owner"), hazard.pk, note="已制定方案")
    assert "待答复督办" not in client.get(reverse("hazards:my_tasks")).content.decode()


def test_it_shows_the_number_and_deadline_in_the_history(units, persona, client_for):
    hazard = hazard_in("supervised", persona, units)
    supervision = hazard.supervisions.get()
    services.answer_supervision(persona("school_a_owner"), hazard.pk, note="方案已报")
    html = (
        client_for("school_a_officer")
        .get(reverse("hazards:hazard_detail", args=[hazard.pk]))
        .content.decode()
    )
    timeline = html[html.index("处置记录") :]
    assert f"{supervision.number} · 答复期限 {supervision.answer_due:%Y-%m-%d}" in timeline
    assert "答复督办" in timeline and "方案已报" in timeline
