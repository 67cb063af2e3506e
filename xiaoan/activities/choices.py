from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    CLASS_MEETING = "class_meeting", _("主题班会")
    LECTURE = "lecture", _("专题讲座")
    DRILL_VIEWING = "drill_viewing", _("应急演练观摩")
    QUIZ = "quiz", _("知识竞赛")
    DISPLAY = "display", _("展板宣传")
    PARENT_LETTER = "parent_letter", _("告家长书")
    VISIT = "visit", _("实地参观")
    OTHER = "other", _("其他")
