"""Who may open which hazard and place page: in scope 200 (or 302 after a POST), out of
scope 404, an action one holds nowhere 403, anonymous to the login page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from xiaoan.core.testing import LOGIN
from xiaoan.core.testing import check_page as _check
from xiaoan.core.testing import page_client as _client
from xiaoan.hazards import services
from xiaoan.hazards.choices import HazardLevel
from xiaoan.hazards.models import Hazard
from xiaoan.hazards.tests import pages_support as support
from xiaoan.hazards.tests.pages_support import assigned, jpeg, reported, submitted, today
from xiaoan.orgs.models import Place

private_media = support.private_media


@pytest.fixture
def hazard(units, persona):
    """A hazard of 梁子湖高级中学 given to 总务处 (so its owner sees it too)."""
    return assigned(persona, units)


@pytest.fixture
def place(units):
    return Place.objects.create(unit=units["梁子湖高级中学"], kind="building", name="一号教学楼")


# ---------------------------------------------------------------- pages read with GET

GET_CASES = [
    # the ledger
    ("hazards:hazard_list", "district_officer", None, 200),
    ("hazards:hazard_list", "school_a_officer", None, 200),
    ("hazards:hazard_list", "school_a_owner", None, 200),
    ("hazards:hazard_list", "school_b_teacher", None, 200),
    ("hazards:hazard_list", "district_supervisor", None, 200),
    ("hazards:hazard_list", "auditor", None, 200),
    ("hazards:hazard_list", "uni_security", None, 200),
    ("hazards:hazard_list", "expert", None, 403),
    ("hazards:hazard_list", "secadmin", None, 403),
    ("hazards:hazard_list", None, None, LOGIN),
    # the record
    ("hazards:hazard_detail", "school_a_officer", "hazard", 200),
    ("hazards:hazard_detail", "school_a_head", "hazard", 200),
    ("hazards:hazard_detail", "school_a_owner", "hazard", 200),
    ("hazards:hazard_detail", "district_officer", "hazard", 200),
    ("hazards:hazard_detail", "district_supervisor", "hazard", 200),
    ("hazards:hazard_detail", "auditor", "hazard", 200),
    ("hazards:hazard_detail", "uni_security", "hazard", 404),
    ("hazards:hazard_detail", "uni_head", "hazard", 404),
    ("hazards:hazard_detail", "school_b_teacher", "hazard", 404),
    ("hazards:hazard_detail", "expert", "hazard", 403),
    ("hazards:hazard_detail", None, "hazard", LOGIN),
    # its photos
    ("hazards:hazard_photo", "school_a_officer", "photo", 200),
    ("hazards:hazard_photo", "district_officer", "photo", 200),
    ("hazards:hazard_photo", "uni_security", "photo", 404),
    ("hazards:hazard_photo", "school_b_teacher", "photo", 404),
    ("hazards:hazard_photo", "expert", "photo", 403),
    ("hazards:hazard_photo", None, "photo", LOGIN),
    # 随手拍
    ("hazards:hazard_report", "school_a_officer", None, 200),
    ("hazards:hazard_report", "school_a_owner", None, 200),
    ("hazards:hazard_report", "school_b_teacher", None, 200),
    ("hazards:hazard_report", "district_officer", None, 200),
    ("hazards:hazard_report", "district_supervisor", None, 403),
    ("hazards:hazard_report", "auditor", None, 403),
    ("hazards:hazard_report", "expert", None, 403),
    ("hazards:hazard_report", None, None, LOGIN),
    # my tasks
    ("hazards:my_tasks", "school_a_owner", None, 200),
    ("hazards:my_tasks", "school_a_head", None, 200),
    ("hazards:my_tasks", "school_b_teacher", None, 200),
    ("hazards:my_tasks", "district_supervisor", None, 200),
    ("hazards:my_tasks", "expert", None, 403),
    ("hazards:my_tasks", None, None, LOGIN),
    # places
    ("orgs:place_list", "school_a_officer", None, 200),
    ("orgs:place_list", "school_a_officer", "?school_a", 200),
    ("orgs:place_list", "district_officer", "?school_a", 200),
    ("orgs:place_list", "school_b_teacher", None, 200),
    ("orgs:place_list", "school_b_teacher", "?school_a", 404),
    ("orgs:place_list", "uni_security", "?school_a", 404),
    ("orgs:place_list", "district_officer", "?uni", 404),
    ("orgs:place_list", "expert", None, 403),
    ("orgs:place_list", None, None, LOGIN),
    ("orgs:place_add", "school_a_officer", "?school_a", 200),
    ("orgs:place_add", "district_officer", "?school_a", 200),
    ("orgs:place_add", "uni_security", "?school_a", 404),
    ("orgs:place_add", "school_b_teacher", "?school_a", 403),
    ("orgs:place_add", "district_supervisor", "?school_a", 403),
    ("orgs:place_add", "expert", "?school_a", 403),
    ("orgs:place_add", None, "?school_a", LOGIN),
    ("orgs:place_change", "school_a_officer", "place", 200),
    ("orgs:place_change", "district_officer", "place", 200),
    ("orgs:place_change", "uni_security", "place", 404),
    ("orgs:place_change", "school_b_teacher", "place", 403),
    ("orgs:place_change", "school_a_owner", "place", 403),
    ("orgs:place_change", "expert", "place", 403),
    ("orgs:place_change", None, "place", LOGIN),
]


def _get_url(page, target, hazard, place, units) -> str:
    if target == "hazard":
        return reverse(page, args=[hazard.pk])
    if target == "photo":
        return reverse(page, args=[hazard.photos.first().pk])
    if target == "place":
        return reverse(page, args=[place.pk])
    if target == "?school_a":
        return f"{reverse(page)}?unit={units['梁子湖高级中学'].pk}"
    if target == "?uni":
        return f"{reverse(page)}?unit={units['鄂州职业大学'].pk}"
    return reverse(page)


@pytest.mark.parametrize(
    ("page", "who", "target", "expected"),
    GET_CASES,
    ids=[f"{p.split(':')[1]}-{w or 'anonymous'}-{t or '-'}" for p, w, t, _e in GET_CASES],
)
def test_it_scopes_every_hazard_and_place_page(
    units, client_for, hazard, place, page, who, target, expected
):
    url = _get_url(page, target, hazard, place, units)
    _check(_client(client_for, who).get(url), expected)


def test_it_shows_a_reporter_only_what_they_reported(units, persona, client_for, hazard):
    mine = reported(persona, units["东沟镇中心小学"], "操场护栏松动", who="school_b_teacher")
    content = client_for("school_b_teacher").get(reverse("hazards:hazard_list")).content.decode()
    assert mine.number in content and hazard.number not in content


# ---------------------------------------------------------------- actions posted


def _state(name, units, persona):
    """A hazard of 梁子湖高级中学 in the state the action needs, and extra form data."""
    officer = persona("school_a_officer")
    if name == "reported":
        return reported(persona, units["梁子湖高级中学"]), {}
    if name == "confirmed":
        hazard = reported(persona, units["梁子湖高级中学"])
        services.confirm(officer, hazard.pk, level=HazardLevel.GENERAL)
        return hazard, {}
    if name == "assigned":
        return assigned(persona, units), {}
    if name == "submitted":
        return submitted(persona, units), {}
    if name == "extension":
        hazard = assigned(persona, units)
        request = services.request_extension(
            persona("school_a_owner"),
            hazard.pk,
            new_deadline=today() + dt.timedelta(days=20),
            reason="需要采购",
        )
        return hazard, {"request": request.pk}
    if name == "supervised":
        hazard = assigned(persona, units)
        services.supervise(persona("district_officer"), hazard.pk, reason="重点跟踪")
        return hazard, {}
    if name == "awaiting_supervision":
        hazard = assigned(persona, units, "实验室内违规存放大量酒精", level=HazardLevel.MAJOR)
        owner = persona("school_a_owner")
        services.add_control(owner, hazard.pk, measures="专人看管")
        services.submit(owner, hazard.pk, note="已清运", photos=[jpeg()])
        services.verify(persona("school_a_head"), hazard.pk, passed=True, note="合格")
        return hazard, {}
    raise ValueError(name)


DEADLINE = (dt.date.today() + dt.timedelta(days=10)).isoformat()
ACTIONS = {
    # action: (state, who may, form data)
    "confirm": ("reported", "school_a_officer", {"level": "general"}),
    "confirm_assign": (
        "reported",
        "school_a_officer",
        {"level": "general", "owner_unit": "@总务处", "measures": "清理", "deadline": DEADLINE},
    ),
    "dismiss": ("reported", "school_a_officer", {"note": "系误报"}),
    "assign": (
        "confirmed",
        "school_a_officer",
        {"owner_unit": "@总务处", "measures": "清理", "deadline": DEADLINE},
    ),
    "fix_on_spot": ("reported", "school_a_officer", {"note": "当场清理", "photos": "@photo"}),
    "start": ("assigned", "school_a_owner", {}),
    "progress": ("assigned", "school_a_owner", {"note": "清理一半"}),
    "control": ("assigned", "school_a_owner", {"measures": "设置警示标识"}),
    "submit": ("assigned", "school_a_owner", {"note": "已清理", "photos": "@photo"}),
    "verify": ("submitted", "school_a_head", {"note": "合格", "passed": "1"}),
    "extension_request": (
        "assigned",
        "school_a_owner",
        {"new_deadline": "2099-01-01", "reason": "需要采购"},
    ),
    "extension_decide": ("extension", "district_officer", {"note": "同意", "approve": "1"}),
    "supervise": ("assigned", "district_officer", {"reason": "重点跟踪"}),
    "supervision_answer": ("supervised", "school_a_owner", {"note": "已制定整改方案"}),
    "supervision_accept": ("awaiting_supervision", "district_officer", {"note": "认可销号"}),
}
# Someone who may see the hazard but holds the action nowhere.
NO_PERMISSION = {
    "confirm": "school_a_owner",
    "confirm_assign": "school_a_owner",
    "dismiss": "district_supervisor",
    "assign": "school_b_teacher",
    "fix_on_spot": "district_supervisor",
    "start": "auditor",
    "progress": "district_supervisor",
    "control": "auditor",
    "submit": "district_supervisor",
    "verify": "school_a_owner",
    "extension_request": "auditor",
    "extension_decide": "school_a_owner",
    "supervise": "school_a_owner",
    "supervision_answer": "auditor",
    "supervision_accept": "auditor",
}
ACTION_CASES = [
    (action, who, expected)
    for action, (_state_name, allowed, _data) in ACTIONS.items()
    for who, expected in (
        (allowed, 302),
        ("uni_security", 404),
        (NO_PERMISSION[action], 403),
        ("school_b_teacher", 403),
        ("expert", 403),
        (None, LOGIN),
    )
]


@pytest.mark.parametrize(
    ("action", "who", "expected"),
    ACTION_CASES,
    ids=[f"{a}-{w or 'anonymous'}" for a, w, _e in ACTION_CASES],
)
def test_it_scopes_every_action(units, persona, client_for, action, who, expected):
    state, _allowed, data = ACTIONS[action]
    hazard, extra = _state(state, units, persona)
    hazard.refresh_from_db()
    body = {"version": hazard.version, **extra}
    for key, value in data.items():
        if value == "@photo":
            body[key] = [jpeg()]
        elif isinstance(value, str) and value.startswith("@"):
            body[key] = units[value[1:]].pk
        else:
            body[key] = value
    response = _client(client_for, who).post(
        reverse(f"hazards:hazard_{action}", args=[hazard.pk]), body
    )
    _check(response, expected)
    after = Hazard.objects.get(pk=hazard.pk)
    if expected == 302:
        assert response["Location"] == reverse("hazards:hazard_detail", args=[hazard.pk])
        assert after.version > hazard.version  # it happened
    else:
        assert after.version == hazard.version  # nothing happened


def test_it_refuses_an_extension_decision_by_the_school_itself(units, persona, client_for):
    hazard, extra = _state("extension", units, persona)
    hazard.refresh_from_db()
    response = client_for("school_a_officer").post(
        reverse("hazards:hazard_extension_decide", args=[hazard.pk]),
        {"version": hazard.version, "note": "同意", "approve": "1", **extra},
    )
    assert response.status_code == 403
    assert hazard.extensions.get().status == "pending"


def test_it_does_not_answer_get_on_an_action(units, persona, client_for, hazard):
    response = client_for("school_a_officer").get(reverse("hazards:hazard_start", args=[hazard.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize(
    "url",
    ["hazards:hazard_list", "hazards:hazard_report", "hazards:my_tasks", "orgs:place_list"],
)
def test_it_keeps_every_page_free_of_inline_script_and_style(client_for, hazard, url):
    client = client_for("school_a_officer")
    for address in (reverse(url), reverse("hazards:hazard_detail", args=[hazard.pk])):
        content = client.get(address).content.decode()
        assert "style=" not in content and "<script>" not in content
        assert " on" + "click=" not in content and " on" + "change=" not in content
