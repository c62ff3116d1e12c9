"""Small exhibit files made on the fly: a text PDF of N pages and a JPEG "phone photo"."""

from __future__ import annotations

import io


def pdf_bytes(pages: int, title: str = "Exhibit") -> bytes:
    """A US Letter PDF with a line of text on each page."""
    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    for n in range(1, pages + 1):
        content = f"BT /F1 18 Tf 72 700 Td ({title} page {n} of {pages}) Tj ET".encode()
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, 612, 792],
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
            Contents=pdf.make_stream(content),
        )
        pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def phone_photo_jpeg() -> bytes:
    """A 1200x1600 portrait JPEG with camera-like EXIF (orientation 1, a phone model)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (1200, 1600), (238, 232, 220))
    draw = ImageDraw.Draw(img)
    draw.rectangle((100, 100, 1100, 1500), outline=(40, 40, 40), width=8)
    for y in range(200, 1400, 80):
        draw.line((160, y, 1040, y), fill=(90, 90, 90), width=6)
    exif = Image.Exif()
    exif[0x0110] = "Phone camera"  # Model
    exif[0x0112] = 1  # Orientation: upright
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()
