"""Subtree queries are `path LIKE 'prefix%'`. SQLite's unique index on path serves them
(case-sensitive LIKE is turned into a range scan); PostgreSQL needs a pattern-ops index
unless the database collation is C, so add one there only."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS orgs_organisation_path_like ON orgs_organisation (path varchar_pattern_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS orgs_organisation_path_like")


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
