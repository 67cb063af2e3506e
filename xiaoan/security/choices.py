"""The security posture's fixed lists: its states and steps, the 七防 measures and the gate
times of 护学岗."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PostureStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待核验")
    VERIFIED = "verified", _("已核验")
    RETURNED = "returned", _("已退回")


class PostureAction(models.TextChoices):
    SUBMIT = "submit", _("提交申报")
    VERIFY = "verify", _("核验通过")
    SEND_BACK = "send_back", _("退回")
    EDIT = "edit", _("修改后退回草稿")


class Measure(models.TextChoices):
    """七防. domain.md (§4) names 七防 without listing it; this is the list the school-safety
    campaigns commonly use (人防、物防、技防 applied to seven risks): theft, fire, explosion,
    violent terror, drowning, bullying and stampede. A new item is one line here."""

    THEFT = "theft", _("防盗")
    FIRE = "fire", _("防火")
    EXPLOSION = "explosion", _("防爆")
    TERROR = "terror", _("防暴恐")
    DROWNING = "drowning", _("防溺水")
    BULLYING = "bullying", _("防欺凌")
    STAMPEDE = "stampede", _("防踩踏")


# 护学岗 at the gate: the model's boolean field for each time of day, in the day's order.
ESCORT_TIMES = (
    ("escort_morning", _("早上入校")),
    ("escort_noon", _("中午")),
    ("escort_afternoon", _("下午放学")),
)

ATTACHMENT_KINDS = [
    ("evidence", _("佐证材料")),
    ("photo", _("现场照片")),
    ("other", _("其他")),
]
