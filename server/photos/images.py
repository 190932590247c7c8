"""Only real images, within limits, and nothing of them but the pixels.

Pillow reads the header first: a size beyond MAX_PIXELS is refused before a single pixel is
decoded, so a small file that would inflate to gigabytes (a decompression bomb) costs nothing.
What is kept is re-encoded from the pixels alone, so no metadata block of the upload (EXIF with
its GPS position, XMP, IPTC, ICC profiles, comments) survives; the EXIF orientation is applied
to the pixels first, so the photo still stands the right way up.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from ..domain.errors import UnusableImage

# Bytes of an upload: a 12-megapixel phone photo is 3 to 8 MB as JPEG; the app sends far less
# (it shrinks each photo to 1600 px first).
MAX_BYTES = 15 * 1024 * 1024
# Pixels of an upload: 48-megapixel phone cameras, and nothing that inflates beyond ~200 MB.
MAX_PIXELS = 50_000_000
# What is stored: the app's own size, enough to see healing, small enough for a timeline.
LONGEST_SIDE = 1600
FORMATS = ("JPEG", "PNG", "WEBP")
QUALITY = 85


@dataclass(frozen=True)
class Stripped:
    data: bytes
    content_type: str
    width: int
    height: int


def stripped(upload: bytes) -> Stripped:
    """The upload as a JPEG of its pixels only, at most LONGEST_SIDE; UnusableImage if it is not
    a whole JPEG, PNG or WebP image within MAX_PIXELS."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(upload), formats=FORMATS)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _refused(
                    f"It has {width} by {height} pixels; at most {MAX_PIXELS:,} are kept."
                )
            image.draft("RGB", _fitted(width, height))  # JPEG: decode at a smaller scale
            image.load()
            image = ImageOps.exif_transpose(image)
    except UnidentifiedImageError:
        raise _refused("It is not a JPEG, PNG or WebP image.") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refused(f"It has too many pixels; at most {MAX_PIXELS:,} are kept.") from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _refused("The image is damaged or cut short; take or choose it again.") from None
    image = _flattened(image)
    image.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    # Pillow's save writes back what it read into `info` (a JPEG's comment, for one): empty it,
    # and pass no exif=, icc_profile= or comment=, so the pixels are all that is written.
    image.info = {}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=QUALITY)
    return Stripped(out.getvalue(), "image/jpeg", image.width, image.height)


def _fitted(width: int, height: int) -> tuple[int, int]:
    scale = min(1.0, LONGEST_SIDE / max(width, height, 1))
    return max(1, int(width * scale)), max(1, int(height * scale))


def _flattened(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG keeps neither transparency nor palettes."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, "white")
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def _refused(message: str) -> UnusableImage:
    return UnusableImage(f"This photo cannot be kept. {message}")
