from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentKind(models.TextChoices):
    FIRE = "fire", _("火灾")
    INJURY = "injury", _("伤害事故")
    TRAFFIC = "traffic", _("交通事故")
    FOOD = "food", _("食物中毒")
    DROWNING = "drowning", _("溺水")
    VIOLENCE = "violence", _("暴力事件")
    NATURAL_DISASTER = "natural_disaster", _("自然灾害")
    OTHER = "other", _("其他")


class Severity(models.TextChoices):
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("较大及以上")


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("已报告待定性")
    CLASSIFIED = "classified", _("已定性待复盘")
    REVIEWED = "reviewed", _("已复盘待结案")
    CLOSED = "closed", _("已结案")


class IncidentAction(models.TextChoices):
    REPORT = "report", _("首报")
    EDIT = "edit", _("更正首报")
    FOLLOW_UP = "follow_up", _("续报")
    CLASSIFY = "classify", _("定性")
    REVIEW = "review", _("复盘")
    TO_HAZARD = "to_hazard", _("复盘问题登记为隐患")
    ASSIGN_FINDING = "assign_finding", _("交办整改措施")
    FINISH_FINDING = "finish_finding", _("整改措施已落实")
    CLOSE = "close", _("结案")


class Classification(models.TextChoices):
    LIABILITY = "liability", _("责任事故")
    NON_LIABILITY = "non_liability", _("非责任事故")
    NATURAL = "natural", _("自然灾害类")
    PUBLIC_HEALTH = "public_health", _("公共卫生类")
    SOCIAL = "social", _("社会安全类")
    OTHER = "other", _("其他")


OPEN_STATUSES = (IncidentStatus.REPORTED, IncidentStatus.CLASSIFIED, IncidentStatus.REVIEWED)
