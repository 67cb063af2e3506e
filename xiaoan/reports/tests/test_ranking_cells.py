"""The ranking's cells, rendered by one tag instead of the template loop: the same text, a
rate's %, a dash for no value, and everything escaped."""

from __future__ import annotations

from xiaoan.reports.figures import Column
from xiaoan.reports.templatetags.ranking import ranking_cells


def test_it_renders_values_rates_and_gaps():
    cells = [(3, Column("open", "未销号")), (87.5, Column("rate", "按期率", percent=True))]
    cells.append((None, Column("rate2", "完成率", percent=True)))
    assert ranking_cells(cells) == (
        '<td class="text-end">3</td><td class="text-end">87.5%</td><td class="text-end">—</td>'
    )


def test_it_escapes_text_and_the_class():
    html = ranking_cells([("<b>x</b>", Column("n", "名称"))], css='n" onclick="x')
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert 'onclick="x' not in html
