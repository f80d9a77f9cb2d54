"""The statistics pages, mounted at ``/statistics/`` (namespace ``stats``)."""

from django.urls import path

from actionplan.server.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.index, name="index"),
    path("ranking/", views.ranking, name="ranking"),
    path("ranking/download.<str:fmt>", views.ranking_file, name="ranking_file"),
    path("map/", views.world_map, name="map"),
    path("economy/<str:iso3>/", views.profile, name="profile"),
    path("compare/", views.compare, name="compare"),
    path("chart/<str:kind>/<str:fmt>", views.chart_file, name="chart_file"),
    path("data/", views.data, name="data"),
    path("data/export.<str:fmt>", views.data_file, name="data_file"),
    path("import/", views.import_page, name="import"),
    path("frameworks/<str:name>/", views.framework_page, name="framework"),
]
