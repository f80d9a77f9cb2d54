"""Pages of a version are rendered once per process; each visitor still gets a CSRF token
that works (the language form posts with it)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from actionplan.model import Plan

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def test_second_visitor_gets_the_cached_page_with_a_working_token_of_their_own(stored: Plan) -> None:
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page1 = first.get("/outputs/2.1/")
    page2 = second.get("/outputs/2.1/")
    assert page1.status_code == page2.status_code == 200
    assert TOKEN.sub("", page1.content.decode()) == TOKEN.sub("", page2.content.decode())  # same page
    token2 = TOKEN.search(page2.content.decode())[1]  # type: ignore[index]
    assert token2 != TOKEN.search(page1.content.decode())[1]  # type: ignore[index]
    switched = second.post("/i18n/setlang/", {"language": "en", "next": "/outputs/2.1/", "csrfmiddlewaretoken": token2})
    assert switched.status_code == 302
    english = second.get("/outputs/2.1/")
    assert 'lang="en"' in english.content.decode()


def test_cache_keys_on_language_and_version(stored: Plan, seed_plan: Plan) -> None:
    from actionplan.server.store import api

    client = Client()
    zh = client.get("/outputs/3.2/").content.decode()
    client.cookies["actionplan_language"] = "en"
    en = client.get("/outputs/3.2/").content.decode()
    assert 'lang="zh-Hans"' in zh and 'lang="en"' in en
    changed = seed_plan.model_copy(deep=True)
    changed.output("3.2").title["zh"] = "关于电信/ICT统计的产品与服务"  # type: ignore[union-attr]
    api.import_plan(changed)
    client.cookies["actionplan_language"] = "zh-hans"
    latest = client.get("/outputs/3.2/").content.decode()
    assert "关于电信/ICT统计的产品与服务" in latest  # the new latest version, not the cached page
