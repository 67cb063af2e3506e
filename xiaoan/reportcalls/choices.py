from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    HALF_YEAR = "half_year", _("半年总结")
    ANNUAL = "annual", _("年度总结")
    THREE_YEAR = "three_year", _("三年行动总结")
    STAGE = "stage", _("阶段报告")
    SPECIAL = "special", _("安全专报")


class CallTargets(models.TextChoices):
    CHILDREN = "children", _("直属下级单位")
    SCHOOLS = "schools", _("所辖全部学校")


class ReportStatus(models.TextChoices):
    DRAFTING = "drafting", _("起草中")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已采用")


class ReportAction(models.TextChoices):
    CREATE = "create", _("下发")
    EDIT = "edit", _("修改草稿")
    REFRESH = "refresh", _("更新数据")
    SUBMIT = "submit", _("报送")
    ACCEPT = "accept", _("采用")
    SEND_BACK = "send_back", _("退回")


OPEN_STATUSES = (ReportStatus.DRAFTING, ReportStatus.RETURNED)

# The narrative sections a unit writes (key, title); the figures come from the data.
SECTIONS = (
    ("work", _("工作开展情况")),
    ("problems", _("存在问题")),
    ("next_steps", _("下一步打算")),
)
SECTION_KEYS = tuple(key for key, _title in SECTIONS)
