"""The language switch: zh-hans by default, en on request, remembered; fallbacks marked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.http.response import HttpResponseBase
from django.test import Client

from actionplan.model import Plan, text_of

Parse = Callable[[HttpResponseBase], Any]

pytestmark = pytest.mark.django_db


def test_chinese_is_the_default(client: Client, stored: Plan, parse: Parse) -> None:
    """Without a cookie or a browser preference, the UI is Chinese and shows the Chinese text."""
    page = parse(client.get("/"))
    assert page.all("html")[0]["lang"] == "zh-Hans"
    assert text_of(stored.title, "zh") in page.text
    assert "概览" in page.text  # the UI itself is translated


def test_switching_language_sets_the_cookie_and_the_next_page_is_english(
    client: Client, stored: Plan, parse: Parse
) -> None:
    """POST /i18n/setlang/ (the header's form) remembers English in a cookie and goes back."""
    form_page = client.get("/outputs/2.1/")
    form = [a for a in parse(form_page).all("form") if (a.get("action") or "").endswith("/i18n/setlang/")]
    assert form and form[0]["method"] == "post"
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/outputs/2.1/"})
    assert response.status_code == 302 and response["Location"] == "/outputs/2.1/"
    cookie = response.cookies["actionplan_language"]
    assert cookie.value == "en" and int(cookie["max-age"]) >= 365 * 24 * 3600 - 1

    out = stored.output("2.1")
    assert out is not None
    page = parse(client.get("/outputs/2.1/"))
    assert page.all("html")[0]["lang"] == "en"
    assert text_of(out.title, "en") in page.text
    assert "Background" in page.text or "Implementation framework" in page.text
    # the body exists only in Chinese: shown in Chinese, marked, never empty
    first = out.background[0]
    assert "en" not in first.text
    html = client.get("/outputs/2.1/").content.decode()
    paragraph = html.split(f'id="{first.eid}"', 1)[1].split("</p>", 1)[0]
    assert 'class="fallback" lang="zh-Hans"' in paragraph
    assert 'class="lang-badge">中文<' in paragraph
    assert text_of(first.text, "zh")[:20] in paragraph

    # the choice is remembered: the next request still gets English
    assert parse(client.get("/")).all("html")[0]["lang"] == "en"


def test_english_ui_strings_and_plan_titles(english: Client, stored: Plan, parse: Parse) -> None:
    page = parse(english.get("/"))
    assert "Overview" in page.text and "概览" not in page.text
    for obj in stored.objectives:
        assert text_of(obj.title, "en") in page.text


def test_fallback_marker_appears_only_where_english_is_missing(english: Client, stored: Plan) -> None:
    """Titles with English are plain; the Chinese-only table labels of outputs are marked."""
    html = english.get("/objectives/1/").content.decode()
    obj = stored.objectives[0]
    assert text_of(obj.title, "en") in html
    outcome = obj.outcomes[0]
    row = html.split(f'id="{outcome.eid}"', 1)[1].split("</tr>", 1)[0]
    assert text_of(outcome.text, "en") in row
    for indicator in outcome.indicators:
        assert text_of(indicator.text, "en") in row
    # output names: the table prints them in Chinese only, so English shows the outputs' titles
    for number in outcome.outputs:
        out = stored.output(number)
        assert out is not None and text_of(out.title, "en") in row
    assert "fallback" not in row


def test_chinese_page_has_no_fallback_markers_for_chinese_texts(chinese: Client, stored: Plan) -> None:
    html = chinese.get("/outputs/2.1/").content.decode()
    assert 'class="fallback"' not in html
