"""The pages' URL map (namespace ``web``). Every page accepts ``?version=REF``."""

from __future__ import annotations

from django.urls import path, register_converter

from actionplan.server.web.views import lint, outputs, overview, references, search, trace, versions


class _Pattern:
    """A path converter that keeps its match as a string."""

    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)


def _converter(name: str, regex: str) -> None:
    register_converter(type(name, (_Pattern,), {"regex": regex}), name)


_converter("web_output_number", r"\d{1,3}\.\d{1,3}")
_converter("web_indicator_number", r"\d{1,3}\.\d{1,3}\.\d{1,3}")
_converter("web_sdg_target", r"[0-9]{1,2}\.[0-9a-zA-Z]{1,2}")
_converter("web_wsis_code", r"[cC][0-9]{1,2}(?:\.[a-z\-]{1,20})?")
_converter("web_resolution_body", r"pp|wtdc|pp-decisions|itu-d")
_converter("web_matrix_name", r"sdg_goals|wsis|pp_resolutions|wtdc_resolutions")
_converter("web_chart_format", r"spec\.json|chart\.svg|chart\.png|data\.csv")

app_name = "web"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("introduction/", overview.introduction, name="introduction"),
    path("objectives/<int:number>/", overview.objective, name="objective"),
    path("outputs/<web_output_number:number>/", outputs.output, name="output"),
    path("indicators/<web_indicator_number:number>/", overview.indicator, name="indicator"),
    path("sdg/", references.sdg_index, name="sdg_index"),
    path("sdg/<int:goal>/", references.sdg_goal, name="sdg_goal"),
    path("sdg/<int:goal>/<web_sdg_target:target>/", references.sdg_target, name="sdg_target"),
    path("wsis/", references.wsis_index, name="wsis_index"),
    path("wsis/<web_wsis_code:code>/", references.wsis_line, name="wsis_line"),
    path("resolutions/", references.resolutions, name="resolutions"),
    path("resolutions/<web_resolution_body:body>/<int:number>/", references.resolution, name="resolution"),
    path("lint/", lint.lint, name="lint"),
    path("versions/", versions.versions, name="versions"),
    path("trace/", trace.trace, name="trace"),
    path("trace/sdg/<int:goal>/", trace.trace_goal, name="trace_goal"),
    path("trace/sdg/<int:goal>/<web_chart_format:fmt>", trace.trace_goal_file, name="trace_goal_file"),
    path("trace/<web_matrix_name:name>/<web_chart_format:fmt>", trace.trace_file, name="trace_file"),
    path("search/", search.search, name="search"),
]
