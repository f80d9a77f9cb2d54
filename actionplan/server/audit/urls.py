"""The audit trail's pages (namespace ``audit``), included at ``/audit/``."""

from django.urls import path

from actionplan.server.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.entries, name="entries"),
    path("export.csv", views.export, name="export"),
]
