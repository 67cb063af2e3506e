"""Registers (台账): one declaration per register, from which its services, pages, Excel
sheets, API and due-date warnings all come — as `xiaoan.core.workflow` is for workflows.
`xiaoan.buildings` is the worked example; a register app writes:

- `apps.py`: `ready()` imports `<app>.registers` (the declaration registers itself);
- `models.py`: a model on `xiaoan.core.models.RegisterItem` (unit, optional place, name,
  optional code, note, retire fields, timestamps, history) with its own fields, and
  `class Meta(RegisterItem.Meta)` (keeps the one-code-per-unit constraint and the order);
  cross-field rules in `clean()` — forms, API and imports all pass through `full_clean`;
  derived fields (`is_high_rise`) set in `save()` with `editable=False`;
- `forms.py`: a `StyledFormMixin` ModelForm of the editable fields, `unit` and `place`
  included (the layer narrows their choices to the person's scope);
- `serializers.py`: a ModelSerializer with explicit fields and `validators = []` (the model's
  `full_clean` in the service decides uniqueness);
- `filtersets.py`: a subclass of `xiaoan.core.register_views.RegisterFilterSet` (q, unit,
  retired, due come with it) adding the register's own filters to `Meta.fields`;
- `registers.py`: `BUILDINGS = registry.register(Register(key=..., model=..., label=...,
  form=..., serializer=..., filterset=..., list_fields=..., search_fields=..., columns=[
  SheetColumn(...)], due=[Due(field, label, warn_days)], attachment_kinds=[...],
  after_save=rule))`; `after_save(actor, item, before)` runs in the service's transaction
  (the 危房 → major hazard rule of buildings);
- `urls.py`: `app_name = "<key>"; urlpatterns = register_urls(REGISTER)`
  (`xiaoan.core.register_views`) and one `path("<key>/", include(...))` in xiaoan/urls.py;
- `api.py`: `class XViewSet(RegisterViewSet): register = REGISTER`
  (`xiaoan.core.api.registers`) and one `router.register(...)` line in xiaoan/api_urls.py;
- `todos.py`: `provider(due_todos(REGISTER))` (`xiaoan.core.register_due`), when it has dates;
- `figures.py` / `indicators.py` / `demo.py` as other apps do; the model's permissions go to
  the built-in roles by adding "<app>.<model>" to `REGISTER_MODELS` in xiaoan/accounts/roles.py.

Rows that belong to an item but are no register item themselves (a team's members) are
written by the register's `save_related(actor, item, data)` inside the same transaction,
from the service's data (an API field, or a sheet column that is no model field: a
`SheetColumn` with `parse` and `render`); see `xiaoan.emergency`. A model field naming
another record of the row's unit (a storage's keyholder) is read with
`SheetColumn(resolve=...)`. Two registers of one app share its URL namespace with
`namespace=`, and `before_retire(actor, item)` refuses a retirement the register forbids
(stock left in a storage); see `xiaoan.chemicals`.

Services (`create`, `update`, `retire`, `attach`) take the actor first, check the register's
permissions (`<app>.add_<model>`, `change_…`, `view_…`) and the unit scope, validate with the
model's `full_clean`, stamp history, keep the due dates and re-check the scope after writing,
all in one transaction. Out-of-scope ids are 404, held nowhere 403, a retired item 409.

Linking (`subject_token`, `resolve_subject`): a hazard or an inspection may name one register
item as its subject, written "<register key>:<id>" ("buildings:12"). The item must be visible
to the person, in use, and belong to the record's unit or the school it is part of.

Due dates — why not duties' obligations. A `Duty` is a rule for every unit of a kind and
period, its `Obligation`s are met by inspections or uploaded records and judged missed when
the period's date passes. A register's date is a fact of one item (this elevator's next
statutory inspection) that is met by changing the item (the new date after the inspection),
not by a record; fitting it into obligations would need a duty per item and unit and a
second way to meet it. So the register keeps one `DueDate` row per item and declared date
(`xiaoan.core.models.DueDate`, rewritten by every save, removed when retired); the daily job
(`xiaoan.core.tasks`, `xiaoan registers-daily`) notifies the unit's people who may change the
register `warn_days` ahead and again once past, once per item and date (the row remembers
the date it warned for); each register's `todos.py` puts the count due soon and overdue on
the home page; the early-warning issue can read the same rows for its alerts. A date whose
lapse is itself a finding declares `Due(..., on_overdue=rule)`: the same daily job calls the
rule once the date is past (一台一档: an overdue statutory inspection raises a hazard).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.history import stamp
from xiaoan.core.models import DueDate, RegisterAttachment, RegisterItem
from xiaoan.core.scoping import has_permission_anywhere, permission_name
from xiaoan.core.services import ensure_in_scope, get_scoped

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ATTACHMENT_EXTENSIONS = (
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".dwg", ".zip", ".ofd",
)  # fmt: skip


@dataclass(frozen=True)
class Due:
    """A date field of the item that falls due, warned `warn_days` ahead."""

    field: str
    label: str
    warn_days: int = 30
    # Called by the daily job (`xiaoan.core.register_due.daily`) for each of these dates just
    # past, with the `DueDate` row and today, in a savepoint: a rule such as "an overdue
    # statutory inspection is a hazard". It must be idempotent per item and date itself; a
    # row whose call fails is warned and tried again the next day.
    on_overdue: Callable[[DueDate, dt.date], None] | None = None


@dataclass(frozen=True)
class SheetColumn:
    """One column of the register's Excel template, import and export: the model field it
    fills (`field`; "unit" and "place" are matched by name), its header and the other
    headers a school's own sheet may use (`aliases`). Choices are read by label or value,
    booleans as 是/否, dates as dates or 2024-05-01 / 2024/5/1 / 2024年5月1日."""

    field: str
    header: str = ""
    width: float = 14
    aliases: tuple[str, ...] = ()
    required: bool = False
    export_only: bool = False  # derived values (a high-rise flag): written, never read
    # A column that is no model field (a team's members): `parse(cell)` gives its value
    # (ValueError with the Chinese reason for a refused cell) and the value goes into the
    # service's data under `field` for the register's `save_related`; `render(item)` gives
    # the exported cell. Give `header` for such a column.
    parse: Callable[[Any], Any] | None = None
    render: Callable[[Any], Any] | None = None
    help: str = ""  # how to fill the column, printed under the template's rows
    # A model field naming another record of the row's unit (a storage's keyholder):
    # `resolve(unit, text, cache)` returns it, or raises ValueError with the Chinese reason;
    # `cache` is one dict per import, to load what the column reads once, not per row.
    resolve: Callable[[Any, str, dict], Any] | None = None
    # For a `parse` column: `same(item, value)` says the row's value is what the item has
    # (its linked operators), so the same sheet again leaves the item alone.
    same: Callable[[Any, Any], bool] | None = None


@dataclass
class Register:
    """Everything the layer needs to know about one register."""

    key: str  # URL namespace and link token prefix: "buildings"
    model: type[RegisterItem]
    label: str  # 一楼一档
    form: type | None = None  # a ModelForm of the editable fields (unit and place included)
    serializer: type | None = None  # a ModelSerializer (explicit fields) for the API
    filterset: type | None = None  # a RegisterFilterSet subclass
    columns: Sequence[SheetColumn] = ()
    list_fields: Sequence[str] = ("name", "code", "unit")  # the list page's columns
    search_fields: Sequence[str] = ("name", "code")
    due: Sequence[Due] = ()
    attachment_kinds: Sequence[tuple[str, str]] = ()  # (value, label); none: no files
    select_related: Sequence[str] = ("unit", "place")
    # The fields that, with the unit, find the item a re-imported row updates (证书: kind
    # and number). Empty: by 编号 (code), or by 名称 when a row has no 编号.
    natural_key: Sequence[str] = ()
    prefetch_related: Sequence[Any] = ()  # rows the list, export and API read per item
    # Called inside the service's transaction after each save: (actor, item, before) where
    # `before` is the item as it was (None when created). Rules such as 危房 → hazard.
    after_save: Callable[[Any, Any, Any], None] | None = None
    # Called inside the service's transaction after each create/update, before
    # `after_save`: (actor, item, data) with the data given to the service, including
    # values that are no model field (a team's members from the API or a sheet column).
    save_related: Callable[[Any, Any, dict], None] | None = None
    # Called inside `retire` on the locked item before it is retired: (actor, item); raises
    # a ServiceError (Conflict) when the item may not be retired yet (stock left…).
    before_retire: Callable[[Any, Any], None] | None = None
    # A register's own steps on one item, shown as buttons on its record page to those who
    # may change it: (url name within the register's namespace, label), the url taking the
    # item's pk — e.g. ("equipment_inspection", 登记定期检验). The app's urls.py adds them.
    item_actions: Sequence[tuple[str, str]] = ()
    # The URL namespace when it is not `key` (two registers of one app share its namespace).
    namespace: str = ""
    order: int = 50
    description: str = ""
    # Extra context for the record page: (actor, item) -> dict, shown by the register's own
    # `<app>/<model>_detail.html` extending the core one (its `register_side` block).
    detail_context: Callable[[Any, Any], dict] | None = None
    # The name of an imported row that gives none (extinguishers are numbered, not named):
    # row values -> name. With it, a sheet's header need not have the 名称 column.
    default_name: Callable[[dict[str, Any]], str] | None = None
    # The dashboard's counters of the items in use, kept per unit by the rollups
    # (xiaoan.core.tallies): today -> {name: condition}; "total" is always counted. A
    # counter of the day (past its date) is as of the unit's last count (recounted nightly).
    counters: Callable[[dt.date], dict[str, models.Q]] | None = None
    ranked: Sequence[str] = ()  # the counters a ranking compares
    # Other models the counters read ("app.model"): their writers' `rollups.changed` (a
    # workflow's every step does it) recounts the record's unit.
    reads: Sequence[str] = ()

    @property
    def tally_kind(self) -> str:
        """The rollup kind of its counters (xiaoan.reports.rollups)."""
        return f"reg:{self.key}"

    def __post_init__(self) -> None:
        # The filterset is declared before the register: tell it whose it is (search
        # fields, due dates).
        if self.filterset is not None and getattr(self.filterset, "register", None) is None:
            self.filterset.register = self

    def perm(self, action: str) -> str:
        return permission_name(self.model, action)

    @property
    def model_name(self) -> str:
        return self.model._meta.model_name

    def url_name(self, action: str) -> str:
        return f"{self.namespace or self.key}:{self.model_name}_{action}"

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model)

    def queryset(self, user: Any, action: str = "view") -> models.QuerySet:
        return (
            self.model._default_manager.restrict(user, action)
            .select_related(*self.select_related)
            .prefetch_related(*self.prefetch_related)
            .order_by("unit__path", "name", "pk")
        )

    def units(self, user: Any, action: str = "add"):
        """Units where the person may `action` items of this register."""
        from xiaoan.orgs.models import Unit

        return Unit.objects.with_permission(user, self.perm(action)).filter(is_active=True)


class RegisterRegistry:
    def __init__(self) -> None:
        self._registers: dict[str, Register] = {}

    def register(self, register: Register) -> Register:
        self._registers[register.key] = register
        return register

    def get(self, key: str) -> Register | None:
        return self._registers.get(key)

    def for_model(self, model: type) -> Register | None:
        return next((r for r in self._registers.values() if r.model is model), None)

    def __iter__(self) -> Iterator[Register]:
        return iter(sorted(self._registers.values(), key=lambda r: (r.order, r.key)))

    def visible_to(self, user: Any) -> list[Register]:
        return [r for r in self if has_permission_anywhere(user, r.perm("view"))]


registry = RegisterRegistry()


def discover() -> None:
    """Register every app's `registers.py` (idempotent; AppConfig.ready of each register app
    imports its module too, so this is only for early callers)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("registers")


# ---------------------------------------------------------------- scope helpers


def home_unit(unit: Any) -> Any:
    """The school a department or campus belongs to (itself otherwise): places and items
    of a school are shared by its departments."""
    from xiaoan.orgs.choices import UnitKind

    if unit.kind in (UnitKind.DEPARTMENT, UnitKind.CAMPUS):
        return unit.school() or unit
    return unit


def place_fits(place: Any, unit: Any) -> bool:
    return place.unit.path.startswith(home_unit(unit).path)


# ---------------------------------------------------------------- services


def _editable_fields(register: Register) -> list[str]:
    return [
        f.name
        for f in register.model._meta.concrete_fields
        if f.editable and f.name not in ("id", "created_at", "updated_at")
    ]


def _apply(register: Register, item: RegisterItem, data: dict[str, Any]) -> None:
    allowed = set(_editable_fields(register))
    for name, value in data.items():
        if name in allowed:
            setattr(item, name, value)


def _validate(register: Register, actor: Any, item: RegisterItem, action: str) -> None:
    """Unit where the person may `action`, place of that unit's school, the model's rules."""
    from xiaoan.orgs.models import Place

    if not item.unit_id or not register.units(actor, action).filter(pk=item.unit_id).exists():
        raise Invalid(fields={"unit": [_("单位不存在或不在您的管理范围内。")]})
    if item.place_id is not None:
        place = Place.objects.select_related("unit").filter(pk=item.place_id).first()
        if place is None or not place_fits(place, item.unit):
            raise Invalid(fields={"place": [_("场所不属于该单位。")]})
    try:
        item.full_clean(exclude=["retired_by"])
    except ValidationError as error:
        fields = {
            (k if k != "__all__" else "non_field_errors"): [str(m) for m in v]
            for k, v in error.message_dict.items()
        }
        message = fields.get("non_field_errors", [None])[0]
        raise Invalid(message, fields=fields) from None


def _saved(
    register: Register,
    actor: Any,
    item: RegisterItem,
    before: Any,
    action: str,
    data: dict[str, Any] | None = None,
) -> None:
    stamp(item, actor)
    item.save()
    if register.save_related is not None and data is not None:
        register.save_related(actor, item, data)
    if register.after_save is not None:
        register.after_save(actor, item, before)
    sync_due(register, item)
    ensure_in_scope(actor, item, action)


@transaction.atomic
def create(register: Register, actor: Any, data: dict[str, Any]) -> RegisterItem:
    """A new item from `data` (model field names; unit and place as instances or ids)."""
    if not has_permission_anywhere(actor, register.perm("add")):
        raise Forbidden()
    item = register.model()
    _apply_ids(register, item, data)
    _validate(register, actor, item, "add")
    _saved(register, actor, item, None, "add", data)
    return item


def _ids(data: dict[str, Any]) -> dict[str, Any]:
    """Unit and place given as instances or ids."""
    out = dict(data)
    for name in ("unit", "place"):
        if name in out:
            value = out.pop(name)
            out[f"{name}_id"] = getattr(value, "pk", value) if value not in ("", None) else None
    return out


def _apply_ids(register: Register, item: RegisterItem, data: dict[str, Any]) -> None:
    data = _ids(data)
    for name in ("unit_id", "place_id"):
        if name in data:
            setattr(item, name, data.pop(name))
    _apply(register, item, data)


def _locked(register: Register, actor: Any, pk: Any, action: str) -> RegisterItem:
    item = get_scoped(actor, register.model, pk, action)
    item = register.model._default_manager.select_for_update().get(pk=item.pk)
    if item.is_retired:
        raise Conflict(_("该台账记录已注销，不能再修改。"))
    return item


@transaction.atomic
def update(register: Register, actor: Any, pk: Any, data: dict[str, Any]) -> RegisterItem:
    """Change the fields `data` names; the item must stay in a unit the person manages."""
    if not has_permission_anywhere(actor, register.perm("change")):
        raise Forbidden()
    item = _locked(register, actor, pk, "change")
    before = register.model._default_manager.get(pk=item.pk)
    _apply_ids(register, item, data)
    _validate(register, actor, item, "change")
    _saved(register, actor, item, before, "change", data)
    return item


@transaction.atomic
def retire(register: Register, actor: Any, pk: Any, *, reason: str) -> RegisterItem:
    """Take the item out of use (拆除、报废、调出…), never deleting it; its due dates go."""
    if not has_permission_anywhere(actor, register.perm("change")):
        raise Forbidden()
    item = _locked(register, actor, pk, "change")  # 404/403/409 before the input's checks
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise Invalid(_("请填写注销原因。"), fields={"reason": [_("必填。")]})
    if register.before_retire is not None:
        register.before_retire(actor, item)
    item.retired_at = timezone.now()
    item.retired_by = actor
    item.retire_reason = reason[:200]
    stamp(item, actor)
    item._change_reason = reason[:100]
    item.save()
    sync_due(register, item)
    return item


def check_attachment(upload: Any) -> None:
    if upload is None:
        raise Invalid(fields={"file": [_("请选择文件。")]})
    ext = os.path.splitext(getattr(upload, "name", "") or "")[1].lower()
    if ext not in ATTACHMENT_EXTENSIONS:
        allowed = "、".join(ATTACHMENT_EXTENSIONS)
        raise Invalid(fields={"file": [_("文件类型不支持，可上传：%(e)s。") % {"e": allowed}]})
    size = getattr(upload, "size", 0) or 0
    if size > MAX_ATTACHMENT_BYTES:
        raise Invalid(fields={"file": [_("文件不能超过 20 MB。")]})
    if not size:
        raise Invalid(fields={"file": [_("文件是空的。")]})


@transaction.atomic
def attach(register: Register, actor: Any, pk: Any, *, kind: str, upload: Any):
    """Add a file (drawing, photo, report) to an item the person may change."""
    if not register.attachment_kinds:
        raise NotFound()
    if not has_permission_anywhere(actor, register.perm("change")):
        raise Forbidden()
    item = _locked(register, actor, pk, "change")
    if kind not in dict(register.attachment_kinds):
        raise Invalid(fields={"kind": [_("请选择附件类别。")]})
    check_attachment(upload)
    name = os.path.basename(getattr(upload, "name", "") or "")[:200]
    return RegisterAttachment.objects.create(
        content_type=register.content_type(),
        object_id=item.pk,
        kind=kind,
        file=upload,
        name=name,
        size=upload.size,
        uploaded_by=actor,
    )


def attachments_of(register: Register, item: RegisterItem) -> list[RegisterAttachment]:
    kinds = dict(register.attachment_kinds)
    rows = list(
        RegisterAttachment.objects.filter(
            content_type=register.content_type(), object_id=item.pk
        ).order_by("kind", "-uploaded_at")
    )
    for row in rows:
        row.kind_label = kinds.get(row.kind, row.kind)
    return rows


def load_attachment(register: Register, actor: Any, pk: Any) -> RegisterAttachment:
    """An attachment of an item the person may see (404 otherwise)."""
    visible = register.model._default_manager.restrict(actor, "view").values("pk")
    row = (
        RegisterAttachment.objects.filter(
            content_type=register.content_type(), object_id__in=visible, pk=pk
        ).first()
        if str(pk).isdigit()
        else None
    )
    if row is None:
        raise NotFound()
    return row


# ---------------------------------------------------------------- due dates


def sync_due(register: Register, item: RegisterItem) -> None:
    """Rewrite the item's `DueDate` rows from its declared dates (none once retired)."""
    if not register.due:
        return
    content_type = register.content_type()
    rows = DueDate.objects.filter(content_type=content_type, object_id=item.pk)
    if item.is_retired:
        rows.delete()
        return
    keep = []
    for due in register.due:
        value = getattr(item, due.field)
        if value is None:
            continue
        keep.append(due.field)
        DueDate.objects.update_or_create(
            content_type=content_type,
            object_id=item.pk,
            key=due.field,
            defaults={
                "label": str(due.label),
                "unit_id": item.unit_id,
                "due_on": value,
                "warn_on": value - dt.timedelta(days=due.warn_days),
            },
        )
    rows.exclude(key__in=keep).delete()


def due_rows(register: Register, item: RegisterItem) -> list[DueDate]:
    return list(
        DueDate.objects.filter(content_type=register.content_type(), object_id=item.pk).order_by(
            "due_on"
        )
    )


def due_filter(register: Register, which: str, today: dt.date | None = None) -> models.Q:
    """Items with a date in its warning window ("soon", overdue ones included) or past
    ("overdue"): a condition on the item's pk for the list filter."""
    today = today or timezone.localdate()
    rows = DueDate.objects.filter(content_type=register.content_type())
    if which == "overdue":
        rows = rows.filter(due_on__lt=today)
    else:
        rows = rows.filter(warn_on__lte=today)
    return models.Q(pk__in=rows.values("object_id"))


# ---------------------------------------------------------------- reading an item


def field_display(item: Any, name: str) -> Any:
    """A field's value as people read it, on the pages and in the sheets alike: None when
    empty; an encrypted field masked; a choice's label (or the model's own
    `get_<field>_display()`, e.g. for a JSON list); 是/否; a place's full name; else as is."""
    from xiaoan.core.fields import is_masked_field, mask

    model_field = type(item)._meta.get_field(name)
    value = getattr(item, name)
    if value is None or value == "" or value == []:
        return None
    if is_masked_field(model_field):
        return mask(value)
    if model_field.choices or hasattr(item, f"get_{name}_display"):
        return getattr(item, f"get_{name}_display")()
    if isinstance(model_field, models.BooleanField):
        return _("是") if value else _("否")
    if name == "place":
        return value.full_name
    return value


# ---------------------------------------------------------------- subjects (linking)


def subject_token(item: RegisterItem) -> str:
    register = registry.for_model(type(item))
    return f"{register.key}:{item.pk}" if register else ""


def token_for(content_type_id: int | None, object_id: int | None) -> str | None:
    """ "buildings:12" from a record's subject columns, without loading the item."""
    if not content_type_id or object_id is None:
        return None
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    register = registry.for_model(model)
    return f"{register.key}:{object_id}" if register else None


def resolve_subject(actor: Any, token: Any, unit: Any, *, field: str = "subject"):
    """The register item a hazard or an inspection of `unit` names (None for none): it must
    be visible to `actor`, in use, and belong to `unit` or the school `unit` is part of."""
    if token in (None, ""):
        return None
    if isinstance(token, RegisterItem):
        register, pk = registry.for_model(type(token)), token.pk
    else:
        key, _sep, raw = str(token).partition(":")
        register = registry.get(key.strip())
        pk = raw.strip()
    refused = Invalid(fields={field: [_("台账记录不存在或不在您的范围内。")]})
    if register is None or not str(pk).isdigit() or len(str(pk)) > 18:
        raise refused
    item = (
        register.model._default_manager.restrict(actor, "view")
        .select_related("unit")
        .filter(pk=int(pk))
        .first()
    )
    if item is None:
        raise refused
    if item.is_retired:
        raise Invalid(fields={field: [_("该台账记录已注销。")]})
    if unit is None or not item.unit.path.startswith(home_unit(unit).path):
        raise Invalid(fields={field: [_("该台账记录不属于所选单位。")]})
    return item


def subject_label(obj: Any) -> str:
    """ "一楼一档 · 1号教学楼" for a hazard's or inspection's subject (loaded), else ""."""
    item = getattr(obj, "subject", None)
    if item is None:
        return ""
    register = registry.for_model(type(item))
    return f"{register.label} · {item}" if register else str(item)


@dataclass
class Linked:
    hazards: list = field(default_factory=list)
    inspections: list = field(default_factory=list)


def linked_records(register: Register, actor: Any, item: RegisterItem, limit: int = 50) -> Linked:
    """The hazards and inspections naming the item that the person may see (two queries)."""
    from xiaoan.hazards.models import Hazard
    from xiaoan.inspections.models import Inspection

    content_type = register.content_type()
    hazards = list(
        Hazard.objects.restrict(actor)
        .filter(subject_type=content_type, subject_id=item.pk)
        .order_by("-found_at")[:limit]
    )
    inspections = list(
        Inspection.objects.restrict(actor)
        .filter(subject_type=content_type, subject_id=item.pk)
        .order_by("-scheduled_on", "-id")[:limit]
    )
    return Linked(hazards, inspections)
