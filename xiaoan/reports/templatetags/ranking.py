"""The ranking table's value cells. A ranking is hundreds of rows times a score of columns;
the template language's loop and conditions per cell were a third of the page's time."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join

register = template.Library()


def cell_text(value, column) -> str:
    if value is None:
        return "—"
    return f"{value}%" if column.percent else str(value)


@register.simple_tag
def ranking_cells(cells, css: str = "text-end"):
    """`<td>`s of a ranking row's (value, column) pairs: — for no value, % after a rate."""
    return format_html_join(
        "", '<td class="{}">{}</td>', ((css, cell_text(v, c)) for v, c in cells)
    )
