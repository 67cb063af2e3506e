"""The ranking table's rows and value cells. A ranking is a hundred rows shown times a score
of columns: the template language's loop, conditions and variables per cell were most of
the page's rendering time."""

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
    return mark_safe(_cells(cells, css))  # every piece escaped in _cells


def _cells(cells, css: str) -> str:
    opening = f'<td class="{escape(css)}">'
    return "".join(f"{opening}{escape(cell_text(v, c))}</td>" for v, c in cells)


@register.simple_tag
def ranking_rows(rows):
    """The ranking's `<tr>`s: the unit (a link to its own dashboard), its score and its
    values; the worst highlighted."""
    out = []
    for row in rows:
        unit = row["unit"]
        worst = ' class="table-danger"' if row.get("worst") else ""
        out.append(
            f'<tr{worst} data-unit="{int(unit.pk)}"><th scope="row">'
            f'<a href="?unit={int(unit.pk)}">{escape(str(unit.name))}</a></th>'
            f'<td class="text-end fw-semibold">{escape(str(row["score"]))}</td>'
            f"{_cells(row['cells'], 'text-end')}</tr>"
        )
    return mark_safe("".join(out))  # every piece escaped or an integer
