"""/api/buildings/: the 一楼一档 register's endpoints (xiaoan.core.api.registers)."""

from xiaoan.buildings.registers import BUILDINGS
from xiaoan.core.api.registers import RegisterViewSet


class BuildingViewSet(RegisterViewSet):
    """一楼一档：楼栋档案的列表、登记、修改、注销、导入与导出。"""

    register = BUILDINGS
