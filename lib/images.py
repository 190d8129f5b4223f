"""The one check every uploaded photo passes (report photos, inspection photos): a JPEG or PNG by its
content, not its name, within one size limit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PHOTO_MAX_BYTES = 8 * 1024 * 1024  # a phone's photo at full size
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png"}


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
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_a_picture
    finally:
        upload.seek(0)
    if kind not in PHOTO_FORMATS:
        raise not_a_picture
    return PHOTO_FORMATS[kind]
