"""Draw the app's icons into pwa/icons/ (PNG, standard library only).

The mark is a field of small dots fading in from the edge, the way SMP builds density;
the maskable variants keep it inside the central 80% safe zone on a full-bleed background.
Run: python scripts/make_icons.py
"""

import math
import struct
import zlib
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "pwa" / "icons"
BACKGROUND = (31, 95, 91)  # the theme colour
DOT = (247, 245, 240)


def png(width: int, pixels: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\0" + row for row in pixels)
    header = struct.pack(">IIBBBBB", width, width, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def draw(size: int, maskable: bool) -> bytes:
    corner = 0 if maskable else size * 0.22
    mark = size * (0.30 if maskable else 0.36)  # radius of the dotted disc
    centre = size / 2
    pitch = size / 26
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            alpha = _inside_rounded(x + 0.5, y + 0.5, size, corner)
            colour = BACKGROUND
            distance = math.hypot(x + 0.5 - centre, y + 0.5 - centre)
            if distance < mark:
                gx, gy = round((x + 0.5) / pitch) * pitch, round((y + 0.5) / pitch) * pitch
                density = 1 - (distance / mark) ** 2  # dots grow towards the centre
                if math.hypot(x + 0.5 - gx, y + 0.5 - gy) < pitch * 0.42 * density + pitch * 0.08:
                    colour = DOT
            row += bytes((*colour, round(255 * alpha)))
        rows.append(bytes(row))
    return png(size, rows)


def _inside_rounded(x: float, y: float, size: int, radius: float) -> float:
    if radius == 0:
        return 1.0
    cx = min(max(x, radius), size - radius)
    cy = min(max(y, radius), size - radius)
    return max(0.0, min(1.0, radius - math.hypot(x - cx, y - cy) + 0.5))


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in [
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("maskable-192.png", 192, True),
        ("maskable-512.png", 512, True),
        ("apple-touch-icon.png", 180, True),  # iOS rounds the corners itself
    ]:
        (ICONS / name).write_bytes(draw(size, maskable))
        print(f"wrote {ICONS / name}")


if __name__ == "__main__":
    main()
