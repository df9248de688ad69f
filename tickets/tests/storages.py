"""Stores that fill up: a folder on a disk with little room left, a bucket over quota.

Set as STORAGES["default"] with `OPTIONS: {"room": ...}` to see what a full store does
to a change that brings documents.
"""

import errno
import os

from botocore.exceptions import ClientError
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage


class DiskFillsUp(FileSystemStorage):
    """A folder with `room` bytes free: a write past them fails with ENOSPC, and the
    part written stays on the disk, as on a full disk."""

    def __init__(self, room: int, **kwargs):
        super().__init__(**kwargs)
        self.room = room

    def _save(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            for chunk in content.chunks():
                fits = chunk[: self.room]
                out.write(fits)
                self.room -= len(fits)
                if len(fits) < len(chunk):
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)
        return name


class BucketFillsUp(S3Storage):
    """A bucket that takes `room` more objects, then answers as MinIO or Ceph over quota."""

    def __init__(self, room: int, **kwargs):
        super().__init__(**kwargs)
        self.room = room

    def _save(self, name, content):
        if self.room == 0:
            error = {"Error": {"Code": "QuotaExceeded", "Message": "Bucket quota exceeded"}}
            raise ClientError(error, "PutObject")
        self.room -= 1
        return super()._save(name, content)
