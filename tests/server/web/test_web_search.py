"""The search page: hits highlighted with their path, htmx fragment, plain form fallback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.http.response import HttpResponseBase
from django.test import Client

from actionplan.model import Plan, text_of

Parse = Callable[[HttpResponseBase], Any]

pytestmark = pytest.mark.django_db


def _element_texts(plan: Plan, term: str) -> list[str]:
    """Eids of elements whose own zh text contains ``term`` (computed from the model)."""
    found = []
    for node in plan.walk():
        for name in ("title", "text", "heading", "label"):
            value = getattr(node, name, None)
            if isinstance(value, dict) and term in text_of(value, "zh", fallback=False):
                found.append(node.eid)
                break
    return found


def test_search_finds_the_cross_border_cables_of_output_2_1(chinese: Client, stored: Plan, parse: Parse) -> None:
    """跨多国陆缆 occurs in output 2.1 only: every hit links into its page, highlighted, with a path."""
    expected = _element_texts(stored, "跨多国陆缆")
    assert expected and all(e.startswith("obj_2__output_2.1__") for e in expected)
    response = chinese.get("/search/", {"q": "跨多国陆缆"})
    html = response.content.decode()
    page = parse(response)
    assert "<mark>跨多国陆缆</mark>" in html
    hits = [link for link in page.links if link.startswith("/outputs/2.1/#")]
    assert {link.split("#", 1)[1] for link in hits} >= set(expected)
    # the path: objective > output > project > work area > item
    assert "/objectives/2/" in page.links and "/outputs/2.1/" in page.links
    assert "输出成果2.1" in page.text


def test_search_in_english(english: Client, stored: Plan, parse: Parse) -> None:
    out = stored.output("2.1")
    assert out is not None
    word = "broadband"
    response = english.get("/search/", {"q": word})
    assert response.status_code == 200
    assert "<mark>" in response.content.decode().lower()
    assert "/outputs/2.1/" in parse(response).links


def test_htmx_request_gets_only_the_results_fragment(chinese: Client, stored: Plan) -> None:
    response = chinese.get("/search/", {"q": "跨多国陆缆"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<mark>跨多国陆缆</mark>" in html
    assert "<html" not in html and "<header" not in html


def test_search_page_has_a_labelled_box_that_works_without_javascript(chinese: Client, stored: Plan) -> None:
    html = chinese.get("/search/").content.decode()
    assert '<label for="q">' in html and 'id="q"' in html
    assert 'method="get"' in html and 'hx-get="/search/"' in html
    assert 'hx-trigger="input changed delay:300ms' in html


def test_search_with_no_hits_and_with_a_too_long_query(chinese: Client, stored: Plan) -> None:
    assert "没有找到" in chinese.get("/search/", {"q": "zzzzqqqq"}).content.decode()
    response = chinese.get("/search/", {"q": "长" * 500})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_search_keeps_the_version(chinese: Client, stored: Plan, parse: Parse) -> None:
    page = parse(chinese.get("/search/", {"q": "跨多国陆缆", "version": "1"}))
    hits = [link for link in page.links if link.startswith("/outputs/2.1/")]
    assert hits and all("version=baap%401#" in link or link.endswith("version=baap%401") for link in hits)
