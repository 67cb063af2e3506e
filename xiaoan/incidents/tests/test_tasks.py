"""The review's problems as tasks (交办 → 落实), the first report corrected before the
classification, and the hazards a review records knowing the incident they came from."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.todos import todos_for
from xiaoan.incidents import services
from xiaoan.incidents.models import Incident
from xiaoan.incidents.tests.support import SCHOOL_B, ago, classified, reported, reviewed

pytestmark = pytest.mark.django_db


def _in(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def _todo(user, key="incidents.tasks"):
    return next((t for t in todos_for(user) if t.key == key), None)


def _open_problem(persona, units):
    incident = reviewed(persona, units)
    return incident, services.findings_of(incident)[1]  # 未热身: not in the ledger


def test_it_gives_a_problem_to_a_person_who_then_puts_it_right(persona, units):
    incident, problem = _open_problem(persona, units)
    officer, owner = persona("school_a_officer"), persona("school_a_owner")
    # The 总务处 owner has no incident rights: given the problem, they read the incident.
    assert not Incident.objects.restrict(owner).filter(pk=incident.pk).exists()
    assert _todo(owner) is None
    services.assign_finding(officer, incident.pk, finding=problem.pk, owner=owner.pk, due=_in(7))
    problem.refresh_from_db()
    assert problem.owner == owner and problem.due == _in(7) and problem.done_at is None
    with pytest.raises(Invalid):  # one way only: a task, not also a hazard
        services.to_hazard(officer, incident.pk, finding=problem.pk)
    assert Incident.objects.restrict(owner).filter(pk=incident.pk).exists()
    todo = _todo(owner)
    assert todo is not None and todo.count == 1 and todo.late == 0
    assert todo.url.endswith("?task=mine")
    # Not anything else: they may not change it.
    assert not Incident.objects.restrict(owner, "change").filter(pk=incident.pk).exists()
    incident.refresh_from_db()
    assert "finish_finding" in services._workflow().allowed_names(owner, incident)
    assert "follow_up" not in services._workflow().allowed_names(owner, incident)
    services.finish_finding(owner, incident.pk, finding=problem.pk, note="课前热身纳入教案")
    problem.refresh_from_db()
    assert problem.done_by == owner and problem.done_note == "课前热身纳入教案"
    assert _todo(owner) is None
    actions = [e.action for e in services.events_of(incident)]
    assert actions[-2:] == ["assign_finding", "finish_finding"]
    with pytest.raises((Invalid, Forbidden)):  # never twice
        services.finish_finding(owner, incident.pk, finding=problem.pk, note="again")


def test_it_counts_a_task_past_its_date_as_late(persona, units):
    incident, problem = _open_problem(persona, units)
    owner = persona("school_a_head")
    services.assign_finding(
        persona("school_a_officer"), incident.pk, finding=problem.pk, owner=owner, due=_in(1)
    )
    type(problem).objects.filter(pk=problem.pk).update(due=_in(-3))
    from xiaoan.core import freshness

    freshness.everywhere()
    todo = _todo(owner)
    assert todo.count == 1 and todo.late == 1


def test_it_refuses_bad_assignments(persona, units):
    incident, problem = _open_problem(persona, units)
    ledger = services.findings_of(incident)[0]
    officer = persona("school_a_officer")
    for fields, field in (
        ({"finding": ledger.pk}, "finding"),  # already a hazard: its own loop
        ({"finding": 10**12}, "finding"),
        ({"finding": "1; drop"}, "finding"),
        ({"owner": persona("district_officer").pk}, "owner"),  # not of the school
        ({"owner": persona("school_b_teacher").pk}, "owner"),
        ({"owner": 10**12}, "owner"),
        ({"owner": {"id": 1}}, "owner"),
        ({"due": _in(-1)}, "due"),
        ({"due": _in(400)}, "due"),
        ({"due": "tomorrow"}, "due"),
    ):
        values = {"finding": problem.pk, "owner": persona("school_a_head").pk, "due": _in(3)}
        values.update(fields)
        with pytest.raises(Invalid) as refused:
            services.assign_finding(officer, incident.pk, **values)
        assert field in refused.value.fields, fields
    values = {"finding": problem.pk, "owner": persona("school_a_head").pk, "due": _in(3)}
    with pytest.raises(NotFound):  # another school's person
        services.assign_finding(persona("school_b_teacher"), incident.pk, **values)
    with pytest.raises(Forbidden):  # reads it, may not review it
        services.assign_finding(persona("auditor"), incident.pk, **values)
    with pytest.raises(Conflict):
        services.assign_finding(officer, incident.pk, version=1, **values)
    early = classified(persona, units)
    with pytest.raises(Conflict):  # no review yet
        services.assign_finding(officer, early.pk, **values)
    problem.refresh_from_db()
    assert problem.owner_id is None


def test_it_lets_only_the_owner_or_a_reviewer_finish(persona, units):
    incident, problem = _open_problem(persona, units)
    officer = persona("school_a_officer")
    services.assign_finding(
        officer, incident.pk, finding=problem.pk, owner=persona("school_a_owner"), due=_in(5)
    )
    with pytest.raises(Forbidden):  # reads the incident, was not given the problem
        services.finish_finding(persona("auditor"), incident.pk, finding=problem.pk, note="x")
    with pytest.raises(NotFound):
        services.finish_finding(persona("school_b_teacher"), incident.pk, finding=problem.pk)
    with pytest.raises(NotFound):  # sees School A's incidents, may not record for the owner
        services.finish_finding(persona("district_officer"), 10**12, finding=problem.pk)
    with pytest.raises(Invalid):
        services.finish_finding(officer, incident.pk, finding=problem.pk, note=" ")
    # The reviewer may record it for the owner.
    services.finish_finding(officer, incident.pk, finding=problem.pk, note="已落实")
    problem.refresh_from_db()
    assert problem.done_by == officer


def test_it_corrects_the_first_report_before_the_classification(persona, units):
    incident = reported(persona, units, severity="general", occurred_at=ago(200))
    officer = persona("school_a_officer")
    services.edit(officer, incident.pk, version=1, place="操场西侧", severity="serious")
    incident.refresh_from_db()
    # Serious, first reported 200 minutes after: now late, and the change is on record.
    assert incident.place == "操场西侧" and incident.late and incident.version == 2
    event = services.events_of(incident)[-1]
    assert event.action == "edit" and event.data["before"] == {
        "place": "操场东侧",
        "severity": "general",
    }
    with pytest.raises(Invalid):  # nothing changes
        services.edit(officer, incident.pk, place="操场西侧")
    with pytest.raises(Invalid):  # the first report's time is a fact
        services.edit(officer, incident.pk, first_reported_at=ago(1))
    with pytest.raises(Invalid):
        services.edit(officer, incident.pk, occurred_at=ago(-30))
    with pytest.raises(Invalid):
        services.edit(officer, incident.pk, dead=-2)
    with pytest.raises(Conflict):
        services.edit(officer, incident.pk, version=1, place="旧页面")
    with pytest.raises(NotFound):
        services.edit(persona("school_b_teacher"), incident.pk, place="x")
    with pytest.raises(Forbidden):
        services.edit(persona("auditor"), incident.pk, place="x")
    done = classified(persona, units)
    with pytest.raises(Conflict):
        services.edit(officer, done.pk, place="定性之后")


def test_it_files_a_review_hazard_under_its_incident(persona, units, client_for):
    from xiaoan.hazards.origins import origin_of

    incident = reviewed(persona, units)
    hazard = services.findings_of(incident)[0].hazard
    assert hazard.source == "incident"
    text, url = origin_of(persona("school_a_officer"), hazard)
    assert incident.number in text and url == reverse(
        "incidents:incident_detail", args=[incident.pk]
    )
    page = client_for("school_a_officer").get(reverse("hazards:hazard_detail", args=[hazard.pk]))
    assert url in page.content.decode()
    # Someone who cannot read the incident is not shown it.
    assert origin_of(persona("school_b_teacher"), hazard) is None


def test_it_runs_the_tasks_through_the_pages(persona, units, client_for):
    incident, problem = _open_problem(persona, units)
    officer = client_for("school_a_officer")
    page = officer.get(reverse("incidents:incident_detail", args=[incident.pk]))
    assert "交办整改措施" in page.content.decode()
    assign = reverse("incidents:incident_assign_finding", args=[incident.pk])
    owner = persona("school_a_owner")
    bad = officer.post(
        assign, {"version": incident.version, "finding": problem.pk, "owner": owner.pk}
    )
    assert bad.status_code == 400 and "整改期限" in bad.content.decode()
    done = officer.post(
        assign,
        {"version": incident.version, "finding": problem.pk, "owner": owner.pk, "due": _in(2)},
    )
    assert done.status_code == 302
    mine = client_for("school_a_owner")
    listing = mine.get(reverse("incidents:incident_list") + "?task=mine")
    assert incident.number in listing.content.decode()
    page = mine.get(reverse("incidents:incident_detail", args=[incident.pk])).content.decode()
    assert "周总务" in page and "待落实" in page
    finish = reverse("incidents:incident_finish_finding", args=[incident.pk])
    incident.refresh_from_db()
    assert (
        mine.post(
            finish, {"version": incident.version, "finding": problem.pk, "note": "已完成"}
        ).status_code
        == 302
    )
    assert (
        "已落实"
        in mine.get(reverse("incidents:incident_detail", args=[incident.pk])).content.decode()
    )
    # Other people: another school's are not shown it; a reader may not give it.
    assert client_for("school_b_teacher").post(assign, {"version": 9}).status_code == 403
    assert client_for("auditor").post(assign, {"version": 9}).status_code == 403


def test_it_edits_the_first_report_through_the_page(persona, units, client_for):
    incident = reported(persona, units)
    edit = reverse("incidents:incident_edit", args=[incident.pk])
    officer = client_for("school_a_officer")
    page = officer.get(reverse("incidents:incident_detail", args=[incident.pk])).content.decode()
    assert edit in page and 'value="操场东侧"' in page
    data = {
        "version": 1,
        "kind": "injury",
        "severity": "general",
        "occurred_at": timezone.localtime(incident.occurred_at).strftime("%Y-%m-%dT%H:%M"),
        "place": "体育馆",
        "injured": 2,
        "dead": 0,
        "summary": incident.summary,
        "measures": "",
    }
    assert officer.post(edit, data).status_code == 302
    incident.refresh_from_db()
    assert incident.place == "体育馆" and incident.injured == 2 and incident.measures == ""
    assert client_for("school_b_teacher").post(edit, data).status_code == 403
    assert client_for("uni_security").post(edit, data).status_code == 404


def test_it_runs_the_tasks_through_the_api(persona, units, api_for):
    incident, problem = _open_problem(persona, units)
    base = f"/api/incidents/{incident.pk}/"
    officer = api_for("school_a_officer")
    owner = persona("school_a_owner")
    body = {"version": incident.version, "finding": problem.pk, "owner": owner.pk}
    answer = officer.post(base + "assign-finding/", {**body, "due": "bad"}, format="json")
    assert answer.status_code == 400
    answer = officer.post(base + "assign-finding/", {**body, "due": str(_in(4))}, format="json")
    assert answer.status_code == 200, answer.content
    row = next(f for f in answer.json()["findings"] if f["id"] == problem.pk)
    assert row["owner"] == owner.pk and row["owner_name"] and row["due"] == str(_in(4))
    head = api_for("school_a_owner")  # reaches the API by the problem alone
    assert head.get("/api/incidents/").json()["count"] == 1
    assert head.get(base).status_code == 200
    finish = {"version": answer.json()["version"], "finding": problem.pk, "note": "已做"}
    answer = head.post(base + "finish-finding/", finish, format="json")
    assert answer.status_code == 200, answer.content
    stranger = api_for("school_b_teacher")  # no incident rights, given nothing
    assert stranger.post(base + "finish-finding/", finish, format="json").status_code == 403
    elsewhere = api_for("uni_security")  # incident rights at another unit
    assert elsewhere.post(base + "finish-finding/", finish, format="json").status_code == 404
    other = reported(persona, units, SCHOOL_B)
    answer = officer.post(f"/api/incidents/{other.pk}/edit/", {"place": "x"}, format="json")
    assert answer.status_code == 404
    mine = reported(persona, units)
    answer = officer.post(
        f"/api/incidents/{mine.pk}/edit/", {"version": 1, "injured": 3}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["injured"] == 3
    nested = officer.post(
        f"/api/incidents/{mine.pk}/edit/", {"place": {"a": [1, {"b": 2}]}}, format="json"
    )
    assert nested.status_code == 400


def test_it_shows_the_incidents_on_the_dashboard(persona, units, settings):
    from xiaoan.incidents.tests.support import DISTRICT, SCHOOL_A
    from xiaoan.reports.services import dashboard

    settings.XIAOAN_PAGE_CACHE = False
    reported(persona, units, severity="serious", occurred_at=ago(200))  # late
    incident, problem = _open_problem(persona, units)
    services.assign_finding(
        persona("school_a_officer"),
        incident.pk,
        finding=problem.pk,
        owner=persona("school_a_head"),
        due=_in(1),
    )
    type(problem).objects.filter(pk=problem.pk).update(due=_in(-1))
    reported(persona, units, SCHOOL_B)
    board = dashboard(persona("district_officer"), units[DISTRICT].pk)
    figures = {f.key: f for f in board.sections_by_key["incidents"].figures}
    assert figures["reported"].value == 2 and figures["open"].value == 3
    assert figures["serious"].value == 1 and figures["late"].value == 1
    assert figures["tasks_overdue"].value == 1 and figures["tasks_overdue"].bad
    assert f"unit={units[DISTRICT].pk}" in figures["reported"].url
    school = dashboard(persona("school_a_head"), units[SCHOOL_A].pk)
    mine = {f.key: f.value for f in school.sections_by_key["incidents"].figures}
    assert mine["reported"] == 1 and mine["open"] == 2  # not School B's
    # Who reads no incidents gets no section.
    owner = dashboard(persona("school_a_owner"), units["总务处"].pk)
    assert "incidents" not in owner.sections_by_key
