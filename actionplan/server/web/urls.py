"""The pages' URL map (namespace ``web``). Every plan page accepts ``?version=REF``.

Contributions (``/contributions/...``) name their base version in the path (``baap@1``) or
through the contribution; sign-in and sign-out are Django's views at ``/accounts/``.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, register_converter

from actionplan.server.web.views import contributions, lint, outputs, overview, references, search, trace, versions


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
_converter("web_version_ref", r"[-a-zA-Z0-9_]{1,64}@[0-9]{1,9}")
_converter("web_amendment_id", r"[A-Za-z0-9][-A-Za-z0-9_.]{0,31}")

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
    path("versions/diff/", contributions.version_diff, name="version_diff"),
    path("contributions/", contributions.contribution_list, name="contributions"),
    path("contributions/new/", contributions.contribution_new, name="contribution_new"),
    path("contributions/<int:pk>/", contributions.contribution_detail, name="contribution"),
    path("contributions/<int:pk>/redline/", contributions.contribution_redline, name="contribution_redline"),
    path("contributions/redline/<web_version_ref:ref>/", contributions.base_redline, name="base_redline"),
    path("contributions/redline.css", contributions.redline_stylesheet, name="redline_css"),
    path("contributions/<int:pk>/edit/", contributions.contribution_edit, name="contribution_edit"),
    path("contributions/<int:pk>/status/", contributions.contribution_status, name="contribution_status"),
    path("contributions/<int:pk>/amend/", contributions.amend, name="contribution_amend"),
    path("contributions/<int:pk>/links/", contributions.links, name="contribution_links"),
    path(
        "contributions/<int:pk>/amendments/<web_amendment_id:ident>/",
        contributions.amendment_edit,
        name="amendment_edit",
    ),
    path("contributions/conflicts/<web_version_ref:ref>/", contributions.conflicts, name="conflicts"),
    path("contributions/consolidate/<web_version_ref:ref>/", contributions.consolidate, name="consolidate"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="web/login.html", next_page="web:contributions"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="web:contributions"), name="logout"),
]
