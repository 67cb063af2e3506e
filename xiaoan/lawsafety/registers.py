"""The declarations of the three 法治与心理健康 registers (xiaoan.core.registers), sharing the
URL namespace "lawsafety": legal vice-principals (with their activities, added on the record
page — `lawsafety:legalviceprincipal_activity`), campus police rooms and mental-health
counsellors. Their per-school rules (an LVP with enough activities this semester, a police
room, enough full-time counsellors for the enrolment) are counted per school by
xiaoan.lawsafety.tallies; each register's own counters below are of its items."""

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.registers import Due, Register, SheetColumn, registry
from xiaoan.lawsafety import rules
from xiaoan.lawsafety.choices import (
    COUNSELLOR_ATTACHMENT_KINDS,
    LVP_ATTACHMENT_KINDS,
    ROOM_ATTACHMENT_KINDS,
)
from xiaoan.lawsafety.filtersets import (
    CounsellorFilterSet,
    LegalVicePrincipalFilterSet,
    PoliceRoomFilterSet,
)
from xiaoan.lawsafety.forms import CounsellorForm, LegalVicePrincipalForm, PoliceRoomForm
from xiaoan.lawsafety.models import Counsellor, LegalVicePrincipal, PoliceRoom
from xiaoan.lawsafety.serializers import (
    CounsellorSerializer,
    LegalVicePrincipalSerializer,
    PoliceRoomSerializer,
)

WARN_DAYS = 30
NAMESPACE = "lawsafety"


def principal_context(user: Any, item: LegalVicePrincipal) -> dict:
    """The record page's activities, this semester's count against the rule, and the phone
    in full for those who keep the register."""
    from xiaoan.lawsafety.forms import ActivityForm

    today = timezone.localdate()
    start, end = rules.semester(today)
    activities = list(item.activities.all())
    may_change = (
        not item.is_retired
        and LegalVicePrincipal.objects.restrict(user, "change").filter(pk=item.pk).exists()
    )
    if may_change:
        for activity in activities:
            activity.remove_url = reverse(
                f"{NAMESPACE}:legalactivity_remove", args=[item.pk, activity.pk]
            )
    done = sum(1 for a in activities if start <= a.held_on <= end)
    return {
        "activities": activities,
        "semester_label": rules.semester_label(today),
        "semester_done": done,
        "semester_needed": rules.MIN_ACTIVITIES_PER_SEMESTER,
        "semester_short": done < rules.MIN_ACTIVITIES_PER_SEMESTER,
        "phone_full": item.phone if may_change else "",
        "activity_form": ActivityForm() if may_change else None,
        "activity_add_url": reverse(f"{NAMESPACE}:legalviceprincipal_activity", args=[item.pk])
        if may_change
        else "",
    }


LEGAL_VICE_PRINCIPALS = registry.register(
    Register(
        key="legal_vice_principals",
        namespace=NAMESPACE,
        model=LegalVicePrincipal,
        label=_("法治副校长"),
        counters=lambda today: {
            "term_over": Q(term_until__lt=today),
            "term_soon": Q(
                term_until__gte=today, term_until__lte=today + dt.timedelta(days=WARN_DAYS)
            ),
        },
        ranked=("term_over",),
        description=_("派出所、法院、检察院、司法所派驻学校的法治副校长：聘期与每学期活动"),
        form=LegalVicePrincipalForm,
        serializer=LegalVicePrincipalSerializer,
        filterset=LegalVicePrincipalFilterSet,
        list_fields=(
            "name",
            "unit",
            "employer_kind",
            "employer",
            "post",
            "phone",
            "term_until",
            "last_activity_on",
        ),
        search_fields=("name", "code", "employer", "post"),
        prefetch_related=("activities",),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn("name", _("姓名"), 10, aliases=("名称",), required=True),
            SheetColumn("code", _("聘书编号"), 14, aliases=("编号",)),
            SheetColumn(
                "employer_kind", _("派出单位类别"), 14, aliases=("单位类别",), required=True
            ),
            SheetColumn("employer", _("派出单位"), 24, aliases=("工作单位",), required=True),
            SheetColumn("post", _("职务"), 12, aliases=("职务/职级",)),
            SheetColumn("phone", _("联系电话"), 16, aliases=("电话", "手机号码")),
            SheetColumn("appointed_on", _("聘任日期"), 12, aliases=("聘任时间",), required=True),
            SheetColumn("term_until", _("聘期至"), 12, aliases=("聘期届满", "到期日期")),
            SheetColumn("last_activity_on", _("最近活动日期"), 12, export_only=True),
            SheetColumn("note", _("备注"), 20),
        ],
        due=[Due("term_until", _("法治副校长聘期届满"), warn_days=WARN_DAYS)],
        attachment_kinds=LVP_ATTACHMENT_KINDS,
        detail_context=principal_context,
        item_actions=[("legalviceprincipal_activity", _("登记活动"))],
        order=70,
    )
)

POLICE_ROOMS = registry.register(
    Register(
        key="police_rooms",
        namespace=NAMESPACE,
        model=PoliceRoom,
        label=_("校园警务室"),
        counters=lambda today: {
            "unstaffed": Q(staffed_arrival=False) | Q(staffed_dismissal=False),
        },
        ranked=("unstaffed",),
        description=_("校园警务室：驻校警员、派驻单位、值守时间与上放学时段值守"),
        form=PoliceRoomForm,
        serializer=PoliceRoomSerializer,
        filterset=PoliceRoomFilterSet,
        list_fields=(
            "name",
            "unit",
            "police_station",
            "officers",
            "duty_hours",
            "staffed_arrival",
            "staffed_dismissal",
        ),
        search_fields=("name", "code", "police_station", "officers", "location"),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn("name", _("名称"), 16, aliases=("警务室",), required=True),
            SheetColumn("code", _("编号"), 10),
            SheetColumn("location", _("位置"), 20, aliases=("地点",), required=True),
            SheetColumn("police_station", _("派驻单位"), 18, aliases=("派出所",), required=True),
            SheetColumn(
                "officers",
                _("驻校警员"),
                20,
                aliases=("警员", "民警"),
                required=True,
                help=_("多人用“、”分隔"),
            ),
            SheetColumn(
                "duty_hours",
                _("值守时间"),
                14,
                aliases=("值班时间",),
                required=True,
                help=_("写作 7:00–19:00"),
            ),
            SheetColumn("phone", _("值班电话"), 14, aliases=("电话",)),
            SheetColumn("set_up_on", _("设立日期"), 12, aliases=("建成日期",)),
            SheetColumn("staffed_arrival", _("上学时段有人值守"), 10, aliases=("上学值守",)),
            SheetColumn("staffed_dismissal", _("放学时段有人值守"), 10, aliases=("放学值守",)),
            SheetColumn("note", _("备注"), 20),
        ],
        attachment_kinds=ROOM_ATTACHMENT_KINDS,
        order=71,
    )
)

COUNSELLORS = registry.register(
    Register(
        key="counsellors",
        namespace=NAMESPACE,
        model=Counsellor,
        label=_("心理健康教师"),
        counters=lambda today: {
            "full_time": Q(employment="full_time"),
            "expired": Q(valid_until__lt=today),
        },
        ranked=("expired",),
        description=_("专兼职心理健康教育教师：资格证书、有效期与每周课时；按在校生数核定配备"),
        form=CounsellorForm,
        serializer=CounsellorSerializer,
        filterset=CounsellorFilterSet,
        list_fields=(
            "name",
            "unit",
            "employment",
            "qualification",
            "code",
            "valid_until",
            "hours_per_week",
        ),
        search_fields=("name", "code", "qualification"),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn("name", _("姓名"), 10, aliases=("教师姓名", "名称"), required=True),
            SheetColumn("employment", _("专兼职"), 8, aliases=("专职/兼职",), required=True),
            SheetColumn("qualification", _("资格证书"), 24, aliases=("证书名称", "资格")),
            SheetColumn("code", _("证书编号"), 18, aliases=("证号", "编号")),
            SheetColumn("valid_until", _("证书有效期至"), 12, aliases=("有效期至", "有效期")),
            SheetColumn("hours_per_week", _("每周心理工作课时"), 10, aliases=("周课时",)),
            SheetColumn("note", _("备注"), 20),
        ],
        due=[Due("valid_until", _("心理健康教师证书到期"), warn_days=WARN_DAYS)],
        attachment_kinds=COUNSELLOR_ATTACHMENT_KINDS,
        order=72,
    )
)
