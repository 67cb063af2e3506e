"""The API's JSON parser: bounded in size and nesting, so a hostile body is a 400, not a 500."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def nesting_depth(data: Any) -> int:
    """Depth of nested lists/objects, walked without recursion."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    """DRF's JSONParser reads the whole stream whatever its length and lets a RecursionError
    through on deep nesting; this one refuses both."""

    max_depth = MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read(limit + 1) if limit is not None and stream is not None else b""
        if limit is None and stream is not None:
            raw = stream.read()
        if limit is not None and len(raw) > limit:
            raise RequestDataTooBig(_("请求内容过大。"))
        try:
            data = json.loads(
                raw.decode(encoding), parse_constant=_refuse_constant, parse_float=_finite_float
            )
        except RecursionError:
            raise ParseError(_("请求内容嵌套层数过多。"), code="too_deep") from None
        except OverflowError:
            raise ParseError(_("请求中的数值超出允许范围。"), code="out_of_range") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(_("请求内容格式有误，无法解析。")) from exc
        if nesting_depth(data) > self.max_depth:
            raise ParseError(_("请求内容嵌套层数过多。"), code="too_deep")
        return data


def _refuse_constant(name: str) -> Any:
    # NaN and Infinity are not JSON; Python accepts them and they break number fields later.
    raise ValueError(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise OverflowError(text)
    return value


def upload_parsers() -> list[type]:
    """JSON, multipart and form: for endpoints that take photos or files besides JSON."""
    from rest_framework.parsers import FormParser, MultiPartParser

    return [BoundedJSONParser, MultiPartParser, FormParser]
