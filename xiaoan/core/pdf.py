"""PDF from HTML with WeasyPrint, set in a CJK font embedded in the file: the printed
inspection record, the dashboard's brief and later reports all go through here.

The font is Noto Sans SC (its simplified-Chinese subset, regular and bold) from the npm
package @fontsource/noto-sans-sc, copied into static/vendor by `make`: no system font is
needed. XIAOAN_PDF_FONT names an installed system font to use instead.

WeasyPrint never fetches anything over the network here: the only resources are the
caller's stylesheet (passed as a string), the shipped font files and files under
MEDIA_ROOT (photos), passed as file:// paths. With object storage (S3) the photos are
`xiaoan-media:` URIs (`media_uri`), read through the storage: only the names the caller
lists. `fetcher` refuses every other URL.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.core.errors import ServiceError

PDF = "application/pdf"

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
            f"@font-face {{ font-family: {css_string(self.family)}; font-style: normal; "
            f"font-weight: {weight}; src: url({css_string(path.as_uri())}) format('woff'); }}\n"
            for weight, path in self.files
        )
        # The generic family lets Pango take a character the subset lacks from any
        # installed font.
        return faces + f"html {{ font-family: {css_string(self.family)}, sans-serif; }}\n"


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


# ---------------------------------------------------------------- rendering


def css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_css(font: PdfFont) -> str:
    """The font and the translated page footer; the rest is the caller's stylesheet."""
    footer = _("第 {page} 页，共 {pages} 页")
    parts: list[str] = []
    rest = footer
    for token, counter in (("{page}", "counter(page)"), ("{pages}", "counter(pages)")):
        before, _sep, rest = rest.partition(token)
        if before:
            parts.append(css_string(before))
        parts.append(counter)
    if rest:
        parts.append(css_string(rest))
    return font.css() + f"@page {{ @bottom-center {{ content: {' '.join(parts)}; }} }}\n"


MEDIA_SCHEME = "xiaoan-media"


def media_uri(name: str) -> str:
    """The URI under which `fetcher(media=...)` reads `name` from the default storage."""
    return f"{MEDIA_SCHEME}:{quote(name)}"


def media_name(uri: str) -> str | None:
    """The stored name a `media_uri` stands for; None for any other URI."""
    if not uri.startswith(f"{MEDIA_SCHEME}:"):
        return None
    return unquote(uri.removeprefix(f"{MEDIA_SCHEME}:"))


def fetcher(files: Iterable[Path] = (), media: Iterable[str] = ()):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    media_root = Path(settings.MEDIA_ROOT).resolve()
    allowed = {path.resolve() for path in files}
    stored = set(media)

    class LocalFetcher(URLFetcher):
        """Only files under MEDIA_ROOT, the given font files and the listed stored files:
        no network, no other local file."""

        def fetch(self, url, headers=None):
            name = media_name(url)
            if name is not None:
                if name not in stored:
                    raise ValueError(f"refused: {url[:80]}")
                from django.core.files.storage import default_storage

                # Streamed from the storage; WeasyPrint closes it once read.
                return URLFetcherResponse(url, default_storage.open(name, "rb"))
            if not url.startswith("file:"):
                raise ValueError(f"refused: {url[:80]}")
            from urllib.request import url2pathname

            path = Path(url2pathname(url.removeprefix("file:").split("?")[0])).resolve()
            if not (path.is_relative_to(media_root) or path in allowed):
                raise ValueError(f"refused: {url[:80]}")
            return super().fetch(path.as_uri(), headers)

    return LocalFetcher(allowed_protocols=("file",), allow_redirects=False)


def write_pdf(
    html: str,
    font: PdfFont,
    *,
    stylesheet: str = "",
    identifier: bytes | None = None,
    dpi: int = 150,
    jpeg_quality: int = 80,
    media: Iterable[str] = (),
) -> bytes:
    """HTML (with `stylesheet` and the page footer) as PDF bytes set in `font`, the glyphs
    used embedded. Needs no database: the font test runs it in a bare subprocess."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    # @font-face rules are only read through a FontConfiguration shared by the
    # stylesheets and the document.
    fonts = FontConfiguration()
    local = fetcher((path for _weight, path in font.files), media)
    stylesheets = [
        CSS(string=stylesheet, url_fetcher=local),
        CSS(string=page_css(font), url_fetcher=local, font_config=fonts),
    ]
    document = HTML(string=html, url_fetcher=local)
    return document.write_pdf(
        stylesheets=stylesheets,
        font_config=fonts,
        dpi=dpi,
        jpeg_quality=jpeg_quality,
        optimize_images=True,
        pdf_identifier=identifier,
    )
