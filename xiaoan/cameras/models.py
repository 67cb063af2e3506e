"""技防设施: video surveillance points (视频监控点位) and one-click alarm points (一键报警点位)
on the register layer (xiaoan.core.registers).

Naming rule of a camera point (点位命名规则): 学校名称-安装位置-朝向, e.g.
"梁子湖高级中学-南校门-朝南": the school (the unit's school, or the unit itself), the place it
is mounted at, and the direction it looks. A point left unnamed gets that name; a given name
must follow the rule (checked in `clean`), so a district's points read alike on the
higher-level platform.

Each point is checked monthly (`CHECK_INTERVAL_DAYS`): the next check falls due that many days
after the last one (a register due date); an alarm point is tested as often.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.cameras.choices import CameraStatus, CheckResult, Direction, KeyArea
from xiaoan.core.models import RegisterItem

CHECK_INTERVAL_DAYS = 30  # 每月巡检一次
TEST_INTERVAL_DAYS = 30  # 一键报警每月测试一次
SEPARATOR = "-"


def school_name(unit: Any) -> str:
    from xiaoan.core.registers import home_unit

    return home_unit(unit).name if unit is not None else ""


def standard_name(unit: Any, location: str, direction: str) -> str:
    """学校名称-安装位置-朝向 ("" when a part is missing)."""
    location = (location or "").strip()
    if unit is None or not location or direction not in Direction.values:
        return ""
    return SEPARATOR.join([school_name(unit), location, str(Direction(direction).label)])


def name_follows_rule(name: str, unit: Any) -> bool:
    """School first, a direction last, a place between them."""
    school = school_name(unit)
    labels = {str(label) for label in Direction.labels}
    if not name.startswith(school + SEPARATOR):
        return False
    rest = name[len(school) + 1 :]
    place, _sep, direction = rest.rpartition(SEPARATOR)
    return bool(place.strip()) and direction in labels


class Camera(RegisterItem):
    name = models.CharField(
        _("点位名称"),
        max_length=200,
        blank=True,
        help_text=_("按“学校名称-安装位置-朝向”命名，不填则自动生成"),
    )
    location = models.CharField(
        _("安装位置"), max_length=100, help_text=_("如 南校门、1号宿舍楼一楼大厅")
    )
    direction = models.CharField(_("朝向"), max_length=10, choices=Direction.choices)
    key_area = models.CharField(_("重点部位"), max_length=20, choices=KeyArea.choices)
    platform_connected = models.BooleanField(_("接入上级平台"), default=False)
    police_connected = models.BooleanField(_("接入公安"), default=False)
    status = models.CharField(
        _("运行状态"), max_length=10, choices=CameraStatus.choices, default=CameraStatus.WORKING
    )
    last_checked_on = models.DateField(_("最近巡检日期"), null=True, blank=True)
    last_check_result = models.CharField(
        _("最近巡检结果"), max_length=10, choices=CheckResult.choices, blank=True
    )
    next_check_on = models.DateField(_("下次巡检"), null=True, blank=True, editable=False)

    class Meta(RegisterItem.Meta):
        verbose_name = _("视频监控点位")
        verbose_name_plural = _("视频监控点位")
        indexes = [
            models.Index(fields=["unit", "retired_at"], name="camera_unit_retired"),
            models.Index(fields=["key_area", "status"], name="camera_area_status"),
        ]

    def clean_fields(self, exclude=None) -> None:
        self.location = (self.location or "").strip()
        self.name = (self.name or "").strip()
        if not self.name and self.unit_id:
            self.name = standard_name(self.unit, self.location, self.direction)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.name and self.unit_id and not name_follows_rule(self.name, self.unit):
            errors["name"] = _(
                "点位名称须按“学校名称-安装位置-朝向”命名，如：%(e)s（不填则自动生成）。"
            ) % {"e": standard_name(self.unit, self.location, self.direction) or "—"}
        if self.last_checked_on and self.last_checked_on > timezone.localdate():
            errors["last_checked_on"] = _("巡检日期不能晚于今天。")
        if self.last_checked_on and not self.last_check_result:
            errors["last_check_result"] = _("请填写最近巡检结果。")
        if self.last_check_result and not self.last_checked_on:
            errors["last_checked_on"] = _("请填写最近巡检日期。")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self.next_check_on = (
            self.last_checked_on + dt.timedelta(days=CHECK_INTERVAL_DAYS)
            if self.last_checked_on
            else None
        )
        super().save(*args, **kwargs)


class AlarmPoint(RegisterItem):
    location = models.CharField(
        _("安装位置"), max_length=100, help_text=_("如 门卫室、学生宿舍值班室")
    )
    police_linked = models.BooleanField(_("联网公安"), default=False)
    last_tested_on = models.DateField(_("最近测试日期"), null=True, blank=True)
    next_test_on = models.DateField(_("下次测试"), null=True, blank=True, editable=False)

    class Meta(RegisterItem.Meta):
        verbose_name = _("一键报警点位")
        verbose_name_plural = _("一键报警点位")
        indexes = [models.Index(fields=["unit", "retired_at"], name="alarmpoint_unit_retired")]

    def clean_fields(self, exclude=None) -> None:
        self.location = (self.location or "").strip()
        self.name = (self.name or "").strip() or self.location
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        if self.last_tested_on and self.last_tested_on > timezone.localdate():
            raise ValidationError({"last_tested_on": _("测试日期不能晚于今天。")})

    def save(self, *args, **kwargs) -> None:
        self.next_test_on = (
            self.last_tested_on + dt.timedelta(days=TEST_INTERVAL_DAYS)
            if self.last_tested_on
            else None
        )
        super().save(*args, **kwargs)
