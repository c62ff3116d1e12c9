"""Optional compression of heavy scans, so a packet fits e-filing size limits.

A 300 dpi lossless scan of a letter page is 1–4 MB; at 200 dpi as JPEG it reads as well on
screen and in print and weighs a tenth. Only images denser than the target are touched:
image files are downsampled and re-encoded as JPEG (1-bit black-and-white scans are kept, as
they are already small), and in PDFs each large 8-bit image is replaced the same way. The
report states each file's size before and after, because a practitioner must be able to say
what was done to an exhibit.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pikepdf
from pikepdf import PdfImage
from PIL import Image, ImageOps

from discretion.packets.sources import IMAGE_BORDER, LETTER, Source, flatten, open_image, open_pdf, to_pdf

DEFAULT_DPI = 200
JPEG_QUALITY = 80


@dataclass(frozen=True)
class Saving:
    file: str
    before: int
    after: int
    note: str = ""


def report(savings: tuple[Saving, ...] | list[Saving]) -> str:
    lines = ["compression (size of each file before -> after):"]
    for s in savings:
        note = f" ({s.note})" if s.note else ""
        lines.append(f"  {s.file}: {_mb(s.before)} -> {_mb(s.after)}{note}")
    before, after = sum(s.before for s in savings), sum(s.after for s in savings)
    lines.append(f"  total: {_mb(before)} -> {_mb(after)}")
    return "\n".join(lines)


def compress(source: Source, dpi: int, target: Path) -> tuple[Path, Saving]:
    """Write ``source`` as a PDF at ``target``, downsampling images above ``dpi``.

    Returns the PDF to file (the original when nothing was gained) and what was saved."""
    if source.is_image:
        smaller = _downsample_image_file(source, dpi, target)
        converted = to_pdf(
            dataclasses.replace(source, path=smaller, kind="jpeg") if smaller else source, target
        )
        note = f"downsampled to {dpi} dpi" if smaller else "already at or under the target"
        return converted, Saving(source.path.name, source.size, converted.stat().st_size, note)
    changed = _downsample_pdf(source.path, dpi, target)
    if changed and target.stat().st_size < source.size:
        return target, Saving(
            source.path.name, source.size, target.stat().st_size, f"{changed} image(s) downsampled"
        )
    return source.path, Saving(source.path.name, source.size, source.size, "unchanged")


def _downsample_image_file(source: Source, dpi: int, target: Path) -> Path | None:
    image = open_image(source.path)
    with image:
        if source.kind == "tiff" and getattr(image, "n_frames", 1) > 1:
            return None  # multi-page TIFFs are usually fax-style 1-bit pages: small already
        if image.mode == "1":
            return None
        width, height = image.size
        if source.shapes[0][0] > source.shapes[0][1] and height > width:
            width, height = height, width  # EXIF turns it to landscape
        scale = dpi / _effective_dpi((width, height))
        if scale >= 0.95:
            return None
        # JPEG can decode straight at 1/2, 1/4 or 1/8 size: most of the saving in time.
        image.draft(image.mode, (round(image.width * scale), round(image.height * scale)))
        turned = ImageOps.exif_transpose(image) if image.getexif().get(0x0112, 1) != 1 else image
        upright = flatten(turned)
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        # Bilinear (antialiased in Pillow) keeps scanned text crisp at a third of Lanczos' cost.
        smaller = upright.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
        out = target.with_name(target.stem + "-small.jpg")
        smaller.save(out, quality=JPEG_QUALITY, dpi=(dpi, dpi))
        return out


def _effective_dpi(size: tuple[int, int]) -> float:
    """Pixels per inch once fitted inside the bordered portrait Letter page."""
    width, height = size
    page_w, page_h = LETTER
    fit = min((page_w - 2 * IMAGE_BORDER) / width, (page_h - 2 * IMAGE_BORDER) / height)  # points per pixel
    return 72 / fit


def _downsample_pdf(path: Path, dpi: int, target: Path) -> int:
    pdf = open_pdf(path)
    changed = 0
    with pdf:
        seen: set[tuple[int, int]] = set()
        for page in pdf.pages:
            width_in = float(page.trimbox[2] - page.trimbox[0]) / 72
            height_in = float(page.trimbox[3] - page.trimbox[1]) / 72
            for raw in page.get_images().values():
                if raw.objgen in seen:
                    continue
                seen.add(raw.objgen)
                changed += _downsample_xobject(raw, dpi, max(width_in, height_in))
        if changed:
            pdf.save(target, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return changed


def _downsample_xobject(raw: pikepdf.Object, dpi: int, long_in: float) -> int:
    # The image's drawn size is approximated by the page it is on: right for scans, which
    # fill the page; a small logo is never dense enough to be touched.
    if not isinstance(raw, pikepdf.Stream):
        return 0
    if raw.get("/SMask") is not None or raw.get("/Mask") is not None or raw.get("/ImageMask", False):
        return 0
    if int(raw.get("/BitsPerComponent", 8)) != 8:
        return 0
    width, height = int(raw.Width), int(raw.Height)
    density = max(width, height) / long_in if long_in else 0
    if density <= dpi * 1.05:
        return 0
    try:
        picture = PdfImage(raw).as_pil_image()
    except Exception:  # an encoding Pillow cannot decode: leave that image as it is
        return 0
    if picture.mode not in ("RGB", "L"):
        if picture.mode == "CMYK":
            return 0  # re-encoding CMYK as RGB would shift colours; leave it
        picture = picture.convert("RGB")
    scale = dpi / density
    smaller = picture.resize(
        (max(1, round(width * scale)), max(1, round(height * scale))),
        Image.Resampling.BILINEAR,
        reducing_gap=2.0,
    )
    buffer = BytesIO()
    smaller.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    raw.write(buffer.getvalue(), filter=pikepdf.Name.DCTDecode)
    raw.Width, raw.Height = smaller.width, smaller.height
    raw.ColorSpace = pikepdf.Name.DeviceGray if smaller.mode == "L" else pikepdf.Name.DeviceRGB
    raw.BitsPerComponent = 8
    for key in ("/DecodeParms", "/Decode"):
        if key in raw:
            del raw[key]
    return 1


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.2f} MB"
