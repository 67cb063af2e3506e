"""Errors raised by services. Views turn them into messages, the API into structured JSON."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    status = 400
    code = "invalid"
    default_message = _("请求无法完成。")

    def __init__(self, message=None, *, fields: dict[str, list[str]] | None = None) -> None:
        self.message = message or self.default_message
        self.fields = fields or {}
        super().__init__(str(self.message))


class Invalid(ServiceError):
    status = 400
    code = "invalid"
    default_message = _("提交的内容有误，请检查后重试。")


class Forbidden(ServiceError):
    status = 403
    code = "permission_denied"
    default_message = _("您没有执行此操作的权限。")


class NotFound(ServiceError):
    status = 404
    code = "not_found"
    default_message = _("记录不存在或不在您的管理范围内。")


class Conflict(ServiceError):
    status = 409
    code = "conflict"
    default_message = _("记录已被他人修改，请刷新后重试。")


def field_error(message: str, field: str) -> Invalid:
    """A refusal of one field: the message for the page and under the field in the API."""
    return Invalid(message, fields={field: [message]})
