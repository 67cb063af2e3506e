"""`{% ledger_page rows as page %}`: one page (?page=) of a record page's ledger lines, so
a chemical or a storage with years of movements shows LEDGER_PAGE lines at a time."""

from __future__ import annotations

from django import template
from django.core.paginator import Paginator

register = template.Library()

LEDGER_PAGE = 50


@register.simple_tag(takes_context=True)
def ledger_page(context, rows):
    request = context.get("request")
    number = request.GET.get("page") if request is not None else None
    return Paginator(rows, LEDGER_PAGE).get_page(number)
