"""Checklist templates: copying a built-in one, revising, numbering versions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from xiaoan.core.errors import Forbidden, Invalid, NotFound
from xiaoan.core.history import stamp
from xiaoan.hazards import criteria
from xiaoan.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
)
from xiaoan.orgs.models import Unit


def write_version(
    template: ChecklistTemplate, rows: Sequence[tuple], *, actor: Any, note: str = ""
) -> ChecklistVersion:
    """A new version holding `rows` (code, section, text, guidance, photo, criterion), made
    the template's current one. Earlier versions stay as they are."""
    number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ChecklistVersion.objects.create(
        template=template,
        number=number,
        note=note[:200],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            version=version,
            seq=seq,
            code=code,
            section=section,
            text=text,
            guidance=guidance,
            photo_required=photo,
            criterion=criterion or "",
        )
        for seq, (code, section, text, guidance, photo, criterion) in enumerate(rows, start=1)
    )
    template.current_version = version
    stamp(template, actor)
    template.save(update_fields=["current_version", "updated_at"])
    return version


def _template(actor: Any, pk: Any, action: str = "view") -> ChecklistTemplate:
    try:
        template = ChecklistTemplate.objects.restrict(actor, "view").get(pk=pk)
    except (ChecklistTemplate.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if action != "view":
        if template.is_builtin:
            raise Forbidden(_("内置检查表不能直接修改，请复制后在副本上调整。"))
        if not ChecklistTemplate.objects.restrict(actor, action).filter(pk=pk).exists():
            raise Forbidden()
    return template


def template_units(actor: Any):
    """Units for which the person may keep checklists of their own."""
    return Unit.objects.with_permission(actor, "inspections.add_checklisttemplate")


def _unique_code(base: str) -> str:
    base = base[:54]
    code, n = base, 1
    while ChecklistTemplate.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


@transaction.atomic
def copy_template(
    actor: Any, pk: Any, *, unit: Unit | int, name: str = "", description: str | None = None
) -> ChecklistTemplate:
    """A unit's own copy of a template it can see, items and codes included; the copy is
    visible to the unit's subtree and may be adapted there."""
    source = _template(actor, pk)
    unit_pk = unit.pk if isinstance(unit, Unit) else unit
    owner = template_units(actor).filter(pk=unit_pk).first()
    if owner is None:
        if Unit.objects.restrict(actor).filter(pk=unit_pk).exists():
            raise Forbidden(_("您不能为该单位建立检查表。"))
        raise Invalid(fields={"unit": [_("单位不存在或不在您的范围内。")]})
    if source.current_version_id is None:
        raise Invalid(_("该检查表还没有检查项，不能复制。"))
    name = (name or "").strip() or f"{source.name}（{owner.name}）"
    copy = ChecklistTemplate(
        code=_unique_code(f"U{owner.pk}-{source.code}"),
        name=name[:100],
        domain=source.domain,
        description=source.description if description is None else description.strip(),
        owner_unit=owner,
        copied_from=source,
    )
    stamp(copy, actor)
    copy.save()
    rows = [i.content() for i in source.current_version.items.all()]
    write_version(copy, rows, actor=actor, note=_("复制自 %(code)s") % {"code": source.code})
    return copy


def _item_rows(template: ChecklistTemplate, items: Sequence[Mapping[str, Any]]) -> list[tuple]:
    """Validate edited items; every problem is reported at once and nothing is written."""
    errors: list[str] = []
    if not items:
        raise Invalid(_("检查表至少要有一个检查项。"), fields={"items": [_("必填。")]})
    rows: list[tuple] = []
    codes: set[str] = set()
    for n, item in enumerate(items, start=1):
        text = str(item.get("text") or "").strip()
        if not text:
            errors.append(_("第 %(n)d 项：请填写检查内容。") % {"n": n})
        code = str(item.get("code") or "").strip()[:60] or f"{template.code}-{n:02d}"[:60]
        if code in codes:
            errors.append(_("第 %(n)d 项：代码 %(code)s 重复。") % {"n": n, "code": code})
        codes.add(code)
        criterion = str(item.get("criterion") or "").strip()
        if criterion and criterion not in criteria.BY_CODE:
            errors.append(_("第 %(n)d 项：未知的判定标准 %(c)s。") % {"n": n, "c": criterion})
        rows.append(
            (
                code,
                str(item.get("section") or "").strip()[:100],
                text,
                str(item.get("guidance") or "").strip(),
                bool(item.get("photo_required")),
                criterion,
            )
        )
    if errors:
        raise Invalid(_("检查项有误：%(e)s") % {"e": "；".join(errors)}, fields={"items": errors})
    return rows


@transaction.atomic
def revise_template(
    actor: Any,
    pk: Any,
    *,
    items: Sequence[Mapping[str, Any]] | None = None,
    name: str | None = None,
    description: str | None = None,
    is_active: bool | None = None,
    note: str = "",
) -> ChecklistTemplate:
    """Adapt a unit's own checklist. Changed items make a new version; inspections already
    planned or done keep theirs."""
    template = _template(actor, pk, "change")
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    fields = []
    if name is not None:
        if not name.strip():
            raise Invalid(fields={"name": [_("必填。")]})
        template.name, fields = name.strip()[:100], [*fields, "name"]
    if description is not None:
        template.description, fields = description.strip(), [*fields, "description"]
    if is_active is not None:
        template.is_active, fields = bool(is_active), [*fields, "is_active"]
    if fields:
        stamp(template, actor)
        template.save(update_fields=[*fields, "updated_at"])
    if items is not None:
        rows = _item_rows(template, items)
        current = template.current_version
        if current is None or [i.content() for i in current.items.all()] != rows:
            write_version(template, rows, actor=actor, note=note)
    return template
