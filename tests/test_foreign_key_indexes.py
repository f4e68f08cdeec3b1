"""Every foreign key of the project is the first column of an index in the database: a lookup
by it, and the cascade when its target is deleted, never scan the whole table. Where a model
leaves out Django's own index on a key (`db_index=False`, to spare a write on the hot path),
a unique constraint or an index that starts with that column must stand in for it."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection, models


def _project_models() -> list[type[models.Model]]:
    return [
        m for m in apps.get_models() if m.__module__.startswith("deltaunion.") and m._meta.managed and not m._meta.proxy
    ]


def _leading_columns(cursor, model: type[models.Model]) -> set[str]:
    """The first column of each index, unique constraint and primary key of the model's table."""
    table = model._meta.db_table
    if connection.vendor == "sqlite":
        # Django's SQLite introspection cannot parse some expression indexes: read the pragmas
        leading = {model._meta.pk.column}
        for row in cursor.execute(f'PRAGMA index_list("{table}")').fetchall():
            first = cursor.execute(f'PRAGMA index_info("{row[1]}")').fetchall()
            if first and first[0][2]:
                leading.add(first[0][2])
        return leading
    return {
        c["columns"][0]
        for c in connection.introspection.get_constraints(cursor, table).values()
        if c["columns"] and (c["index"] or c["unique"] or c["primary_key"])
    }


@pytest.mark.django_db
def test_every_foreign_key_leads_an_index():
    missing = []
    with connection.cursor() as cursor:
        for model in _project_models():
            table = model._meta.db_table
            leading = _leading_columns(cursor, model)
            for field in model._meta.local_fields:
                if isinstance(field, models.ForeignKey) and field.column not in leading:
                    missing.append(f"{table}.{field.column}")
    assert missing == []


@pytest.mark.django_db
def test_the_hot_tables_carry_no_index_twice():
    """The keys an answer or a like writes are indexed once, by their unique constraint."""
    from deltaunion.community.models import PostLike
    from deltaunion.practice.models import QuizAnswer, QuizAttempt, QuizParticipant

    with connection.cursor() as cursor:
        for model, column in (
            (QuizAnswer, "attempt_id"),
            (QuizParticipant, "quiz_id"),
            (QuizAttempt, "quiz_id"),
            (PostLike, "post_id"),
        ):
            found = connection.introspection.get_constraints(cursor, model._meta.db_table).values()
            alone = [c for c in found if c["columns"] == [column] and c["index"] and not c["unique"]]
            assert alone == [], f"{model._meta.db_table}.{column} has an index of its own besides the composite one"
