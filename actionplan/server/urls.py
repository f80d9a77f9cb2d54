"""URL configuration: pages at /, the JSON API at /api/, password reset at /accounts/, the admin at /admin/."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("actionplan.server.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", include("actionplan.server.audit.urls")),
    path("monitor/", include("actionplan.server.monitor.urls")),
    path("statistics/", include("actionplan.server.stats.urls")),
    path("", include("actionplan.server.accounts.urls")),
    path("", include("actionplan.server.web.urls")),
]
