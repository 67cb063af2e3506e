"""/api/buses/: the school bus register (xiaoan.core.api.registers)."""

from __future__ import annotations

from xiaoan.buses.registers import BUSES
from xiaoan.core.api.registers import RegisterViewSet


class BusViewSet(RegisterViewSet):
    """校车台账：车牌、线路站点、校车使用许可、安全设备、驾驶人与随车照管员的列表、登记、修改、注销、导入与导出。"""

    register = BUSES
