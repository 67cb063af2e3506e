"""The printable inspection record (检查记录): an HTML template rendered to an A4 PDF by
WeasyPrint (xiaoan.core.pdf: the font, the local-only fetcher), with signature lines.

The record's stylesheet is read from the template directory; the result photos are passed
as file:// paths inside MEDIA_ROOT, or, with object storage (S3), as `xiaoan-media:` URIs
that the PDF fetcher reads through the storage (only this record's photos). A photo whose
local file is gone is left out; the record then says how many photos the online record
holds.

Access is decided by the caller (pages and API load the inspection through
`Inspection.objects.restrict(user)`); this module only renders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import FileResponse
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.audit.files import file_served
from xiaoan.core.objectstorage import is_object_storage
from xiaoan.core.pdf import PDF, media_name, media_uri, pdf_font, write_pdf
from xiaoan.hazards.choices import HazardLevel
from xiaoan.inspections.choices import PENDING_STATUSES, ResultValue
from xiaoan.inspections.models import (
    ChecklistItem,
    Inspection,
    InspectionInvite,
    ItemResult,
    ResultPhoto,
)

TEMPLATE = "inspections/print/record.html"
STYLESHEET = Path(__file__).resolve().parent / "templates/inspections/print/record.css"
# Photos are embedded at most at this resolution, re-compressed: a record with many photos
# stays a few megabytes.
PHOTO_DPI = 150
PHOTO_JPEG_QUALITY = 80

# ---------------------------------------------------------------- content


@dataclass
class Row:
    seq: int
    item: ChecklistItem
    new_section: bool
    result: ItemResult | None
    value: str = ""
    value_label: str = ""
    hazard_label: str = ""
    photos: list[str] = field(default_factory=list)  # file:// or xiaoan-media: URIs
    photo_count: int = 0


def _photo_uri(photo: ResultPhoto, media_root: Path) -> str | None:
    """A file:// URI for a photo stored under MEDIA_ROOT; a xiaoan-media: URI for one in
    object storage; None for a local file gone missing."""
    if is_object_storage(photo.image.storage):
        return media_uri(photo.image.name) if photo.image.name else None
    try:
        path = Path(photo.image.path).resolve()
    except (NotImplementedError, ValueError):
        return None
    if not path.is_relative_to(media_root) or not path.is_file():
        return None
    return path.as_uri()


def record_context(inspection: Inspection) -> dict[str, Any]:
    """Everything the record shows, in a fixed number of queries whatever the item count:
    items, results (with hazards), photos, invites."""
    labels = dict(ResultValue.choices)
    levels = dict(HazardLevel.choices)
    results = {
        r.item_id: r
        for r in ItemResult.objects.filter(inspection=inspection)
        .select_related("hazard")
        .prefetch_related(Prefetch("photos", ResultPhoto.objects.order_by("created_at", "pk")))
    }
    media_root = Path(settings.MEDIA_ROOT).resolve()
    rows: list[Row] = []
    counts = {value: 0 for value in ResultValue.values}
    hazards = majors = 0
    section = None
    items = ChecklistItem.objects.filter(version_id=inspection.checklist_id).order_by("seq")
    for seq, item in enumerate(items, start=1):
        result = results.get(item.pk)
        row = Row(seq=seq, item=item, new_section=item.section != section, result=result)
        section = item.section
        if result is not None:
            row.value = result.result
            row.value_label = str(labels.get(result.result, ""))
            if result.result:
                counts[result.result] += 1
            if result.hazard is not None:
                hazards += 1
                majors += result.hazard.level == HazardLevel.MAJOR
                level = levels.get(result.hazard.level) or _("待定级")
                row.hazard_label = f"{result.hazard.number}（{level}）"
            photos = list(result.photos.all())
            row.photo_count = len(photos)
            row.photos = [u for u in (_photo_uri(p, media_root) for p in photos) if u]
        rows.append(row)
    invites = list(
        InspectionInvite.objects.filter(inspection=inspection)
        .select_related("user", "user__unit")
        .order_by("created_at", "pk")
    )
    inspectors = [
        {
            "name": invite.user.display_name,
            "unit": invite.user.unit.name if invite.user.unit_id else "",
            "role": invite.get_role_display(),
        }
        for invite in invites
    ]
    leader = inspection.leader
    members = [
        {"name": p.display_name, "unit": p.unit.name if p.unit_id else ""}
        for p in inspection.members.select_related("unit").order_by("unit__path", "username")
    ]
    submitter = inspection.submitted_by
    answered = sum(counts.values())
    return {
        "inspection": inspection,
        "draft": inspection.status in PENDING_STATUSES,
        "rows": rows,
        "counts": counts,
        "total": len(rows),
        "answered": answered,
        "unanswered": len(rows) - answered,
        "hazards": hazards,
        "majors": majors,
        "inspectors": inspectors,
        "leader": (
            {"name": leader.display_name, "unit": leader.unit.name if leader.unit_id else ""}
            if leader
            else None
        ),
        "members": members,
        "submitter": submitter.display_name if submitter else "",
        "photo_rows": [r for r in rows if r.photos],
        "photos_left_out": sum(r.photo_count - len(r.photos) for r in rows),
        "printed_at": timezone.localtime(),
    }


# ---------------------------------------------------------------- rendering


def render_pdf(inspection: Inspection) -> bytes:
    """The record as PDF bytes. Raises PdfUnavailable when the CJK font is missing."""
    font = pdf_font()
    context = record_context(inspection)
    html = get_template(TEMPLATE).render(context)
    stored = [
        name
        for row in context["photo_rows"]
        for uri in row.photos
        if (name := media_name(uri)) is not None
    ]
    return write_pdf(
        html,
        font,
        stylesheet=STYLESHEET.read_text(encoding="utf-8"),
        identifier=f"xiaoan-inspection-{inspection.pk}".encode(),
        dpi=PHOTO_DPI,
        jpeg_quality=PHOTO_JPEG_QUALITY,
        media=stored,
    )


def pdf_filename(inspection: Inspection) -> str:
    return f"{_('检查记录')}-{inspection.number}-{inspection.unit.name}.pdf"


def pdf_response(inspection: Inspection) -> FileResponse:
    """Shown in the browser (where it is printed); the name is kept when saved."""
    import io

    response = FileResponse(
        io.BytesIO(render_pdf(inspection)),
        content_type=PDF,
        filename=pdf_filename(inspection),
    )
    response["Cache-Control"] = "private, no-store"
    file_served("export", "inspection-pdf", obj=inspection, filename=pdf_filename(inspection))
    return response
