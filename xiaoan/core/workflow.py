"""Workflows, declared once per model (architecture convention 4).

A `Workflow` names a model's states and its `Action`s: what a person may do to a record, from
which states, into which state, with which permission, through which form (pages) and
serializer (API), by which service function, under which Chinese label. Everything else reads
that one declaration:

- the service guard: `begin(actor, Model, pk, "action", version)` locks the row and checks
  scope (404), right (403), version and state (409); `Workflow.advance` moves the state,
  bumps the version and writes the append-only event row and the audit entry;
- "what may this person do here": `Workflow.allowed_actions(actor, obj)` (state, permission
  on the record's unit, the action's own guard);
- the record page's buttons and forms and one POST view per action
  (`xiaoan.core.workflow_pages`), and the API action endpoints with their OpenAPI schema
  (`xiaoan.core.api.workflow`).

Adding an action is one `Action(...)` entry and one service function.

How another app adopts it (inspections, plans, duties): give the model a `version` field and
an append-only event model with a foreign key to it and the fields `action`, `actor`,
`from_<state_field>`, `to_<state_field>`, `note`, `data`, `created_at`; declare
`Workflow(Model, states=…, events=…, event_model=…, actions=[…])` in `<app>/workflow.py`
and import that module from the app's `AppConfig.ready()` (so it is registered and checked
at start-up); write each service as `obj = begin(...)`, the business rules, then
`WORKFLOW.advance(obj, actor, "action", note=…)`; let the API viewset inherit
`WorkflowViewSetMixin` and the pages use `WorkflowActionView`, `action_urls` and
`includes/workflow_actions.html`. Wrong states then answer 409 like everywhere else.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.core import freshness
from xiaoan.core.errors import Conflict, Forbidden, NotFound
from xiaoan.core.ids import record_id
from xiaoan.core.scoping import has_permission_anywhere

ANY_STATE = "*"
PHOTOS = ("", "optional", "required")
STYLES = ("primary", "secondary", "danger")
STALE = gettext_lazy("该记录已被他人处理，请刷新后查看最新状态。")
WRONG_STATE = gettext_lazy("当前为“%(status)s”，不能执行“%(action)s”。")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_REGISTRY: dict[type[models.Model], Workflow] = {}


class _Declared:
    def __repr__(self) -> str:
        return "DECLARED"


DECLARED: Any = _Declared()  # `advance(to=…)` default: where the action leads


@dataclass(frozen=True)
class Button:
    """A submit button of an action's form. With `field`, the button carries a decision
    (pass or refuse): the form's cleaned data gets `field` = `value`."""

    label: str
    style: str = "primary"  # Bootstrap: primary, success, outline-danger …
    field: str = ""
    value: bool = True


@dataclass(frozen=True, kw_only=True, eq=False)
class Action:
    """One thing a person may do to a record. `name` is the URL slug with "_" for "-"."""

    name: str
    label: str  # the button and form title on the record page
    sources: Iterable[str]  # the states it may start from; ANY_STATE for every state
    target: str | tuple[str, ...] | None  # the state it leads to; a tuple when it depends
    permission: str  # "<app>.<action>_<model>", checked on the record's unit
    service: Callable[..., Any]  # service(actor, pk, **form or serializer data)
    form: type | None = None  # the page form (a WorkflowForm); None: no page form
    serializer: type | None = None  # the API's JSON request
    upload_serializer: type | None = None  # the API's multipart request (with photos)
    note: bool = False  # the service requires a note
    photos: str = ""  # "", "optional" or "required"
    guard: Callable[[Any, Any], bool] | None = None  # extra rule: (actor, obj) → may
    scoped: bool = True  # False: the guard checks the right elsewhere (a superior unit)
    style: str = "secondary"  # "primary" opens first and stands out; "danger" is red
    confirm: str = ""  # the question the browser asks before posting
    buttons: tuple[Button, ...] = ()  # default: one button with the label
    api: bool = True
    api_path: str = ""  # default: the slug
    api_method: str = ""  # the viewset method's name; default: the name
    api_summary: str = ""
    api_status: int = 200
    api_names: tuple[str, ...] | None = None  # what allowed_actions reports; default (name,)
    sources_set: frozenset[str] = field(init=False, default=frozenset())

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources_set", frozenset(self.sources))
        if self.api_names is None:
            object.__setattr__(self, "api_names", (self.name,))

    @property
    def slug(self) -> str:
        return self.name.replace("_", "-")

    @property
    def path(self) -> str:
        return self.api_path or self.slug

    @property
    def method_name(self) -> str:
        return self.api_method or self.name

    @property
    def scope_action(self) -> str:
        """The action `restrict` takes for the permission: "verify" for "hazards.verify_hazard"."""
        return self.permission.split(".", 1)[1].rsplit("_", 1)[0]

    @property
    def targets(self) -> tuple[str, ...]:
        if self.target is None:
            return ()
        return self.target if isinstance(self.target, tuple) else (self.target,)

    @property
    def decision(self) -> str:
        """The boolean field the buttons decide, if any."""
        return next((b.field for b in self.buttons if b.field), "")

    def starts_from(self, state: str) -> bool:
        return ANY_STATE in self.sources_set or state in self.sources_set


class Workflow:
    """The states and actions of one model, checked when declared."""

    def __init__(
        self,
        model: type[models.Model],
        *,
        states: type[models.TextChoices],
        events: type[models.TextChoices],
        event_model: type[models.Model],
        actions: Iterable[Action],
        state_field: str = "status",
        version_field: str = "version",
        allows: Callable[[Any, Any, str], bool] | None = None,
        on_move: Callable[[Any, str | None, str], None] | None = None,
        stale_message: Any = STALE,
        state_message: Any = WRONG_STATE,
        register: bool = True,
    ) -> None:
        self.model = model
        self.states = states
        self.events = events
        self.event_model = event_model
        self.state_field = state_field
        self.version_field = version_field
        self.event_fk = model._meta.model_name
        self._allows = allows
        self.on_move = on_move
        self.stale_message = stale_message
        self.state_message = state_message
        self.actions: dict[str, Action] = {}
        for action in actions:
            self._check(action)
            self.actions[action.name] = action
        if register:  # `begin(actor, Model, …)` finds it
            _REGISTRY[model] = self

    # ------------------------------------------------------------ declaration checks

    def _fail(self, action: Action, problem: str) -> None:
        raise ImproperlyConfigured(
            f"{self.model.__name__} workflow, action {action.name!r}: {problem}"
        )

    def _check(self, action: Action) -> None:
        states = set(self.states.values)
        if not _NAME.match(action.name):
            self._fail(action, "the name must be lower-case letters, digits and _")
        if action.name in self.actions:
            self._fail(action, "declared twice")
        unknown = action.sources_set - states - {ANY_STATE}
        if not action.sources_set or unknown:
            self._fail(action, f"unknown state(s) {sorted(unknown)} in sources")
        if set(action.targets) - states:
            self._fail(action, f"unknown state(s) {sorted(set(action.targets) - states)} in target")
        if not callable(action.service):
            self._fail(action, "missing service function")
        meta = self.model._meta
        # Usually the record's own model; an app may grant one model's rights for all its
        # records (plans: `plans.<action>_plan` on assignments too).
        found = re.fullmatch(rf"{meta.app_label}\.[a-z_]+_([a-z0-9]+)", action.permission)
        own = {m._meta.model_name for m in apps.get_app_config(meta.app_label).get_models()}
        if found is None or found.group(1) not in own:
            self._fail(
                action, f"permission must read '{meta.app_label}.<action>_{meta.model_name}'"
            )
        if action.photos not in PHOTOS:
            self._fail(action, f"photos must be one of {PHOTOS}")
        if action.style not in STYLES:
            self._fail(action, f"style must be one of {STYLES}")
        if action.api and not (action.serializer or action.upload_serializer):
            self._fail(action, "an API action needs a serializer")
        if action.photos == "required" and action.api and action.serializer:
            self._fail(action, "photos are required: give upload_serializer only (multipart)")
        # Whatever a form or serializer hands over must be a keyword of the service.
        params = inspect.signature(action.service).parameters
        if not any(p.kind is p.VAR_KEYWORD for p in params.values()):
            taken = {
                n for n, p in params.items() if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
            }
            decided = [action.decision] if action.decision else []
            for source, names in (
                ("form", _form_fields(action.form) + decided),
                ("serializer", _serializer_fields(action.serializer)),
                ("upload_serializer", _serializer_fields(action.upload_serializer)),
            ):
                extra = set(names) - taken
                if extra:
                    self._fail(
                        action, f"{source} field(s) {sorted(extra)} are not service keywords"
                    )

    # ------------------------------------------------------------ who may do what

    def allows(self, actor: Any, obj: Any, scope_action: str) -> bool:
        """Whether `restrict(actor, scope_action)` holds `obj` (the model may answer without a
        query: `allows=`)."""
        if self._allows is not None:
            return self._allows(actor, obj, scope_action)
        manager = self.model._default_manager
        return manager.restrict(actor, scope_action).filter(pk=obj.pk).exists()

    def allowed_actions(self, actor: Any, obj: Any) -> list[Action]:
        """The actions `actor` may take on `obj` now, in declaration order: the state allows
        it, the actor holds the permission on the record's unit, and its guard agrees."""
        state = getattr(obj, self.state_field)
        held: dict[str, bool] = {}
        out = []
        for action in self.actions.values():
            if not action.starts_from(state):
                continue
            if action.scoped:
                if action.scope_action not in held:
                    held[action.scope_action] = self.allows(actor, obj, action.scope_action)
                if not held[action.scope_action]:
                    continue
            elif not has_permission_anywhere(actor, action.permission):
                continue
            if action.guard is not None and not action.guard(actor, obj):
                continue
            out.append(action)
        return out

    def allowed_names(self, actor: Any, obj: Any) -> set[str]:
        """`allowed_actions` as the API reports them (`Action.api_names`)."""
        return {n for a in self.allowed_actions(actor, obj) for n in a.api_names or ()}

    # ------------------------------------------------------------ the service guard

    def label_of(self, name: str) -> str:
        if name in self.events.values:
            return str(self.events(name).label)
        return str(self.actions[name].label)

    def begin(self, actor: Any, pk: Any, name: str, version: int | None, *, event: str = "") -> Any:
        """Lock the record for action `name`: 404 if the actor cannot see it, 403 if they may
        not take the action on it, 409 if it changed since `version` or is in a state the
        action does not start from (`event` names the step in that message)."""
        action = self.actions[name]
        manager = self.model._default_manager
        pk = record_id(pk)
        if not manager.restrict(actor, "view").filter(pk=pk).exists():
            raise NotFound()
        obj = manager.select_for_update().get(pk=pk)
        if (
            action.scoped
            and not manager.restrict(actor, action.scope_action).filter(pk=pk).exists()
        ):
            raise Forbidden()
        self.check_version(obj, version)
        state = getattr(obj, self.state_field)
        if not action.starts_from(state):
            display = getattr(obj, f"get_{self.state_field}_display")()
            raise Conflict(
                self.state_message % {"status": display, "action": self.label_of(event or name)}
            )
        return obj

    def check_version(self, obj: Any, version: int | None) -> None:
        if version is not None and version != getattr(obj, self.version_field):
            raise Conflict(self.stale_message)

    def advance(
        self,
        obj: Any,
        actor: Any,
        event: str,
        *,
        to: Any = DECLARED,
        note: str = "",
        data: dict | None = None,
        created: bool = False,
        audited: bool = True,
    ) -> Any:
        """Move `obj` to `to` (by default: where the action named `event` leads; None: it
        stays), bump its version, save it and write the event row and the audit entry, in
        the caller's transaction. `created`: the record is new (its first event).
        `audited=False`: an outside system's step, traced by its event row alone (the audit
        chain takes one writer at a time and records what people and our jobs do)."""
        from_state = getattr(obj, self.state_field)
        if to is DECLARED:
            targets = self.actions[event].targets if event in self.actions else ()
            if len(targets) > 1:
                raise ValueError(f"{event!r} leads to {targets}: say which with to=")
            to = targets[0] if targets else None
        if to:
            setattr(obj, self.state_field, to)
        setattr(obj, self.version_field, getattr(obj, self.version_field) + 1)
        obj.save()
        new_state = getattr(obj, self.state_field)
        if self.on_move is not None:
            self.on_move(obj, None if created else from_state, new_state)
        event_row = self.record_event(obj, event, actor, note, from_state, new_state, data)
        if not audited:
            # Not in the audit chain, still a change the unit's kept pages must show.
            freshness.changed([getattr(obj, "unit_id", None)])
            return event_row
        from xiaoan.audit import services as audit

        audit.record(
            "create" if created else "transition",
            actor=event_row.actor,
            obj=obj,
            detail={"action": event, "from": from_state, "to": new_state, "event": event_row.pk},
        )
        return event_row

    def record_event(
        self,
        obj: Any,
        event: str,
        actor: Any,
        note: str,
        from_state: str,
        to_state: str,
        data: dict | None = None,
    ) -> Any:
        """Append the event row (the model's history is never updated, only added to)."""
        return self.event_model._default_manager.create(
            **{
                self.event_fk: obj,
                "action": event,
                "actor": actor if getattr(actor, "pk", None) else None,
                f"from_{self.state_field}": from_state,
                f"to_{self.state_field}": to_state,
                "note": note,
                "data": data or {},
                "created_at": timezone.now(),
            }
        )


def workflow_of(model: type[models.Model]) -> Workflow:
    try:
        return _REGISTRY[model]
    except KeyError:
        raise ImproperlyConfigured(f"{model.__name__} declares no workflow") from None


def begin(
    actor: Any, model: type[models.Model], pk: Any, action: str, version: int | None, **kw
) -> Any:
    """`Workflow.begin` of the model's workflow: the locked record, checked for `action`."""
    return workflow_of(model).begin(actor, pk, action, version, **kw)


def _form_fields(form: type | None) -> list[str]:
    if form is None:
        return []
    return list(getattr(form, "base_fields", {}))


def _serializer_fields(serializer: type | None) -> list[str]:
    if serializer is None:
        return []
    return list(getattr(serializer, "_declared_fields", {}))


def require_note(note: str, what: str) -> str:
    """The note an action needs, trimmed; 400 on the `note` field when empty."""
    from xiaoan.core.errors import Invalid

    note = (note or "").strip()
    if not note:
        raise Invalid(_("请填写%(what)s。") % {"what": what}, fields={"note": [_("必填。")]})
    return note
