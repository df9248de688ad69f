"""What a document is, judged by its content, never by its name or the browser's word;
and how much one request may upload."""

import codecs
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParserError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, UnidentifiedImageError

IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/tiff"}
ALLOWED_TYPES = IMAGE_TYPES | {
    "application/pdf",
    "application/zip",
    "application/rtf",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
TEXT_SUFFIXES = {"txt": "text/plain", "csv": "text/csv", "log": "text/plain"}
# The suffix a document is stored and downloaded with follows its detected type:
# filetype's own for the types it detects, the text suffix that made it accepted else.
SUFFIXES = {kind.mime: kind.extension for kind in filetype.TYPES if kind.mime in ALLOWED_TYPES}
TEXT_DEFAULT_SUFFIXES = {"text/plain": "txt", "text/csv": "csv"}
# What the site itself stores beside a change (services.Record): a mailed original.
RECORD_SUFFIXES = {"message/rfc822": "eml"}
# A ZIP archive is kept as it is, never unpacked here; one that would unpack to more
# than this, or this many times its size, is refused: whoever opens it later is spared.
ZIP_MAX_UNPACKED = 1024 * 1024 * 1024
ZIP_MAX_RATIO = 200
ZIP_MAX_MEMBERS = 10_000
# Pillow refuses images larger than this many pixels (decompression bombs).
Image.MAX_IMAGE_PIXELS = 50_000_000


@dataclass(frozen=True)
class Inspected:
    content_type: str
    is_image: bool


def inspect(upload) -> Inspected:
    """Check one uploaded file; raise ValidationError with a message for the user."""
    name = upload.name or ""
    if upload.size > settings.HELPDESK_MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("%(name)s is too large: the limit is %(limit)s a file.")
            % {"name": name, "limit": filesizeformat(settings.HELPDESK_MAX_UPLOAD_SIZE)}
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None and kind.mime in ALLOWED_TYPES:
        is_image = kind.mime in IMAGE_TYPES
        if is_image:
            _verify_image(upload, name)
        if kind.mime == "application/zip":
            _check_zip(upload, name)
        return Inspected(kind.mime, is_image)
    suffix = _typed_suffix(name)
    if kind is None and suffix in TEXT_SUFFIXES and _is_text(upload):
        return Inspected(TEXT_SUFFIXES[suffix], False)
    raise ValidationError(
        _(
            "%(name)s is not an accepted document. Accepted: PDF, images, office "
            "documents, plain text and ZIP archives."
        )
        % {"name": name}
    )


def suffix(content_type: str, name: str) -> str:
    """The suffix of a document of `content_type` sent as `name`: its type's, never one
    the sender chose (a PNG sent as pic.html is a .png)."""
    if content_type in SUFFIXES:
        return SUFFIXES[content_type]
    typed = _typed_suffix(name)
    if TEXT_SUFFIXES.get(typed) == content_type:
        return typed
    return TEXT_DEFAULT_SUFFIXES.get(content_type) or RECORD_SUFFIXES.get(content_type, "bin")


def download_name(name: str, content_type: str) -> str:
    """The name as sent, with the suffix of its type: pic.html that is a PNG is pic.png."""
    stem = PurePath(name).stem.strip(". ") or _("document")
    return f"{stem}.{suffix(content_type, name)}"


def _typed_suffix(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _verify_image(upload, name: str) -> None:
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("%(name)s is not a readable image.") % {"name": name}) from None
    finally:
        upload.seek(0)


def _check_zip(upload, name: str) -> None:
    """Refuse an archive that is unreadable or unpacks out of all proportion (a zip
    bomb), judged by its directory alone: nothing is unpacked."""
    refusal = ValidationError(
        _("%(name)s is a damaged archive, or one that unpacks far larger than it is.")
        % {"name": name}
    )
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise refusal from None
    finally:
        upload.seek(0)
    unpacked = sum(member.file_size for member in members)
    if (
        len(members) > ZIP_MAX_MEMBERS
        or unpacked > ZIP_MAX_UNPACKED
        or unpacked > ZIP_MAX_RATIO * max(upload.size, 1)
    ):
        raise refusal


def _is_text(upload) -> bool:
    """UTF-8 (or plain ASCII) text without control bytes."""
    upload.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in upload.chunks():
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        upload.seek(0)
    return True


def too_many_files() -> str:
    limit = settings.HELPDESK_MAX_FILES_PER_REQUEST
    return ngettext(
        "You can upload at most %(limit)d document at once.",
        "You can upload at most %(limit)d documents at once.",
        limit,
    ) % {"limit": limit}


class RequestTooLarge(MultiPartParserError):
    """The documents of one request together are over HELPDESK_MAX_REQUEST_SIZE.

    A MultiPartParserError, so that Django marks the body unreadable and answers 400
    wherever nothing catches it; the pages that take documents show their form again.
    """

    def __init__(self, limit: int):
        super().__init__(f"The request body is over HELPDESK_MAX_REQUEST_SIZE ({limit} bytes).")
        self.limit = limit

    @property
    def message(self) -> str:
        return _("The documents together are larger than the limit of %(limit)s.") % {
            "limit": filesizeformat(self.limit)
        }


class RequestSizeLimit(FileUploadHandler):
    """The first of FILE_UPLOAD_HANDLERS: refuses a request by its Content-Length before
    any of the body is read, and stops one whose documents turn out longer than it said.

    Without it, every file of a request was received in full before any was refused.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.HELPDESK_MAX_REQUEST_SIZE
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > self.limit:
            raise RequestTooLarge(self.limit)
        return None  # the parser goes on, passing each chunk through receive_data_chunk

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise RequestTooLarge(self.limit)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler keeps the file
