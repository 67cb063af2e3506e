"""API building blocks shared by every app: pagination, structured errors, scoped viewsets."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from xiaoan.core.errors import ServiceError


class Pagination(PageNumberPagination):
    """Page numbers; a view may spare the COUNT query by offering `known_total()` (an int,
    or None to count the rows)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        known = getattr(view, "known_total", None)
        total = known() if known is not None else None
        if total is not None:
            self.django_paginator_class = partial(CountedPaginator, count=total)
        return super().paginate_queryset(queryset, request, view)


class CountedPaginator(Paginator):
    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = count


def _flatten(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()
        }
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {}


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Every API error has the same shape: {"error": {"code", "message", "fields"}}."""
    if isinstance(exc, ServiceError):
        return Response(error_body(exc.code, str(exc.message), exc.fields), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("记录不存在或不在您的管理范围内。"))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(detail)
        message = _("提交的内容有误，请检查后重试。")
        code = "invalid"
    elif isinstance(exc, exceptions.Throttled):
        fields = {}
        wait = int(exc.wait or 0) + 1
        message = _("请求过于频繁，请%(seconds)d秒后再试。") % {"seconds": wait}
        code = "throttled"
    elif isinstance(exc, exceptions.ParseError):
        # DRF's parse errors are English and untranslatable ("JSON parse error - …").
        fields = {}
        message = _("请求内容格式有误，无法解析。")
        code = "parse_error"
    else:
        fields = {}
        message = str(detail.get("detail", "")) if isinstance(detail, dict) else str(detail)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
    response.data = error_body(code, message, fields)
    return response
