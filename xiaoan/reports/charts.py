"""The dashboard's tables as ECharts options data: the page draws each table that declares a
chart (line, bar, stacked bar or pie over some of its columns); the table itself stays on the
page as the chart's numbers, for screen readers and for copying."""

from __future__ import annotations

from typing import Any

from xiaoan.reports.services import Dashboard


def chart_data(board: Dashboard) -> dict[str, dict[str, Any]]:
    charts = {}
    for section in board.sections:
        for table in section.tables:
            chart = table.get("chart")
            if not chart or not table["rows"]:
                continue
            columns = chart.get("series") or range(1, len(table["columns"]))
            charts[f"{section.key}.{table['key']}"] = {
                "type": chart["type"],
                "title": str(table["title"]),
                "categories": [str(row[0]) for row in table["rows"]],
                "series": [
                    {
                        "name": str(table["columns"][i]),
                        "data": [row[i] if row[i] is not None else 0 for row in table["rows"]],
                    }
                    for i in columns
                ],
            }
    return charts
