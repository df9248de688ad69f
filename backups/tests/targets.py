"""Empty databases to restore into, each as a new site would have it (`migrate` in a
process of its own), with its own media folder; and a way to run commands there."""

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
# Tables that are not data: the migration history, the shared cache, and the version
# tokens (common.models.Version: a restore gives them new values).
NOT_DATA = {"django_migrations", "helpdesk_cache", "common_version"}


def data_table(name: str) -> bool:
    # sqlite_*: SQLite's own (sqlite_sequence, and sqlite_stat1 after an ANALYZE).
    return name not in NOT_DATA and not name.startswith("sqlite_")


def _pg(name: str) -> str:
    database = connection.settings_dict
    user = quote(database["USER"] or "")
    password = f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
    return f"postgres://{user}{password}@{database['HOST']}:{database['PORT'] or 5432}/{name}"


def _admin(sql: str) -> None:
    """CREATE/DROP DATABASE, as the test database's owner (outside a transaction)."""
    import psycopg2

    database = connection.settings_dict
    admin = psycopg2.connect(
        dbname=database["NAME"],
        user=database["USER"],
        password=database["PASSWORD"],
        host=database["HOST"],
        port=database["PORT"] or 5432,
    )
    try:
        admin.autocommit = True
        admin.cursor().execute(sql)
    finally:
        admin.close()


@dataclass
class Target:
    url: str
    media: Path
    name: str = ""
    environment: dict = field(default_factory=dict)

    def run(self, *args, binary=False, **environment) -> subprocess.CompletedProcess:
        """manage.py ARGS against this database and media folder, as the site's role."""
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "MEDIA_ROOT": str(self.media),
            "SECRET_KEY": settings.SECRET_KEY,
            "HELPDESK_LOG_KEY": settings.HELPDESK_LOG_KEY,
            "DEBUG": "1",
            **self.environment,
            **environment,
        }
        return subprocess.run(  # noqa: S603 - this project's manage.py
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=not binary,
            timeout=900,
        )

    def rows(self) -> dict[str, list]:
        """Every row of every data table, in a stable order."""
        if self.url.startswith("sqlite"):
            # The converters Django registered: values come back as Django's cursor gives them.
            with sqlite3.connect(
                self.url.removeprefix("sqlite:///"),
                detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES,
            ) as database:
                tables = [
                    name
                    for (name,) in database.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                    )
                ]
                found = {}
                for table in tables:
                    if data_table(table):
                        rows = database.execute(f'SELECT * FROM "{table}"')  # noqa: S608
                        found[table] = sorted(map(repr, rows))
                return found
        import psycopg2

        with psycopg2.connect(self.url) as database, database.cursor() as cursor:
            found = {}
            for table in _pg_tables(cursor):
                cursor.execute(f'SELECT t::text FROM "{table}" t')  # noqa: S608
                found[table] = sorted(repr(row) for row in cursor.fetchall())
        database.close()
        return found

    def files(self) -> dict[str, bytes]:
        return {
            str(path.relative_to(self.media)): path.read_bytes()
            for path in self.media.rglob("*")
            if path.is_file()
        }


def _pg_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return [name for (name,) in cursor.fetchall() if data_table(name)]


def source_rows() -> dict[str, list]:
    """Every row of every data table of the test database, as Target.rows reads them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            found = {}
            for table in _pg_tables(cursor):
                cursor.execute(f'SELECT t::text FROM "{table}" t')  # noqa: S608
                found[table] = sorted(repr(row) for row in cursor.fetchall())
            return found
        found = {}
        for table in connection.introspection.table_names(cursor):
            if data_table(table):
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
                found[table] = sorted(map(repr, cursor.fetchall()))
        return found


class Targets:
    """Makes empty targets: `migrate` runs once, each target is a copy of that."""

    def __init__(self, base: Path, *, sqlite: bool = False):
        """Targets on the test database's engine, or SQLite files with `sqlite`."""
        self.base, self.count, self.made = base, 0, []
        self.postgresql = connection.vendor == "postgresql" and not sqlite
        self.template = self._migrated()

    def _environment(self) -> dict:
        # The restore runs as the site's role, as production runs everything but migrate.
        role = settings.DATABASE_SITE_ROLE
        return {"PGOPTIONS": f"-c role={role}"} if self.postgresql and role else {}

    def _migrated(self) -> str:
        if self.postgresql:
            name = f"{connection.settings_dict['NAME']}_restore"
            _admin(f'DROP DATABASE IF EXISTS "{name}"')
            _admin(f'CREATE DATABASE "{name}"')
            self.made.append(name)
            target = Target(_pg(name), self.base / "unused")
        else:
            target = Target(f"sqlite:///{self.base / 'template.sqlite3'}", self.base / "unused")
        # As the owner, naming the site's role: `migrate` grants it its rights.
        done = target.run("migrate", "--no-input", DATABASE_SITE_ROLE=settings.DATABASE_SITE_ROLE)
        assert done.returncode == 0, done.stderr
        return name if self.postgresql else target.url.removeprefix("sqlite:///")

    def new(self) -> Target:
        self.count += 1
        media = self.base / f"media{self.count}"
        media.mkdir()
        if self.postgresql:
            name = f"{self.template}_{self.count}"
            _admin(f'DROP DATABASE IF EXISTS "{name}"')
            _admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
            self.made.append(name)
            return Target(_pg(name), media, name, self._environment())
        path = self.base / f"target{self.count}.sqlite3"
        shutil.copyfile(self.template, path)
        return Target(f"sqlite:///{path}", media, str(path))

    def drop(self) -> None:
        for name in reversed(self.made):
            _admin(f'DROP DATABASE IF EXISTS "{name}"')
