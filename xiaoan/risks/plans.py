"""The 四色图's rules: a unit's plan images (checked and re-encoded like photos, stored
privately) and the placing of risk points on them as fractions of the image."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoan.core.errors import Invalid, NotFound, field_error
from xiaoan.core.history import stamp
from xiaoan.core.ids import record_id
from xiaoan.core.registers import home_unit
from xiaoan.core.services import clean_text
from xiaoan.core.workflow import begin
from xiaoan.risks.choices import RiskAction
from xiaoan.risks.models import RiskPlan, RiskPoint
from xiaoan.risks.services import CHANGE, VIEW, _decimal, _unit, _workflow


@transaction.atomic
def upload_plan(actor: Any, *, unit: Any, title: str, image: Any) -> Any:
    """A plan image of a unit (whoever may change its risk points), checked and re-encoded
    like every photo."""
    from xiaoan.core.photos import clean_photo

    target = _unit(actor, unit, CHANGE)
    title = clean_text(title, "title", _("图名"), 100)
    if not image:
        raise field_error(_("请上传平面图。"), "image")
    try:
        content, width, height = clean_photo(image)
    except Invalid as error:
        raise Invalid(error.message, fields={"image": [str(error.message)]}) from None
    plan = RiskPlan(unit=target, title=title, width=width, height=height, uploaded_by=actor)
    plan.image.save("plan.jpg", content, save=False)
    plan.save()
    from xiaoan.audit import services as audit

    audit.record("create", actor=actor, obj=plan, detail={"title": title})
    return plan


def _fraction(value: Any, field: str) -> Decimal:
    number = _decimal(value, field)
    if number is None or not Decimal(0) <= number <= Decimal(1):
        raise field_error(_("位置须在图内。"), field)
    return number.quantize(Decimal("0.00001"))


@transaction.atomic
def place_point(
    actor: Any,
    pk: Any,
    *,
    plan: Any,
    x: Any = None,
    y: Any = None,
    version: int | None = None,
) -> RiskPoint:
    """Put a risk point on a plan of its school at (x, y), fractions of the image's width and
    height; without x and y it is taken off the plan."""
    point = begin(actor, RiskPoint, pk, "place", version)
    try:
        plan_pk = record_id(getattr(plan, "pk", plan))
    except NotFound:
        plan_pk = None
    found = (
        plans_visible(actor).select_related("unit").filter(pk=plan_pk).first()
        if plan_pk is not None
        else None
    )
    # A plan of the point's own school (a campus plan serves its departments' points).
    if found is None or home_unit(found.unit).pk != home_unit(point.unit).pk:
        raise field_error(_("平面图不存在或不属于该风险点所在学校。"), "plan")
    if x in (None, "") and y in (None, ""):
        point.plan, point.plan_x, point.plan_y = None, None, None
        note = _("移出四色图")
    else:
        point.plan = found
        point.plan_x, point.plan_y = _fraction(x, "x"), _fraction(y, "y")
        note = _("标注于“%(t)s”") % {"t": found.title}
    stamp(point, actor)
    _workflow().advance(point, actor, RiskAction.PLACE, note=note)
    return point


def plans_visible(actor: Any):
    """The plans of the units where the person sees risk points."""
    return RiskPlan.objects.with_permission(actor, VIEW)
