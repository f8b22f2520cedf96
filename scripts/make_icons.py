"""Draw the app icons as PNGs with the standard library only (zlib + struct).

    python scripts/make_icons.py    # writes static/icons/*.png

A white ring with a dot on the app's teal: calm, recognisable at 48 px. The maskable variant
keeps the drawing inside the central 80 % "safe zone" and fills the whole square with colour. The
badge (the small monochrome icon Android shows in the status bar for a reminder) is the same ring
and dot, white on transparent: the system uses only its shape.
"""
import struct
import zlib
from pathlib import Path

TEAL, WHITE, CLEAR = (47, 111, 115), (255, 255, 255), (0, 0, 0, 0)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"


def png(path, size, pixel):
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y, size)) for x in range(size)) for y in range(size))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    colour_type = 6 if len(pixel(0, 0, size)) == 4 else 2  # 8-bit RGBA or RGB
    header = struct.pack(">IIBBBBB", size, size, 8, colour_type, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9))
                     + chunk(b"IEND", b""))


def drawing(scale, ink=WHITE, paper=TEAL):
    """A pixel function: ring and dot scaled to ``scale`` of the square (1.0 = edge to edge)."""
    def pixel(x, y, size):
        cx = cy = (size - 1) / 2
        r = ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5 / (size / 2 * scale)
        return ink if 0.62 <= r <= 0.82 or r <= 0.22 else paper
    return pixel


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    png(OUT / "icon-192.png", 192, drawing(0.9))
    png(OUT / "icon-512.png", 512, drawing(0.9))
    png(OUT / "icon-maskable-512.png", 512, drawing(0.7))
    png(OUT / "apple-touch-icon.png", 180, drawing(0.8))
    png(OUT / "badge-96.png", 96, drawing(0.95, ink=WHITE + (255,), paper=CLEAR))


if __name__ == "__main__":
    main()
