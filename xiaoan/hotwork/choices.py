from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoan.certificates.choices import CertificateKind


class PermitStatus(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准待开工")
    WORKING = "working", _("作业中")
    CLOSED = "closed", _("已完工")
    REJECTED = "rejected", _("已驳回")
    CANCELLED = "cancelled", _("已取消")


class PermitAction(models.TextChoices):
    REQUEST = "request", _("提出申请")
    APPROVE = "approve", _("批准")
    REJECT = "reject", _("驳回")
    START = "start", _("开工")
    FINISH = "finish", _("完工")
    CANCEL = "cancel", _("取消")


class WorkType(models.TextChoices):
    ELECTRIC_WELDING = "electric_welding", _("电焊")
    GAS_WELDING = "gas_welding", _("气焊")
    CUTTING = "cutting", _("切割（气割、砂轮切割）")
    ELECTRICAL = "electrical", _("电气作业（明火、电弧）")


# "No certificate, no work": the certificate each kind of hot work needs (特种作业目录:
# 焊接与热切割作业, 电工作业).
REQUIRED_KIND = {
    WorkType.ELECTRIC_WELDING: CertificateKind.WELDING,
    WorkType.GAS_WELDING: CertificateKind.WELDING,
    WorkType.CUTTING: CertificateKind.WELDING,
    WorkType.ELECTRICAL: CertificateKind.ELECTRICIAN,
}

OPEN_STATUSES = (PermitStatus.REQUESTED, PermitStatus.APPROVED, PermitStatus.WORKING)
