"""Images for photo tests and bench/photos.py: a phone's noisy JPEG with EXIF and a GPS
position, and the bad ones (cut short, a decompression bomb, not an image at all)."""

from __future__ import annotations

import functools
import io
import zlib

from PIL import ExifTags, Image

# Where the "phone" says it was: what must never reach the clinic.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (51.0, 30.0, 26.0),
    ExifTags.GPS.GPSLongitudeRef: "W",
    ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0),
}


def phone_jpeg(width: int = 800, height: int = 600, seed: int = 1) -> bytes:
    """A noisy photo (noise compresses like a real one, badly) with EXIF: camera, time, GPS."""
    noise = Image.effect_noise((width, height), 60 + seed % 7)
    image = Image.merge(
        "RGB", (noise, noise.rotate(180), noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT))
    )
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.Base.DateTime] = "2026:03:20 09:15:00"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif, comment=b"taken at home")
    return out.getvalue()


def twelve_megapixels(seed: int = 1) -> bytes:
    """A 12-megapixel phone photo (4000 by 3000), as bench/photos.py uploads."""
    return phone_jpeg(4000, 3000, seed)


def cut_short(data: bytes) -> bytes:
    """The first two thirds of an image: an upload cut off midway."""
    return data[: len(data) * 2 // 3]


@functools.cache
def decompression_bomb(side: int = 20_000) -> bytes:
    """A PNG of a few hundred KB that says it is side by side pixels (400 megapixels)."""
    row = b"\x00" + b"\x00" * side  # filter byte, then one grey byte per pixel
    packer = zlib.compressobj(9)
    raw = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = side.to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])  # 8-bit greyscale

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body).to_bytes(4, "big")
        return len(body).to_bytes(4, "big") + kind + body + crc

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def metadata_of(data: bytes) -> dict:
    """What a stored image carries besides pixels: EXIF tags, GPS, ICC, comments, XMP."""
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    return {
        "exif": dict(exif),
        "gps": dict(exif.get_ifd(ExifTags.IFD.GPSInfo)),
        "info": {
            k: v
            for k, v in image.info.items()
            if k not in {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"}
        },
    }
