from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    EXAM = "exam", _("考试")
    TERM_START = "term_start", _("开学")
    GRADUATION = "graduation", _("毕业典礼")
    SPORTS = "sports", _("运动会")
    STUDY_TOUR = "study_tour", _("研学旅行")
    PERFORMANCE = "performance", _("文艺演出")
    OTHER = "other", _("其他")


PLAN = "plan"
ATTACHMENT_KINDS = [
    (PLAN, _("活动安全工作方案")),
    ("other", _("其他")),
]

# The built-in checklist a pre-event inspection uses (xiaoan/inspections/library/crowd.json).
PRECHECK_CHECKLIST = "CROWD-EVENT"
