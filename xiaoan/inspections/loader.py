"""The built-in checklist library: xiaoan/inspections/library/*.json into the database.

Idempotent: a template whose items are unchanged is left alone; changed items (text,
guidance, photo, criterion, order) become a new version, so inspections done with the old
version keep it. Name, domain and description are updated in place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

LIBRARY = Path(__file__).resolve().parent / "library"


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def library_documents(directory: Path = LIBRARY) -> list[dict]:
    return [
        json.loads(path.read_text(encoding="utf-8")) for path in sorted(directory.glob("*.json"))
    ]


def item_rows(items: list[dict]) -> list[tuple]:
    """Items as comparable tuples, in order."""
    return [
        (
            item["code"],
            item.get("section") or "",
            item["text"],
            item.get("guidance") or "",
            bool(item.get("photo_required")),
            item.get("criterion") or "",
        )
        for item in items
    ]


@transaction.atomic
def load_library(directory: Path = LIBRARY) -> LoadReport:
    from xiaoan.inspections.checklists import write_version
    from xiaoan.inspections.models import ChecklistTemplate

    report = LoadReport()
    for doc in library_documents(directory):
        template, created = ChecklistTemplate.objects.get_or_create(
            code=doc["code"],
            defaults={
                "name": doc["name"],
                "domain": doc["domain"],
                "description": doc.get("description", ""),
                "owner_unit": None,
            },
        )
        if not created:
            changed = [
                name
                for name, value in (
                    ("name", doc["name"]),
                    ("domain", doc["domain"]),
                    ("description", doc.get("description", "")),
                )
                if getattr(template, name) != value
            ]
            if changed:
                for name in changed:
                    setattr(template, name, doc[name])
                template.save(update_fields=[*changed, "updated_at"])
        rows = item_rows(doc["items"])
        current = template.current_version
        if current is not None and [i.content() for i in current.items.all()] == rows:
            report.unchanged.append(template.code)
            continue
        write_version(template, rows, actor=None, note="内置检查表库")
        (report.created if created else report.new_versions).append(template.code)
    return report


def load_after_migrate(**kwargs) -> None:
    """post_migrate: only once the tables exist (a migrate to an earlier state skips it)."""
    from django.db import connection

    from xiaoan.inspections.models import ChecklistItem

    if ChecklistItem._meta.db_table not in connection.introspection.table_names():
        return
    load_library()
