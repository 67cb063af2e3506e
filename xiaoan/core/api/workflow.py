"""The API's side of a workflow (`xiaoan.core.workflow`): one `POST /api/<records>/{id}/<action>/`
per declared action, with its OpenAPI schema taken from the declared serializers.

A viewset inherits `WorkflowViewSetMixin` and names `workflow` and `workflow_response`
(the serializer of what every action answers); it answers each action with
`workflow_result(pk)` (the fresh record). Before any record is looked at, `workflow_gate`
refuses a caller who may take the action nowhere (403).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action as drf_action
from rest_framework.response import Response

from xiaoan.core.api.views import path_id, with_errors
from xiaoan.core.errors import Forbidden
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.workflow import ANY_STATE, Action, Workflow


def request_schema(action: Action) -> dict[str, Any]:
    """JSON and multipart; multipart only when photos are required."""
    schema = {}
    if action.serializer is not None:
        schema["application/json"] = action.serializer
    schema["multipart/form-data"] = action.upload_serializer or action.serializer
    return schema


def describe(workflow: Workflow, action: Action) -> str:
    """What the declaration says of an action, for the OpenAPI description."""

    def names(states) -> str:
        return "、".join(str(workflow.states(s).label) for s in states)

    parts = [
        _("可执行的状态：%(s)s。")
        % {"s": _("任何状态") if ANY_STATE in action.sources_set else names(action.sources)},
        _("执行后：%(s)s。") % {"s": names(action.targets) if action.targets else _("状态不变")},
        _("需要权限 %(p)s。") % {"p": action.permission},
    ]
    if action.note:
        parts.append(_("须填写说明。"))
    if action.photos == "required":
        parts.append(_("须附照片（multipart）。"))
    parts.append(_("version 与记录不符或状态不允许时返回 409。"))
    return "".join(parts)


def _endpoint(workflow: Workflow, action: Action, response_serializer: type) -> Any:
    def endpoint(self, request, pk=None):
        body = (action.upload_serializer or action.serializer)(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if action.photos:
            # Some form libraries send `photos[]`.
            data["photos"] = list(data.get("photos") or request.FILES.getlist("photos[]"))
        record = path_id(pk)  # 404 for a malformed id, before the input's own checks
        action.service(request.user, record, **self.workflow_input(action, data))
        response = self.workflow_result(record)
        response.status_code = action.api_status
        return response

    endpoint.__name__ = action.method_name
    routed = drf_action(detail=True, methods=["post"], url_path=action.path)(endpoint)
    return extend_schema(
        summary=str(action.api_summary or action.label),
        description=describe(workflow, action),
        request=request_schema(action),
        responses=with_errors({action.api_status: response_serializer}),
    )(routed)


class WorkflowViewSetMixin:
    """Adds the declared workflow's action endpoints to a viewset."""

    workflow: Workflow | None = None
    workflow_response: type | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        workflow = cls.__dict__.get("workflow")
        if workflow is None:
            return
        for action in workflow.actions.values():
            if action.api:
                setattr(cls, action.method_name, _endpoint(workflow, action, cls.workflow_response))

    def initial(self, request, *args: Any, **kwargs: Any) -> None:
        # Authentication first (401 for anonymous), then the gate of a workflow action.
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        action = self.workflow_action()
        if action is not None:
            self.workflow_gate(request.user, action)

    def workflow_action(self) -> Action | None:
        """The declared action this request runs, if any."""
        if self.workflow is None:
            return None
        name = getattr(self, "action", None)
        return next(
            (a for a in self.workflow.actions.values() if a.api and a.method_name == name), None
        )

    def workflow_gate(self, user: Any, action: Action) -> None:
        """403 when the caller may take `action` nowhere (override to widen, e.g. for the
        people a record names)."""
        if not has_permission_anywhere(user, action.permission):
            raise Forbidden()

    def workflow_input(self, action: Action, data: dict[str, Any]) -> dict[str, Any]:
        """The service's keywords from the request's validated data."""
        return data

    def workflow_result(self, pk: int) -> Response:
        raise NotImplementedError
