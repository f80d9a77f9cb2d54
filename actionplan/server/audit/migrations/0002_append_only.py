"""Triggers refusing UPDATE and DELETE of audit entries (PostgreSQL and SQLite; see ``audit.triggers``)."""

from typing import Any, ClassVar

from django.db import migrations

from actionplan.server.audit import triggers


def create(apps: Any, schema_editor: Any) -> None:
    triggers.create(schema_editor.connection)


def drop(apps: Any, schema_editor: Any) -> None:
    triggers.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies: ClassVar[list[Any]] = [("audit", "0001_initial")]

    operations: ClassVar[list[Any]] = [migrations.RunPython(create, drop, elidable=False)]
