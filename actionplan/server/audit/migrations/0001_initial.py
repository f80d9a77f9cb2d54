from typing import Any, ClassVar

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies: ClassVar[list[Any]] = []

    operations: ClassVar[list[Any]] = [
        migrations.CreateModel(
            name="AuditEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sequence", models.PositiveBigIntegerField(help_text="1, 2, 3, ... without gaps", unique=True)),
                ("timestamp", models.DateTimeField(help_text="when the entry was recorded (UTC)")),
                ("actor", models.TextField(help_text='a username, "cli", "system" or "anonymous"')),
                (
                    "action",
                    models.CharField(
                        help_text="create, update, delete, submit, withdraw, adopt, login, ...", max_length=32
                    ),
                ),
                (
                    "object_type",
                    models.CharField(help_text="contribution, amendment, plan_version, plan, user, ...", max_length=64),
                ),
                ("object_id", models.TextField(help_text="e.g. TDAG-25/7, TDAG-25/7/A2, baap@3")),
                (
                    "before",
                    models.TextField(
                        help_text="the object before the write as canonical JSON text (null: it did not exist)"
                    ),
                ),
                (
                    "after",
                    models.TextField(
                        help_text="the object after the write as canonical JSON text (null: it was deleted)"
                    ),
                ),
                (
                    "prev_hash",
                    models.CharField(help_text="the hash of the previous entry (zeros for the first)", max_length=64),
                ),
                ("hash", models.CharField(help_text="sha256 of the canonical entry", max_length=64, unique=True)),
            ],
            options={
                "verbose_name": "audit entry",
                "verbose_name_plural": "audit entries",
                "ordering": ["sequence"],
                "indexes": [
                    models.Index(fields=["object_type", "object_id"], name="audit_entry_object"),
                    models.Index(fields=["actor"], name="audit_entry_actor"),
                    models.Index(fields=["timestamp"], name="audit_entry_timestamp"),
                ],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(sequence__gte=1), name="audit_entry_sequence_gte_1")
                ],
            },
        ),
    ]
