"""The database cache table, so that `migrate` alone prepares a site that runs without Redis.

`createcachetable` only creates tables that are missing, for caches that use the database; with
Redis configured it does nothing (run `migrate` again, or `createcachetable`, after switching a
deployment from Redis to none).
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("awareness", "0003_topic")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
