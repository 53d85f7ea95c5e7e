"""An index on Reading.received_at for the lake export, which reads the readings stored since its last run
(decision 0012). PostgreSQL: BRIN, since rows arrive in received_at order (a few pages per million rows, next
to nothing to maintain per insert); SQLite: a B-tree. Database only: Reading.Meta does not declare it."""

from typing import Any

from django.db import migrations

NAME = "city_reading_received"


def create(apps: Any, schema_editor: Any) -> None:
    using = "USING brin " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON city_reading {using}(received_at)")


def drop(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("city", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
