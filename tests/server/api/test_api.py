"""The read-only JSON API at /api/: whole responses, versions, caching, one error body.

The store holds the source document (``baap@1``; 4 objectives, 14 outcomes, 38 indicators,
17 outputs, see docs/concepts.md) and, where a test asks for ``v2``, an edited ``baap@2``.
Expected values come from the parsed plan or from the source text itself, not from the API.
"""

from __future__ import annotations

from typing import Any, get_args

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from actionplan import trace
from actionplan.errors import StoreError
from actionplan.server.api import caching, matrices, references
from actionplan.server.store import api as store_api
from actionplan.trace import matrix as tm
from tests.server.api.helpers import EDITED_TITLE, Stored, json_time, store, to_ms

JSON = "application/json; charset=utf-8"


def get(client: Client, url: str, **headers: str) -> Any:
    response = client.get(url, headers=headers)
    if response.status_code != 304:
        assert response["Content-Type"] == JSON, (url, response.status_code, response.content[:300])
    return response


def version_links(n: int) -> dict[str, str]:
    base = "/api/plans/baap"
    return {
        "self": f"{base}/versions/{n}",
        "plan": base,
        "objectives": f"{base}/objectives?version={n}",
        "outcomes": f"{base}/outcomes?version={n}",
        "indicators": f"{base}/indicators?version={n}",
        "outputs": f"{base}/outputs?version={n}",
        "references": f"{base}/references?version={n}",
        "matrices": f"{base}/matrices?version={n}",
        "coverage": f"{base}/coverage?version={n}",
        "search": f"/api/search?plan=baap&version={n}",
    }


def version_json(stored: Stored, n: int, note: str = "") -> dict[str, Any]:
    info = stored.info
    return {
        "plan": "baap",
        "number": n,
        "ref": f"baap@{n}",
        "content_hash": info.content_hash,
        "source_name": "000_570177f1d6adc2ee.txt",
        "source_format": "text",
        "note": note,
        "counts": {"objectives": 4, "outcomes": 14, "indicators": 38, "outputs": 17},
        "links": version_links(n),
    }


def without_time(version: dict[str, Any], stored: Stored) -> dict[str, Any]:
    """``version`` minus ``imported_at``, after checking it is the stored time (to the ms)."""
    rest = dict(version)
    assert json_time(rest.pop("imported_at")) == to_ms(stored.info.imported_at)
    return rest


# -- index, plans, versions -----------------------------------------------------------


def test_api_root_lists_where_to_start(client: Client) -> None:
    """/api/ answers with links, not with ninja's HTML 404."""
    response = get(client, "/api/")
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "links": {
            "plans": "/api/plans",
            "search": "/api/search?q=",
            "openapi": "/api/openapi.json",
            "docs": "/api/docs",
        },
    }


def test_plans_lists_each_plan_with_all_its_versions(client: Client, v1: Stored, v2: Stored) -> None:
    """A plan's titles and period are the latest version's; every version is listed."""
    body = get(client, "/api/plans").json()
    versions = body["items"][0].pop("versions")
    assert body == {
        "count": 1,
        "next": None,
        "previous": None,
        "items": [
            {
                "code": "baap",
                "title": {"zh": "布宜诺斯艾利斯行动计划", "en": "Buenos Aires Action Plan"},
                "period": "2018-2021",
                "language": "zh",
                "latest_version": 2,
                "links": {
                    "self": "/api/plans/baap",
                    "versions": "/api/plans/baap/versions",
                    "latest": "/api/plans/baap/versions/2",
                    "objectives": "/api/plans/baap/objectives",
                    "outputs": "/api/plans/baap/outputs",
                    "coverage": "/api/plans/baap/coverage",
                    "search": "/api/search?plan=baap",
                },
            }
        ],
    }
    assert [without_time(v, s) for v, s in zip(versions, [v1, v2], strict=True)] == [
        version_json(v1, 1),
        version_json(v2, 2, note="edited title of 2.1"),
    ]


def test_plan_and_its_versions_list_agree_with_plans(client: Client, v2: Stored) -> None:
    listed = get(client, "/api/plans").json()["items"][0]
    assert get(client, "/api/plans/baap").json() == listed
    versions = get(client, "/api/plans/baap/versions").json()
    assert versions == {"count": 2, "next": None, "previous": None, "items": listed["versions"]}


def test_version_is_its_metadata_and_links_cacheable_for_a_year(client: Client, v1: Stored) -> None:
    """/versions/{n} names an immutable version: its response is immutable too."""
    response = get(client, "/api/plans/baap/versions/1")
    assert response.status_code == 200
    assert without_time(response.json(), v1) == version_json(v1, 1)
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_empty_store_lists_no_plans_and_cannot_search(client: Client, db: None) -> None:
    assert get(client, "/api/plans").json() == {"count": 0, "next": None, "previous": None, "items": []}
    response = get(client, "/api/search?q=ICT")
    assert response.status_code == 404
    assert response.json() == {
        "ok": False,
        "status": 404,
        "error": "the store holds no plan version yet",
        "where": "latest version",
        "expected": "a plan imported first (actionplan import FILE)",
        "errors": [],
    }


# -- outputs --------------------------------------------------------------------------


def test_output_has_the_keys_of_the_parse_json_then_its_place(client: Client, v1: Stored) -> None:
    """GET /outputs/2.1 is ``Output.model_dump(mode="json")`` followed by placement keys.

    Output 2.1 is the only output in outcome 2.1's row of objective 2's table.
    """
    body = get(client, "/api/plans/baap/outputs/2.1").json()
    output = v1.plan.output("2.1")
    assert output is not None
    parse_json = output.model_dump(mode="json")
    assert list(body)[: len(parse_json)] == list(parse_json)
    assert body == {
        **parse_json,
        "plan": "baap",
        "version": 1,
        "objective": 2,
        "outcomes": ["2.1"],
        "links": {
            "self": "/api/plans/baap/outputs/2.1",
            "version": "/api/plans/baap/versions/1",
            "objective": "/api/plans/baap/objectives/2",
        },
    }
    assert "9.c" in body["references"]["sdg_targets"]  # source line 351: 9（目标9.1、9.a、9.c）


def test_output_of_outcome_rows_lists_every_outcome_serving_it(client: Client, v1: Stored) -> None:
    """Outcome 1.1's row lists outputs 1.1, 1.2 and 1.5 (source table of objective 1)."""
    body = get(client, "/api/plans/baap/outputs/1.5").json()
    assert (body["objective"], body["outcomes"]) == (1, ["1.1"])


def test_version_parameter_selects_an_older_version(client: Client, v1: Stored, v2: Stored) -> None:
    """Without ?version= the latest version answers; ?version=1 gives the original text."""
    latest = get(client, "/api/plans/baap/outputs/2.1").json()
    first = get(client, "/api/plans/baap/outputs/2.1?version=1").json()
    original = v1.plan.output("2.1")
    assert original is not None
    assert (latest["version"], latest["title"]["en"]) == (2, EDITED_TITLE)
    assert (first["version"], first["title"]["en"]) == (1, original.title["en"])
    assert first["links"] == {
        "self": "/api/plans/baap/outputs/2.1?version=1",
        "version": "/api/plans/baap/versions/1",
        "objective": "/api/plans/baap/objectives/2?version=1",
    }
    assert {k: v for k, v in first.items() if k not in ("title", "version", "links")} == {
        k: v for k, v in latest.items() if k not in ("title", "version", "links")
    }


def test_outputs_list_is_paginated_with_links(client: Client, v1: Stored) -> None:
    """17 outputs in plan order: 1.1-1.6, 2.1-2.3, 3.1-3.4, 4.1-4.4."""
    page = get(client, "/api/plans/baap/outputs?limit=5&offset=5").json()
    assert (page["count"], page["next"], page["previous"]) == (
        17,
        "/api/plans/baap/outputs?limit=5&offset=10",
        "/api/plans/baap/outputs?limit=5&offset=0",
    )
    assert [o["number"] for o in page["items"]] == ["1.6", "2.1", "2.2", "2.3", "3.1"]
    assert page["items"][1] == {
        "eid": "obj_2__output_2.1",
        "number": "2.1",
        "title": v1.plan.output("2.1").title,  # type: ignore[union-attr]
        "plan": "baap",
        "version": 1,
        "objective": 2,
        "outcomes": ["2.1"],
        "links": {
            "self": "/api/plans/baap/outputs/2.1",
            "version": "/api/plans/baap/versions/1",
            "objective": "/api/plans/baap/objectives/2",
        },
    }
    last = get(client, "/api/plans/baap/outputs?limit=5&offset=15&version=1").json()
    assert [o["number"] for o in last["items"]] == ["4.3", "4.4"]
    assert (last["next"], last["previous"]) == (None, "/api/plans/baap/outputs?limit=5&offset=10&version=1")
    beyond = get(client, "/api/plans/baap/outputs?offset=100").json()
    assert (beyond["items"], beyond["next"], beyond["previous"]) == (
        [],
        None,
        "/api/plans/baap/outputs?offset=0&limit=50",
    )


# -- objectives, outcomes, indicators -------------------------------------------------


def test_objectives_list_summaries_and_one_objective_is_its_parse_json(client: Client, v1: Stored) -> None:
    page = get(client, "/api/plans/baap/objectives").json()
    assert [(o["number"], o["outcomes"], o["outputs"]) for o in page["items"]] == [
        (1, ["1.1", "1.2", "1.3"], ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"]),
        (2, ["2.1", "2.2", "2.3"], ["2.1", "2.2", "2.3"]),
        (3, ["3.1", "3.2", "3.3", "3.4"], ["3.1", "3.2", "3.3", "3.4"]),
        (4, ["4.1", "4.2", "4.3", "4.4"], ["4.1", "4.2", "4.3", "4.4"]),
    ]
    assert page["items"][0]["title"]["en"].startswith("Coordination: Foster international cooperation")
    one = get(client, "/api/plans/baap/objectives/2").json()
    assert one == {
        **v1.plan.objectives[1].model_dump(mode="json"),
        "plan": "baap",
        "version": 1,
        "links": {"self": "/api/plans/baap/objectives/2", "version": "/api/plans/baap/versions/1"},
    }


def test_outcomes_and_indicators_are_listed_whole(client: Client, v1: Stored) -> None:
    """14 outcomes, 38 indicators; each with the keys of the parse JSON and its place."""
    outcomes = get(client, "/api/plans/baap/outcomes").json()
    indicators = get(client, "/api/plans/baap/indicators?limit=500").json()
    assert (outcomes["count"], indicators["count"]) == (14, 38)
    outcome = v1.plan.outcome("1.3")
    assert outcome is not None
    assert get(client, "/api/plans/baap/outcomes/1.3").json() == {
        **outcome.model_dump(mode="json"),
        "plan": "baap",
        "version": 1,
        "objective": 1,
        "links": {
            "self": "/api/plans/baap/outcomes/1.3",
            "version": "/api/plans/baap/versions/1",
            "objective": "/api/plans/baap/objectives/1",
        },
    }
    assert [i["number"] for i in indicators["items"] if i["outcome"] == "1.3"] == ["1.3.1", "1.3.2", "1.3.3", "1.3.4"]
    indicator = get(client, "/api/plans/baap/indicators/1.3.2?version=1").json()
    assert indicator == {
        **outcome.indicators[1].model_dump(mode="json"),
        "plan": "baap",
        "version": 1,
        "objective": 1,
        "outcome": "1.3",
        "links": {
            "self": "/api/plans/baap/indicators/1.3.2?version=1",
            "version": "/api/plans/baap/versions/1",
            "outcome": "/api/plans/baap/outcomes/1.3?version=1",
            "objective": "/api/plans/baap/objectives/1?version=1",
        },
    }


# -- references, matrices, coverage ---------------------------------------------------


def test_references_lists_outputs_citing_sdg_target_9c(client: Client, v1: Stored) -> None:
    """9.c is cited by 2.1, 3.1 and 4.1 (source lines 351, 577, 857) and by 3.2 ('all SDGs').

    The code is read as the CLI reads it: ``9c`` is target ``9.c``.
    """
    body = get(client, "/api/plans/baap/references?scheme=sdg_target&code=9c").json()
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    (ref,) = body["items"]
    assert (ref["scheme"], ref["code"]) == ("sdg_target", "9.c")
    assert ref["titles"]["en"].startswith("Significantly increase access to information and communications technology")
    assert ref["links"] == {"self": "/api/plans/baap/references?scheme=sdg_target&code=9.c"}
    titles = {o.number: o.title for o in v1.plan.all_outputs()}
    assert ref["citing"] == [
        {"output": n, "title": titles[n], "basis": basis, "links": {"output": f"/api/plans/baap/outputs/{n}"}}
        for n, basis in [("2.1", "9.c"), ("3.1", "9.c"), ("3.2", "all SDGs"), ("4.1", "9.c")]
    ]


def test_references_without_code_list_every_cited_code_of_a_scheme(client: Client, v1: Stored) -> None:
    """WSIS lines cited explicitly: C1-C9 and C11 (C10 only through 3.2's 'all WSIS lines')."""
    body = get(client, "/api/plans/baap/references?scheme=wsis").json()
    assert [r["code"] for r in body["items"]] == ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C11"]
    c5 = next(r for r in body["items"] if r["code"] == "C5")
    assert [(c["output"], c["basis"]) for c in c5["citing"]] == [
        ("2.2", "C5"),
        ("3.2", "all WSIS action lines"),
        ("3.4", "C5"),
    ]


@pytest.mark.parametrize(
    ("query", "status", "error", "where"),
    [
        ("scheme=sdg_target&code=9", 400, "'9' is a sdg goal code, not a sdg target code", "query.code"),
        ("code=9.c", 400, "a code needs a scheme", "query.code"),
        ("scheme=sdg_target&code=99.z", 404, "no sdg target '99.z' in the reference registry", "query.code"),
    ],
)
def test_reference_codes_that_cannot_be_found_are_errors(
    client: Client, v1: Stored, query: str, status: int, error: str, where: str
) -> None:
    response = get(client, f"/api/plans/baap/references?{query}")
    assert response.status_code == status
    assert (response.json()["error"], response.json()["where"]) == (error, where)


def test_api_enumerations_are_those_of_the_core() -> None:
    """The OpenAPI enums for schemes and matrix names are trace's own lists."""
    assert get_args(references.Scheme) == tuple(trace.SCHEMES)
    assert set(references.KIND_OF_SCHEME) == set(trace.SCHEMES)
    assert get_args(matrices.MatrixNameParam) == tm.MATRICES


def test_matrix_mirrors_the_trace_matrix(client: Client, v1: Stored) -> None:
    """Outputs x SDG targets of goal 9: 2.1 cites 9.1, 9.a and 9.c (source line 351)."""
    body = get(client, "/api/plans/baap/matrices/sdg_targets?goal=9&version=1").json()
    m = tm.matrix(v1.plan, "sdg_targets", goal=9)
    assert body == {
        "name": "sdg_targets",
        "goal": 9,
        "rows": m.rows,
        "row_labels": m.row_labels,
        "cols": m.cols,
        "col_labels": m.col_labels,
        "cells": [{"row": c.row, "col": c.col, "value": c.value, "basis": c.basis} for c in m.cells],
        "plan": "baap",
        "version": 1,
        "links": {
            "self": "/api/plans/baap/matrices/sdg_targets?version=1&goal=9",
            "version": "/api/plans/baap/versions/1",
        },
    }
    assert {c["col"] for c in body["cells"] if c["row"] == "2.1"} == {"9.1", "9.a", "9.c"}
    goals = get(client, "/api/plans/baap/matrices/sdg_goals").json()
    assert goals["links"]["drill_down"] == "/api/plans/baap/matrices/sdg_targets?goal={goal}"
    assert goals["cols"] == [str(n) for n in range(1, 18)]


def test_sdg_targets_matrix_needs_a_goal(client: Client, v1: Stored) -> None:
    response = get(client, "/api/plans/baap/matrices/sdg_targets")
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "status": 400,
        "error": "no SDG goal None",
        "where": "goal",
        "expected": "a goal number 1-17",
        "errors": [],
    }


def test_coverage_mirrors_the_trace_coverage(client: Client, v1: Stored) -> None:
    body = get(client, "/api/plans/baap/coverage").json()
    report = tm.coverage(v1.plan)
    assert body == {
        **report.__dict__,
        "plan": "baap",
        "version": 1,
        "links": {
            "self": "/api/plans/baap/coverage",
            "version": "/api/plans/baap/versions/1",
            "matrices": "/api/plans/baap/matrices",
        },
    }
    assert body["outputs_citing_all_sdgs"] == ["3.2"]


# -- search ---------------------------------------------------------------------------


def test_search_in_chinese_finds_output_2_1_with_its_path(client: Client, v1: Stored) -> None:
    """跨多国陆缆 ('cross-border terrestrial cables') appears once, in an item of output 2.1."""
    body = get(client, "/api/search?q=跨多国陆缆&plan=baap&version=1").json()
    assert (body["query"], body["plan"], body["version"], body["count"]) == ("跨多国陆缆", "baap", 1, 1)
    (hit,) = body["items"]
    assert [step["eid"] for step in hit["path"]][:2] == ["obj_2", "obj_2__output_2.1"]
    assert hit["eid"].startswith("obj_2__output_2.1__project_")
    assert "<mark>跨多国陆缆</mark>" in hit["snippet_html"]
    assert hit["links"] == {
        "version": "/api/plans/baap/versions/1",
        "element": "/api/plans/baap/outputs/2.1?version=1",
    }


def test_search_pages_link_to_the_next_page(client: Client, v1: Stored) -> None:
    body = get(client, "/api/search?q=ICT&limit=2").json()
    assert body["count"] > 2
    assert (body["next"], body["previous"]) == ("/api/search?q=ICT&limit=2&offset=2", None)
    assert len(body["items"]) == 2


# -- caching --------------------------------------------------------------------------


def test_latest_responses_must_be_revalidated_and_answer_304(client: Client, v1: Stored) -> None:
    first = get(client, "/api/plans/baap/outputs/2.1")
    assert first["Cache-Control"] == "no-cache"
    etag = first["ETag"]
    again = get(client, "/api/plans/baap/outputs/2.1", if_none_match=etag)
    assert (again.status_code, again.content) == (304, b"")
    assert (again["ETag"], again["Cache-Control"]) == (etag, "no-cache")
    assert get(client, "/api/plans/baap/outputs/2.1", if_none_match=f"W/{etag}").status_code == 304
    assert get(client, "/api/plans/baap/outputs/2.1", if_none_match='"other"').status_code == 200


def test_pinned_versions_are_immutable_and_keep_their_etag(client: Client, v1: Stored) -> None:
    """A new version changes the latest ETag; the pinned response's ETag stays valid."""
    pinned = get(client, "/api/plans/baap/outputs/2.1?version=1")
    latest = get(client, "/api/plans/baap/outputs/2.1")
    assert pinned["Cache-Control"] == caching.IMMUTABLE == "public, max-age=31536000, immutable"
    assert pinned["ETag"] != latest["ETag"]  # the ETag covers the query

    plan = v1.plan.model_copy(deep=True)
    plan.objectives[1].outputs[0].title["en"] = EDITED_TITLE
    store(plan)
    assert get(client, "/api/plans/baap/outputs/2.1?version=1", if_none_match=pinned["ETag"]).status_code == 304
    changed = get(client, "/api/plans/baap/outputs/2.1", if_none_match=latest["ETag"])
    assert changed.status_code == 200
    assert changed.json()["title"]["en"] == EDITED_TITLE


def test_lists_of_plans_and_versions_change_etag_when_a_version_is_added(client: Client, v1: Stored) -> None:
    before = {url: get(client, url)["ETag"] for url in ("/api/plans", "/api/plans/baap/versions")}
    plan = v1.plan.model_copy(deep=True)
    plan.period = "2018-2022"
    store(plan)
    for url, etag in before.items():
        response = get(client, url, if_none_match=etag)
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-cache"


# -- errors ---------------------------------------------------------------------------


def error(status: int, message: str, where: str | None, expected: str | None) -> dict[str, Any]:
    return {"ok": False, "status": status, "error": message, "where": where, "expected": expected, "errors": []}


OUTPUTS = "1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 2.1, 2.2, 2.3, 3.1, 3.2, 3.3, 3.4, 4.1, 4.2, 4.3, 4.4"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/api/plans/baap/outputs/9.9", error(404, "no output '9.9' in baap@1", "baap@1", f"one of {OUTPUTS}")),
        (
            "/api/plans/baap/outputs/2.1?version=9",
            error(404, "no version 9 of plan 'baap' in the store", "baap@9", "one of baap@1"),
        ),
        (
            "/api/plans/baap/versions/9",
            error(404, "no version 9 of plan 'baap' in the store", "baap@9", "one of baap@1"),
        ),
        ("/api/plans/nope/outputs", error(404, "no plan 'nope' in the store", "nope", "one of baap@1")),
        ("/api/plans/nope", error(404, "no plan 'nope' in the store", "nope", "one of baap@1")),
        (
            "/api/plans/123/outputs",
            error(404, "no plan '123' in the store", "123", "a plan code such as baap (listed at /api/plans)"),
        ),
        ("/api/plans/baap/objectives/9", error(404, "no objective '9' in baap@1", "baap@1", "one of 1, 2, 3, 4")),
        (
            "/api/nope/at/all",
            error(
                404,
                "no API endpoint at /api/nope/at/all",
                "/api/nope/at/all",
                "a path listed in /api/openapi.json (browse /api/docs)",
            ),
        ),
        (
            "/api/plans/baap/outputs/2.1/",
            error(
                404,
                "no API endpoint at /api/plans/baap/outputs/2.1/",
                "/api/plans/baap/outputs/2.1/",
                "a path listed in /api/openapi.json (browse /api/docs)",
            ),
        ),
    ],
)
def test_unknown_ids_and_urls_are_404_with_the_error_body(
    client: Client, v1: Stored, url: str, expected: dict[str, Any]
) -> None:
    response = get(client, url)
    assert (response.status_code, response.json()) == (404, expected)
    assert "ETag" not in response and "Cache-Control" not in response


def test_bad_parameters_are_422_with_every_problem_listed(client: Client, v1: Stored) -> None:
    response = get(client, "/api/plans/baap/outputs?limit=0&offset=-1")
    assert response.status_code == 422
    assert response.json() == {
        "ok": False,
        "status": 422,
        "error": "Input should be greater than or equal to 1 (and 1 more)",
        "where": "query.limit",
        "expected": None,
        "errors": [
            {"where": "query.limit", "error": "Input should be greater than or equal to 1"},
            {"where": "query.offset", "error": "Input should be greater than or equal to 0"},
        ],
    }


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/plans", "/api/openapi.json", "/api/nope"])
def test_the_api_is_read_only(client: Client, v1: Stored, method: str, url: str) -> None:
    """Writes are 405 with the error body and an Allow header (never a CSRF page)."""
    response = getattr(client, method)(url)
    assert (response.status_code, response["Allow"], response["Content-Type"]) == (405, "GET", JSON)
    assert response.json() == error(405, f"method {method.upper()} not allowed: the API is read-only", url, "GET")


def test_server_side_failures_are_500_with_the_error_body(
    client: Client, v1: Stored, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store that cannot read its content, or any unexpected exception: JSON, never a page."""

    def unreadable(ref: str) -> None:
        raise StoreError("stored content cannot be read by this actionplan", where=ref, expected="schema_version <= 2")

    monkeypatch.setattr(store_api, "load_version", unreadable)
    response = get(client, "/api/plans/baap/outputs/2.1")
    assert (response.status_code, response.json()) == (
        500,
        error(500, "stored content cannot be read by this actionplan", "baap@1", "schema_version <= 2"),
    )

    def broken(ref: str) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(store_api, "load_version", broken)
    response = get(client, "/api/plans/baap/outputs/2.1")
    assert (response.status_code, response.json()) == (
        500,
        error(500, "internal error (RuntimeError)", "/api/plans/baap/outputs/2.1", None),
    )


def test_search_refuses_nul_characters(client: Client, v1: Stored) -> None:
    """PostgreSQL cannot compare text with NUL: the API refuses it before the database does."""
    response = get(client, "/api/search?q=a%00b")
    assert (response.status_code, response.json()["where"]) == (400, "query.q")


# -- schema and docs ------------------------------------------------------------------


def test_openapi_schema_lists_every_route(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    schema = response.json()
    assert sorted(schema["paths"]) == [
        "/api/",
        "/api/contributions",
        "/api/contributions/{id}",
        "/api/contributions/{id}/amendments",
        "/api/contributions/{id}/amendments/{ident}",
        "/api/contributions/{id}/submit",
        "/api/contributions/{id}/withdraw",
        "/api/monitor/indicators",
        "/api/monitor/records/{kind}",
        "/api/monitor/snapshots",
        "/api/monitor/snapshots/{year}",
        "/api/monitor/values",
        "/api/plans",
        "/api/plans/{code}",
        "/api/plans/{code}/coverage",
        "/api/plans/{code}/indicators",
        "/api/plans/{code}/indicators/{number}",
        "/api/plans/{code}/matrices",
        "/api/plans/{code}/matrices/{name}",
        "/api/plans/{code}/objectives",
        "/api/plans/{code}/objectives/{n}",
        "/api/plans/{code}/outcomes",
        "/api/plans/{code}/outcomes/{number}",
        "/api/plans/{code}/outputs",
        "/api/plans/{code}/outputs/{number}",
        "/api/plans/{code}/references",
        "/api/plans/{code}/versions",
        "/api/plans/{code}/versions/{n}",
        "/api/plans/{code}/versions/{n}/adopt",
        "/api/plans/{code}/versions/{n}/conflicts",
        "/api/search",
        "/api/statistics/batches",
        "/api/statistics/comparison",
        "/api/statistics/economies/{iso3}",
        "/api/statistics/frameworks",
        "/api/statistics/frameworks/{name}",
        "/api/statistics/indicators",
        "/api/statistics/observations",
        "/api/statistics/rankings/{name}",
        "/api/statistics/rankings/{name}/uncertainty",
    ]
    output = schema["paths"]["/api/plans/{code}/outputs/{number}"]["get"]
    assert set(output["responses"]) == {"200", "304", "400", "404", "422"}


def test_docs_use_the_vendored_swagger_ui_and_no_inline_script(client: Client) -> None:
    response = client.get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<script src="/static/vendor/swagger-ui-dist/swagger-ui-bundle.js"></script>' in html
    assert '<script src="/static/api/docs.js"></script>' in html
    assert 'href="/static/vendor/swagger-ui-dist/swagger-ui.css"' in html
    assert 'data-openapi-url="/api/openapi.json"' in html
    assert html.count("<script") == 2 and "http" not in html
    for asset in (
        "vendor/swagger-ui-dist/swagger-ui-bundle.js",
        "vendor/swagger-ui-dist/swagger-ui.css",
        "api/docs.js",
    ):
        assert finders.find(asset), asset
