import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from backups import archive, dump


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the whole database and every attached file to one "
        "archive (.tar, or .tar.gz), with a manifest of checksums. Progress goes to stderr."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="FILE.tar.gz, FILE.tar, or - for standard output (a .tar); "
            "default: helpdesk-backup-DATE-TIME.tar.gz here",
        )

    def handle(self, *args, output, **options):
        output = output or timezone.localtime().strftime("helpdesk-backup-%Y%m%d-%H%M%S.tar.gz")
        if output == "-":
            manifest = self.write(sys.stdout.buffer, compress=False)
        else:
            manifest = self.write_file(Path(output))
        rows = sum(table["rows"] for table in manifest["tables"])
        self.stderr.write(
            f"Backed up {rows} row(s) of {len(manifest['tables'])} table(s) and "
            f"{len(manifest['files'])} file(s)" + ("" if output == "-" else f" to {output}.")
        )

    def write_file(self, path: Path) -> dict:
        if not path.name.endswith((".tar", ".tar.gz", ".tgz")):
            raise CommandError("Name the archive FILE.tar.gz or FILE.tar.")
        if path.exists():
            raise CommandError(f"{path} exists: a backup never overwrites a file.")
        # Written under another name, renamed when whole: a file by the final name is
        # always a finished backup. Only the site's user may read it (passwords' hashes,
        # two-factor secrets, every ticket).
        partial = path.with_name(path.name + ".partial")
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as error:
            raise CommandError(f"Cannot write {partial}: {error.strerror}.") from None
        try:
            with open(descriptor, "wb") as stream:
                manifest = self.write(stream, compress=archive.compressed(path.name))
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return manifest

    def write(self, stream, *, compress: bool) -> dict:
        try:
            return dump.backup(stream, compress=compress, progress=self.stderr.write)
        except dump.Refused as error:
            raise CommandError(str(error)) from None
