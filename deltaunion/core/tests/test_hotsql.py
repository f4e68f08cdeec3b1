"""The hot statements are prepared once per connection on PostgreSQL, and nothing else is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deltaunion.accounts.models import User
from deltaunion.core import hotsql

pytestmark = pytest.mark.django_db

_HOT = "SELECT CAST(%s AS integer) + 1, 'hotsql-test'"


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_hot_statement_returns_its_row_on_every_database():
    assert hotsql.fetchone(_HOT, [1]) == (2, "hotsql-test")
    assert hotsql.fetchone("SELECT 1 WHERE 1 = %s", [2]) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_a_hot_statement_is_prepared_on_its_first_run_and_orm_queries_are_not():
    before = _prepared_statements()
    for n in range(3):
        with CaptureQueriesContext(connection) as ctx:
            assert hotsql.fetchone(_HOT, [n]) == (n + 1, "hotsql-test")
        # the query log still shows it (tests read it to check a statement was sent)
        assert [q["sql"] for q in ctx.captured_queries] == ["SELECT CAST($1 AS integer) + 1, 'hotsql-test'"]
        list(User.objects.filter(pk=n))
    new = [sql for sql in _prepared_statements() if sql not in before]
    # once, with its values sent apart: Django connects with preparation off, and asking
    # psycopg with prepare=True alone would leave it off
    assert new == ["SELECT CAST($1 AS integer) + 1, 'hotsql-test'"]
