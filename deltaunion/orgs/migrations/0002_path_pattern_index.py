"""Subtree queries are `path LIKE 'prefix%'`.

On SQLite the unique index on path serves them (a case-sensitive LIKE prefix becomes a
range scan). On PostgreSQL, Django already creates a `varchar_pattern_ops` "_like" index
for every unique CharField (in 0001), so nothing more is needed. This migration is kept
empty because later migrations depend on its name; an earlier version added a second,
identical index, which it now drops where it exists.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS orgs_organisation_path_like")


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
