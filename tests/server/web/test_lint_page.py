"""The lint page, and element ids as page URLs (``urls_for_eid``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from django.http.response import HttpResponseBase
from django.test import Client

from actionplan.lint import lint_plan
from actionplan.model import Plan

Parse = Callable[[HttpResponseBase], Any]

pytestmark = pytest.mark.django_db


def test_lint_page_lists_every_finding_with_a_link_to_its_element(client: Client, stored: Plan, parse: Parse) -> None:
    from actionplan.server.web.links import urls_for_eid

    findings = lint_plan(stored)
    assert findings  # the seed has known problems (AP001, AP002, ...)
    page = parse(client.get("/lint/"))
    for finding in findings:
        assert finding.code in page.text
        if finding.eid:
            assert urls_for_eid(stored, finding.eid) in page.links
    rows = [a for a in page.all("tr") if (a.get("class") or "").startswith("severity-")]
    assert len(rows) == len(findings)


def test_every_element_id_leads_to_a_page_showing_it(client: Client, stored: Plan, parse: Parse) -> None:
    """For each eid of the plan, its URL's page carries ``id="<eid>"`` (or is the element's own page)."""
    from actionplan.server.web.links import urls_for_eid

    by_page: dict[str, list[str]] = defaultdict(list)
    for node in stored.walk():
        url = urls_for_eid(stored, node.eid)
        assert url != "/", node.eid
        by_page[url.split("#")[0]].append(node.eid)
    for path, eids in by_page.items():
        response = client.get(path)
        assert response.status_code == 200, path
        ids = parse(response).ids
        missing = [e for e in eids if e not in ids]
        assert not missing, f"{path}: {missing[:5]}"


@pytest.mark.parametrize(
    ("eid", "url"),
    [
        ("obj_2", "/objectives/2/"),
        ("obj_2__outcome_2.1", "/objectives/2/#obj_2__outcome_2.1"),
        ("obj_2__outcome_2.1__ind_3", "/indicators/2.1.3/"),
        ("obj_2__output_2.1", "/outputs/2.1/"),
        ("obj_2__output_2.1__project_1__area_2__item_3", "/outputs/2.1/#obj_2__output_2.1__project_1__area_2__item_3"),
        ("chp_1__sec_1__para_2", "/introduction/#chp_1__sec_1__para_2"),
        ("not an eid", "/"),
    ],
)
def test_urls_for_eid(stored: Plan, eid: str, url: str) -> None:
    from actionplan.server.web.links import urls_for_eid

    assert urls_for_eid(stored, eid) == url
    if "#" in url:
        path, fragment = url.split("#")
        assert urls_for_eid(stored, eid, "?version=baap%401") == f"{path}?version=baap%401#{fragment}"
