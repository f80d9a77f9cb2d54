"""The plan's pages: overview, objective, output, indicator, introduction, versions, 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.http.response import HttpResponseBase
from django.test import Client

from actionplan.model import Plan, text_of

Parse = Callable[[HttpResponseBase], Any]
"""the ``parse`` fixture: a response as a parsed page (see conftest.Page)"""

pytestmark = pytest.mark.django_db

PAGE_TYPES = [
    "/",
    "/introduction/",
    "/objectives/2/",
    "/outputs/2.1/",
    "/indicators/2.1.3/",
    "/sdg/",
    "/sdg/9/",
    "/sdg/9/9.c/",
    "/wsis/",
    "/wsis/C5/",
    "/resolutions/",
    "/resolutions/pp/71/",
    "/resolutions/wtdc/17/",
    "/lint/",
    "/versions/",
    "/trace/",
    "/trace/sdg/9/",
    "/search/?q=宽带",
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("url", PAGE_TYPES)
def test_every_page_type_renders_in_both_languages(
    client: Client, stored: Plan, url: str, language: str, parse: Parse
) -> None:
    """Each page answers 200 with its language in <html lang>, a title, one h1, a skip link and landmarks."""
    client.cookies["actionplan_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    page = parse(response)
    html = page.all("html")[0]
    assert html["lang"] == {"zh-hans": "zh-Hans", "en": "en"}[language]
    assert len(page.all("h1")) == 1
    assert page.all("title") and "·" in page.text  # "<page> · <site>"
    assert any(a.get("href") == "#main" for a in page.all("a")), "skip link"
    assert [a.get("id") for a in page.all("main")] == ["main"]
    assert page.all("header") and page.all("nav") and page.all("footer")


@pytest.mark.parametrize("url", PAGE_TYPES)
def test_pages_have_no_inline_scripts_or_handlers(client: Client, stored: Plan, url: str, parse: Parse) -> None:
    """Scripts come from static files; inline blocks are only JSON data (a CSP forbids inline code)."""
    page = parse(client.get(url))
    for attrs in page.all("script"):
        assert attrs.get("src") or attrs.get("type") == "application/json", attrs
    for _tag, attrs in page.tags:
        assert not [name for name in attrs if name.startswith("on")], attrs


def test_overview_shows_every_objective_with_counts_from_the_plan(chinese: Client, stored: Plan, parse: Parse) -> None:
    """One card per objective, with its numbers of outcomes, indicators and outputs."""
    page = parse(chinese.get("/"))
    cards = [a for a in page.all("li") if (a.get("class") or "") == "card"]
    assert [c["id"] for c in cards] == [o.eid for o in stored.objectives]
    assert len(cards) == 4
    html = chinese.get("/").content.decode()
    for obj in stored.objectives:
        card = html.split(f'id="{obj.eid}"', 1)[1].split("</li>", 1)[0]
        outcomes = len(obj.outcomes)
        indicators = sum(len(oc.indicators) for oc in obj.outcomes)
        outputs = len(obj.outputs)
        assert [int(n) for n in _dd_numbers(card)] == [outcomes, indicators, outputs]
        assert f'href="/objectives/{obj.number}/"' in card
        assert text_of(obj.title, "zh") in card
    # objective 1 of the seed: 3 outcomes, 7 indicators, 6 outputs (as the source's table shows)
    first = stored.objectives[0]
    assert (len(first.outcomes), sum(len(o.indicators) for o in first.outcomes), len(first.outputs)) == (3, 7, 6)


def _dd_numbers(html: str) -> list[str]:
    import re

    return re.findall(r"<dd>(\d+)</dd>", html)


def test_objective_page_has_the_outcomes_table_as_in_the_source(chinese: Client, stored: Plan, parse: Parse) -> None:
    """Rows are outcomes; each lists its indicators (linked) and the outputs it maps to (linked)."""
    obj = stored.objectives[1]
    response = chinese.get(f"/objectives/{obj.number}/")
    page = parse(response)
    assert {oc.eid for oc in obj.outcomes} <= page.ids
    for oc in obj.outcomes:
        assert text_of(oc.text, "zh") in page.text
        for ind in oc.indicators:
            assert f"/indicators/{ind.number}/" in page.links
        for number in oc.outputs:
            assert f"/outputs/{number}/" in page.links
    headers = [a for a in page.all("th") if a.get("scope") == "col"]
    assert len(headers) == 3
    assert all(a.get("scope") == "row" for a in page.all("th") if a not in headers)


def test_output_page_shows_every_work_area_and_item(chinese: Client, stored: Plan, parse: Parse) -> None:
    """The full text: each project, work area title and item, in document order, with its eid."""
    out = stored.output("2.1")
    assert out is not None
    page = parse(chinese.get("/outputs/2.1/"))
    assert text_of(out.title, "zh") in page.text
    positions = []
    for project in out.projects:
        assert text_of(project.title, "zh") in page.text
        for area in project.work_areas:
            assert area.eid in page.ids
            assert text_of(area.title, "zh") in page.text
            for block in area.body():
                assert block.eid in page.ids
                text = " ".join(text_of(block.text, "zh").split())
                assert text in page.text
                positions.append(page.text.index(text))
    assert positions == sorted(positions), "work-area text in document order"
    for block in out.background:
        assert " ".join(text_of(block.text, "zh").split()) in page.text


def test_output_page_shows_all_six_regional_slots_empty_ones_marked(
    chinese: Client, stored: Plan, parse: Parse
) -> None:
    out = stored.output("2.1")
    assert out is not None
    html = chinese.get("/outputs/2.1/").content.decode()
    slots = out.regional_initiatives
    assert [s.region for s in slots] == ["AFR", "AMS", "ARB", "ASP", "CIS", "EUR"]
    for slot in slots:
        row = html.split(f'id="{slot.eid}"', 1)[1].split("</tr>", 1)[0]
        assert slot.region in row
        if not slot.blocks:
            assert 'class="empty"' in row
    for question in out.study_group_questions:
        assert question.eid in parse(chinese.get("/outputs/2.1/")).ids


def test_output_references_link_to_reference_pages(chinese: Client, stored: Plan, parse: Parse) -> None:
    """Each normalised reference of output 2.1 is a link to its page on the site."""
    out = stored.output("2.1")
    assert out is not None
    links = parse(chinese.get("/outputs/2.1/")).links
    refs = out.references
    for n in refs.pp_resolutions:
        assert f"/resolutions/pp/{n}/" in links
    for n in refs.wtdc_resolutions:
        assert f"/resolutions/wtdc/{n}/" in links
    for code in refs.wsis_action_lines:
        assert f"/wsis/{code}/" in links
    for goal in refs.sdg_goals:
        assert f"/sdg/{goal}/" in links
    for target in refs.sdg_targets:
        assert f"/sdg/{target.split('.')[0]}/{target}/" in links


def test_indicator_page_names_its_outcome_and_objective(english: Client, stored: Plan, parse: Parse) -> None:
    outcome = stored.outcome("2.1")
    assert outcome is not None
    indicator = outcome.indicators[2]
    assert indicator.number == "2.1.3"
    page = parse(english.get("/indicators/2.1.3/"))
    assert text_of(indicator.text, "en") in page.text
    assert text_of(outcome.text, "en") in page.text
    assert f"/objectives/2/#{outcome.eid}" in page.links
    assert "/objectives/2/" in page.links


def test_introduction_page_keeps_every_section_id(chinese: Client, stored: Plan, parse: Parse) -> None:
    page = parse(chinese.get("/introduction/"))
    for section in stored.preface + stored.introduction:
        assert section.eid in page.ids
    for block in stored.notes:
        assert block.eid in page.ids


def test_unknown_version_is_a_404_page_not_a_server_error(client: Client, stored: Plan, parse: Parse) -> None:
    """?version=99 names no stored version: a 404 page that says so, in the site's layout."""
    response = client.get("/outputs/2.1/?version=99")
    assert response.status_code == 404
    page = parse(response)
    assert "no version 99" in page.text
    assert len(page.all("h1")) == 1
    assert not any("version=99" in link for link in page.links), "links must not lead to more 404s"


@pytest.mark.parametrize(
    "url",
    ["/?version=nonsense!", "/outputs/9.9/", "/objectives/7/", "/indicators/9.9.9/", "/nowhere/"],
)
def test_unknown_things_are_404(client: Client, stored: Plan, url: str) -> None:
    assert client.get(url).status_code == 404


def test_empty_store_gives_404_on_pages_and_an_empty_versions_list(client: Client, db: None) -> None:
    assert client.get("/").status_code == 404
    response = client.get("/versions/")
    assert response.status_code == 200
    assert "actionplan import" in response.content.decode()


def test_version_query_is_kept_in_links(client: Client, stored: Plan, parse: Parse) -> None:
    """Browsing ?version=1 keeps the version, normalised to code@n, in every internal link."""
    page = parse(client.get("/objectives/2/?version=1"))
    internal = [link for link in page.links if link.startswith("/") and not link.startswith("/static/")]
    assert internal
    for link in internal:
        assert "version=baap%401" in link, link
    assert "/outputs/2.1/?version=baap%401" in page.links


def test_versions_page_lists_versions_with_links(client: Client, stored: Plan, parse: Parse) -> None:
    from actionplan.server.store import api

    changed = stored.model_copy(deep=True)
    changed.title["zh"] = "布宜诺斯艾利斯行动计划（修订）"
    api.import_plan(changed)
    page = parse(client.get("/versions/"))
    assert "/?version=baap%401" in page.links and "/?version=baap%402" in page.links
    # browsing version 1 shows version 1's title, the latest shows the new one
    assert "（修订）" not in parse(client.get("/?version=baap@1", HTTP_ACCEPT_LANGUAGE="zh-hans")).text
    assert "布宜诺斯艾利斯行动计划（修订）" in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_pinned_version_pages_are_cacheable_with_etag(client: Client, stored: Plan) -> None:
    """A page of ?version=code@n never changes: long private max-age, ETag, 304 on revalidation."""
    response = client.get("/outputs/2.1/?version=baap@1")
    assert response.status_code == 200
    assert "max-age=86400" in response["Cache-Control"]
    etag = response["ETag"]
    again = client.get("/outputs/2.1/?version=baap@1", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    latest = client.get("/outputs/2.1/")
    assert "no-cache" in latest["Cache-Control"] and latest["ETag"]
    english = client.get("/outputs/2.1/?version=baap@1", HTTP_IF_NONE_MATCH=etag, HTTP_COOKIE="actionplan_language=en")
    assert english.status_code == 200, "another language is another representation"
