"""/api/certificates/: the 持证上岗 register's endpoints (xiaoan.core.api.registers)."""

from xiaoan.certificates.registers import CERTIFICATES
from xiaoan.core.api.registers import RegisterViewSet


class CertificateViewSet(RegisterViewSet):
    """持证上岗：持证人员与证书的列表、登记、修改、注销、导入与导出（身份证号掩码显示）。"""

    register = CERTIFICATES
