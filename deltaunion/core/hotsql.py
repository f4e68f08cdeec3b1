"""The statements of the hot paths (an answer, a like), prepared once per database connection.

Django's PostgreSQL backend binds parameters on the client and prepares nothing (so connection
poolers in transaction mode keep working): for every answer psycopg quoted about twenty values
into the text of a three-table statement that PostgreSQL then parsed and planned again. Here, on
PostgreSQL with psycopg 3, such a statement goes through a cursor with server-side binding and is
prepared the first time a connection runs it; later runs send only the values. The SQL is the
same and it still goes through Django's cursor wrapper (its error translation, and query capture
in tests), and its rows are read with the connection's loaders, as Django's own cursor reads a
raw query's (the time zone set the same way). Django opens its psycopg connections with
`prepare_threshold=None`, which makes psycopg ignore `prepare=True`; so the first hot statement
on a connection sets a threshold no query reaches, and only these statements are prepared
(Django's own cursors bind on the client and never prepare). PgBouncer in transaction mode keeps protocol-level
prepared statements from version 1.21 (`max_prepared_statements`); behind an older pooler set
`DATABASE_PREPARE_HOT_STATEMENTS = False`. A prepared statement lives as long as its connection:
a migration that changes its tables' columns needs the web processes restarted, as deploys do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

try:
    import psycopg

    class _PreparedCursor(psycopg.Cursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):  # type: ignore[override]
            return super().execute(query, params, prepare=True, binary=binary)

        def _send_query_prepared(self, name, pgq, *, binary=None):  # type: ignore[override]
            # psycopg (3.3) keeps the statement it sent in `_query` only when it is not prepared;
            # Django's query log (tests' query capture, DEBUG) reads it from there.
            self._query = pgq
            return super()._send_query_prepared(name, pgq, binary=binary)

except ImportError:  # pragma: no cover — psycopg2 or no PostgreSQL driver
    psycopg = None


def _prepared(db: Any) -> bool:
    return (
        psycopg is not None
        and db.vendor == "postgresql"
        and getattr(settings, "DATABASE_PREPARE_HOT_STATEMENTS", True)
        and isinstance(db.connection, psycopg.Connection)
    )


# Above psycopg's count of a query's runs, so no query is prepared by count; `prepare=True` still
# prepares (psycopg reads it only when the threshold is not None).
_ONLY_WHEN_ASKED = 2**62


def _same_time_zone(db: Any, raw: Any) -> None:
    """What Django's create_cursor does for its own cursors: the cursor reads timestamps in the
    connection's time zone only if the connection's loader disagrees."""
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    if db.timezone != db.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT).timezone:
        register_tzloader(db.timezone, raw)


def fetchone(sql: str, params: Sequence[Any]) -> tuple | None:
    """The first row of `sql` (with %s placeholders) run with `params`, or None."""
    # The default connection is looked up once: each `django.db.connection.x` goes through a
    # thread-local lookup, and a hot request made about twenty of them here.
    db = connections[DEFAULT_DB_ALIAS]
    db.close_if_health_check_failed()
    db.ensure_connection()
    if not _prepared(db):
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    with db.wrap_database_errors:
        raw_connection = db.connection
        if raw_connection.prepare_threshold is None:
            raw_connection.prepare_threshold = _ONLY_WHEN_ASKED
        raw = _PreparedCursor(raw_connection)
        _same_time_zone(db, raw)
        cursor = db._prepare_cursor(raw)
    with cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
