"""Rendering exports through LibreOffice in tests: what an office sees when it opens or
prints a file. Tests that use `render` skip (with the reason) when LibreOffice, or the part
of it a format needs, is not installed; the README's Exports section has the same check as a
command."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

# The LibreOffice module that opens each format: Calc for .xlsx, Writer for .docx.
MODULES = {
    ".xlsx": ("libsclo.so", "libreoffice-calc"),
    ".docx": ("libswlo.so", "libreoffice-writer"),
}


@dataclass
class Rendered:
    pages: int
    text: str


def _missing(suffixes: set[str]) -> str:
    soffice = shutil.which("soffice")
    if soffice is None:
        return "LibreOffice (soffice) is not installed: cannot render exports to PDF"
    if not all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo", "fc-list")):
        return "poppler-utils (pdftotext, pdfinfo) or fontconfig (fc-list) is not installed"
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    if not fonts.stdout.strip():
        return "no Chinese font installed (e.g. fonts-wqy-microhei): the PDF would show boxes"
    program = Path(os.path.realpath(soffice)).parent
    for suffix in sorted(suffixes):
        library, package = MODULES[suffix]
        if not (program / library).exists():
            return f"{package} is not installed: LibreOffice cannot open {suffix} files"
    return ""


def render(files: dict[str, bytes], tmp_path: Path) -> dict[str, Rendered]:
    """Convert each file (name → content) to PDF in one LibreOffice run; page count and
    text of each. Skips the test when LibreOffice cannot do it here."""
    stems = [Path(name).stem for name in files]
    # LibreOffice names each PDF after its file's stem: two alike would overwrite each other.
    assert len(set(stems)) == len(stems), f"file names need different stems: {sorted(files)}"
    reason = _missing({Path(name).suffix for name in files})
    if reason:
        pytest.skip(reason)
    source, out = tmp_path / "in", tmp_path / "pdf"
    source.mkdir()
    for name, content in files.items():
        (source / name).write_bytes(content)
    # A profile of its own: a LibreOffice already running elsewhere would take the job
    # and silently write nothing.
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *(str(source / name) for name in files),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    rendered = {}
    for name in files:
        pdf = out / (Path(name).stem + ".pdf")
        assert pdf.exists(), f"LibreOffice did not convert {name}"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        pages = next(
            int(line.split(":")[1])
            for line in info.stdout.splitlines()
            if line.startswith("Pages:")
        )
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        rendered[name] = Rendered(pages, text)
    return rendered
