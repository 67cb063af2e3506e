"""The ranking table's value cells. A ranking is hundreds of rows times a score of columns;
the template language's loop and conditions per cell were a third of the page's time."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def cell_text(value, column) -> str:
    if value is None:
        return "—"
    return f"{value}%" if column.percent else str(value)


@register.simple_tag
def ranking_cells(cells, css: str = "text-end"):
    """`<td>`s of a ranking row's (value, column) pairs: — for no value, % after a rate.
    Joined by hand, each text escaped: format_html per cell cost as much as the loop."""
    opening = f'<td class="{escape(css)}">'
    return mark_safe(  # every piece escaped above or here
        "".join(f"{opening}{escape(cell_text(v, c))}</td>" for v, c in cells)
    )
