from django.apps import AppConfig


class MonitorConfig(AppConfig):
    """Activity records, the indicator definitions per plan version and approved yearly snapshots."""

    name = "actionplan.server.monitor"
    label = "monitor"
    verbose_name = "Monitoring and evaluation"
    default_auto_field = "django.db.models.BigAutoField"
