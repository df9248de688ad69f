from django.core.management.base import BaseCommand, CommandError

from backups import load


class Command(BaseCommand):
    help = (
        "Restore an archive that `backup` wrote into a new, migrated, empty database and "
        "an empty storage. Every checksum is verified first; on any failure nothing is "
        "restored and the reason is given (exit status 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the backup's file (.tar or .tar.gz)")

    def handle(self, *args, archive, **options):
        try:
            manifest = load.restore(archive, progress=self.stderr.write)
        except load.Refused as error:
            raise CommandError(f"Nothing was restored: {error}") from None
        rows = sum(table["rows"] for table in manifest["tables"])
        self.stdout.write(
            f"Restored {rows} row(s) of {len(manifest['tables'])} table(s) and "
            f"{len(manifest['files'])} file(s) from {archive}."
        )
        for table in manifest["tables"]:
            if table["rows"]:
                self.stdout.write(f"  {table['model']}: {table['rows']}")
