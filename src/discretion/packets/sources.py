"""The uploaded files behind exhibits: what each really is, whether it can be filed, its pages.

Uploads come from phones and banks: HEIC photos, sideways JPEGs, 300 dpi PNG scans, PDFs with
passwords or cut off mid-download, and files whose name lies about their content. ``inspect``
looks at one file without decoding its images (so preflight stays cheap on a 600-page packet)
and either describes it or raises ``UnusableFile`` with a message a practitioner can act on.
``to_pdf`` turns an image file into a PDF on disk, one Letter page per image or TIFF frame.
"""

from __future__ import annotations

import gc
import io
import stat
import struct
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import img2pdf
import pikepdf
import pillow_heif
from PIL import Image, ImageOps

from discretion.packets import active_content

pillow_heif.register_heif_opener()


def _parse_png(rawdata: bytes) -> tuple[bytes, bytes]:
    """img2pdf's ``parse_png`` (the IDAT and PLTE data of a PNG), in linear time.

    img2pdf 0.6 appends each IDAT chunk to a ``bytes`` object, copying all the data so far for
    every chunk: quadratic in the file size, 0.5 s of a 600-page build's 80 scans. Same
    result (checked by ``test_png_parsing_matches_img2pdf``), same error for a short file."""
    idat: list[memoryview] = []
    palette: list[memoryview] = []
    view = memoryview(rawdata)
    i, total = 16, len(rawdata)
    while i < total:
        (n,) = struct.unpack_from(">I", rawdata, i - 8)
        if i + n > total:
            raise Exception(f"invalid png: {i} {n} {total}")
        kind = rawdata[i - 4 : i]
        if kind == b"IDAT":
            idat.append(view[i : i + n])
        elif kind == b"PLTE":
            palette.append(view[i : i + n])
        i += n + 12
    return b"".join(idat), b"".join(palette)


img2pdf.parse_png = _parse_png

LETTER = (612.0, 792.0)  # 8½ × 11 in, in PDF points (8 C.F.R. §1003.32)
# Paper sizes people scan on, to name a wrong size rather than print its points.
PAPER_NAMES = {(595, 842): "A4", (612, 1008): "US Legal", (420, 595): "A5", (499, 709): "B5"}
# Images get a half-inch border so the page stamp at the foot never covers the scan: the border
# is the stamp band of paper.STAMP_BAND (a test checks the two agree).
IMAGE_BORDER = 36.0

SUFFIX_KINDS = {
    ".pdf": "pdf",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".png": "png",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".heic": "heic",
    ".heif": "heic",
    ".webp": "webp",
    ".gif": "gif",
    ".bmp": "bmp",
}
# Kinds img2pdf cannot embed as they are: Pillow decodes them into a file it can.
_VIA_PILLOW = {"heic", "webp", "gif", "bmp"}
KIND_NAMES = {
    "pdf": "a PDF",
    "jpeg": "a JPEG image",
    "png": "a PNG image",
    "tiff": "a TIFF image",
    "heic": "a HEIC photo",
    "gif": "a GIF image",
    "webp": "a WebP image",
    "bmp": "a BMP image",
    "zip": "a ZIP archive, as Word and Excel files are",
    "ole": "an old Microsoft Office document",
    "rtf": "an RTF document",
    "html": "a web page",
}
SUPPORTED_TEXT = "PDF, JPEG, PNG, TIFF or HEIC (WebP, GIF and BMP are accepted too)"


class UnusableFile(Exception):
    """The file cannot go into a packet; the message says why and what to do, without the name."""


@dataclass(frozen=True)
class Source:
    """One inspected file. ``shapes`` are the displayed (width, height) of each page, in points."""

    path: Path
    kind: str
    size: int
    shapes: tuple[tuple[float, float], ...]  # as filed: portrait Letter
    encrypted: bool = False
    repaired: bool = False
    notes: tuple[str, ...] = field(default=())
    rotated: tuple[int, ...] = ()  # 1-based pages carrying /Rotate, or turned by their EXIF tag
    landscape: tuple[int, ...] = ()  # pages that show wider than tall (fitted upright on portrait)
    sizes: tuple[tuple[float, float], ...] = ()  # as uploaded (displayed), when not Letter portrait
    active: tuple[str, ...] = ()  # active content found (active_content.find); the build strips it

    @property
    def pages(self) -> int:
        return len(self.shapes)

    @property
    def is_image(self) -> bool:
        return self.kind != "pdf"


def sniff(head: bytes) -> str | None:
    """The kind of file these leading bytes belong to, or None when unknown."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc", b"heim", b"heis"):
        return "heic"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:2] == b"BM":
        return "bmp"
    if head[:4] == b"PK\x03\x04":
        return "zip"
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole"
    if head[:5] == b"{\\rtf":
        return "rtf"
    if head.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    return None


def inspect(path: Path) -> Source:
    """Describe ``path`` or raise UnusableFile. Reads headers and the PDF structure, not pixels."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            # Opening a named pipe would wait for a writer for ever.
            what = "a folder" if stat.S_ISDIR(status.st_mode) else "not a regular file (a pipe or a device)"
            raise UnusableFile(f"is {what}; only files can be filed")
        size = status.st_size
        with path.open("rb") as handle:
            head = handle.read(1024)
    except FileNotFoundError:
        raise UnusableFile("file not found") from None
    except OSError as exc:
        raise UnusableFile(f"cannot be read ({exc.strerror})") from None
    if size == 0:
        raise UnusableFile("is empty (0 bytes); the upload or copy failed, so copy the file again")
    claimed = SUFFIX_KINDS.get(path.suffix.lower())
    actual = sniff(head)
    if claimed is None:
        what = f" (it is {KIND_NAMES[actual]})" if actual else ""
        raise UnusableFile(
            f"file type {path.suffix or '(no extension)'!r} cannot go in a packet{what}; "
            f"save or print it as {SUPPORTED_TEXT}"
        )
    if actual != claimed:
        if actual is None:
            raise UnusableFile(
                f"is named {path.suffix} but is not {KIND_NAMES[claimed]}: its content is not a "
                f"recognised file type (damaged or mislabelled); export it again as {SUPPORTED_TEXT}"
            )
        hint = (
            f"; rename it to a {_suffix_for(actual)} file"
            if actual in SUFFIX_KINDS.values()
            else f"; save or print it as {SUPPORTED_TEXT}"
        )
        raise UnusableFile(f"is named {path.suffix} but is really {KIND_NAMES[actual]}{hint}")
    if claimed == "pdf":
        return _inspect_pdf(path, size)
    return _inspect_image(path, size, claimed)


def _suffix_for(kind: str) -> str:
    return next(s for s, k in SUFFIX_KINDS.items() if k == kind)


def open_pdf(path: Path) -> pikepdf.Pdf:
    """Open a PDF upload, turning qpdf's failures into UnusableFile. The caller closes it."""
    try:
        # Streamed, not mmapped: mapped pages of every source would count in RSS while the
        # packet is written, so peak memory would grow with the size of the inputs.
        return pikepdf.open(path, access_mode=pikepdf.AccessMode.stream)
    except pikepdf.PasswordError:
        raise UnusableFile(
            "is password-protected; ask for a copy without a password (or open it and print it "
            "to a new PDF) — EOIR's e-filing system does not accept protected PDFs either"
        ) from None
    except pikepdf.PdfError as exc:
        detail = str(exc).split(": ", 1)[-1].strip()
        raise UnusableFile(f"is damaged and could not be repaired ({detail}); get a fresh copy") from None


def _inspect_pdf(path: Path, size: int) -> Source:
    pdf = open_pdf(path)
    with pdf:
        repaired = bool(pdf.get_warnings())
        try:
            shown = tuple(displayed_size(page) for page in pdf.pages)
            rotated = tuple(n for n, page in enumerate(pdf.pages, 1) if int(page.obj.get("/Rotate", 0)) % 360)
        except (pikepdf.PdfError, ValueError, TypeError, AttributeError) as exc:
            raise UnusableFile(f"is damaged: its pages cannot be read ({exc})") from None
        if not shown:
            raise UnusableFile("has no pages")
        wide = tuple(n for n, (w, h) in enumerate(shown, 1) if w > h)
        try:
            active = tuple(str(r) for r in active_content.find(pdf))
        except (pikepdf.PdfError, ValueError, TypeError, AttributeError) as exc:
            raise UnusableFile(f"is damaged: its links and actions cannot be read ({exc})") from None
        # Every page is filed upright on portrait Letter (paper.fit_upright).
        return Source(
            path,
            "pdf",
            size,
            (LETTER,) * len(shown),
            encrypted=pdf.is_encrypted,
            repaired=repaired,
            rotated=rotated,
            landscape=wide,
            sizes=shown,
            active=active,
        )


def displayed_size(page: pikepdf.Page) -> tuple[float, float]:
    """The (width, height) of the finished page as shown: the trim box (which defaults to the
    crop box, then the media box), turned by /Rotate. The stamp overlay is sized to it."""
    box = [float(v) for v in page.trimbox]
    width, height = abs(box[2] - box[0]), abs(box[3] - box[1])
    rotate = int(page.obj.get("/Rotate", 0)) % 180
    return (height, width) if rotate == 90 else (width, height)


def open_image(path: Path) -> Image.Image:
    """Open an image header under Pillow's decompression-bomb limit (a warning made an error)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(path)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        limit = Image.MAX_IMAGE_PIXELS or 0
        raise UnusableFile(
            f"is too large to open safely (more than {limit / 1e6:.0f} million pixels, Pillow's "
            "decompression-bomb limit); scan or export it at a lower resolution"
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise UnusableFile(f"is a damaged image ({exc}); export or photograph it again") from None


def _inspect_image(path: Path, size: int, kind: str) -> Source:
    image = open_image(path)
    with image:
        frames = getattr(image, "n_frames", 1) if kind == "tiff" else 1
        shapes, turned, wide = [], [], []
        for index in range(frames):
            image.seek(index)
            width, height = image.size
            # PNG keeps EXIF after the pixels, so reading it decodes the whole scan; phones
            # write JPEG or HEIC, so only those (and TIFF) are asked for an orientation.
            if kind != "png" and _exif_turns(image):
                width, height = height, width
                turned.append(index + 1)
            if width > height:
                wide.append(index + 1)
            shapes.append(LETTER)  # every picture is placed upright on a portrait Letter page
        if kind == "jpeg" and not _jpeg_complete(path):
            raise UnusableFile("is a truncated JPEG (the end of the image is missing); copy it again")
    if kind == "png":
        try:
            with Image.open(path) as fresh:
                fresh.verify()  # checks every chunk's CRC without decoding pixels
        except Exception:  # Pillow raises several unrelated types here
            raise UnusableFile(
                "is a damaged PNG (its checksums do not match its data); export it again"
            ) from None
    return Source(path, kind, size, tuple(shapes), rotated=tuple(turned), landscape=tuple(wide))


def _exif_turns(image: Image.Image) -> bool:
    try:
        orientation = image.getexif().get(0x0112, 1)
    except Exception:  # a malformed EXIF block must not stop the filing
        return False
    return orientation in (5, 6, 7, 8)


def _jpeg_complete(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-64, io.SEEK_END) if path.stat().st_size > 64 else handle.seek(0)
        return b"\xff\xd9" in handle.read()


def paper_name(shape: tuple[float, float]) -> str:
    """``A4 (8.27 × 11.69 in)`` or ``8.00 × 10.00 in`` for a displayed page shape."""
    width, height = sorted(shape)
    inches = f"{width / 72:.2f} × {height / 72:.2f} in"
    for (w, h), name in PAPER_NAMES.items():
        if abs(width - w) <= 3 and abs(height - h) <= 3:
            return f"{name} ({inches})"
    return inches


def is_letter(shape: tuple[float, float]) -> bool:
    width, height = sorted(shape)
    return abs(width - LETTER[0]) <= 3 and abs(height - LETTER[1]) <= 3


def to_pdf(source: Source, out: Path) -> Path:
    """Write the PDF for an image source to ``out``: one Letter page per image or frame, the
    image fitted inside a half-inch border, portrait or landscape as the picture is, and a
    phone photo's EXIF rotation honoured. The build then fits every page upright on portrait
    Letter (``paper.fit_upright``)."""
    layout = img2pdf.get_layout_fun(
        pagesize=LETTER, border=(IMAGE_BORDER, IMAGE_BORDER), fit=img2pdf.FitMode.into, auto_orient=True
    )
    lossless = source.kind in ("png", "tiff", "gif", "bmp")
    try:
        if source.kind in _VIA_PILLOW or _mirrored(source.path):
            _convert(_normalised(source, out, lossless=lossless), out, layout)
        else:
            try:
                rotation = img2pdf.Rotation.none if source.kind == "png" else img2pdf.Rotation.ifvalid
                _convert(str(source.path), out, layout, rotation=rotation)
            except (img2pdf.AlphaChannelError, img2pdf.ImageOpenError, ValueError):
                # Transparency, 16-bit or exotic colour modes: flatten with Pillow, then convert.
                _convert(_normalised(source, out, lossless=lossless), out, layout)
    except UnusableFile:
        raise
    except Exception as exc:
        raise UnusableFile(f"could not be converted to PDF ({exc})") from None
    return out


def _convert(images: str | list[str], out: Path, layout: object, **options: object) -> None:
    # img2pdf's own writer, straight into the file: its default (pikepdf) engine copies the
    # image into a pikepdf stream, linearises (two passes), hashes the whole file for a
    # deterministic /ID and returns it as bytes to be written again. That work is thrown
    # away: qpdf rewrites every page when it binds the packet.
    with out.open("wb") as sink:
        img2pdf.convert(
            images, layout_fun=layout, engine=img2pdf.Engine.internal, outputstream=sink, **options
        )
    # That writer links the page tree and each page both ways: a reference cycle holding the
    # image data (MBs) until Python's cyclic collector next runs, which allocation counts seldom
    # trigger: 100 MB held after 30 scans. The young generations hold the cycle; collecting
    # them takes well under a millisecond.
    gc.collect(1)


def flatten(image: Image.Image) -> Image.Image:
    """8-bit gray or RGB; transparency composited on white, as it would print."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode in ("L", "RGB"):
        return image
    return image.convert("L" if image.mode in ("I;16", "I", "F") else "RGB")


def _mirrored(path: Path) -> bool:
    """EXIF orientations 2, 4, 5, 7 flip the picture, which a PDF page's /Rotate cannot do."""
    if path.suffix.lower() not in (".jpg", ".jpeg", ".tif", ".tiff"):
        return False
    with open_image(path) as image:
        try:
            return image.getexif().get(0x0112, 1) in (2, 4, 5, 7)
        except Exception:  # a malformed EXIF block: treat as upright
            return False


def _normalised(source: Source, out: Path, *, lossless: bool) -> list[str]:
    """Flatten every page to upright 8-bit RGB or gray files img2pdf accepts; returns their paths.

    Scans and screenshots (PNG, TIFF, GIF, BMP) stay lossless; photos become JPEG."""
    outputs = []
    image = open_image(source.path)
    with image:
        # An animated GIF or WebP is one picture on paper: its first frame. TIFF pages are pages.
        for index in range(source.pages):
            image.seek(index)
            frame = ImageOps.exif_transpose(image)
            frame = frame if frame.mode == "1" else flatten(frame)
            target = out.with_name(f"{out.stem}-frame{index}.jpg")
            if frame.mode == "1" or lossless:
                target = target.with_suffix(".png")
                frame.save(target)
            else:
                frame.save(target, quality=92)
            outputs.append(str(target))
    return outputs
