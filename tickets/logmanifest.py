"""The manifest `verify_log --manifest` keeps outside the database: each ticket's log
length and newest hash at the last clean check, signed with the log's key.

A database superuser can roll a log back to a state it once had; the next check
compares with the manifest and names the ticket. Keep the file where the database's
users cannot write (another machine, write-once storage).
"""

import hmac
import os
from collections.abc import Iterator
from pathlib import Path

from . import logchain

FIRST_LINE = "helpdesk-log-manifest 1\n"


class ManifestError(Exception):
    pass


def _signer():
    return hmac.new(logchain._key(), digestmod="sha256")


def read(path: Path) -> Iterator[logchain.Chain]:
    """The chains the manifest holds; its signature is checked before this returns."""
    signer = _signer()
    signature = None
    with path.open() as lines:
        for line in lines:
            if line.startswith("end "):
                signature = line[4:].strip()
                break
            signer.update(line.encode())
    if signature is None or not hmac.compare_digest(signature, signer.hexdigest()):
        raise ManifestError(f"{path} is not a manifest this site signed, or it was changed.")
    return _chains(path)


def _chains(path: Path) -> Iterator[logchain.Chain]:
    with path.open() as lines:
        if next(lines, "") != FIRST_LINE:
            raise ManifestError(f"{path} is not a log manifest.")
        for line in lines:
            if line.startswith("end "):
                return
            ticket_id, length, head = line.split()
            yield logchain.Chain(int(ticket_id), int(length), head)


class Writer:
    """Writes a new manifest beside `path`; `commit()` puts it in place."""

    def __init__(self, path: Path):
        self.path = path
        self.temporary = path.with_name(path.name + ".new")
        self.file = self.temporary.open("w")
        self.signer = _signer()
        self._write(FIRST_LINE)

    def _write(self, line: str) -> None:
        self.file.write(line)
        self.signer.update(line.encode())

    def __call__(self, chain: logchain.Chain) -> None:
        self._write(f"{chain.ticket_id} {chain.length} {chain.head}\n")

    def commit(self) -> None:
        self.file.write(f"end {self.signer.hexdigest()}\n")
        self.file.close()
        os.replace(self.temporary, self.path)

    def discard(self) -> None:
        self.file.close()
        self.temporary.unlink(missing_ok=True)
