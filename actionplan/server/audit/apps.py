from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only, hash-chained log of every write."""

    name = "actionplan.server.audit"
    label = "audit"
    verbose_name = "Audit trail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from actionplan.server.audit import signals

        signals.connect()
