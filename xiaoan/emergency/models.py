"""应急预案 and 应急队伍, two registers on the register layer (xiaoan.core.registers).

Plans: one item per plan document; a revision changes the item in place (new version,
approval date and next revision date — the history keeps the earlier versions), so the
natural key of a re-import is the layer's: the plan's 编号 (code) within the unit, or its
name when it has no code. Keeping version out of the key is deliberate: a revised plan
re-imported must replace the old one's revision date, not add a second plan still warning.

Next revision: at most three years after approval, three years when left blank. The rule is
《生产安全事故应急预案管理办法》（应急管理部令第2号，2019年修正）第三十五条 (plans assessed every
three years) and 《突发事件应急预案管理办法》（国办发〔2024〕5号）, whose periodic assessment the
education departments' school-safety plans follow; warned 30 days ahead (registers.py).

Teams: the school's 义务消防队 (5–7 people) and 应急救援队 (3–5 people), the leader counted.
`member_count`, `leader_name` and `is_staffed` are kept by the services on every change of
the members (xiaoan.emergency.services.refresh), so lists, filters, the dashboard and the
indicators read them without counting rows.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xiaoan.accounts.models import mobile_validator
from xiaoan.core.fields import EncryptedCharField
from xiaoan.core.models import RegisterItem
from xiaoan.emergency.choices import TEAM_SIZE, MemberRole, PlanKind, PlanTopic, TeamKind

REVISION_YEARS = 3


def years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class EmergencyPlan(RegisterItem):
    kind = models.CharField(_("预案类别"), max_length=20, choices=PlanKind.choices)
    topic = models.CharField(
        _("事件类型"),
        max_length=20,
        choices=PlanTopic.choices,
        blank=True,
        help_text=_("专项预案必填；现场处置方案可填"),
    )
    version = models.CharField(_("版本"), max_length=30, help_text=_("如：2024版、第3版"))
    approved_by = models.CharField(_("审批（签发）人"), max_length=50, blank=True)
    approved_on = models.DateField(_("审批日期"), null=True, blank=True)
    next_revision_on = models.DateField(
        _("下次修订日期"),
        null=True,
        blank=True,
        help_text=_("留空则为审批日期后三年；最迟不超过审批日期后三年"),
    )
    filed = models.BooleanField(_("已备案"), default=False)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    filed_with = models.CharField(_("备案部门"), max_length=100, blank=True)

    class Meta(RegisterItem.Meta):
        verbose_name = _("应急预案")
        verbose_name_plural = _("应急预案")
        indexes = [
            models.Index(fields=["unit", "retired_at"], name="emergplan_unit_retired"),
            models.Index(fields=["kind", "topic"], name="emergplan_kind_topic"),
        ]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        today = timezone.localdate()
        if self.kind == PlanKind.SPECIAL and not self.topic:
            errors["topic"] = _("专项应急预案须选择事件类型。")
        if self.kind == PlanKind.COMPREHENSIVE and self.topic:
            errors["topic"] = _("综合应急预案不分事件类型。")
        if self.approved_on and self.approved_on > today:
            errors["approved_on"] = _("审批日期不能晚于今天。")
        if self.approved_on and not (self.approved_by or "").strip():
            errors["approved_by"] = _("填写审批日期时须填写审批（签发）人。")
        if (self.approved_by or "").strip() and not self.approved_on:
            errors["approved_on"] = _("填写审批人时须填写审批日期。")
        if self.next_revision_on and not self.approved_on:
            errors["next_revision_on"] = _("预案审批后才有下次修订日期。")
        elif self.next_revision_on and self.approved_on:
            if self.next_revision_on <= self.approved_on:
                errors["next_revision_on"] = _("下次修订日期须晚于审批日期。")
            elif self.next_revision_on > years_after(self.approved_on, REVISION_YEARS):
                errors["next_revision_on"] = _(
                    "预案至少每三年评估修订一次：下次修订日期不能晚于审批日期后三年。"
                )
        if self.filed and not self.approved_on:
            errors["filed"] = _("预案须先审批才能备案。")
        if self.filed and not self.filed_on:
            errors["filed_on"] = _("已备案的预案须填写备案日期。")
        if self.filed_on and not self.filed:
            errors["filed_on"] = _("未备案的预案不填写备案日期。")
        if self.filed_on and self.filed_on > today:
            errors["filed_on"] = _("备案日期不能晚于今天。")
        if self.filed_on and self.approved_on and self.filed_on < self.approved_on:
            errors["filed_on"] = _("备案日期不能早于审批日期。")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if self.approved_on and not self.next_revision_on:
            self.next_revision_on = years_after(self.approved_on, REVISION_YEARS)
        if not self.approved_on:
            self.next_revision_on = None
        super().save(*args, **kwargs)


class EmergencyTeam(RegisterItem):
    kind = models.CharField(_("队伍类别"), max_length=20, choices=TeamKind.choices)
    leader_name = models.CharField(_("队长"), max_length=50, blank=True, editable=False)
    member_count = models.PositiveSmallIntegerField(_("人数"), default=0, editable=False)
    is_staffed = models.BooleanField(_("按要求配齐"), default=False, editable=False)
    # Kept by xiaoan.drills: the day of the last evaluated drill the team took part in (its
    # readiness: staffed, and drilled this semester).
    last_drilled_on = models.DateField(_("最近参加演练"), null=True, blank=True, editable=False)

    class Meta(RegisterItem.Meta):
        verbose_name = _("应急队伍")
        verbose_name_plural = _("应急队伍")
        indexes = [
            models.Index(fields=["unit", "retired_at"], name="emergteam_unit_retired"),
            models.Index(fields=["kind", "is_staffed"], name="emergteam_kind_staffed"),
        ]

    @property
    def size_rule(self) -> tuple[int, int]:
        return TEAM_SIZE.get(self.kind, (1, 999))

    @property
    def rule_text(self) -> str:
        low, high = self.size_rule
        return _("%(low)d–%(high)d 人（含队长）") % {"low": low, "high": high}


def staffed(kind: str, count: int, has_leader: bool) -> bool:
    low, high = TEAM_SIZE.get(kind, (1, 999))
    return has_leader and low <= count <= high


class TeamMember(models.Model):
    """One person of a team: a user of the school, or someone named (a security guard of
    the contractor); the phone is encrypted at rest like users' mobile numbers."""

    team = models.ForeignKey(
        EmergencyTeam, verbose_name=_("队伍"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("平台用户"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务/岗位"), max_length=50, blank=True)
    phone = EncryptedCharField(
        _("手机号码"), max_length=11, null=True, blank=True, validators=[mobile_validator]
    )
    role = models.CharField(
        _("队内职务"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("队员")
        verbose_name_plural = _("队员")
        ordering = ["team", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="emergency_member_name"),
            models.UniqueConstraint(
                fields=["team"],
                condition=models.Q(role="leader"),
                name="emergency_one_leader",
            ),
        ]

    def __str__(self) -> str:
        return self.name


ROLE_ORDER = {MemberRole.LEADER: 0, MemberRole.DEPUTY: 1, MemberRole.MEMBER: 2}


def roster(team: EmergencyTeam) -> list[TeamMember]:
    """The members, leader first (reads the prefetched rows when there are)."""
    return sorted(team.members.all(), key=lambda m: (ROLE_ORDER.get(m.role, 9), m.pk))
