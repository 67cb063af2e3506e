"""The shapes the importer passes between its stages.

Readers turn a file into a `Document` (paragraphs and tables, in reading order); the
segmenter turns a `Document` into a `DraftPlan`. Nothing here touches the database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any


class PlanImportError(Exception):
    """The file cannot be read as a plan: wrong type, corrupt, or no task in it.

    `message` is the user-facing (Chinese) explanation.
    """

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass
class Paragraph:
    text: str
    # The text of the bold run(s) the paragraph starts with ("" if it does not start bold):
    # a task's short title is often set in bold.
    bold: str = ""
    # Heading level from the Word style or Markdown "#" (0: body text).
    heading: int = 0
    # Word list numbering level + 1 when the number is not part of the text (0: none).
    list_level: int = 0


@dataclass
class Cell:
    text: str
    bold: str = ""
    # Continuation of a vertically merged cell: the value is the one above.
    merged: bool = False
    # Continuation of a horizontally merged cell (gridSpan / merged range): no value of its own.
    spanned: bool = False


@dataclass
class Table:
    rows: list[list[Cell]]
    # Whether the format shows merged cells (Word, Excel, HTML, PDF). Plain text does not:
    # there a blank cell in a mostly filled column is taken as merged with the one above.
    shows_merges: bool = True


Block = Paragraph | Table


@dataclass
class Document:
    blocks: list[Block]
    name: str = ""


DEADLINE_KINDS = ("date", "immediate", "ongoing")


@dataclass(frozen=True)
class Deadline:
    date: datetime.date | None
    label: str = ""
    kind: str = "date"

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat() if self.date else None,
            "label": self.label,
            "kind": self.kind,
        }


@dataclass
class DraftTask:
    seq: int
    title: str
    content: str = ""
    deadlines: list[Deadline] = field(default_factory=list)
    lead_units: list[str] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)
    cooperating_units: list[str] = field(default_factory=list)
    # The group the task sits in (a "领域" column or a "（一）…" heading); kept for the review
    # page, not part of the JSON contract.
    domain: str = ""
    # The safety domain its text is about (a `SafetyDomain` value, "" when none is clear).
    safety_domain: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "title": self.title,
            "content": self.content,
            "deadlines": [d.as_json() for d in self.deadlines],
            "lead_units": list(self.lead_units),
            "responsible_units": list(self.responsible_units),
            "cooperating_units": list(self.cooperating_units),
        }


@dataclass
class DraftPlan:
    plan_title: str
    plan_year: int
    tasks: list[DraftTask]
    # The plan's 文号 (梁教〔2024〕12号), "" when the document shows none.
    document_number: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "plan_title": self.plan_title,
            "plan_year": self.plan_year,
            "tasks": [t.as_json() for t in self.tasks],
        }
