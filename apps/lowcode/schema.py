"""Database system checks read stored rows (workflows, print formats, custom fields) only once the
schema is migrated: `migrate` runs the checks before it applies anything, and a column a new release
adds would otherwise make the upgrade itself fail."""

from django.db import connections
from django.db.migrations.executor import MigrationExecutor


def rows_checkable(alias: str, model) -> bool:
    connection = connections[alias]
    if model._meta.db_table not in connection.introspection.table_names():
        return False
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes(model._meta.app_label))
