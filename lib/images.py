"""The one check every uploaded photo passes (report photos, inspection photos): a JPEG or PNG by its
content, not its name, within one size limit and one pixel count, stored as a picture we drew.

The upload itself is never stored: a file that is a JPEG to Pillow may also hold HTML or a script
after its image data, and its name ("poly.html") is the uploader's. photo_file() decodes the
picture and encodes it again (JPEG or PNG, as it came, without its metadata: no GPS position, no
camera, no comments), under a random name with the extension of the type it really is. The pixel
count is read from the header and checked before anything is decoded, so a small PNG that would
decompress to 30000×30000 is refused with a message instead of filling the memory.
"""

from __future__ import annotations

import io
import secrets
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_MAX_BYTES = 8 * 1024 * 1024  # a phone's photo at full size
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png"}
UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError)


def max_pixels() -> int:
    return settings.KEYPROJ_PHOTO_MAX_PIXELS


def check_photo(upload: UploadedFile) -> str:
    """The picture's real format ("jpg" or "png"); ValidationError, naming the file, otherwise."""
    limit = PHOTO_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(mb)d MB.") % {"name": upload.name, "mb": limit // 1024 // 1024}
        )
    not_a_picture = ValidationError(_("%(name)s is not a JPEG or PNG picture.") % {"name": upload.name})
    try:
        upload.seek(0)
        with _opened(upload, upload.name) as image:
            kind = image.format
            image.verify()
    except UNREADABLE:
        raise not_a_picture
    finally:
        upload.seek(0)
    if kind not in PHOTO_FORMATS:
        raise not_a_picture
    return PHOTO_FORMATS[kind]


def photo_file(upload: UploadedFile) -> ContentFile:
    """The checked photo drawn again: a new JPEG or PNG without metadata, named at random
    ("3f…9a.jpg") whatever the uploader called it. ValidationError as check_photo."""
    ext = check_photo(upload)
    try:
        with _opened(upload, upload.name) as image:
            image = ImageOps.exif_transpose(image)  # keep it upright once the EXIF is gone
            output = io.BytesIO()
            if ext == "jpg":
                image.convert("RGB").save(output, "JPEG", quality=90, optimize=True)
            else:
                keep = "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
                image.convert(keep).save(output, "PNG", optimize=True)
    except UNREADABLE:
        raise ValidationError(_("%(name)s is not a JPEG or PNG picture.") % {"name": upload.name})
    finally:
        upload.seek(0)
    return ContentFile(output.getvalue(), name=f"{secrets.token_hex(16)}.{ext}")


class _opened:
    """Image.open (which reads the header only), refusing a picture of too many pixels before
    anything is decoded: ours is the first limit, Pillow's own bomb check the second."""

    def __init__(self, upload: UploadedFile, name: str) -> None:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                self.image = Image.open(upload)
            except (Image.DecompressionBombWarning, Image.DecompressionBombError):
                raise _too_many_pixels(name)
        width, height = self.image.size
        if width * height > max_pixels():
            self.image.__exit__(None, None, None)
            raise _too_many_pixels(name)

    def __enter__(self) -> Image.Image:
        return self.image

    def __exit__(self, *exc_info: object) -> None:
        self.image.__exit__(*exc_info)  # not close(): that closes the upload too


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s has more than %(mp)d million pixels.") % {"name": name, "mp": max_pixels() // 1_000_000}
    )
