from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoan.orgs.choices import BuildingUse  # noqa: F401  (the place's uses: 教学楼, 宿舍…)


class Structure(models.TextChoices):
    FRAME = "frame", _("框架结构")
    MASONRY = "masonry", _("砖混结构")
    SHEAR_WALL = "shear_wall", _("剪力墙/框架-剪力墙结构")
    STEEL = "steel", _("钢结构")
    BRICK_WOOD = "brick_wood", _("砖木结构")
    OTHER = "other", _("其他")


class AppraisalGrade(models.TextChoices):
    """校舍安全鉴定 grades (《危险房屋鉴定标准》JGJ 125): C and D are 危房."""

    A = "A", _("A级")
    B = "B", _("B级")
    C = "C", _("C级（局部危房）")
    D = "D", _("D级（整幢危房）")


DANGEROUS = (AppraisalGrade.C, AppraisalGrade.D)


class FireAcceptance(models.TextChoices):
    ACCEPTED = "accepted", _("消防验收合格")
    FILED = "filed", _("已备案")
    NONE = "none", _("未验收")
    NOT_REQUIRED = "not_required", _("无需验收（建成早于要求）")


ATTACHMENT_KINDS = [
    ("appraisal", _("安全鉴定报告")),
    ("drawing", _("图纸")),
    ("photo", _("照片")),
    ("acceptance", _("消防验收文件")),
    ("other", _("其他")),
]
