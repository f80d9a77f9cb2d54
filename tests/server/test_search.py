"""Search over a stored version: Chinese substrings, English words, paths and highlights.
Runs on SQLite and (in the PostgreSQL pass) on PostgreSQL."""

from __future__ import annotations

import pytest

from actionplan.errors import NotFoundError, ValidationError
from actionplan.model import Plan
from actionplan.server.store import api
from actionplan.server.store.search import snippet

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(seed_plan: Plan) -> str:
    info, _ = api.import_plan(seed_plan)
    return info.ref


def test_chinese_phrase_inside_a_sentence_finds_output_2_1(stored: str) -> None:
    results = api.search("跨多国陆缆", stored)
    assert results.total == 1
    (hit,) = results.hits
    assert hit.eid == "obj_2__output_2.1__project_1__area_2__item_3"
    assert [eid for eid, _ in hit.path] == [
        "obj_2",
        "obj_2__output_2.1",
        "obj_2__output_2.1__project_1",
        "obj_2__output_2.1__project_1__area_2",
        "obj_2__output_2.1__project_1__area_2__item_3",
    ]
    assert hit.path[1][1] == "输出成果2.1" and hit.path[3][1].startswith("宽带网")
    assert hit.snippet_html.count("<mark>跨多国陆缆</mark>") == 2


def test_english_words_match_the_unofficial_titles_case_insensitively(stored: str) -> None:
    results = api.search("SPECTRUM management", stored, lang="en")
    eids = [h.eid for h in results.hits]
    assert "obj_2__output_2.1" in eids and all(h.lang == "en" for h in results.hits)
    assert api.search("Output", stored, lang="en").hits[0].path[0][1] == "Objective 1"


def test_every_term_is_required_and_paging_works(stored: str, seed_plan: Plan) -> None:
    from actionplan.model.texts import iter_texts

    both = api.search("网络安全 战略", stored)
    texts: dict[str, str] = {}
    for et in iter_texts(seed_plan, "zh"):
        texts[et.node.eid] = texts.get(et.node.eid, "") + et.text
    expected = [eid for eid, t in texts.items() if "网络安全" in t and "战略" in t]
    assert sorted(h.eid for h in both.hits) == sorted(expected) and expected
    page1 = api.search("ITU", stored, limit=5)
    page2 = api.search("ITU", stored, limit=5, offset=5)
    assert page1.total == page2.total > 10
    assert {h.eid for h in page1.hits}.isdisjoint(h.eid for h in page2.hits)


def test_empty_and_oversized_queries(stored: str) -> None:
    assert api.search("   ", stored).total == 0
    with pytest.raises(ValidationError, match="at most 200"):
        api.search("长" * 201, stored)
    with pytest.raises(NotFoundError):
        api.search("ITU", "baap@9")


def test_snippet_escapes_html_and_marks_every_match() -> None:
    assert snippet("a <b> ITU and itu", ["itu"]) == "a &lt;b&gt; <mark>ITU</mark> and <mark>itu</mark>"
