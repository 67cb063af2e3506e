"""The 持证上岗 register's declaration (xiaoan.core.registers)."""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoan.certificates.choices import ATTACHMENT_KINDS
from xiaoan.certificates.filtersets import CertificateFilterSet
from xiaoan.certificates.forms import CertificateForm
from xiaoan.certificates.models import Certificate
from xiaoan.certificates.serializers import CertificateSerializer
from xiaoan.core.registers import Due, Register, SheetColumn, registry

CERTIFICATES = registry.register(
    Register(
        key="certificates",
        model=Certificate,
        label=_("持证上岗"),
        counters=lambda today: {
            "expired": Q(valid_until__lt=today),
            "soon": Q(valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=30)),
        },
        ranked=("expired",),
        description=_("保安、食堂、驾驶、电工、焊工、锅炉与特种设备、消防队员的证书与有效期"),
        form=CertificateForm,
        serializer=CertificateSerializer,
        filterset=CertificateFilterSet,
        list_fields=("name", "post", "kind", "code", "unit", "id_number", "valid_until"),
        search_fields=("name", "code", "issuer", "employer"),
        select_related=("unit", "place", "person"),
        natural_key=("kind", "code"),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn("name", _("姓名"), 10, aliases=("持证人", "人员姓名"), required=True),
            SheetColumn("id_number", _("身份证号"), 22, aliases=("身份证号码", "证件号码")),
            SheetColumn("employer", _("所在单位（外包）"), 16, aliases=("外包单位", "所在公司")),
            SheetColumn("post", _("岗位"), 12, aliases=("工种",), required=True),
            SheetColumn("kind", _("证书类别"), 24, aliases=("证书名称", "证件类型"), required=True),
            SheetColumn("code", _("证书编号"), 20, aliases=("证号", "编号"), required=True),
            SheetColumn("issuer", _("发证机关"), 18, aliases=("发证单位",)),
            SheetColumn("valid_from", _("有效期起"), 12, aliases=("发证日期", "初领日期")),
            SheetColumn("valid_until", _("有效期至"), 12, aliases=("有效期", "到期日期")),
            SheetColumn("note", _("备注"), 20),
        ],
        due=[Due("valid_until", _("证书到期"), warn_days=30)],
        attachment_kinds=ATTACHMENT_KINDS,
        order=50,
    )
)
