"""/api/construction-projects/: the 校园施工项目 register's endpoints
(xiaoan.core.api.registers)."""

from xiaoan.construction.registers import PROJECTS
from xiaoan.core.api.registers import RegisterViewSet


class ConstructionProjectViewSet(RegisterViewSet):
    """校园施工项目：施工项目的列表、登记、修改、注销、导入与导出（状态按日期计算）。"""

    register = PROJECTS
