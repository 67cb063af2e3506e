"""Plan-document importer: a file in, a draft plan out (see segment.build_plan).

Readers (readers/) → Document (paragraphs and tables) → tasks (segment.py), with the
deadline parser (deadlines.py), unit lists and trailers (units.py) and the title/year
detection (meta.py) as separate pure functions. Unit matching against the database is
matching.py, called by the review step, never by the import itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Deadline, Document, DraftPlan, DraftTask, PlanImportError
from .readers import read_document
from .segment import build_plan
from .units import known_units


def import_plan(data: bytes, filename: str = "", units: Iterable[str] = ()) -> DraftPlan:
    """Read a plan document (.docx, .xlsx, .txt, .md, .pdf; "" for pasted text).

    `units`: names of the units the plan may name; a known name is never split on 与/和/及.
    """
    with known_units(units):
        return build_plan(read_document(data, filename))


def import_text(text: str, name: str = "", units: Iterable[str] = ()) -> DraftPlan:
    """Read pasted text (an HTML table in it is read as a table)."""
    from .readers.html import HAS_TABLE, read_html
    from .readers.plain import read_text

    reader = read_html if HAS_TABLE.search(text) else read_text
    with known_units(units):
        return build_plan(reader(text, name))


__all__ = [
    "Deadline",
    "Document",
    "DraftPlan",
    "DraftTask",
    "PlanImportError",
    "build_plan",
    "import_plan",
    "import_text",
    "read_document",
]
