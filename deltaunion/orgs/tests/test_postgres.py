"""PostgreSQL only: subtree queries (`path LIKE 'prefix%'`) can use the pattern-ops index."""

from __future__ import annotations

import pytest
from django.db import connection

from deltaunion.orgs.models import Organisation

pytestmark = pytest.mark.postgres


@pytest.fixture
def on_postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


def test_subtree_query_can_use_the_path_like_index(on_postgres, tree):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'orgs_organisation' "
            "AND indexdef LIKE '%%(path varchar_pattern_ops)%%'"
        )
        rows = cursor.fetchall()
        assert len(rows) == 1, f"exactly one pattern-ops index on path expected, found {rows}"
        index_name = rows[0][0]

    qs = Organisation.objects.filter(path__startswith=tree.zj.path)
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cursor.fetchall())
    assert index_name in plan, plan
    assert "Seq Scan" not in plan, plan
    # And the query gives the subtree.
    assert set(qs.values_list("name", flat=True)) == {"浙江省总工会", "杭州市总工会", "杭州测试机械有限公司工会"}
