"""/api/security-postures/: the 安防建设 register's endpoints (xiaoan.core.api.registers) and
one POST per workflow step (submit, verify, return)."""

from rest_framework.response import Response

from xiaoan.core.api.registers import RegisterViewSet
from xiaoan.core.api.workflow import WorkflowViewSetMixin
from xiaoan.security import services
from xiaoan.security.registers import SECURITY_POSTURES
from xiaoan.security.serializers import SecurityPostureDetailSerializer
from xiaoan.security.workflow import POSTURE


class SecurityPostureViewSet(WorkflowViewSetMixin, RegisterViewSet):
    """安防建设：学校申报四个100%与七防（附佐证材料），上级教育局核验或退回；导入与导出。"""

    register = SECURITY_POSTURES
    workflow = POSTURE
    workflow_response = SecurityPostureDetailSerializer

    def _answer(self, pk: int, code: int = 200) -> Response:
        # Every answer carries the steps and what the caller may do next.
        response = self.workflow_result(pk)
        response.status_code = code
        return response

    def workflow_result(self, pk: int) -> Response:
        posture = services.load(self.request.user, pk)
        context = {"request": self.request}
        return Response(SecurityPostureDetailSerializer(posture, context=context).data)
