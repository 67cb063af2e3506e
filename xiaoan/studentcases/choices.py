from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseCategory(models.TextChoices):
    LEFT_BEHIND = "left_behind", _("留守儿童")
    FAMILY = "family", _("家庭变故")
    CONFLICT = "conflict", _("矛盾纠纷")
    HEALTH = "health", _("身心健康")
    BEHAVIOUR = "behaviour", _("行为偏差")
    OTHER = "other", _("其他")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("跟踪中")
    CLOSED = "closed", _("已结案")


class BullyingStatus(models.TextChoices):
    REPORTED = "reported", _("待认定")
    DETERMINED = "determined", _("已认定")
    REVIEW_REQUESTED = "review_requested", _("复查中")
    REVIEWED = "reviewed", _("已复查")
    REEXAM_REQUESTED = "reexam_requested", _("复核中")
    CLOSED = "closed", _("已结案")


class BullyingAction(models.TextChoices):
    REPORT = "report", _("受理报告")
    DETERMINE = "determine", _("认定")
    REQUEST_REVIEW = "request_review", _("申请复查")
    REVIEW = "review", _("复查结论")
    REQUEST_REEXAM = "request_reexam", _("申请复核")
    REEXAMINE = "reexamine", _("复核结论")
    CLOSE = "close", _("结案")
