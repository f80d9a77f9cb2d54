"""Reference pages: each SDG goal and target, WSIS line and resolution lists the outputs citing it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.http.response import HttpResponseBase
from django.test import Client

from actionplan import registry
from actionplan.model import Plan

Parse = Callable[[HttpResponseBase], Any]

pytestmark = pytest.mark.django_db


def output_links(page: Any) -> set[str]:
    return {link.split("?")[0].split("/")[2] for link in page.links if link.startswith("/outputs/")}


def test_sdg_target_page_lists_the_outputs_citing_it(client: Client, stored: Plan, parse: Parse) -> None:
    """9.c: the outputs naming it, plus those citing all SDGs (shown with that basis)."""
    naming = {o.number for o in stored.all_outputs() if "9.c" in o.references.sdg_targets}
    every = {o.number for o in stored.all_outputs() if o.references.all_sdgs}
    assert naming  # the seed cites 9.c
    page = parse(client.get("/sdg/9/9.c/"))
    assert output_links(page) == naming | every
    target = registry.sdg_target("9.c")
    assert target is not None and target.title["zh"] in page.text and target.title["en"] in page.text


def test_sdg_goal_page_lists_targets_and_outputs(client: Client, stored: Plan, parse: Parse) -> None:
    citing = {
        o.number
        for o in stored.all_outputs()
        if 9 in o.references.sdg_goals
        or any(t.startswith("9.") for t in o.references.sdg_targets)
        or o.references.all_sdgs
    }
    page = parse(client.get("/sdg/9/"))
    assert output_links(page) == citing
    for target in registry.sdg_targets(9):
        assert f"/sdg/9/{target.code}/" in page.links


def test_wsis_line_page(client: Client, stored: Plan, parse: Parse) -> None:
    citing = {
        o.number
        for o in stored.all_outputs()
        if "C5" in o.references.wsis_action_lines or o.references.all_wsis_action_lines
    }
    page = parse(client.get("/wsis/C5/"))
    assert output_links(page) == citing
    assert "/wsis/c5/" not in page.links
    assert client.get("/wsis/c5/").status_code == 301


@pytest.mark.parametrize(("body", "attr"), [("pp", "pp_resolutions"), ("wtdc", "wtdc_resolutions")])
def test_resolution_pages_list_the_outputs_citing_them(
    client: Client, stored: Plan, parse: Parse, body: str, attr: str
) -> None:
    numbers = sorted({n for o in stored.all_outputs() for n in getattr(o.references, attr)})
    index = parse(client.get("/resolutions/"))
    for n in numbers:
        assert f"/resolutions/{body}/{n}/" in index.links
    n = numbers[0]
    citing = {o.number for o in stored.all_outputs() if n in getattr(o.references, attr)}
    if body == "wtdc":
        citing |= {o.number for o in stored.all_outputs() if o.references.all_wtdc_resolutions}
    assert output_links(parse(client.get(f"/resolutions/{body}/{n}/"))) == citing


def test_indexes_link_every_goal_and_line(client: Client, stored: Plan, parse: Parse) -> None:
    sdg = parse(client.get("/sdg/"))
    assert all(f"/sdg/{g.number}/" in sdg.links for g in registry.sdg_goals())
    wsis = parse(client.get("/wsis/"))
    assert all(f"/wsis/{w.code}/" in wsis.links for w in registry.wsis_lines())


@pytest.mark.parametrize("url", ["/sdg/18/", "/sdg/9/9.z/", "/sdg/8/9.c/", "/wsis/C12/", "/resolutions/pp/9999/"])
def test_unknown_references_are_404(client: Client, stored: Plan, url: str) -> None:
    assert client.get(url).status_code == 404
