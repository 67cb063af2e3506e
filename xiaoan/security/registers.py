"""The 安防建设 register's declaration (xiaoan.core.registers): one declaration per school and
year; its workflow is xiaoan.security.workflow."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from xiaoan.core.registers import Register, SheetColumn, registry
from xiaoan.security.choices import ATTACHMENT_KINDS, Measure, PostureAction, PostureStatus
from xiaoan.security.filtersets import SecurityPostureFilterSet
from xiaoan.security.forms import SecurityPostureForm
from xiaoan.security.models import DECLARED_FIELDS, SecurityPosture, meets_all_q
from xiaoan.security.serializers import SecurityPostureSerializer

S = PostureStatus


def parse_measures(cell: Any) -> list[str]:
    """ "防盗、防火、防溺水" (or values) → the 七防 list in its order; ValueError otherwise."""
    text = "" if cell is None else str(cell).strip()
    if not text:
        return []
    by_label = {str(label): value for value, label in Measure.choices}
    found = []
    for part in (p.strip() for p in re.split(r"[、,，;；/\s]+", text)):
        if not part:
            continue
        value = by_label.get(part) or (part if part in Measure.values else None)
        if value is None:
            labels = "、".join(by_label)
            raise ValueError(_t("“%(v)s”不是七防措施（%(l)s）。") % {"v": part[:20], "l": labels})
        found.append(value)
    return [m for m in Measure.values if m in found]


def counters(today) -> dict[str, Q]:
    """This year's declarations per state, those meeting all of 四个100%, and for the ranking
    the declarations not verified and the verified ones not meeting them."""
    year = Q(year=today.year)
    verified = year & Q(status=S.VERIFIED)
    return {
        "declared": year,
        "submitted": year & Q(status=S.SUBMITTED),
        "verified": verified,
        "returned": year & Q(status=S.RETURNED),
        "met": verified & meets_all_q(),
        "unverified": year & ~Q(status=S.VERIFIED),
        "unmet": verified & ~meets_all_q(),
    }


def reopen_after_edit(actor: Any, item: SecurityPosture, before: Any) -> None:
    """Editing a declaration awaiting verification or verified sends it back to draft: what
    was verified is no longer what is on file (an unchanged save leaves it alone)."""
    if before is None or before.status not in (S.SUBMITTED, S.VERIFIED):
        return
    if all(getattr(before, name) == getattr(item, name) for name in DECLARED_FIELDS):
        return
    from xiaoan.security.workflow import POSTURE

    item.verified_by, item.verified_at = None, None
    POSTURE.advance(
        item,
        actor,
        PostureAction.EDIT,
        to=S.DRAFT,
        note=_t("申报内容已修改，须重新提交核验。"),
    )


def detail_context(user: Any, item: SecurityPosture) -> dict[str, Any]:
    from xiaoan.security.views import posture_context

    return posture_context(user, item)


SECURITY_POSTURES = registry.register(
    Register(
        key="security_postures",
        namespace="security",
        model=SecurityPosture,
        label=_("安防建设"),
        description=_(
            "四个100%（封闭管理、专职保安、一键报警和视频联网、护学岗）与七防，学校申报、教育局核验"
        ),
        form=SecurityPostureForm,
        serializer=SecurityPostureSerializer,
        filterset=SecurityPostureFilterSet,
        list_fields=(
            "unit",
            "year",
            "status",
            "closed_management",
            "guards",
            "guards_required",
            "alarm_networked",
            "video_networked",
        ),
        search_fields=("name", "unit__name", "note"),
        natural_key=("year",),
        default_name=lambda values: _t("%(y)s年度安防建设") % {"y": values.get("year") or ""},
        counters=counters,
        ranked=("unverified", "unmet"),
        after_save=reopen_after_edit,
        detail_context=detail_context,
        columns=[
            SheetColumn("unit", _("学校"), 20, aliases=("所属单位", "单位"), required=True),
            SheetColumn("year", _("年度"), 8, aliases=("年份",), required=True),
            SheetColumn("closed_management", _("封闭式管理"), 12, aliases=("校园封闭式管理",)),
            SheetColumn("guards", _("专职保安（人）"), 12, aliases=("专职保安", "保安人数")),
            SheetColumn("guards_required", _("应配专职保安（人）"), 14, export_only=True),
            SheetColumn("alarm_networked", _("一键报警与公安联网"), 16, aliases=("一键报警",)),
            SheetColumn("video_networked", _("视频监控与公安联网"), 16, aliases=("视频联网",)),
            SheetColumn("escort_morning", _("护学岗：早上入校"), 14, aliases=("护学岗早",)),
            SheetColumn("escort_noon", _("护学岗：中午"), 12, aliases=("护学岗中",)),
            SheetColumn("escort_afternoon", _("护学岗：下午放学"), 14, aliases=("护学岗晚",)),
            SheetColumn(
                "measures",
                _("七防措施"),
                30,
                aliases=("七防",),
                parse=parse_measures,
                render=lambda item: item.get_measures_display(),
                same=lambda item, value: list(item.measures or []) == list(value or []),
                help=_(
                    "填已落实的措施，用顿号分隔：防盗、防火、防爆、防暴恐、防溺水、防欺凌、防踩踏"
                ),
            ),
            SheetColumn("status", _("状态"), 10, export_only=True),
            SheetColumn("note", _("备注"), 20),
        ],
        attachment_kinds=ATTACHMENT_KINDS,
        order=60,
    )
)
