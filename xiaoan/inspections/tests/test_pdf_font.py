"""The PDF font comes with the project: the record embeds the Noto Sans SC that `make`
installs from npm and needs no system font (proved in a subprocess whose fontconfig sees
no font at all); XIAOAN_PDF_FONT picks an installed system font instead; a missing font
answers the Chinese 503."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from xiaoan.core import pdf
from xiaoan.inspections import printing
from xiaoan.inspections.tests.print_support import embedded_fonts, pdf_of, pdf_text, record
from xiaoan.inspections.tests.support import checklist

pytestmark = pytest.mark.django_db
__all__ = ["checklist", "record"]

SHIPPED = "Xiaoan-Noto-Sans-SC"
SAMPLE = "学校安全检查记录"

# Renders SAMPLE (and a bold word) without a database, and reports how many fonts
# fontconfig sees and whether it knows the family of the shipped files.
SCRIPT = f"""
import sys
import django

django.setup()
from xiaoan.core import pdf

lib = pdf._fontconfig()
pattern = lib.FcPatternCreate()
objects = lib.FcObjectSetBuild(b"family", None)
count = lib.FcFontList(None, pattern, objects).contents.nfont
print(count, pdf.font_installed("Noto Sans SC Thin"))
html = "<p>{SAMPLE} <b>不符合</b> ABC 123（附照片）</p>"
with open(sys.argv[1], "wb") as out:
    out.write(pdf.write_pdf(html, pdf.pdf_font()))
"""


def _program(data: bytes, name: str) -> TTFont:
    """The embedded font file of the font named `name` (without its subset tag)."""
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if font["/BaseFont"].split("+")[-1] != name:
                continue
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            return TTFont(io.BytesIO(descriptor.get_object()["/FontFile2"].get_object().get_data()))
    raise AssertionError(f"no font {name} in the PDF")


def _isolated(tmp_path: Path, *, font_dirs: tuple[Path, ...] = (), **env: str) -> tuple[str, bytes]:
    """Run SCRIPT with a fonts.conf of our own: fontconfig sees only `font_dirs`."""
    dirs = "".join(f"<dir>{d}</dir>" for d in font_dirs)
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?><fontconfig>{dirs}<cachedir>{tmp_path}/fc</cachedir></fontconfig>'
    )
    out = tmp_path / "out.pdf"
    environ = {
        **os.environ,
        "FONTCONFIG_FILE": str(conf),
        "DJANGO_SETTINGS_MODULE": "xiaoan.settings",
        "XIAOAN_DATA_DIR": str(tmp_path),
        "XIAOAN_PDF_FONT": "",
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(out)],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip(), out.read_bytes()


def test_it_embeds_the_shipped_font(client_for, record):
    data = pdf_of(client_for("school_a_officer").get(f"/inspections/{record.pk}/print.pdf"))
    fonts = embedded_fonts(data)
    assert fonts and all(SHIPPED in name for name in fonts), fonts
    assert set(fonts.values()) == {"/FontFile2"}
    assert any(name.endswith("-Bold") for name in fonts)  # headings use the bold face
    program = _program(data, SHIPPED)
    assert program["name"].getDebugName(1).startswith("Noto Sans SC")
    cmap = program.getBestCmap()
    assert all(ord(char) in cmap for char in "梁子湖高级中学")
    # Subset: a record with a few dozen distinct characters stays small.
    assert len(data) < 200_000


def test_it_needs_no_system_font(tmp_path):
    seen, data = _isolated(tmp_path)
    assert seen == "0 False"  # fontconfig sees no font at all
    assert SAMPLE in pdf_text(data) and "不符合" in pdf_text(data)
    fonts = embedded_fonts(data)
    assert {f"{SHIPPED}", f"{SHIPPED}-Bold"} == {name.split("+")[-1] for name in fonts}, fonts


def test_it_points_at_the_font_files_only(settings):
    font = pdf.pdf_font()
    assert font.family == pdf.SHIPPED_FAMILY
    css = font.css()
    for _weight, path in font.files:
        assert f'url("{path.as_uri()}")' in css
    fetcher = pdf.fetcher(path for _weight, path in font.files)
    response = fetcher.fetch(font.files[0][1].as_uri())
    try:
        assert response.read(4) == b"wOFF"
    finally:
        response.close()
    with pytest.raises(ValueError):  # another file beside the font
        fetcher.fetch((pdf.SHIPPED_FONT_DIR / "LICENSE").as_uri())


def test_it_uses_a_configured_system_font(tmp_path):
    # The shipped regular face installed as a system font (TrueType: HarfBuzz reads no
    # WOFF), under the family fontconfig gives it.
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    ttf = TTFont(pdf.SHIPPED_FONT_DIR / pdf.SHIPPED_FACES[400])
    ttf.flavor = None
    ttf.save(fonts / "noto-sans-sc.ttf")
    seen, data = _isolated(tmp_path, font_dirs=(fonts,), XIAOAN_PDF_FONT="Noto Sans SC Thin")
    assert seen == "1 True"  # found by font_installed
    names = [name.split("+")[-1] for name in embedded_fonts(data)]
    assert names and all(name.startswith("Noto-Sans-SC-Thin") for name in names), names
    assert SAMPLE in pdf_text(data)


def test_it_says_in_chinese_when_the_shipped_font_is_missing(
    monkeypatch, tmp_path, client_for, record
):
    assert not pdf.font_installed("No Such Font 12345")
    monkeypatch.setattr(pdf, "SHIPPED_FONT_DIR", tmp_path)
    with pytest.raises(pdf.PdfUnavailable) as error:
        printing.render_pdf(record)
    assert "缺少中文字体文件" in str(error.value.message)
    assert "make" in str(error.value.message)
    page = client_for("school_a_officer").get(f"/inspections/{record.pk}/print.pdf")
    assert page.status_code == 503 and "缺少中文字体文件" in page.content.decode()
