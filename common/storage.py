"""Where documents are kept, whichever store the settings chose (a folder or a bucket).

Callers use Django's storage API only; what differs between the stores lives here:
what a store's failure looks like, undoing the files a change wrote when the change
fails, whether the store signs short-lived links, and copies read back and checked.
"""

import hashlib
import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.files import File
from django.db import transaction

logger = logging.getLogger(__name__)

try:  # django-storages' S3 backend talks through boto3 and botocore
    from boto3.exceptions import Boto3Error
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # pragma: no cover - both are in requirements.txt
    Boto3Error = BotoCoreError = ClientError = OSError

# A store that is down or refuses: a folder on a full or read-only disk (OSError, with
# ENOSPC, EACCES, ...), an object store that does not answer (BotoCoreError), or one
# that answers no (ClientError: wrong keys, no such bucket, access denied; boto3's
# transfers may wrap it in a Boto3Error). A missing file is FileNotFoundError, an
# OSError too: catch it first where it means "not found".
STORE_ERRORS = (OSError, BotoCoreError, ClientError, Boto3Error)

CHUNK = 1024 * 1024


class StoreUnavailable(Exception):  # noqa: N818 - a state of the store, not a bug
    """The document store could not keep or give back a file just now."""


# The files written by the change running in this context, to remove if it fails.
_written: ContextVar[list | None] = ContextVar("written_files", default=None)


def save(storage, name: str, content, *, max_length=None) -> str:
    """Store `content` as `name` (or the free name the store picks); the name it got.

    Inside `kept_only_on_success`, the file is removed again if the change fails,
    and so is whatever a failing write left at `name` (a disk that filled up midway
    keeps the part it wrote). Raises StoreUnavailable when the store fails.
    """
    written = _written.get()
    try:
        stored = storage.save(name, content, max_length=max_length)
    except STORE_ERRORS as error:
        logger.exception("The document store refused to keep %s.", name)
        if isinstance(error, OSError):
            # A folder keeps what was written before the disk filled up; an object store
            # keeps nothing of a failed upload. `name` is a fresh random name (the
            # caller's upload_to), so nothing else is there.
            _remove(storage, name)
        raise StoreUnavailable(str(error)) from error
    if written is not None:
        written.append((storage, stored))
    return stored


@contextmanager
def kept_only_on_success():
    """Files saved through `save` inside the block are removed when it raises.

    Wrap it around the database transaction, so that a change either commits its rows
    with their files or leaves neither. (A transaction opened further out and rolled
    back later is its opener's to clean up.)
    """
    outer, written = _written.get(), []
    token = _written.set(written)
    try:
        yield
    except BaseException:
        for storage, name in written:
            _remove(storage, name)
        raise
    else:
        if outer is not None:  # a change inside another: kept only if that one succeeds
            outer.extend(written)
    finally:
        _written.reset(token)


def _remove(storage, name: str) -> None:
    try:
        storage.delete(name)
    except STORE_ERRORS:
        # The store that refused the write may refuse this too: say which file is left.
        logger.exception("Could not remove %s from the document store; remove it by hand.", name)


def delete_after_commit(storage, name: str) -> None:
    """Remove a file once the transaction that stopped pointing to it has committed.

    If the store refuses then, the change stays committed and the log names the file.
    """
    transaction.on_commit(lambda: _remove(storage, name))


def probe(storage) -> None:
    """Ask the store about a name nobody uses: raises one of STORE_ERRORS when it is down
    or refuses (a folder that exists and an object store that answers are fine)."""
    storage.exists("probe/nothing-here")


def signs_links(storage) -> bool:
    """Whether the store hands out links that work only when signed, for a while.

    django-storages' S3 backend with query-string authentication does; a folder on
    disk does not (its files are never served directly).
    """
    return bool(getattr(storage, "querystring_auth", False)) and hasattr(storage, "bucket_name")


def signed_link(storage, name: str, *, seconds: int, disposition: str, content_type: str) -> str:
    """A link to the file valid for `seconds`, whose response carries these headers.

    The store is asked to send the same Content-Disposition and Content-Type as a
    download through the site, and to let nothing keep a copy.
    """
    return storage.url(
        name,
        parameters={
            "ResponseContentDisposition": disposition,
            "ResponseContentType": content_type,
            "ResponseCacheControl": "private, no-store",
        },
        expire=seconds,
    )


def digest(handle) -> tuple[int, str]:
    """The size and SHA-256 of an open file, read to its end."""
    sha, size = hashlib.sha256(), 0
    while block := handle.read(CHUNK):
        sha.update(block)
        size += len(block)
    return size, sha.hexdigest()


class CopyFailed(Exception):
    """A file could not be copied into the store, or did not read back the same."""


def copy_verified(path, storage, name: str, *, dry_run: bool = False) -> str:
    """Copy the local file at `path` into `storage` as `name`, and read it back.

    Returns "present" when the store already holds the same bytes (same size and
    SHA-256, read back from the store) or holds `name` while `path` is gone, "copied"
    once the copy read back matches; with `dry_run`, "would copy" or "would replace"
    and nothing is written. A different object under `name` is replaced. Raises
    CopyFailed, or one of STORE_ERRORS; never touches `path`.
    """
    if not path.is_file():
        if storage.exists(name):
            return "present"
        raise CopyFailed("missing here and in the store")
    with path.open("rb") as local:
        wanted = digest(local)
    present = storage.exists(name)
    if present:
        with storage.open(name, "rb") as stored:
            if digest(stored) == wanted:
                return "present"
    if dry_run:
        return "would replace" if present else "would copy"
    if present:
        storage.delete(name)  # an earlier copy cut short, or other bytes
    with path.open("rb") as local:
        saved = storage.save(name, File(local, name=name))
    if saved != name:
        _remove(storage, saved)
        raise CopyFailed(f"the store kept it under another name ({saved})")
    with storage.open(name, "rb") as stored:
        found = digest(stored)
    if found != wanted:
        _remove(storage, name)
        raise CopyFailed(
            f"read back {found[0]} bytes, SHA-256 {found[1]}; expected {wanted[0]}, {wanted[1]}"
        )
    return "copied"
