"""Importing a plan document: reading it into a draft, suggesting units for the names it
writes, and confirming the reviewed draft as a published plan (split from services.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoan.core.choices import SafetyDomain
from xiaoan.core.errors import Conflict, Invalid
from xiaoan.core.services import get_scoped
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit
from xiaoan.plans.choices import (
    ImportStatus,
)
from xiaoan.plans.models import (
    Plan,
    PlanImport,
)
from xiaoan.plans.services import (
    _issuer,
    _today,
    activate_plan,
    create_plan,
    parse_deadlines,
    require,
    save_task,
)


def draft_json(draft) -> dict:
    """A `DraftPlan` as the review step stores it: the importer's JSON plus the plan's 文号
    and, per task, its group ("domain"), inferred safety domain ("safety_domain") and the
    领域 the confirmed task will say ("domain_label")."""
    out = draft.as_json()
    out["document_number"] = draft.document_number
    for task, raw in zip(out["tasks"], draft.tasks, strict=True):
        task["domain"] = raw.domain
        task["safety_domain"] = raw.safety_domain
        task["domain_label"] = task_domain(task)  # what the review page shows
    return out


def unit_names_below(issuer: Unit) -> list[str]:
    """Names and aliases of the active units a plan of `issuer` may address."""
    names: list[str] = []
    for unit in Unit.objects.filter(is_active=True, path__startswith=issuer.path).only(
        "id", "name", "aliases", "path"
    ):
        names.append(unit.name)
        names.extend(unit.alias_list())
    return names


def read_draft(
    data: bytes | None = None, filename: str = "", text: str = "", units: Sequence[str] = ()
) -> dict:
    """The importer's draft as JSON (see `draft_json`); `units` are the names it may use."""
    from xiaoan.plans.importer import PlanImportError, import_plan, import_text

    try:
        if text.strip():
            draft = import_text(text, units=units)
        else:
            draft = import_plan(data or b"", filename, units=units)
    except PlanImportError as error:
        raise Invalid(error.message, fields={"file": [error.message]}) from None
    return draft_json(draft)


def start_import(
    actor: Any, *, unit: Unit | int, data: bytes | None = None, filename: str = "", text: str = ""
) -> PlanImport:
    require(actor, "add")
    issuer = _issuer(actor, unit)
    draft = read_draft(data, filename, text, units=unit_names_below(issuer))
    with transaction.atomic():
        pending = PlanImport.objects.create(
            unit=issuer,
            source_name=(filename or _("粘贴的文字"))[:200],
            draft=draft,
            created_by=actor,
        )
        _audit(actor, pending, "create", ImportStatus.PENDING, created=True)
    return pending


def _audit(actor: Any, pending: PlanImport, step: str, to: str, created: bool = False) -> None:
    """An import's steps (read, confirmed, discarded) in the audit log."""
    from xiaoan.audit import services as audit

    audit.record(
        "create" if created else "transition",
        actor=actor,
        obj=pending,
        detail={"action": step, "to": to, "plan": pending.plan_id},
    )


def _pending(actor: Any, import_pk: Any) -> PlanImport:
    """The import, locked, while it still awaits review (409 once confirmed or discarded)."""
    found = get_scoped(actor, PlanImport, import_pk, "add")
    pending = PlanImport.objects.select_for_update().get(pk=found.pk)
    if pending.status != ImportStatus.PENDING:
        raise Conflict(_("该导入已处理。"))
    return pending


@transaction.atomic
def discard_import(actor: Any, import_pk: Any) -> PlanImport:
    """Give up a reviewed draft: no plan is made, and the import no longer shows."""
    pending = _pending(actor, import_pk)
    pending.status = ImportStatus.DISCARDED
    pending.save(update_fields=["status"])
    _audit(actor, pending, "discard", ImportStatus.DISCARDED)
    return pending


@dataclass
class NameSuggestion:
    written: str
    unit_id: int | None
    collective: bool
    candidates: list[tuple[int, str]]
    how: str = ""


def suggest_units(draft: dict, issuer: Unit) -> list[NameSuggestion]:
    """Every unit name the draft writes, with the importer's match below the issuer."""
    from xiaoan.plans.importer.matching import UnitRef, match_unit_names

    names: list[str] = []
    for task in draft.get("tasks", []):
        for key in ("lead_units", "responsible_units", "cooperating_units"):
            for name in task.get(key, []):
                if name not in names:
                    names.append(name)
    refs = [
        UnitRef(u.id, u.name, tuple(u.alias_list()))
        for u in Unit.objects.filter(is_active=True, path__startswith=issuer.path).only(
            "id", "name", "aliases", "path"
        )
    ]
    report = match_unit_names(names, refs)
    out: dict[str, NameSuggestion] = {}
    for match in report.matched:
        out[match.written] = NameSuggestion(
            match.written,
            match.unit.id if match.unit else None,
            False,
            [(c.id, c.name) for c in match.candidates],
            match.how,
        )
    for match in report.collective:
        out[match.written] = NameSuggestion(match.written, None, True, [], "collective")
    for match in report.unmatched:
        out[match.written] = NameSuggestion(
            match.written, None, False, [(c.id, c.name) for c in match.candidates]
        )
    return [out[name] for name in names]


ALL_BELOW = "all"
DROP = "drop"


# "局各股室", "局机关各股室": an authority's own sections, not its schools.
_SECTIONS_PHRASE = re.compile(r"股室|科室|机关")


def _apply_mapping(
    task: dict, mapping: dict[str, str], allowed: set[int], authority: bool = False
) -> tuple[dict[str, list[int]], bool, bool, str]:
    """A draft task's written names → unit ids per role, whether it addresses every unit
    below and (an authority's 局各股室) every section, and the collective phrases as
    written."""
    ids: dict[str, list[int]] = {}
    all_below = all_sections = False
    collective: list[str] = []
    for key in ("lead_units", "responsible_units", "cooperating_units"):
        ids[key] = []
        for name in task.get(key, []):
            choice = str(mapping.get(name, "") or "")
            if choice == ALL_BELOW:
                if authority and _SECTIONS_PHRASE.search(name):
                    all_sections = True
                else:
                    all_below = True
                if name not in collective:
                    collective.append(name)
            elif choice == DROP:
                continue
            elif choice.isdigit() and int(choice) in allowed:
                if int(choice) not in ids[key]:
                    ids[key].append(int(choice))
            else:
                raise Invalid(_unmatched_message([name]), fields={"units": [name]})
    return ids, all_below, all_sections, "、".join(collective)


def _unmatched_message(names: Sequence[str]) -> str:
    return _("还有单位未对应：%(n)s（共 %(c)d 个）。请选择对应的单位，或选择“不下达”。") % {
        "c": len(names),
        "n": "、".join(names),
    }


def _check_mapping(tasks: Sequence[dict], mapping: dict[str, str], allowed: set[int]) -> None:
    """Refuse a mapping that leaves names unmatched, naming every one of them at once."""
    missing: list[str] = []
    for task in tasks:
        for key in ("lead_units", "responsible_units", "cooperating_units"):
            for name in task.get(key, []):
                choice = str(mapping.get(name, "") or "")
                known = choice in (ALL_BELOW, DROP) or (choice.isdigit() and int(choice) in allowed)
                if not known and name not in missing:
                    missing.append(name)
    if missing:
        raise Invalid(_unmatched_message(missing), fields={"units": missing})


def task_domain(task: dict) -> str:
    """What a confirmed task's 领域 says: the safety domain its text is about, else the
    group the document put it in."""
    code = task.get("safety_domain") or ""
    if code in SafetyDomain.values:
        return str(SafetyDomain(code).label)
    return task.get("domain") or ""


def _check_domain(index: int, task: dict) -> None:
    code = task.get("safety_domain") or ""
    if code and code not in SafetyDomain.values:
        message = _("第 %(n)d 项任务：安全领域有误。") % {"n": index}
        raise Invalid(message, fields={"safety_domain": [message]})
    task["domain_label"] = task_domain(task)


def default_mapping(suggestions: Sequence[NameSuggestion]) -> dict[str, str]:
    out = {}
    for s in suggestions:
        if s.collective:
            out[s.written] = ALL_BELOW
        elif s.unit_id:
            out[s.written] = str(s.unit_id)
    return out


def unmatched_names(suggestions: Sequence[NameSuggestion]) -> list[str]:
    return [s.written for s in suggestions if not s.collective and not s.unit_id]


TITLE_YEARS = re.compile(r"((?:19|20)\d{2})\s*[-—–~至到]+\s*((?:19|20)\d{2})")


def _title_years(title: str, year: int) -> tuple[int, int]:
    """A three-year plan's title names its years ("（2024—2026年）"); else the draft's year."""
    match = TITLE_YEARS.search(title)
    if match and int(match.group(1)) <= year <= int(match.group(2)):
        return int(match.group(1)), int(match.group(2))
    return year, year


@transaction.atomic
def create_from_draft(
    actor: Any,
    *,
    unit: Unit | int,
    draft: dict,
    mapping: dict[str, str],
    title: str | None = None,
    document_number: str | None = None,
    source_name: str = "",
    activate: bool = True,
) -> Plan:
    """The plan, its tasks, deadlines and (when activated) assignments, all or nothing."""
    issuer = _issuer(actor, unit)
    year = int(draft.get("plan_year") or _today().year)
    tasks = draft.get("tasks") or []
    if not tasks:
        raise Invalid(_("草稿中没有任务。"))
    parsed = []
    for index, task in enumerate(tasks, start=1):
        _check_domain(index, task)
        try:
            parsed.append(parse_deadlines(task.get("deadlines") or []))
        except Invalid as error:
            raise Invalid(
                _("第 %(n)d 项任务：%(m)s")
                % {"n": index, "m": "；".join(m for ms in error.fields.values() for m in ms)},
                fields=error.fields,
            ) from None
    dates = [d.date for specs in parsed for d in specs if d.date]
    title = title or draft.get("plan_title") or ""
    first, last = _title_years(title, year)
    if document_number is None:  # not given: the number the document shows
        document_number = draft.get("document_number") or ""
    allowed = set(
        Unit.objects.filter(path__startswith=issuer.path, is_active=True).values_list(
            "pk", flat=True
        )
    )
    _check_mapping(tasks, mapping, allowed)
    plan = create_plan(
        actor,
        unit=issuer,
        title=title,
        document_number=document_number,
        start_date=dt.date(first, 1, 1),
        end_date=max([dt.date(last, 12, 31), *dates]),
        source_name=source_name,
    )
    for index, (task, specs) in enumerate(zip(tasks, parsed, strict=True), start=1):
        ids, all_below, all_sections, collective = _apply_mapping(
            task, mapping, allowed, issuer.kind == UnitKind.AUTHORITY
        )
        save_task(
            actor,
            plan,
            seq=int(task.get("seq") or index),
            title=task.get("title") or "",
            content=task.get("content") or "",
            domain=task_domain(task),
            deadlines=specs,
            lead_units=ids["lead_units"],
            responsible_units=ids["responsible_units"],
            cooperating_units=ids["cooperating_units"],
            all_below=all_below,
            all_sections=all_sections,
            collective_text=collective,
            _checked=True,
        )
    if activate:
        activate_plan(actor, plan.pk)
        plan.refresh_from_db()
    return plan


@transaction.atomic
def confirm_import(
    actor: Any,
    import_pk: int,
    *,
    mapping: dict[str, str],
    tasks: list[dict] | None = None,
    title: str | None = None,
    document_number: str | None = None,
) -> Plan:
    """Confirm a reviewed import: the edited tasks (titles, deadlines) and the unit mapping
    become the plan in one transaction; the import is marked confirmed."""
    pending = _pending(actor, import_pk)
    draft = dict(pending.draft)
    if tasks is not None:
        draft["tasks"] = tasks
    plan = create_from_draft(
        actor,
        unit=pending.unit,
        draft=draft,
        mapping=mapping,
        title=title,
        document_number=document_number,
        source_name=pending.source_name,
    )
    pending.status = ImportStatus.CONFIRMED
    pending.plan = plan
    pending.draft = draft
    pending.save(update_fields=["status", "plan", "draft"])
    _audit(actor, pending, "confirm", ImportStatus.CONFIRMED)
    return plan
