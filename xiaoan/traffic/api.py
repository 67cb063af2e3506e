"""/api/traffic-agreements/: the 家校交通安全责任书 register's endpoints
(xiaoan.core.api.registers)."""

from xiaoan.core.api.registers import RegisterViewSet
from xiaoan.traffic.registers import TRAFFIC_AGREEMENTS


class TrafficAgreementViewSet(RegisterViewSet):
    """家校交通安全责任书：每班每学期的回收情况的列表、登记、修改、注销、导入与导出。"""

    register = TRAFFIC_AGREEMENTS
