"""安全工作情况简报: the dashboard printed on one A4 page (PDF through xiaoan.core.pdf) — every
section's figures, the oldest open majors, the units that most need attention."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.http import FileResponse
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.audit.files import file_served
from xiaoan.core.pdf import PDF, pdf_font, write_pdf
from xiaoan.reports.services import Dashboard

TEMPLATE = "reports/print/brief.html"
STYLESHEET = Path(__file__).resolve().parent / "templates/reports/print/brief.css"
SHOWN_MAJORS = 6
SHOWN_UNITS = 5


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def context(board: Dashboard, user: Any) -> dict[str, Any]:
    sections = []
    for section in board.sections:
        if not section.brief:
            continue
        sections.append(
            {
                "key": section.key,
                "title": section.title,
                "figure_rows": _chunks(section.figures, 6),
                "board": section.board,
            }
        )
    # The score counts every section; the page has room for the printed sections' columns.
    printed = {s.key for s in board.sections if s.brief}
    weighted = [(key, c) for key, c in board.columns if c.weight and key in printed]
    keys = [f"{key}.{c.key}" for key, c in weighted]
    worst = sorted(board.ranking, key=lambda r: -r["score"])[:SHOWN_UNITS]
    ranking = [
        {
            **row,
            "short_cells": [
                (row["values"][k], c) for k, (_s, c) in zip(keys, weighted, strict=True)
            ],
        }
        for row in worst
        if row["score"] > 0
    ]
    majors = next((s.board for s in board.sections if s.key == "hazards"), [])
    return {
        "title": _("%(u)s安全工作情况简报") % {"u": board.unit.name},
        "board": board,
        "sections": sections,
        "majors": majors[:SHOWN_MAJORS],
        "columns": weighted,
        "ranking": ranking,
        "author": getattr(user, "display_name", ""),
        "printed_at": timezone.localtime(),
    }


def response(board: Dashboard, user: Any) -> FileResponse:
    """Shown in the browser (where it is printed); the name is kept when saved."""
    page = context(board, user)
    html = get_template(TEMPLATE).render(page)
    data = write_pdf(html, pdf_font(), stylesheet=STYLESHEET.read_text(encoding="utf-8"))
    name = f"{page['title']}-{timezone.localdate():%Y%m%d}.pdf"
    response = FileResponse(io.BytesIO(data), content_type=PDF, filename=name)
    response["Cache-Control"] = "private, no-store"
    file_served("export", "dashboard-brief", filename=name)
    return response
