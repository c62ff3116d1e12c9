"""Word and OpenDocument files made into PDF exhibits, by LibreOffice in headless mode.

A packet holds PDF and images only; a client's letter of support or an employer's letter often
arrives as a .docx. Only LibreOffice renders Word files faithfully enough to file, so it is run
as a program (Debian's package, installed by ./dev setup), never imitated. Each conversion gets
its own throw-away LibreOffice profile, because two conversions sharing the default profile
block each other (LibreOffice allows one instance per profile), and a time limit, because a
hostile or broken file can make it spin: the whole process group is killed when it runs out.
The PDF it writes is opened with pikepdf before it is accepted; macros are never run
(LibreOffice does not run document macros in headless conversion unless told to).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import IO

import pikepdf

from discretion.errors import DocumentError

# What LibreOffice converts for us, by what the first bytes say the file is.
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
DOC = "application/msword"
RTF = "application/rtf"
OFFICE_TYPES = {WORD: ".docx", ODT: ".odt", DOC: ".doc", RTF: ".rtf"}

TIMEOUT_SECONDS = 120.0


def sniff_office(head: bytes, source: Path | IO[bytes] | None = None) -> str | None:
    """The office document type of a file from its first bytes (and, for a zip, the members of
    ``source``: a path or a seekable file, left at its start)."""
    if head.startswith(b"{\\rtf"):
        return RTF
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return DOC  # an OLE2 compound file: Word 97-2003 (LibreOffice says so if it is not)
    if head.startswith(b"PK\x03\x04") and source is not None:
        if not isinstance(source, Path):
            source.seek(0)
        try:
            with zipfile.ZipFile(source) as z:
                names = set(z.namelist())
                if "word/document.xml" in names:
                    return WORD
                if "mimetype" in names and z.read("mimetype").strip() == ODT.encode():
                    return ODT
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
        finally:
            if not isinstance(source, Path):
                source.seek(0)
    return None


def soffice() -> str:
    """The LibreOffice program, or a DocumentError saying how to get it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise DocumentError(
            "LibreOffice is not installed, so Word and OpenDocument files cannot be converted to PDF: "
            "run ./dev setup (it installs Debian's libreoffice-writer-nogui), or upload a PDF instead"
        )
    return found


def convert_to_pdf(
    source: Path, out_dir: Path, *, name: str | None = None, timeout: float = TIMEOUT_SECONDS
) -> Path:
    """Convert ``source`` (DOCX, ODT, DOC or RTF) to a PDF in ``out_dir`` and return its path.

    ``name`` is how an error names the file (the name the person uploaded). Raises DocumentError
    with a plain message when LibreOffice is missing, times out, or writes no usable PDF."""
    shown = name or source.name
    program = soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="discretion-office-") as work:
        profile = Path(work) / "profile"
        # LibreOffice names its output after the input: give it a plain copy so a name with
        # odd characters never decides where the PDF lands.
        plain = Path(work) / f"document{source.suffix.lower() or '.docx'}"
        shutil.copyfile(source, plain)
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(plain),
        ]
        env = {**os.environ, "HOME": work, "SAL_USE_VCLPLUGIN": "svp"}
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
        )
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise DocumentError(
                f"{shown}: LibreOffice did not finish converting it to PDF within {timeout:.0f} seconds; "
                "open it in Word, save it as PDF and upload the PDF"
            ) from None
        made = Path(work) / "document.pdf"
        if process.returncode != 0 or not made.exists() or made.stat().st_size == 0:
            detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
            raise DocumentError(
                f"{shown}: could not be converted to PDF"
                + (f" ({detail[0][:200]})" if detail else "")
                + "; it may be damaged or password-protected — open it in Word, save it as PDF and upload the PDF"
            )
        try:
            with pikepdf.open(made) as pdf:
                if len(pdf.pages) == 0:
                    raise DocumentError(f"{shown}: the PDF made from it has no pages; upload a PDF instead")
        except pikepdf.PdfError:
            raise DocumentError(f"{shown}: LibreOffice wrote a damaged PDF; upload a PDF instead") from None
        target = out_dir / f"{Path(shown).stem or 'document'}.pdf"
        shutil.move(made, target)
        return target
