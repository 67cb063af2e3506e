"""Vocabulary shared by several apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SafetyDomain(models.TextChoices):
    FIRE = "fire", _("消防")
    GAS = "gas", _("燃气")
    ELECTRICITY = "electricity", _("用电")
    BUILDINGS = "buildings", _("校舍/在建工程")
    LABS = "labs", _("实验室/危化品")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备")
    FOOD = "food", _("食品安全")
    SCHOOL_BUS = "school_bus", _("校车/交通")
    CROWD = "crowd", _("拥挤踩踏/大型活动")
    DROWNING = "drowning", _("防溺水")
    BULLYING = "bullying", _("防欺凌")
    MENTAL_HEALTH = "mental_health", _("心理健康")
    SURROUNDINGS = "surroundings", _("校园周边")
    SECURITY = "security", _("安防")
    INTERNSHIP = "internship", _("实习实训")
    FRAUD = "fraud", _("防诈骗")
    OTHER = "other", _("其他")
