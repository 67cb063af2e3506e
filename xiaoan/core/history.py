"""Reading django-simple-history records as a readable change log for a record's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.fields import LookupHashField, is_masked_field, mask

TYPE_LABELS = {"+": _("创建"), "~": _("修改"), "-": _("删除")}
HIDDEN = {
    "id",
    "path",
    "depth",
    "numchild",
    "password",
    "last_login",
    "updated_at",
    "created_at",
    "date_joined",
}


def stamp(obj: models.Model, actor: Any) -> models.Model:
    """Name the actor on the history entry the next save writes. Services do this themselves:
    API calls with token auth and console commands have no request for the middleware."""
    if actor is not None and getattr(actor, "pk", None):
        obj._history_user = actor
    return obj


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime
    who: str
    action: str
    changes: list[Change]
    reason: str


def _display(
    model: type[models.Model], field: models.Field, value: Any, related: dict[tuple[str, Any], str]
) -> str:
    if value in (None, ""):
        return "—"
    if is_masked_field(field):
        return mask(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("是") if value else _("否"))
    if isinstance(field, models.ForeignKey):
        return related.get((field.name, value), str(value))
    if isinstance(value, datetime):
        # Local time to the minute, as every page shows times (not "…07:17:57.839181+00:00").
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, list):
        # A list of codes names its choices on the model: `list_choices = {field: choices}`.
        labels = dict(getattr(model, "list_choices", {}).get(field.name, ()))
        return "、".join(str(labels.get(v, v)) for v in value)
    return str(value)


def entries_for(obj: models.Model, limit: int = 200) -> list[Entry]:
    """The record's history, newest first, each entry with the fields it changed."""
    model = type(obj)
    records = list(
        obj.history.select_related("history_user").order_by("history_date", "history_id")[:limit]
    )
    tracked = {f.attname for f in obj.history.model._meta.concrete_fields}
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.name not in HIDDEN
        and f.attname in tracked  # excluded_fields are not tracked
        and not isinstance(f, LookupHashField)  # a keyed hash says nothing to a reader
    ]
    # One query per foreign key type to name the referenced rows.
    related: dict[tuple[str, Any], str] = {}
    for field in fields:
        if isinstance(field, models.ForeignKey):
            ids = {getattr(r, field.attname) for r in records} - {None}
            if ids:
                target = field.related_model
                for pk, label in ((o.pk, str(o)) for o in target._base_manager.filter(pk__in=ids)):
                    related[(field.name, pk)] = label
    out: list[Entry] = []
    previous = None
    for record in records:
        changes = []
        for field in fields:
            new = getattr(record, field.attname)
            old = getattr(previous, field.attname) if previous is not None else None
            if previous is None and new in (None, "", False, []):
                continue
            if previous is not None and new == old:
                continue
            changes.append(
                Change(
                    str(field.verbose_name),
                    _display(model, field, old, related) if previous is not None else "",
                    _display(model, field, new, related),
                )
            )
        user = record.history_user
        out.append(
            Entry(
                when=record.history_date,
                who=(user.name or user.username) if user else str(_("系统")),
                action=str(TYPE_LABELS.get(record.history_type, record.history_type)),
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
        previous = record
    out.reverse()
    return out


def grants_log(user_obj: models.Model, limit: int = 100) -> list[Entry]:
    """Role grants and revocations of one person, newest first."""
    from xiaoan.accounts.models import Role, RoleAssignment
    from xiaoan.orgs.models import Unit

    records = list(
        RoleAssignment.history.filter(user_id=user_obj.pk, history_type__in=["+", "-"])
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    roles = dict(Role.objects.filter(pk__in={r.role_id for r in records}).values_list("pk", "name"))
    units = dict(
        Unit.objects.filter(pk__in={r.unit_id for r in records} - {None}).values_list("pk", "name")
    )
    labels = {"+": _("授予角色"), "-": _("撤销角色")}
    out = []
    for record in records:
        who = record.history_user
        where = units.get(record.unit_id, str(_("全平台")))
        out.append(
            Entry(
                when=record.history_date,
                who=(who.name or who.username) if who else str(_("系统")),
                action=str(labels[record.history_type]),
                changes=[Change(str(_("角色")), "", f"{roles.get(record.role_id, '?')} · {where}")],
                reason="",
            )
        )
    return out


def note_links(item: models.Model, text: str) -> None:
    """Links (many-to-many) are no history fields: the item's latest entry says what they
    became, so its change log shows who changed them and when."""
    latest = item.history.order_by("-history_id").first()
    if latest is not None:
        latest.history_change_reason = text[:100]
        latest.save(update_fields=["history_change_reason"])
