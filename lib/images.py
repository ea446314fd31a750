"""Uploaded pictures: accepted by what they contain, never by their name; stored without metadata.

Only JPEG, PNG and WebP are read, by Pillow's own detection with ``formats`` restricted, so a
PostScript/EPS file renamed ``.jpg`` is refused and Ghostscript never runs (the EPS plugin is also
switched off for the whole process, see :func:`disable_unsafe_plugins`). A kept picture is decoded
and written again: turned upright by its EXIF orientation, without EXIF (GPS position, camera,
time), XMP or comments; only the colour profile and transparency stay. HEIC is not accepted:
Pillow cannot read it without an extra library, and phones send JPEG when a page asks for images.
"""

from __future__ import annotations

import io
import warnings
from typing import IO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
ACCEPT = ",".join(CONTENT_TYPES.values())  # for <input type="file" accept="...">
# A 48-megapixel phone photo fits; a small file that would decode to gigabytes does not.
MAX_PIXELS = 60_000_000
# Formats that run an outside program (Ghostscript) or never belong in a photo upload.
UNSAFE_FORMATS = ("EPS",)


class ImageRefused(ValueError):
    """The file is not a JPEG, PNG or WebP picture that can be read; ``message`` says why, in the
    user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CleanImage(SimpleUploadedFile):
    """A picture already decoded and written again without metadata (see :func:`clean_image`)."""


def disable_unsafe_plugins() -> None:
    """Make Pillow unable to open EPS/PostScript anywhere in the process (Django's ImageField and the
    admin included), and unable to start Ghostscript even if asked directly."""
    from PIL import EpsImagePlugin

    Image.init()  # import every plugin now, so that none registers itself again later
    EpsImagePlugin.gs_binary = False
    EpsImagePlugin.gs_windows_binary = False
    for name in UNSAFE_FORMATS:
        Image.OPEN.pop(name, None)
        Image.SAVE.pop(name, None)
        Image.MIME.pop(name, None)
        if name in Image.ID:
            Image.ID.remove(name)
        for extension in [ext for ext, fmt in Image.EXTENSION.items() if fmt == name]:
            del Image.EXTENSION[extension]


def open_image(handle: IO[bytes]) -> Image.Image:
    """Open a JPEG, PNG or WebP picture; anything else raises ``PIL.UnidentifiedImageError``."""
    return Image.open(handle, formats=ALLOWED_FORMATS)


def _refused(name: str) -> ImageRefused:
    return ImageRefused(
        _("%(name)s cannot be used as a photo: choose a JPEG, PNG or WebP picture (the file is of another "
          "kind or is damaged).") % {"name": name}
    )


def clean_image(upload) -> CleanImage:
    """Read ``upload`` as a JPEG, PNG or WebP picture by its content and write it again, upright and
    without metadata, in the same format. Raises :class:`ImageRefused` for anything else."""
    if isinstance(upload, CleanImage):
        return upload
    name = getattr(upload, "name", "") or "photo"
    too_large = ImageRefused(_("%(name)s has too many pixels: a photo can have at most %(pixels)s.")
                             % {"name": name, "pixels": f"{MAX_PIXELS:,}"})
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                with open_image(upload) as probe:
                    width, height = probe.size
                    probe.verify()
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
                raise too_large from error
        if width * height > MAX_PIXELS:
            raise too_large
        upload.seek(0)
        with open_image(upload) as original:
            # A phone's multi-picture JPEG (MPO: a stereo pair, a motion photo) keeps its first picture.
            image_format = "JPEG" if original.format == "MPO" else original.format
            if image_format not in ALLOWED_FORMATS:
                raise _refused(name)
            icc_profile = original.info.get("icc_profile")
            transparency = original.info.get("transparency")
            original.load()
            upright = ImageOps.exif_transpose(original)
            data = _encode(upright, image_format, icc_profile=icc_profile, transparency=transparency)
    except ImageRefused:
        raise
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as error:
        raise _refused(name) from error
    finally:
        upload.seek(0)
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "photo"
    return CleanImage(f"{stem}.{EXTENSIONS[image_format]}", data, content_type=CONTENT_TYPES[image_format])


def _encode(image: Image.Image, image_format: str, *, icc_profile=None, transparency=None) -> bytes:
    image = image.copy()
    image.info = {}  # Pillow would otherwise write the comment (and more) of the original again
    options: dict = {}
    if icc_profile:
        options["icc_profile"] = icc_profile
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        options |= {"quality": 92}
    elif image_format == "PNG":
        if transparency is not None and image.mode in ("P", "L", "RGB"):
            options["transparency"] = transparency
    elif image_format == "WEBP":
        options |= {"quality": 90}
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def thumbnail_jpeg(handle: IO[bytes], size: tuple[int, int]) -> bytes:
    """A small upright JPEG (white behind transparency), without any metadata."""
    with open_image(handle) as original:
        image = ImageOps.exif_transpose(original)
        image.thumbnail(size)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, (255, 255, 255))
            background.paste(image, mask=image.getchannel("A"))
            image = background
        image.info = {}
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()
