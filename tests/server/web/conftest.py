"""A store holding the seed plan, for page tests (SQLite by default, PostgreSQL when asked).

Expected values in these tests are computed from the parsed plan (``stored``), never
copied from what the pages print.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.http.response import HttpResponseBase
from django.test import Client

from actionplan.model import Plan

LANGUAGE_COOKIE = "actionplan_language"


@pytest.fixture
def stored(db: None, seed_plan: Plan) -> Plan:
    """The seed plan imported as ``baap@1``; the plan object as stored."""
    from actionplan.server.store import api

    info, created = api.import_plan(seed_plan)
    assert created and info.ref == "baap@1"
    return seed_plan


@pytest.fixture
def english(client: Client) -> Client:
    """A client whose language cookie says English (as after the language switch)."""
    client.cookies[LANGUAGE_COOKIE] = "en"
    return client


@pytest.fixture
def chinese(client: Client) -> Client:
    client.cookies[LANGUAGE_COOKIE] = "zh-hans"
    return client


class Page(HTMLParser):
    """A parsed page: ids, links, text, and a few structural facts tests check."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text_parts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        """The page's text with runs of white space made one space."""
        return re.sub(r"\s+", " ", "".join(self.text_parts))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


@pytest.fixture
def parse() -> Callable[[HttpResponseBase], Page]:
    """``parse(response)``: the response's HTML as a :class:`Page`."""

    def parse_response(response: HttpResponseBase) -> Page:
        return Page(response.content.decode("utf-8"))  # type: ignore[attr-defined]

    return parse_response
