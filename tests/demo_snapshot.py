"""The demo data as rows, taken once per test process and put back instead of loading it again.

`load_demo` runs every app's loader through the services (minutes on a loaded machine); the
modules that read the demo (the root conftest's `demo_data`) each need it inside their own
transaction, which is rolled back afterwards. The first such module loads it for real and
`take()` copies every table's rows as they then stand (the demo and what was there before:
content types, permissions); each later module gets the same rows back with `put_back()`:
every table emptied and refilled, inside the module's transaction, so the rollback still
leaves the database as it was. PostgreSQL copies with COPY (its own text format, exact for
every type); SQLite reads the stored values without conversion (`+column`) and writes them
back as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection


@dataclass
class Snapshot:
    tables: list[str]
    rows: dict[str, object] = field(default_factory=dict)  # table -> COPY text (PostgreSQL) or (columns, rows)


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def take() -> Snapshot:
    snap = Snapshot(tables=_tables())
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in snap.tables:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {qn(table)} TO STDOUT") as copy:
                    snap.rows[table] = b"".join(bytes(chunk) for chunk in copy)
            else:
                cursor.execute(f"SELECT * FROM {qn(table)} LIMIT 0")
                columns = [c[0] for c in cursor.description]
                raw = connection.connection.execute(  # `+col`: no declared type, so no converter runs
                    f"SELECT {', '.join('+' + qn(c) for c in columns)} FROM {qn(table)}"
                )
                snap.rows[table] = (columns, raw.fetchall())
    return snap


def put_back(snap: Snapshot) -> None:
    """Every table as it was when `snap` was taken. Call inside a transaction (the foreign keys
    are deferred to its end, so the tables refill in any order)."""
    assert not connection.get_autocommit(), "put_back() runs inside a transaction"
    tables = _tables()
    assert tables == snap.tables, "the tables changed since the snapshot"
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), tables):
            cursor.execute(sql)
        for table in tables:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {qn(table)} FROM STDIN") as copy:
                    copy.write(snap.rows[table])
            else:
                columns, rows = snap.rows[table]
                if rows:
                    connection.connection.executemany(
                        f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) "
                        f"VALUES ({', '.join('?' for _ in columns)})",
                        rows,
                    )
        if connection.vendor == "postgresql":
            # The sequences carry on after the rows put back (setval is outside the transaction,
            # as every nextval is).
            models = [
                m
                for m in apps.get_models(include_auto_created=True)
                if m._meta.managed and not m._meta.proxy and m._meta.db_table in tables
            ]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    ContentType.objects.clear_cache()
