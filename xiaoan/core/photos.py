"""Photos are checked by their content, size-limited and re-encoded to a clean JPEG
(which also drops EXIF data such as GPS positions)."""

from __future__ import annotations

import io
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from xiaoan.core.errors import Invalid

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}
MAX_SIDE = 2048


def clean_photo(upload) -> tuple[ContentFile, int, int]:
    """Return a re-encoded JPEG with its size, or raise Invalid with a Chinese message."""
    limit = settings.XIAOAN_PHOTO_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise Invalid(
            _("照片不能超过 %(mb)d MB。") % {"mb": limit // (1024 * 1024)},
            fields={"photos": [_("照片太大。")]},
        )
    data = upload.read()
    if len(data) > limit:
        raise Invalid(
            _("照片不能超过 %(mb)d MB。") % {"mb": limit // (1024 * 1024)},
            fields={"photos": [_("照片太大。")]},
        )
    try:
        # PIL's own bomb guard warns (and only past 2× its limit refuses); as an error here.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                _refuse_too_many_pixels(probe.size)  # read from the header: nothing decoded yet
                probe.verify()
            if kind not in ACCEPTED_FORMATS:
                raise UnidentifiedImageError(kind)
            image = Image.open(io.BytesIO(data))
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise Invalid(
            _("文件不是可识别的照片（支持 JPG、PNG、WebP）。"),
            fields={"photos": [_("不是照片。")]},
        ) from None
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name="photo.jpg"), image.width, image.height


def _too_many_pixels() -> Invalid:
    limit = settings.XIAOAN_PHOTO_MAX_MEGAPIXELS
    return Invalid(
        _("照片像素过多（不能超过 %(mp)d 百万像素），请缩小后再上传。") % {"mp": limit},
        fields={"photos": [_("照片像素过多。")]},
    )


def _refuse_too_many_pixels(size: tuple[int, int]) -> None:
    """Decoding allocates width × height × channels bytes: a small file may declare an
    image of gigabytes. Refuse it on the header's word, before anything is decoded."""
    width, height = size
    if width * height > settings.XIAOAN_PHOTO_MAX_MEGAPIXELS * 1_000_000:
        raise _too_many_pixels()
