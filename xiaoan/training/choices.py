"""Vocabulary of the training sessions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttendanceMethod(models.TextChoices):
    PHONE = "phone", _("手机点名")
    QR = "qr", _("扫码签到")
    SHEET = "sheet", _("表格导入")
    API = "api", _("接口登记")


def audience_role_choices() -> list[tuple[str, str]]:
    """The built-in roles a session may be aimed at (the platform's three administrators
    are no audience)."""
    from xiaoan.accounts.roles import BUILTIN_ROLES

    return [(spec.code, spec.name) for spec in BUILTIN_ROLES if not spec.is_platform]


# Kinds of people a session may be aimed at, matched against a person's 职务 (position).
# Free text: a unit may name others; these are offered on the forms.
PERSON_KINDS = ["保安", "食堂从业人员", "宿管", "驾驶员", "校医", "班主任", "电工"]

# The plans' rule (leader-training): every principal, deputy in charge and 安办主任 trained
# once by the end of 2026. They hold these roles, or are known by the 职务 their school
# gives them (a deputy in charge holds no role of his own; "副校长" contains "校长").
LEADER_ROLES = ("unit_head", "safety_officer")
LEADER_POSITIONS = ("校长", "安办主任", "分管")
# The plan period the rule counts training from (梁子湖区 2024–2026 三年行动方案).
LEADER_PERIOD_START = 2024

ATTACHMENT_KINDS = [
    ("material", _("培训材料")),
    ("photo", _("现场照片")),
    ("signin", _("签到表")),
    ("other", _("其他")),
]
