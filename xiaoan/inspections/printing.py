"""The printable inspection record (检查记录): an HTML template rendered to an A4 PDF by
WeasyPrint, set in a CJK font that is embedded in the file, with signature lines.

The font is Noto Sans SC (its simplified-Chinese subset, regular and bold) from the npm
package @fontsource/noto-sans-sc, copied into static/vendor by `make`: no system font is
needed. XIAOAN_PDF_FONT names an installed system font to use instead.

WeasyPrint never fetches anything over the network here: the only resources are the
record's own stylesheet (read from the template directory and passed as a string), the
shipped font files and the result photos, passed as file:// paths inside MEDIA_ROOT.
`LocalFetcher` refuses every other URL. When the storage is not a local directory (object
storage), photos are left out of the PDF; the record then says how many photos the online
record holds.

Access is decided by the caller (pages and API load the inspection through
`Inspection.objects.restrict(user)`); this module only renders.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import FileResponse
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.audit.files import file_served
from xiaoan.core.errors import ServiceError
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
PDF = "application/pdf"
# Photos are embedded at most at this resolution, re-compressed: a record with many photos
# stays a few megabytes.
PHOTO_DPI = 150
PHOTO_JPEG_QUALITY = 80

# The shipped font (Makefile, vendor target). Its own family name is odd ("Noto Sans SC
# Thin" for every weight), so it is declared under a name of ours that no system font
# shadows. WOFF, not WOFF2: WeasyPrint decodes WOFF2 in pure Python, ~5 s per record.
SHIPPED_FONT_DIR = Path(__file__).resolve().parent.parent / "static/vendor/noto-sans-sc"
SHIPPED_FAMILY = "Xiaoan Noto Sans SC"
SHIPPED_FACES = {
    400: "noto-sans-sc-chinese-simplified-400-normal.woff",
    700: "noto-sans-sc-chinese-simplified-700-normal.woff",
}


class PdfUnavailable(ServiceError):
    """The machine cannot produce the record (the CJK font is missing)."""

    status = 503
    code = "pdf_unavailable"
    default_message = gettext_lazy("服务器暂时无法生成 PDF。")


# ---------------------------------------------------------------- font


class _FcFontSet(ctypes.Structure):
    _fields_ = [
        ("nfont", ctypes.c_int),
        ("sfont", ctypes.c_int),
        ("fonts", ctypes.POINTER(ctypes.c_void_p)),
    ]


@functools.cache
def _fontconfig() -> Any:
    name = ctypes.util.find_library("fontconfig") or "libfontconfig.so.1"
    lib = ctypes.CDLL(name)
    lib.FcPatternCreate.restype = ctypes.c_void_p
    lib.FcPatternAddString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
    lib.FcObjectSetBuild.restype = ctypes.c_void_p
    lib.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    lib.FcFontList.restype = ctypes.POINTER(_FcFontSet)
    lib.FcFontSetDestroy.argtypes = [ctypes.POINTER(_FcFontSet)]
    lib.FcPatternDestroy.argtypes = [ctypes.c_void_p]
    lib.FcObjectSetDestroy.argtypes = [ctypes.c_void_p]
    return lib


def _installed(family: str) -> bool:
    lib = _fontconfig()
    pattern = lib.FcPatternCreate()
    objects = lib.FcObjectSetBuild(b"family", None)
    try:
        lib.FcPatternAddString(pattern, b"family", family.encode())
        fonts = lib.FcFontList(None, pattern, objects)
        try:
            return bool(fonts) and fonts.contents.nfont > 0
        finally:
            if fonts:
                lib.FcFontSetDestroy(fonts)
    finally:
        lib.FcObjectSetDestroy(objects)
        lib.FcPatternDestroy(pattern)


_FOUND: set[str] = set()


def font_installed(family: str) -> bool:
    """Whether fontconfig (what WeasyPrint's Pango uses) knows the family by exactly this
    name. Listing, unlike matching, never substitutes another font. Only a found font is
    remembered: one installed later is picked up without a restart."""
    if family in _FOUND:
        return True
    try:
        found = _installed(family)
    except OSError:  # no libfontconfig at all
        return False
    if found:
        _FOUND.add(family)
    return found


@dataclass(frozen=True)
class PdfFont:
    """The family the record is set in, and the files of a shipped font (none for a
    system font)."""

    family: str
    files: tuple[tuple[int, Path], ...] = ()

    def css(self) -> str:
        faces = "".join(
            f"@font-face {{ font-family: {_css_string(self.family)}; font-style: normal; "
            f"font-weight: {weight}; src: url({_css_string(path.as_uri())}) format('woff'); }}\n"
            for weight, path in self.files
        )
        # The generic family lets Pango take a character the subset lacks from any
        # installed font.
        return faces + f"html {{ font-family: {_css_string(self.family)}, sans-serif; }}\n"


def shipped_font() -> PdfFont:
    """The font installed by `make`, or PdfUnavailable when its files are missing."""
    files = tuple((weight, SHIPPED_FONT_DIR / name) for weight, name in SHIPPED_FACES.items())
    missing = [path for _weight, path in files if not path.is_file()]
    if missing:
        raise PdfUnavailable(
            _(
                "服务器缺少中文字体文件“%(file)s”，无法生成 PDF。请管理员运行 make"
                "（它从 npm 安装字体），或在 XIAOAN_PDF_FONT 中设置已安装的中文字体。"
            )
            % {"file": missing[0].name}
        )
    return PdfFont(SHIPPED_FAMILY, files)


def pdf_font() -> PdfFont:
    """The configured system family, else the shipped font; PdfUnavailable with a
    sentence an administrator can act on when it is missing: without it Chinese text
    would come out as empty boxes."""
    family = settings.XIAOAN_PDF_FONT
    if not family:
        return shipped_font()
    if not font_installed(family):
        raise PdfUnavailable(
            _(
                "服务器缺少中文字体“%(font)s”，无法生成 PDF。请管理员安装该字体，"
                "或清空 XIAOAN_PDF_FONT 以使用随项目安装的字体。"
            )
            % {"font": family}
        )
    return PdfFont(family)


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
    photos: list[str] = field(default_factory=list)  # file:// URIs
    photo_count: int = 0


def _photo_uri(photo: ResultPhoto, media_root: Path) -> str | None:
    """A file:// URI for a photo stored under MEDIA_ROOT, else None (object storage, or a
    file gone missing)."""
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


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _page_css(font: PdfFont) -> str:
    """The font and the translated page footer; the rest is in record.css."""
    footer = _("第 {page} 页，共 {pages} 页")
    parts: list[str] = []
    rest = footer
    for token, counter in (("{page}", "counter(page)"), ("{pages}", "counter(pages)")):
        before, _sep, rest = rest.partition(token)
        if before:
            parts.append(_css_string(before))
        parts.append(counter)
    if rest:
        parts.append(_css_string(rest))
    return font.css() + f"@page {{ @bottom-center {{ content: {' '.join(parts)}; }} }}\n"


def _fetcher(files: Iterable[Path] = ()):
    from weasyprint.urls import URLFetcher

    media_root = Path(settings.MEDIA_ROOT).resolve()
    allowed = {path.resolve() for path in files}

    class LocalFetcher(URLFetcher):
        """Only files under MEDIA_ROOT and the given font files: no network, no other
        local file."""

        def fetch(self, url, headers=None):
            if not url.startswith("file:"):
                raise ValueError(f"refused: {url[:80]}")
            from urllib.request import url2pathname

            path = Path(url2pathname(url.removeprefix("file:").split("?")[0])).resolve()
            if not (path.is_relative_to(media_root) or path in allowed):
                raise ValueError(f"refused: {url[:80]}")
            return super().fetch(path.as_uri(), headers)

    return LocalFetcher(allowed_protocols=("file",), allow_redirects=False)


def write_pdf(html: str, font: PdfFont, *, identifier: bytes | None = None) -> bytes:
    """HTML (with record.css and the page footer) as PDF bytes set in `font`, the glyphs
    used embedded. Needs no database: the font test runs it in a bare subprocess."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    # @font-face rules are only read through a FontConfiguration shared by the
    # stylesheets and the document.
    fonts = FontConfiguration()
    fetcher = _fetcher(path for _weight, path in font.files)
    stylesheets = [
        CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher),
        CSS(string=_page_css(font), url_fetcher=fetcher, font_config=fonts),
    ]
    document = HTML(string=html, url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=stylesheets,
        font_config=fonts,
        dpi=PHOTO_DPI,
        jpeg_quality=PHOTO_JPEG_QUALITY,
        optimize_images=True,
        pdf_identifier=identifier,
    )


def render_pdf(inspection: Inspection) -> bytes:
    """The record as PDF bytes. Raises PdfUnavailable when the CJK font is missing."""
    font = pdf_font()
    html = get_template(TEMPLATE).render(record_context(inspection))
    return write_pdf(html, font, identifier=f"xiaoan-inspection-{inspection.pk}".encode())


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
