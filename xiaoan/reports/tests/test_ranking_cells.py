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


def test_it_renders_a_row_with_its_link_score_and_highlight():
    from xiaoan.reports.services import Branch, RankRow

    column = Column("open", "未销号")
    order = [("hazards.open", column)]
    unit = Branch(7, "00010007", "<梁子湖>高中", "school")
    worst = RankRow(order, unit=unit, values={"hazards.open": 4}, score=12.5, worst=True)
    plain = RankRow(order, unit=unit, values={"hazards.open": 0}, score=0.0, worst=False)
    from xiaoan.reports.templatetags.ranking import ranking_rows

    html = ranking_rows([worst, plain])
    assert html.count("<tr") == 2 and html.count('class="table-danger"') == 1
    assert '<a href="?unit=7">&lt;梁子湖&gt;高中</a>' in html
    assert '<td class="text-end fw-semibold">12.5</td><td class="text-end">4</td>' in html
