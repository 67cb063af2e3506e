"""Rules over our own data: a condition the code offers (`alerts.conditions`), its thresholds,
a severity and the roles told. `evaluate_rules(today)` fires each rule once per thing and
period (a RuleFiring row decides between concurrent runs)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.alerts.choices import AlertOrigin, Severity
from xiaoan.alerts.models import AlertRule, RuleFiring
from xiaoan.alerts.services import ADD_RULE, HANDLE, check_choice, raise_alert, refuse
from xiaoan.core.errors import Forbidden, NotFound
from xiaoan.core.ids import record_id
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.orgs.models import Unit

logger = logging.getLogger(__name__)


def rule_units(actor: Any):
    return Unit.objects.with_permission(actor, ADD_RULE).filter(is_active=True)


def role_choices() -> list[tuple[str, str]]:
    """The roles a rule may tell: those whose people may handle alerts."""
    from xiaoan.accounts.models import Role

    return [
        (code, name)
        for code, name, perms in Role.objects.filter(is_active=True)
        .order_by("pk")
        .values_list("code", "name", "permissions")
        if HANDLE in (perms or ())
    ]


def clean_thresholds(code: str, given: Any) -> dict[str, int]:
    """The condition's declared thresholds, each a whole number (missing ones default)."""
    from xiaoan.alerts.conditions import conditions

    condition = conditions().get(code)
    if condition is None:
        raise refuse(_("请选择条件。"), "condition")
    if given in (None, ""):
        given = {}
    if not isinstance(given, Mapping):
        raise refuse(_("阈值须为“名称: 整数”的对象。"), "thresholds")
    unknown = set(given) - set(condition.thresholds)
    if unknown:
        raise refuse(
            _("该条件没有阈值：%(n)s。") % {"n": "、".join(sorted(map(str, unknown)))[:100]},
            "thresholds",
        )
    out = {}
    for name, (_label, default) in condition.thresholds.items():
        value = given.get(name, default)
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise refuse(_("阈值须为 0 到 100000 的整数。"), "thresholds")
        if isinstance(value, str):
            if not value.strip().isdigit() or len(value.strip()) > 6:
                raise refuse(_("阈值须为 0 到 100000 的整数。"), "thresholds")
            value = int(value)
        if not 0 <= value <= 100_000:
            raise refuse(_("阈值须为 0 到 100000 的整数。"), "thresholds")
        out[name] = value
    return out


def _rule_fields(*, name: str, condition: str, thresholds: Any, severity: str, roles: Any):
    name = " ".join(str(name or "").split())[:100]
    if not name:
        raise refuse(_("请填写规则名称。"), "name")
    check_choice(severity, Severity, "severity")
    known = {code for code, _label in role_choices()}
    roles = list(roles or ())
    if any(not isinstance(r, str) or r not in known for r in roles) or len(roles) > 20:
        raise refuse(_("请从列表中选择通知角色。"), "roles")
    return {
        "name": name,
        "condition": condition,
        "thresholds": clean_thresholds(condition, thresholds),
        "severity": severity,
        "roles": sorted(set(roles)),
    }


@transaction.atomic
def create_rule(
    actor: Any,
    *,
    owner: Any,
    name: str,
    condition: str,
    thresholds: Any = None,
    severity: str = Severity.WARNING,
    roles: Any = (),
    is_active: bool = True,
) -> AlertRule:
    if not has_permission_anywhere(actor, ADD_RULE):
        raise Forbidden()
    owner_id = getattr(owner, "pk", owner)
    found = None
    if str(owner_id or "").isdigit() and int(owner_id) < 2**63:
        found = rule_units(actor).filter(pk=int(owner_id)).first()
    if found is None:
        raise refuse(_("单位不存在或不在您的管理范围内。"), "owner")
    fields = _rule_fields(
        name=name, condition=condition, thresholds=thresholds, severity=severity, roles=roles
    )
    return AlertRule.objects.create(
        owner=found, created_by=actor, is_active=bool(is_active), **fields
    )


def _rule_for(actor: Any, pk: Any, action: str = "change") -> AlertRule:
    pk = record_id(pk)
    if not AlertRule.objects.restrict(actor, "view").filter(pk=pk).exists():
        raise NotFound()
    rule = AlertRule.objects.select_for_update().get(pk=pk)
    if not AlertRule.objects.restrict(actor, action).filter(pk=pk).exists():
        raise Forbidden()
    return rule


@transaction.atomic
def update_rule(
    actor: Any,
    pk: Any,
    *,
    name: str,
    condition: str,
    thresholds: Any = None,
    severity: str = Severity.WARNING,
    roles: Any = (),
    is_active: bool = True,
) -> AlertRule:
    rule = _rule_for(actor, pk)
    fields = _rule_fields(
        name=name, condition=condition, thresholds=thresholds, severity=severity, roles=roles
    )
    for field, value in fields.items():
        setattr(rule, field, value)
    rule.is_active = bool(is_active)
    rule.version += 1
    rule.save()
    return rule


@transaction.atomic
def deactivate_rule(actor: Any, pk: Any) -> AlertRule:
    rule = _rule_for(actor, pk)
    if rule.is_active:
        rule.is_active = False
        rule.version += 1
        rule.save(update_fields=["is_active", "version", "updated_at"])
    return rule


def evaluate_rules(today: dt.date | None = None) -> dict[str, int]:
    """Every active rule: its condition's findings within the owner's subtree, one alert per
    new (rule, key, period). A finding outside the subtree (a condition's mistake) is
    skipped, never raised elsewhere."""
    from xiaoan.alerts.conditions import conditions

    today = today or timezone.localdate()
    registry = conditions()
    fired = skipped = 0
    rules = AlertRule.objects.filter(is_active=True).select_related("owner").order_by("pk")
    for rule in rules:
        condition = registry.get(rule.condition)
        if condition is None:
            skipped += 1
            continue
        within = rule.owner.path
        thresholds = {n: rule.thresholds.get(n, d) for n, (_l, d) in condition.thresholds.items()}
        try:
            findings = list(condition.find(today, thresholds, within))
        except Exception:  # one broken condition must not stop the other rules
            logger.exception("alert rule %s: condition %s failed", rule.pk, rule.condition)
            skipped += 1
            continue
        if not findings:
            continue
        done = set(
            RuleFiring.objects.filter(
                rule=rule, key__in=[f.key[:100] for f in findings]
            ).values_list("key", "period")
        )
        units = Unit.objects.in_bulk({f.unit_id for f in findings})
        for finding in findings:
            key = (finding.key[:100], finding.period[:20])
            unit = units.get(finding.unit_id)
            if key in done or unit is None or not unit.path.startswith(within):
                continue
            if _fire(rule, condition, finding, unit, key):
                fired += 1
            done.add(key)
    return {"fired": fired, "skipped": skipped}


def _fire(rule: AlertRule, condition: Any, finding: Any, unit: Unit, key: tuple) -> bool:
    with transaction.atomic():
        try:
            with transaction.atomic():
                firing = RuleFiring.objects.create(rule=rule, key=key[0], period=key[1])
        except IntegrityError:
            return False  # another run fired it
        alert, _created = raise_alert(
            unit=unit,
            kind=condition.kind,
            severity=rule.severity,
            title=finding.title,
            detail=finding.detail,
            url=finding.url,
            place=finding.place,
            fingerprint=f"rule:{rule.pk}:{key[0]}:{key[1]}",
            labels={"rule": str(rule.pk), "key": key[0], "period": key[1]},
            origin=AlertOrigin.RULE,
            rule=rule,
        )
        firing.alert = alert
        firing.save(update_fields=["alert"])
    return True
