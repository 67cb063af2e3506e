"""The dashboard's cards and table rows rendered by tags (xiaoan.reports.templatetags.board):
the same markup the template loop made, every text escaped."""

from __future__ import annotations

from xiaoan.reports.figures import Figure, Section
from xiaoan.reports.templatetags.board import figure_cards, table_rows


def test_it_renders_each_figure_as_a_card_with_its_link_and_colour():
    section = Section(key="hazards", title="隐患", order=1)
    section.figures = [
        Figure("open", "未销号<隐患>", 12, "/hazards/?status=open&x=1", bad=True, suffix="项"),
        Figure("rate", "整改率", None, ""),
    ]
    html = str(figure_cards(section))
    assert html.count('<div class="col-6 col-md-3">') == 2
    assert 'data-figure="hazards.open"' in html and "border-danger" in html
    assert "未销号&lt;隐患&gt;" in html and "<隐患>" not in html
    assert 'href="/hazards/?status=open&amp;x=1"' in html
    assert '12<span class="fs-6 ms-1">项</span>' in html
    # No value: a dash and no suffix, no link, not red.
    second = html.split('data-figure="hazards.rate"')[1]
    assert second.startswith(">") and "—<span" in second and "border-danger" not in second
    assert "href" not in second


def test_it_renders_table_rows_with_the_first_cell_as_their_name():
    html = str(table_rows([["<b>一中</b>", 3, "50%"], ["二中", 0, "—"]]))
    assert html.count("<tr>") == 2
    assert '<th scope="row" class="fw-normal">&lt;b&gt;一中&lt;/b&gt;</th>' in html
    assert '<td class="text-end">50%</td>' in html
