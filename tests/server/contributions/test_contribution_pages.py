"""The contribution pages through Django's test client: access, forms, optimistic locking, adoption.

What a page shows is checked against the store (``store.get_contribution``), and what a
form saves is read back from the store, never only from the page.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from actionplan.amend.model import Contribution
from actionplan.model import Plan
from actionplan.server.store import api, models
from actionplan.server.store import contributions as store
from tests.server.contributions.conftest import PARA, PARA_TEXT, PASSWORD, signed_in
from tests.server.web.conftest import Page

pytestmark = pytest.mark.django_db

AUDIO = PARA_TEXT.replace("音频和视频", "音频、视频和数据")
MEDIA = PARA_TEXT.replace("音频和视频", "多媒体内容")


def page_of(response: Any) -> Page:
    return Page(response.content.decode("utf-8"))


def hidden(response: Any, name: str) -> str:
    """The value of the hidden input ``name`` in a response's form."""
    m = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', response.content.decode("utf-8"))
    assert m, f"no input {name}"
    return html.unescape(m[1])


def textarea(response: Any, name: str) -> str:
    m = re.search(rf'<textarea name="{re.escape(name)}"[^>]*>\n?(.*?)</textarea>', response.content.decode(), re.S)
    assert m, f"no textarea {name}"
    return html.unescape(m[1])


def new_draft(document: str = "TDAG-1", user: Any = None) -> store.ContributionInfo:
    return store.create_contribution(Contribution(document=document, base="baap@1", sponsors=["CHN"]), user=user)


def submitted(document: str, text: str) -> store.ContributionInfo:
    info = new_draft(document)
    store.add_amendments_from_edit(info.pk, PARA, "text", "zh", text)
    info = store.get_contribution(info.pk)
    return store.submit_contribution(info.pk, info.revision)


# -- pages and access ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_contribution_page_renders_in_both_languages(
    base: Plan, alice: Any, secretariat: Any, language: str
) -> None:
    info = new_draft(user=alice)
    store.add_amendments_from_edit(info.pk, PARA, "text", "zh", AUDIO)
    submitted("TDAG-2", MEDIA)
    pk = info.pk
    urls = {
        alice: [
            "/contributions/",
            "/contributions/new/",
            f"/contributions/{pk}/",
            f"/contributions/{pk}/edit/",
            f"/contributions/{pk}/amend/",
            f"/contributions/{pk}/amend/?eid={PARA}&field=text&lang=zh",
            f"/contributions/{pk}/amendments/A1/",
            f"/contributions/{pk}/links/?output=obj_2__output_2.1",
            f"/contributions/{pk}/redline/",
            "/contributions/redline/baap@1/",
            "/contributions/conflicts/baap@1/",
        ],
        secretariat: ["/contributions/consolidate/baap@1/"],
    }
    for user, pages in urls.items():
        client = signed_in(user, language)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "no-store" in response["Cache-Control"], url
            p = page_of(response)
            assert p.all("html")[0]["lang"] == ("zh-Hans" if language == "zh-hans" else "en"), url
            assert len(p.all("h1")) == 1, url
            scripts = p.all("script")
            assert all(s.get("src") for s in scripts), f"{url}: inline script"
            assert not re.search(r"\son[a-z]+=", response.content.decode()), f"{url}: inline handler"
            for form in p.all("form"):
                if (form.get("method") or "get").lower() == "post":
                    assert "csrfmiddlewaretoken" in response.content.decode(), url


def test_reading_is_public_writing_needs_a_sign_in_and_deciding_a_secretariat_editor(
    client: Client, base: Plan, alice: Any
) -> None:
    info = new_draft()
    assert client.get(f"/contributions/{info.pk}/").status_code == 404  # a draft: its sponsors' only
    assert signed_in(alice).get(f"/contributions/{info.pk}/").status_code == 200
    store.add_amendments_from_edit(info.pk, PARA, "text", "zh", AUDIO)
    store.submit_contribution(info.pk, store.get_contribution(info.pk).revision)
    for url in (
        "/contributions/",
        f"/contributions/{info.pk}/",
        "/contributions/conflicts/baap@1/",
        "/accounts/login/",
    ):
        assert client.get(url).status_code == 200, url
    for url in (
        "/contributions/new/",
        f"/contributions/{info.pk}/amend/",
        f"/contributions/{info.pk}/edit/",
        "/contributions/consolidate/baap@1/",
    ):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={quote(url)}"), url
    response = signed_in(alice).get("/contributions/consolidate/baap@1/")
    assert response.status_code == 403
    assert "secretariat" in response.content.decode()


def test_signing_in_with_the_login_form(client: Client, base: Plan, alice: Any) -> None:
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD, "next": "/contributions/new/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/contributions/new/")
    assert client.get("/contributions/new/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/contributions/new/").status_code == 302


def test_forms_need_the_csrf_token(base: Plan, alice: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/contributions/new/", {"base": "baap@1", "document": "TDAG-1", "sponsors": "CHN"})
    assert response.status_code == 403
    assert models.Contribution.objects.count() == 0


def test_the_redline_marks_the_contributions_amendments(client: Client, base: Plan, alice: Any) -> None:
    info = new_draft()
    store.add_amendments_from_edit(info.pk, PARA, "text", "zh", AUDIO)
    assert client.get(f"/contributions/{info.pk}/redline/").status_code == 404  # a draft's redline is private
    body = signed_in(alice).get(f"/contributions/{info.pk}/redline/").content.decode()
    assert 'href="/contributions/redline.css"' in body
    assert re.search(r'<ins[^>]*data-amendment="A1"[^>]*>[^<]*数据', body)
    css = client.get("/contributions/redline.css")
    assert (css.status_code, css["Content-Type"]) == (200, "text/css; charset=utf-8")
    response = signed_in(alice).post(f"/contributions/{info.pk}/status/", {"action": "review", "revision": "1"})
    assert response.status_code == 403  # the secretariat puts contributions under review


def test_unknown_contributions_and_versions_are_404(client: Client, base: Plan) -> None:
    assert client.get("/contributions/999/").status_code == 404
    assert client.get("/contributions/conflicts/baap@9/").status_code == 404
    assert client.get("/versions/diff/?old=baap@1&new=baap@9").status_code == 404


# -- creating and authoring -----------------------------------------------------------------


def test_a_delegate_creates_a_draft(base: Plan, alice: Any) -> None:
    client = signed_in(alice)
    response = client.post(
        "/contributions/new/",
        {
            "base": "baap@1",
            "document": "TDAG-19/12",
            "meeting": "TDAG-19",
            "date": "2019-04-01",
            "language": "zh",
            "sponsors": "chn， bra",
            "title": "关于行动计划的建议",
            "introduction": "第一段。\n\n第二段。",
        },
    )
    info = store.get_contribution("TDAG-19/12")
    assert (response.status_code, response["Location"]) == (302, f"/contributions/{info.pk}/")
    c = info.contribution
    assert (c.meeting, c.date, c.sponsors, c.title, c.introduction, info.created_by) == (
        "TDAG-19",
        "2019-04-01",
        ["CHN", "BRA"],
        {"zh": "关于行动计划的建议"},
        [{"zh": "第一段。"}, {"zh": "第二段。"}],
        "alice",
    )
    shown = page_of(client.get(response["Location"])).text
    assert "TDAG-19/12" in shown and "CHN, BRA" in shown and "Contribution TDAG-19/12 created." in shown


def test_a_bad_sponsor_is_shown_on_its_field(base: Plan, alice: Any) -> None:
    response = signed_in(alice).post(
        "/contributions/new/", {"base": "baap@1", "document": "TDAG-1", "language": "zh", "sponsors": "XYZ"}
    )
    assert response.status_code == 400
    assert re.search(
        r'id="id_sponsors_error"><li>sponsor &#x27;XYZ&#x27; is not an ISO 3166', response.content.decode()
    )
    assert models.Contribution.objects.count() == 0


def test_an_edit_is_previewed_then_saved_as_amendments(base: Plan, alice: Any) -> None:
    info = new_draft(user=alice)
    client = signed_in(alice)
    url = f"/contributions/{info.pk}/amend/"

    form = client.get(f"{url}?eid={PARA}&field=text&lang=zh")
    assert textarea(form, "text") == PARA_TEXT
    posted = {"eid": PARA, "field": "text", "lang": "zh", "expected": hidden(form, "expected"), "text": AUDIO}

    preview = client.post(url, {**posted, "action": "preview", "justification": "数据业务"})
    assert preview.status_code == 200
    assert "音频<ins>、视频</ins>和<del>视频</del><ins>数据</ins>。" in preview.content.decode()
    assert store.get_contribution(info.pk).amendments == []  # a preview saves nothing

    saved = client.post(url, {**posted, "action": "save", "justification": "数据业务"})
    assert (saved.status_code, saved["Location"]) == (302, f"/contributions/{info.pk}/#amendments")
    a1 = store.get_contribution(info.pk).amendment("A1")
    assert (a1.amendment.target.old, a1.amendment.new_text, a1.amendment.justification, a1.updated_by) == (  # type: ignore[union-attr]
        "和视频",
        {"zh": "、视频和数据"},
        {"zh": "数据业务"},
        "alice",
    )
    detail = client.get(f"/contributions/{info.pk}/").content.decode()
    assert 'id="amendment-A1"' in detail and "<ins>数据</ins>" in detail
    again = client.get(f"{url}?eid={PARA}&field=text&lang=zh")
    assert textarea(again, "text") == AUDIO  # the text as the contribution now proposes it


def test_a_link_change_is_saved(base: Plan, alice: Any) -> None:
    info = new_draft()
    response = signed_in(alice).post(
        f"/contributions/{info.pk}/links/",
        {"output": "obj_2__output_2.1", "scheme": "sdg_target", "add": "4.4", "remove": "9.1", "justification": ""},
    )
    assert response.status_code == 302
    links = store.get_contribution(info.pk).amendment("A1").amendment.links
    assert links is not None and (links.scheme, links.add, links.remove) == ("sdg_target", ["4.4"], ["9.1"])


def test_submit_and_withdraw_carry_the_revision(base: Plan, alice: Any) -> None:
    info = new_draft()
    store.add_amendments_from_edit(info.pk, PARA, "text", "zh", AUDIO)
    client = signed_in(alice)
    stale = client.post(f"/contributions/{info.pk}/status/", {"action": "submit", "revision": str(info.revision)})
    assert stale.status_code == 302
    assert store.get_contribution(info.pk).status == "draft"  # someone (the edit) changed it since revision 1
    assert "was changed by" in page_of(client.get(stale["Location"])).text
    now = store.get_contribution(info.pk)
    client.post(f"/contributions/{info.pk}/status/", {"action": "submit", "revision": str(now.revision)})
    assert store.get_contribution(info.pk).status == "submitted"


# -- two editors ------------------------------------------------------------------------------


def test_two_editors_of_one_amendment_the_second_gets_409_and_the_first_ones_text(
    base: Plan, alice: Any, bob: Any
) -> None:
    info = new_draft()
    store.add_amendments_from_edit(info.pk, PARA, "text", "zh", AUDIO)
    url = f"/contributions/{info.pk}/amendments/A1/"
    alice_client, bob_client = signed_in(alice), signed_in(bob)
    alice_form, bob_form = alice_client.get(url), bob_client.get(url)
    revision = hidden(bob_form, "revision")
    assert hidden(alice_form, "revision") == revision

    first = alice_client.post(
        url, {"text": "、视频和数据业务", "justification": "", "revision": revision, "action": "save"}
    )
    assert first.status_code == 302
    second = bob_client.post(url, {"text": "、视频和文字", "justification": "", "revision": revision, "action": "save"})

    assert second.status_code == 409
    text = page_of(second).text
    assert "changed by alice" in text and "Someone else saved first" in text
    assert "、视频和数据业务" in text  # the other person's text
    assert textarea(second, "text") == "、视频和文字"  # bob's own text, kept in the form
    now = store.get_contribution(info.pk).amendment("A1")
    assert (now.amendment.new_text, now.updated_by) == ({"zh": "、视频和数据业务"}, "alice")
    assert hidden(second, "revision") == str(now.revision)  # a second save overwrites knowingly

    third = bob_client.post(
        url, {"text": "、视频和文字", "justification": "", "revision": hidden(second, "revision"), "action": "save"}
    )
    assert third.status_code == 302
    assert store.get_contribution(info.pk).amendment("A1").amendment.new_text == {"zh": "、视频和文字"}


def test_two_editors_of_one_text_the_second_gets_409_and_the_first_ones_text(base: Plan, alice: Any, bob: Any) -> None:
    info = new_draft()
    url = f"/contributions/{info.pk}/amend/"
    alice_client, bob_client = signed_in(alice), signed_in(bob)
    expected = hidden(alice_client.get(f"{url}?eid={PARA}&field=text&lang=zh"), "expected")
    assert hidden(bob_client.get(f"{url}?eid={PARA}&field=text&lang=zh"), "expected") == expected
    posted = {"eid": PARA, "field": "text", "lang": "zh", "expected": expected, "justification": "", "action": "save"}

    assert alice_client.post(url, {**posted, "text": AUDIO}).status_code == 302
    second = bob_client.post(url, {**posted, "text": MEDIA})

    assert second.status_code == 409
    assert AUDIO in page_of(second).text and textarea(second, "text") == MEDIA
    assert store.proposed_text(store.get_contribution(info.pk), PARA, "text", "zh") == AUDIO


def test_two_editors_of_one_header(base: Plan, alice: Any, bob: Any) -> None:
    info = new_draft()
    url = f"/contributions/{info.pk}/edit/"
    fields = {"document": "TDAG-1", "language": "zh", "sponsors": "CHN", "revision": str(info.revision)}
    assert signed_in(alice).post(url, {**fields, "meeting": "TDAG-19"}).status_code == 302
    second = signed_in(bob).post(url, {**fields, "meeting": "WTDC-21"})
    assert second.status_code == 409
    assert "TDAG-19" in page_of(second).text
    assert store.get_contribution(info.pk).contribution.meeting == "TDAG-19"


# -- conflicts and adoption -------------------------------------------------------------------


def test_the_conflicts_page_shows_the_colliding_amendments_side_by_side(client: Client, base: Plan) -> None:
    submitted("TDAG-1", AUDIO)
    submitted("TDAG-2", MEDIA)
    sets = store.conflicts("baap@1")
    response = client.get("/contributions/conflicts/baap@1/")
    p = page_of(response)
    variants = [v for v in p.all("li") if "variant" in (v.get("class") or "")]
    assert len(variants) == 2
    first, second = (m.proposed.key for m in sets[0].members)
    body = response.content.decode()
    assert body.index(f">{first}</a>") < body.index(f">{second}</a>")  # in the suggested order
    assert "<ins>多媒体内容</ins>" in body


def test_the_secretariat_previews_then_adopts(base: Plan, secretariat: Any) -> None:
    one = submitted("TDAG-1", AUDIO)
    two = submitted("TDAG-2", MEDIA)
    client = signed_in(secretariat)
    url = "/contributions/consolidate/baap@1/"
    a, b = one.amendment("A1"), two.amendment("A1")
    decisions = {
        f"d-{a.pk}-choice": "accept",
        f"d-{a.pk}-revision": str(a.revision),
        f"d-{b.pk}-choice": "reject",
        f"d-{b.pk}-revision": str(b.revision),
    }

    preview = client.post(url, {**decisions, "action": "preview"})
    assert preview.status_code == 200
    assert "<ins>数据</ins>" in preview.content.decode()
    assert [v.ref for v in api.list_versions()] == ["baap@1"]  # a preview stores nothing

    adopted = client.post(url, {**decisions, "action": "adopt"})
    assert (adopted.status_code, adopted["Location"]) == (302, "/versions/diff/?old=baap%401&new=baap%402")
    assert api.load_version("baap@2").element(PARA).text["zh"] == AUDIO  # type: ignore[union-attr]
    assert (store.get_contribution("TDAG-1").status, store.get_contribution("TDAG-2").status) == (
        "adopted",
        "rejected",
    )
    diff = client.get(adopted["Location"])
    text = page_of(diff).text
    assert "Adopted as version baap@2." in text and "by TDAG-1/A1" in text
    assert "<ins>数据</ins>" in diff.content.decode()


def test_an_adoption_with_a_modification_that_cannot_apply_is_refused_and_nothing_changes(
    base: Plan, secretariat: Any
) -> None:
    one = submitted("TDAG-1", AUDIO)
    a = one.amendment("A1")
    response = signed_in(secretariat).post(
        "/contributions/consolidate/baap@1/",
        {f"d-{a.pk}-choice": "accept", f"d-{a.pk}-revision": str(a.revision - 1), "action": "adopt"},
    )
    assert response.status_code == 409
    assert [v.ref for v in api.list_versions()] == ["baap@1"]
    assert store.get_contribution("TDAG-1").amendment("A1").status == "pending"
