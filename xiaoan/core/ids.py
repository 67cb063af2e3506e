"""Record ids as filters and API fields, bounded to what a 64-bit key can hold.

django-filter's NumberFilter reads a Decimal ("1e400" included) and DRF's IntegerField has
no bound: both pass a number the database cannot take down to the query, where SQLite raises
OverflowError (`__in`, Decimal values) instead of finding nothing. These refuse it as input."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from xiaoan.core.limits import BIGINT_MAX

ID_MIN = -BIGINT_MAX - 1
OUT_OF_RANGE = _("编号超出允许范围。")


class IdFormField(forms.IntegerField):
    default_error_messages = {
        "invalid": _("请输入整数编号。"),
        "max_value": OUT_OF_RANGE,
        "min_value": OUT_OF_RANGE,
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", ID_MIN)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(**kwargs)

    def to_python(self, value):
        # "1e400" and "9" * 5000 are not ids; int() would choke on the latter.
        if isinstance(value, str) and len(value.strip()) > 20:
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value")
        return super().to_python(value)


class IdFilter(django_filters.NumberFilter):
    """A filter on a record id (`?unit=12`)."""

    field_class = IdFormField


class IdField(serializers.IntegerField):
    """An API field naming a record by id."""

    MAX_STRING_LENGTH = 20

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", ID_MIN)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(**kwargs)


def parse_id(raw: object, name: str) -> int:
    """A record id read by hand from a query parameter; Invalid (400) when it is none."""
    from xiaoan.core.errors import Invalid

    try:
        value = int(str(raw).strip()) if len(str(raw).strip()) <= 20 else None
    except ValueError:
        value = None
    if value is None:
        raise Invalid(fields={name: [_("须为整数。")]})
    if not ID_MIN <= value <= BIGINT_MAX:
        raise Invalid(fields={name: [OUT_OF_RANGE]})
    return value


def record_id(raw: object) -> int:
    """A record id from a URL or a service call; NotFound (404) for anything that names no
    record a 64-bit key can hold ("abc", "1e400", twenty nines)."""
    from xiaoan.core.errors import NotFound

    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    else:
        text = str(raw).strip()
        if len(text) > 20:
            raise NotFound()
        try:
            value = int(text)
        except ValueError:
            raise NotFound() from None
    if not ID_MIN <= value <= BIGINT_MAX:
        raise NotFound()
    return value
