"""The workflow layer (xiaoan.core.workflow): a declaration is checked when made; `begin`
answers scope (404), right (403), version and state (409); `advance` moves and records;
`allowed_actions` is state + permission + guard. The hazard workflow's model serves as the
example record (School A's officer reports, confirms and assigns; School B's teacher only
reports; the university sees nothing of School A)."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from xiaoan.core.errors import Conflict, Forbidden, NotFound
from xiaoan.core.workflow import ANY_STATE, Action, Workflow, begin, workflow_of
from xiaoan.hazards import services
from xiaoan.hazards.choices import HazardAction, HazardStatus
from xiaoan.hazards.models import Hazard, HazardEvent

pytestmark = pytest.mark.django_db
S = HazardStatus


def _service(actor, pk, *, note: str = "", version: int | None = None) -> None:
    """A service taking a note and a version, as action services do."""


class NoteForm(forms.Form):
    note = forms.CharField()


def _action(**overrides) -> Action:
    values = {
        "name": "tidy",
        "label": "整理",
        "sources": [S.REPORTED],
        "target": S.ASSIGNED,
        "permission": "hazards.confirm_hazard",
        "service": _service,
        "api": False,
    }
    return Action(**{**values, **overrides})


def _workflow(*actions: Action) -> Workflow:
    return Workflow(
        Hazard,
        states=HazardStatus,
        events=HazardAction,
        event_model=HazardEvent,
        actions=actions,
        register=False,
    )


def _reported(persona, units) -> Hazard:
    return services.report(
        persona("school_a_officer"), units["梁子湖高级中学"], description="楼道堆放杂物"
    )


# ---------------------------------------------------------------- the declaration


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"sources": ["lost"]}, "unknown state"),
        ({"sources": []}, "unknown state"),
        ({"target": "nowhere"}, "unknown state"),
        ({"target": (S.CLOSED, "nowhere")}, "unknown state"),
        ({"service": None}, "missing service"),
        ({"permission": "verify"}, "permission must read"),
        ({"permission": "orgs.change_unit"}, "permission must read"),
        ({"name": "Fix-it"}, "lower-case"),
        ({"photos": "maybe"}, "photos must be"),
        ({"style": "loud"}, "style must be"),
        ({"api": True}, "needs a serializer"),
        ({"form": NoteForm, "service": lambda actor, pk, *, version=None: None}, "not service"),
    ],
)
def test_it_refuses_a_faulty_declaration_when_it_is_made(overrides, problem):
    with pytest.raises(ImproperlyConfigured, match=problem):
        _workflow(_action(**overrides))


def test_it_refuses_an_action_declared_twice():
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        _workflow(_action(), _action())


def test_it_accepts_a_sound_declaration_and_finds_the_registered_one():
    flow = _workflow(_action(form=NoteForm), _action(name="any", sources=[ANY_STATE], target=None))
    assert list(flow.actions) == ["tidy", "any"]
    assert flow.actions["tidy"].slug == "tidy" and flow.actions["tidy"].scope_action == "confirm"
    assert workflow_of(Hazard).actions["fix_on_spot"].slug == "fix-on-spot"


# ---------------------------------------------------------------- the service guard


def test_it_answers_a_wrong_state_with_409_and_names_it(persona, units):
    hazard = _reported(persona, units)
    with pytest.raises(Conflict) as error:
        begin(persona("school_a_officer"), Hazard, hazard.pk, "start", hazard.version)
    assert str(error.value.message) == "隐患当前为“待确认”，不能执行“开始整改”。"


def test_it_answers_a_stale_version_with_409(persona, units):
    hazard = _reported(persona, units)
    officer = persona("school_a_officer")
    with pytest.raises(Conflict) as error:
        begin(officer, Hazard, hazard.pk, "confirm", hazard.version - 1)
    assert "已被他人处理" in str(error.value.message)
    assert begin(officer, Hazard, hazard.pk, "confirm", hazard.version).pk == hazard.pk
    assert (
        begin(officer, Hazard, hazard.pk, "confirm", None).pk == hazard.pk
    )  # no version: no check


def test_it_answers_out_of_scope_with_404_and_no_right_with_403(persona, units):
    hazard = _reported(persona, units)
    with pytest.raises(NotFound):
        begin(persona("uni_security"), Hazard, hazard.pk, "confirm", None)
    with pytest.raises(NotFound):
        begin(persona("school_a_officer"), Hazard, 10**9, "confirm", None)
    with pytest.raises(Forbidden):
        begin(persona("auditor"), Hazard, hazard.pk, "confirm", None)


def test_it_moves_the_record_and_appends_one_event(persona, units):
    hazard = _reported(persona, units)
    officer = persona("school_a_officer")
    flow = workflow_of(Hazard)
    locked = begin(officer, Hazard, hazard.pk, "dismiss", hazard.version)
    event = flow.advance(locked, officer, "dismiss", note="误报")
    hazard.refresh_from_db()
    assert hazard.status == S.DISMISSED and hazard.version == locked.version
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        S.REPORTED,
        S.DISMISSED,
        officer,
        "误报",
    )
    # An action with several outcomes must say which.
    with pytest.raises(ValueError, match="say which"):
        flow.advance(hazard, officer, "verify")
    flow.advance(hazard, None, HazardAction.OVERDUE, to=None, note="逾期")
    assert hazard.events.last().actor is None and hazard.status == S.DISMISSED


# ---------------------------------------------------------------- allowed actions


def test_it_allows_by_state_permission_and_guard(persona, units):
    hazard = _reported(persona, units)
    flow = _workflow(
        _action(),
        _action(name="later", sources=[S.ASSIGNED]),
        _action(name="guarded", guard=lambda actor, obj: obj.level == "major"),
        _action(name="fixing", permission="hazards.rectify_hazard"),
        _action(name="anywhere", sources=[ANY_STATE], target=None),
    )
    officer = persona("school_a_officer")
    assert [a.name for a in flow.allowed_actions(officer, hazard)] == [
        "tidy",
        "fixing",
        "anywhere",
    ]
    assert flow.allowed_actions(persona("uni_security"), hazard) == []
    assert flow.allowed_actions(persona("school_b_teacher"), hazard) == []
    hazard.level = "major"
    assert "guarded" in {a.name for a in flow.allowed_actions(officer, hazard)}


def test_it_reports_allowed_actions_under_their_api_names(persona, units):
    hazard = _reported(persona, units)
    owner, head = persona("school_a_owner"), persona("school_a_head")
    officer = persona("school_a_officer")
    services.confirm(officer, hazard.pk, level="general")
    services.assign(
        officer,
        hazard.pk,
        owner_unit=units["总务处"],
        owner=owner,
        measures="清理",
        deadline=timezone.localdate() + dt.timedelta(days=3),
    )
    hazard = Hazard.objects.get(pk=hazard.pk)
    flow = workflow_of(Hazard)
    assert "extension_request" in flow.allowed_names(owner, hazard)
    services.start(owner, hazard.pk)
    services.submit(owner, hazard.pk, note="已清理", photos=[_jpeg()])
    hazard = Hazard.objects.get(pk=hazard.pk)
    assert flow.allowed_names(head, hazard) == {"close", "reject"}
    assert flow.allowed_names(owner, hazard) == set()  # nobody verifies their own fix


def _jpeg():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "orange").save(buffer, "JPEG")
    return SimpleUploadedFile("after.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.parametrize("pk", ["99999999999999999999", "9" * 400, "abc", "1e400", -1])
def test_begin_answers_404_for_an_id_no_record_can_have(persona, pk):
    from xiaoan.core.errors import NotFound
    from xiaoan.core.workflow import begin
    from xiaoan.hazards.models import Hazard

    with pytest.raises(NotFound):
        begin(persona("school_a_officer"), Hazard, pk, "confirm", None)


def test_action_urls_refuse_huge_ids(client_for, api_for):
    huge = "9" * 25
    assert client_for("school_a_officer").post(f"/hazards/{huge}/confirm/", {}).status_code == 404
    response = api_for("school_a_officer").post(f"/api/hazards/{huge}/confirm/", {}, format="json")
    assert response.status_code == 400  # the API's structured out_of_range (BadInputMiddleware)
    assert response.json()["error"]["code"] == "out_of_range"
