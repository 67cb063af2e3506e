from django.db import models
from django.utils.translation import gettext_lazy as _


class EmployerKind(models.TextChoices):
    """Where a legal vice-principal (法治副校长) serves: 《中小学法治副校长聘任与管理办法》
    (教育部令第52号, 2021) names police, courts, procuratorates and justice offices."""

    POLICE_STATION = "police_station", _("派出所")
    PUBLIC_SECURITY = "public_security", _("公安机关（其他）")
    COURT = "court", _("法院")
    PROCURATORATE = "procuratorate", _("检察院")
    JUSTICE_OFFICE = "justice_office", _("司法所")
    JUSTICE_BUREAU = "justice_bureau", _("司法局")
    LAW_FIRM = "law_firm", _("律师事务所")
    OTHER = "other", _("其他")


class ActivityKind(models.TextChoices):
    LECTURE = "lecture", _("法治讲座")
    PATROL = "patrol", _("到校巡查")
    INTERVIEW = "interview", _("个案约谈")
    EMERGENCY = "emergency", _("参与应急处置")
    DISPUTE = "dispute", _("参与矛盾纠纷排查化解")
    PARENTS = "parents", _("家长法治教育")
    OTHER = "other", _("其他")


class Employment(models.TextChoices):
    FULL_TIME = "full_time", _("专职")
    PART_TIME = "part_time", _("兼职")


LVP_ATTACHMENT_KINDS = [
    ("letter", _("聘书")),
    ("record", _("活动记录材料")),
    ("other", _("其他")),
]
ROOM_ATTACHMENT_KINDS = [
    ("photo", _("警务室照片")),
    ("roster", _("值守安排表")),
    ("other", _("其他")),
]
COUNSELLOR_ATTACHMENT_KINDS = [
    ("certificate", _("资格证书扫描件")),
    ("other", _("其他")),
]
