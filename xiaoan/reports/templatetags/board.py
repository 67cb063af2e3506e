"""The dashboard's figure cards and small tables. A district's page shows a score of sections
with a dozen cards and tables each: the template language's loops, conditions and variables
per card were a third of the page's rendering time."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _text(value) -> str:
    return escape(str(value))


@register.simple_tag
def figure_cards(section):
    """A section's figures as cards: the value (— for none) with its suffix, a link to the
    filtered list when it has one, red when behind."""
    out = []
    for figure in section.figures:
        bad = figure.bad
        value = "—" if figure.value is None else _text(figure.value)
        suffix = "" if figure.value is None else _text(figure.suffix)
        shown = f'{value}<span class="fs-6 ms-1">{suffix}</span>'
        if figure.url:
            shown = (
                f'<a class="text-reset text-decoration-none" href="{_text(figure.url)}">{shown}</a>'
            )
        out.append(
            '<div class="col-6 col-md-3">'
            f'<div class="card h-100{" border-danger" if bad else ""}" '
            f'data-figure="{_text(section.key)}.{_text(figure.key)}">'
            '<div class="card-body py-2">'
            f'<div class="small text-muted">{_text(figure.label)}</div>'
            f'<div class="fs-4{" text-danger fw-bold" if bad else ""}">{shown}</div>'
            "</div></div></div>"
        )
    return mark_safe("".join(out))  # every piece escaped


@register.simple_tag
def table_rows(rows):
    """A small table's `<tr>`s: the first cell names the row, the others are figures."""
    out = []
    for row in rows:
        cells = iter(row)
        head = next(cells, "")
        rest = "".join(f'<td class="text-end">{_text(v)}</td>' for v in cells)
        out.append(f'<tr><th scope="row" class="fw-normal">{_text(head)}</th>{rest}</tr>')
    return mark_safe("".join(out))  # every piece escaped
