from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportCategory(models.TextChoices):
    FIRE = "fire", _("消防")
    BUILDINGS = "buildings", _("校舍")
    FOOD = "food", _("食品")
    TRAFFIC = "traffic", _("交通")
    SECURITY = "security", _("治安")
    BULLYING = "bullying", _("欺凌")
    OTHER = "other", _("其他")


class ReportStatus(models.TextChoices):
    NEW = "new", _("待确认")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")
    DUPLICATE = "duplicate", _("重复")


class ReportAction(models.TextChoices):
    SUBMIT = "submit", _("群众提交")
    ACCEPT = "accept", _("受理")
    REJECT = "reject", _("不予受理")
    MARK_DUPLICATE = "mark_duplicate", _("标记为重复")


# The hazard ledger's domain for each category (the hazard page's filter).
DOMAIN_OF = {
    ReportCategory.FIRE: "fire",
    ReportCategory.BUILDINGS: "buildings",
    ReportCategory.FOOD: "food",
    ReportCategory.TRAFFIC: "surroundings",
    ReportCategory.SECURITY: "security",
    ReportCategory.BULLYING: "bullying",
}
