"""API building blocks shared by every app: pagination, structured errors, scoped viewsets."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.paginator import Paginator
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from xiaoan.core.errors import ServiceError
from xiaoan.core.limits import out_of_bigint_range


class Pagination(PageNumberPagination):
    """Page numbers; a view may spare the COUNT query by offering `known_total()` (an int,
    or None to count the rows)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request, paginator):
        number = super().get_page_number(request, paginator)
        if out_of_bigint_range(number):
            raise exceptions.ValidationError({self.page_query_param: [_("页码超出允许范围。")]})
        return number

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


def bad_input_error(exc: Exception) -> tuple[str, str] | None:
    """(code, message) for input no layer above the database caught: a number the database
    cannot hold (SQLite: OverflowError; PostgreSQL: DataError "out of range"), a body over
    the limits. Shared by the API and the pages' middleware."""
    if isinstance(exc, (OverflowError, DataError)):
        return "out_of_range", _("提交的内容超出允许的范围（数值过大或文本过长）。")
    if isinstance(exc, RequestDataTooBig):
        return "request_too_large", _("请求内容过大。")
    if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        return "too_many_fields", _("请求中的字段或文件过多。")
    return None


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Every API error has the same shape: {"error": {"code", "message", "fields"}}."""
    if isinstance(exc, ServiceError):
        return Response(error_body(exc.code, str(exc.message), exc.fields), status=exc.status)
    bad = bad_input_error(exc)
    if bad is not None:
        return Response(error_body(*bad), status=400)
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
        # DRF's own parse errors are English and untranslatable ("JSON parse error - …");
        # those of our parser (xiaoan.core.api.parsers) carry their own code and message.
        fields = {}
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "parse_error"
        message = str(exc.detail) if code != "parse_error" else _("请求内容格式有误，无法解析。")
    else:
        fields = {}
        message = str(detail.get("detail", "")) if isinstance(detail, dict) else str(detail)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
    response.data = error_body(code, message, fields)
    return response
