"""Monitoring pages (namespace ``monitor``), under ``/monitor/``."""

from __future__ import annotations

from django.urls import path, register_converter

from actionplan.server.monitor import views


class _Indicator:
    regex = r"\d\.\d\.\d{1,2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)


class _ChartFormat(_Indicator):
    regex = r"chart\.svg|chart\.png|spec\.json"


class _Kind(_Indicator):
    regex = r"[a-z_]{1,32}"


register_converter(_Indicator, "monitor_indicator")
register_converter(_ChartFormat, "monitor_chart_format")
register_converter(_Kind, "monitor_kind")

app_name = "monitor"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("indicators/<monitor_indicator:number>/", views.indicator, name="indicator"),
    path("indicators/<monitor_indicator:number>/records/", views.records, name="records"),
    path(
        "indicators/<monitor_indicator:number>/charts/<monitor_kind:key>/<monitor_chart_format:fmt>",
        views.indicator_chart,
        name="indicator_chart",
    ),
    path("import/", views.import_records, name="import"),
    path("templates/<monitor_kind:kind>.<str:fmt>", views.template_file, name="template"),
    path("records/<monitor_kind:kind>/new/", views.record_new, name="record_new"),
    path("definitions/", views.definitions_edit, name="definitions"),
    path("approve/", views.approve, name="approve"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:year>/<str:lang>.<str:fmt>", views.report_file, name="report_file"),
]
