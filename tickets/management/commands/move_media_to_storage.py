from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError

from common import storage
from tickets.models import Attachment

LABELS = {
    "copied": "copied and verified",
    "present": "already in the store",
    "would copy": "to copy",
    "would replace": "to replace (other bytes in the store)",
}
# Past this many store failures in a row the store is down or refusing: stop and say so.
GIVE_UP_AFTER = 10


class Command(BaseCommand):
    help = (
        "Copy every document's file from a local media folder into the configured "
        "storage (the bucket of AWS_STORAGE_BUCKET_NAME), checking each copy by reading "
        "it back (size and SHA-256). Run it again to resume: what the store already holds "
        "unchanged is skipped. Local files are never deleted: delete them yourself once "
        "the site serves the documents from the store."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="source",
            type=Path,
            help="the media folder to copy from (default: MEDIA_ROOT)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be copied; write nothing"
        )

    def handle(self, *args, source, dry_run, verbosity, **options):
        source = (source or Path(settings.MEDIA_ROOT)).resolve()
        target = default_storage
        if not source.is_dir():
            raise CommandError(f"{source} is not a folder.")
        if isinstance(target, FileSystemStorage) and Path(target.location).resolve() == source:
            raise CommandError(
                f"The configured storage is {source} itself: set AWS_STORAGE_BUCKET_NAME "
                "(see docs/deploy.md) to move the files into a bucket."
            )
        names = (
            Attachment.objects.filter(redacted=False)
            .exclude(file="")
            .order_by("pk")
            .values_list("file", flat=True)
        )
        total = names.count()
        counts = dict.fromkeys(LABELS, 0)
        failures, refused_in_a_row = [], 0
        for done, name in enumerate(names.iterator(chunk_size=1000), start=1):
            try:
                outcome = storage.copy_verified(source / name, target, name, dry_run=dry_run)
            except storage.CopyFailed as error:
                failures.append((name, str(error)))
                outcome = "failed"
            except storage.STORE_ERRORS as error:
                failures.append((name, f"the store failed: {error}"))
                outcome, refused_in_a_row = "failed", refused_in_a_row + 1
            else:
                counts[outcome] += 1
                refused_in_a_row = 0
            if verbosity >= 2:
                self.stdout.write(f"[{done}/{total}] {name}: {LABELS.get(outcome, outcome)}")
            elif verbosity >= 1 and (done % 100 == 0 or done == total):
                self.stdout.write(f"[{done}/{total}] {self._summary(counts, failures)}")
            if refused_in_a_row >= GIVE_UP_AFTER:
                self.stderr.write(
                    f"Stopped after {done} of {total}: the store failed {GIVE_UP_AFTER} times "
                    "in a row. Check it and run the command again to resume."
                )
                break
        for name, reason in failures:
            self.stderr.write(f"failed: {name}: {reason}")
        self.stdout.write(
            ("Dry run, nothing written: " if dry_run else "")
            + self._summary(counts, failures)
            + f" The files in {source} were left in place."
        )
        if failures or refused_in_a_row >= GIVE_UP_AFTER:
            raise CommandError(f"{len(failures)} of {total} file(s) could not be moved.")

    @staticmethod
    def _summary(counts, failures) -> str:
        parts = [f"{count} {LABELS[outcome]}" for outcome, count in counts.items() if count]
        parts.append(f"{len(failures)} failed")
        return ", ".join(parts) + "."
