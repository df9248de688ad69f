"""The archive: one tar (gzip-compressed when named .tar.gz), written and read as a
stream. Members in load order: the rows (`data/`), the files (`files/`), then
`manifest.json` with the SHA-256 and size of every other member, and last
`manifest.json.sha256`, so that one changed byte anywhere is found and named.
"""

import contextlib
import gzip
import hashlib
import io
import json
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import BinaryIO

FORMAT = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.json.sha256"
DATA, FILES = "data/", "files/"
BLOCK = 1 << 20
# A member in the making stays in memory up to this size, then goes to a temporary file.
SPOOL = 16 << 20


class Damaged(Exception):
    """The archive cannot be trusted; the message names the member."""


def compressed(name: str) -> bool:
    return name.endswith((".tar.gz", ".tgz"))


def file_member(storage_name: str) -> str:
    return FILES + storage_name


def storage_name(member: str) -> str:
    return member.removeprefix(FILES)


class _Hashing(io.RawIOBase):
    """Reads through to `inner`, counting and hashing what passes."""

    def __init__(self, inner):
        self.inner, self.digest, self.size = inner, hashlib.sha256(), 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.inner.read(len(buffer))
        self.digest.update(data)
        self.size += len(data)
        buffer[: len(data)] = data
        return len(data)

    def drain(self) -> tuple[str, int]:
        while self.read(BLOCK):
            pass
        return self.digest.hexdigest(), self.size


class Spool:
    """A member written in pieces (text), kept until its size is known."""

    def __init__(self):
        # Closed by Writer.add_spool once it is in the archive.
        self.file = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115

    def write(self, text: str) -> None:
        self.file.write(text.encode())

    def size(self) -> int:
        return self.file.tell()


class Writer:
    def __init__(self, stream, *, compress: bool):
        mode = "w|gz" if compress else "w|"
        self.tar = tarfile.open(fileobj=stream, mode=mode)  # noqa: SIM115 - closed by close()
        self.members: dict[str, dict] = {}

    def add(self, name: str, fileobj, size: int) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, int(time.time()), 0o600
        hashing = _Hashing(fileobj)
        self.tar.addfile(info, hashing)
        self.members[name] = {"sha256": hashing.digest.hexdigest(), "size": size}

    def add_spool(self, name: str, spool: Spool) -> None:
        size = spool.size()
        spool.file.seek(0)
        self.add(name, spool.file, size)
        spool.file.close()

    def close(self, manifest: dict) -> None:
        manifest = {**manifest, "format": FORMAT, "members": self.members}
        body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        self._add_bytes(MANIFEST, body)
        self._add_bytes(MANIFEST_SUM, f"{hashlib.sha256(body).hexdigest()}  {MANIFEST}\n".encode())
        self.tar.close()

    def _add_bytes(self, name: str, body: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = len(body), int(time.time()), 0o600
        self.tar.addfile(info, io.BytesIO(body))


def _safe(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == str(path)


# What reading a damaged or cut archive raises.
CONTENT_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile)
GZIP_MAGIC = b"\x1f\x8b"


@contextlib.contextmanager
def _tar_stream(path) -> Iterator[BinaryIO]:
    """The archive's tar, decompressed by Python's gzip when compressed: it checks the
    gzip trailer's CRC and length at the end, which tarfile's own decompression does not.
    """
    with open(path, "rb") as raw:
        if raw.read(2) != GZIP_MAGIC:
            raw.seek(0)
            yield raw
            return
        raw.seek(0)
        with gzip.GzipFile(fileobj=raw) as stream:
            yield stream


def _members(path) -> Iterator[tuple[tarfile.TarInfo, object]]:
    """Each member with its content, in order; then the archive is read to its end."""
    with _tar_stream(path) as stream, tarfile.open(fileobj=stream, mode="r|") as tar:
        for info in tar:
            if not info.isfile() or not _safe(info.name):
                raise Damaged(f"{info.name!r} is not a file this program writes.")
            yield info, tar.extractfile(info)
        # Past the last member: the gzip trailer is checked there, and its CRC covers what
        # no member's checksum does (the tar's headers, padding and end blocks).
        while stream.read(BLOCK):
            pass


def damaged(error, member: str | None) -> Damaged:
    """The archive could not be read on: name the member it broke in (or after)."""
    where = f"in or after {member}" if member else "at its start"
    return Damaged(f"The archive is damaged {where}: {error}")


def verify(path) -> dict:
    """Read the whole archive once and return its manifest if every member is whole,
    else raise Damaged naming the first member that is not."""
    found, body, check, member = {}, None, None, None
    try:
        for info, content in _members(path):
            member = info.name
            if info.name == MANIFEST:
                body = content.read()
            elif info.name == MANIFEST_SUM:
                check = content.read().decode(errors="replace").split(" ")[0]
            else:
                digest, size = _Hashing(content).drain()
                found[info.name] = {"sha256": digest, "size": size}
    except (*CONTENT_ERRORS, OSError) as error:
        raise damaged(error, member) from None
    if body is None or check is None:
        after = f"after {member}" if member else "before its first member"
        raise Damaged(
            f"The archive ends {after} without its {MANIFEST}: it is damaged or cut short "
            "there (or it is not a backup)."
        )
    if hashlib.sha256(body).hexdigest() != check:
        raise Damaged(f"{MANIFEST} was changed: its checksum does not match.")
    try:
        manifest = json.loads(body)
    except ValueError:
        raise Damaged(f"{MANIFEST} cannot be read.") from None
    if manifest.get("format") != FORMAT:
        raise Damaged(f"The archive is of format {manifest.get('format')!r}, not {FORMAT}.")
    expected = manifest["members"]
    for name, entry in expected.items():
        if name not in found:
            raise Damaged(f"{name} is missing from the archive.")
        if found[name] != entry:
            raise Damaged(f"{name} is damaged: its checksum or size does not match the manifest.")
    for name in found.keys() - expected.keys():
        raise Damaged(f"{name} is not in the manifest.")
    return manifest


def read(path, manifest: dict) -> Iterator[tuple[str, io.BufferedReader]]:
    """The data and file members in order, each checked again as it is read (the file
    could change after `verify`): the caller reads each one to its end, and names the
    member when reading raises one of CONTENT_ERRORS (`damaged`)."""
    for info, content in _members(path):
        if info.name in (MANIFEST, MANIFEST_SUM):
            continue
        hashing = _Hashing(content)
        yield info.name, io.BufferedReader(hashing, BLOCK)
        if {"sha256": hashing.drain()[0], "size": hashing.size} != manifest["members"].get(
            info.name
        ):
            raise Damaged(f"{info.name} changed since the archive was checked.")
