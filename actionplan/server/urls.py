"""URL configuration: only the admin for now; pages and the JSON API come later."""

from django.contrib import admin
from django.urls import path

urlpatterns = [
    path("admin/", admin.site.urls),
]
