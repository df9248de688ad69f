"""The document store's plumbing: files of a failed change removed, failures named."""

import errno

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from common import storage


class FullDisk(FileSystemStorage):
    """Writes a few bytes of each file, then fails as a full disk does."""

    def _save(self, name, content):
        with open(self.path(name), "wb") as out:
            out.write(content.read(3))
        raise OSError(errno.ENOSPC, "No space left on device")


def files(folder) -> list[str]:
    return sorted(path.name for path in folder.rglob("*") if path.is_file())


def test_files_saved_in_a_change_that_fails_are_removed(tmp_path):
    folder = FileSystemStorage(location=tmp_path)

    with pytest.raises(RuntimeError), storage.kept_only_on_success():
        storage.save(folder, "a.txt", ContentFile(b"a"))
        storage.save(folder, "b.txt", ContentFile(b"b"))
        raise RuntimeError("the transaction failed")

    assert files(tmp_path) == []


def test_files_of_a_change_that_succeeds_stay(tmp_path):
    folder = FileSystemStorage(location=tmp_path)

    with storage.kept_only_on_success():
        storage.save(folder, "a.txt", ContentFile(b"a"))

    assert files(tmp_path) == ["a.txt"]


def test_a_change_inside_another_keeps_its_files_only_if_the_outer_one_succeeds(tmp_path):
    folder = FileSystemStorage(location=tmp_path)

    with pytest.raises(RuntimeError), storage.kept_only_on_success():
        with storage.kept_only_on_success():
            storage.save(folder, "inner.txt", ContentFile(b"i"))
        raise RuntimeError("the outer change failed")

    assert files(tmp_path) == []


def test_a_full_disk_is_store_unavailable_and_leaves_no_part_behind(tmp_path):
    with pytest.raises(storage.StoreUnavailable, match="No space left"):
        storage.save(FullDisk(location=tmp_path), "a.txt", ContentFile(b"abcdef"))

    assert files(tmp_path) == []


def test_a_folder_signs_no_links(tmp_path):
    assert not storage.signs_links(FileSystemStorage(location=tmp_path))
