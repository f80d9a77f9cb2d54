"""Contributions and amendments in the store: authoring, optimistic locking, conflicts, adoption.

Expected texts are worked out from the bundled base (``conftest.PARA_TEXT``) by hand, or
computed with the core (``apply_amendments``) where the store must agree with it.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from actionplan.amend.apply import AnchorError, apply_amendments
from actionplan.amend.consolidate import Decision
from actionplan.amend.model import Amendment, AmendmentStatus, Anchor, Contribution, ContributionStatus
from actionplan.errors import NotFoundError, ValidationError
from actionplan.model import Plan
from actionplan.server.store import api, models
from actionplan.server.store import contributions as store
from tests.server.contributions.conftest import PARA, PARA_TEXT

pytestmark = pytest.mark.django_db

AUDIO = PARA_TEXT.replace("音频和视频", "音频、视频和数据")
"""PARA as a first delegation proposes it: "audio, video and data"."""

SPECTRUM = PARA_TEXT.replace("更加高效地利用频谱", "更有效地利用频谱")
"""PARA as a second delegation proposes it: a change earlier in the sentence."""


def draft(document: str = "TDAG-1", sponsors: list[str] | None = None, user: Any = None) -> store.ContributionInfo:
    header = Contribution(document=document, base="baap@1", sponsors=["CHN"] if sponsors is None else sponsors)
    return store.create_contribution(header, user=user)


def submitted(document: str, text: str, user: Any = None) -> store.ContributionInfo:
    info = draft(document, user=user)
    store.add_amendments_from_edit(info.pk, PARA, "text", "zh", text, user=user)
    info = store.get_contribution(info.pk)
    return store.submit_contribution(info.pk, info.revision, user=user)


def state() -> dict[str, Any]:
    """Everything adoption may change, to compare before and after a failure."""
    return {
        "versions": list(models.PlanVersion.objects.values_list("number", "content_hash")),
        "elements": models.Element.objects.count(),
        "adopted": models.AdoptedChange.objects.count(),
        "amendments": list(
            models.Amendment.objects.order_by("pk").values_list(
                "status", "revision", "content", "adopted_content", "adopted_in"
            )
        ),
        "contributions": list(models.Contribution.objects.order_by("pk").values_list("status", "revision", "content")),
    }


# -- creating ---------------------------------------------------------------------------


def test_a_draft_is_stored_with_its_columns_derived_from_its_content(base: Plan, alice: Any) -> None:
    header = Contribution(
        document=" TDAG-19/12 ",
        base="baap",
        meeting="TDAG-19",
        date="2019-04-01",
        sponsors=["chn", "bra", "Huawei Technologies", "CHN"],
        title={"zh": "关于行动计划的建议"},
    )
    info = store.create_contribution(header, user=alice)

    assert (info.document, info.base, info.status, info.revision) == ("TDAG-19/12", "baap@1", "draft", 1)
    assert info.sponsors == ["CHN", "BRA", "Huawei Technologies"]
    assert (info.created_by, info.updated_by, info.amendments) == ("alice", "alice", [])
    row = models.Contribution.objects.get(pk=info.pk)
    assert (row.document, row.meeting, str(row.date), row.sponsors, row.title, row.status) == (
        "TDAG-19/12",
        "TDAG-19",
        "2019-04-01",
        "CHN, BRA, Huawei Technologies",
        "关于行动计划的建议",
        "draft",
    )
    assert Contribution.model_validate_json(row.content) == info.contribution
    assert store.get_contribution("TDAG-19/12") == info


@pytest.mark.parametrize(
    ("change", "where", "error"),
    [
        ({"document": "  "}, "document", ValidationError),
        ({"date": "2019-13-01"}, "date", ValidationError),
        ({"sponsors": ["XYZ"]}, "sponsors", ValidationError),
        ({"language": "中文"}, "language", ValidationError),
        ({"base": "baap@9"}, "base", NotFoundError),
        ({"base": "not a ref"}, "base", ValidationError),
        ({"status": ContributionStatus.adopted}, "status", ValidationError),
    ],
)
def test_a_bad_contribution_is_refused_naming_the_field(
    base: Plan, change: dict[str, Any], where: str, error: type[Exception]
) -> None:
    header = Contribution(document="TDAG-1", base="baap@1", sponsors=["CHN"]).model_copy(update=change)
    with pytest.raises(error) as caught:
        store.create_contribution(header)
    assert caught.value.where == where  # type: ignore[attr-defined]
    assert models.Contribution.objects.count() == 0


def test_document_numbers_are_unique(base: Plan) -> None:
    draft("TDAG-1")
    with pytest.raises(ValidationError, match="already stored") as caught:
        draft("TDAG-1")
    assert caught.value.where == "document"


def test_the_bundled_contribution_imports_complete(base: Plan, bundled: Contribution) -> None:
    """The source's eight amendments are stored in order, pending, and put to the meeting."""
    info = store.create_contribution(
        bundled.model_copy(update={"document": "BAAP-ZH", "sponsors": ["CHN"]}), base="baap@1"
    )

    assert (info.status, [a.ident for a in info.amendments]) == ("submitted", [f"A{n}" for n in range(1, 9)])
    assert [a.amendment.model_copy(update={"status": "pending"}) for a in info.amendments] == bundled.amendments
    assert {a.status for a in info.amendments} == {AmendmentStatus.pending}
    assert [p.key for p in store.proposed_for("baap@1")] == [f"BAAP-ZH/A{n}" for n in range(1, 9)]
    row = models.Amendment.objects.get(contribution_id=info.pk, ident="A2")
    assert (row.type, row.target_eid, row.status) == ("insertion", PARA, "pending")


def test_an_amendment_that_cannot_be_anchored_is_refused_and_nothing_stored(base: Plan, bundled: Contribution) -> None:
    broken = bundled.amendments[1].model_copy(
        update={"target": Anchor(eid=PARA, old="", before="这句话不在文本里", after="")}
    )
    c = bundled.model_copy(update={"document": "BAAP-ZH", "sponsors": ["CHN"], "amendments": [broken]})
    with pytest.raises(AnchorError, match="not found") as caught:
        store.create_contribution(c, base="baap@1")
    assert caught.value.where == "A2"
    assert (models.Contribution.objects.count(), models.Amendment.objects.count()) == (0, 0)


# -- authoring --------------------------------------------------------------------------


def test_an_edit_becomes_amendments_and_a_second_edit_keeps_what_is_unchanged(base: Plan, alice: Any) -> None:
    info = draft(user=alice)
    assert store.proposed_text(info, PARA, "text", "zh") == PARA_TEXT

    first = store.add_amendments_from_edit(info.pk, PARA, "text", "zh", AUDIO, justification="数据", user=alice)
    assert [(a.ident, a.type, a.amendment.target.old, a.amendment.new_text) for a in first] == [  # type: ignore[union-attr]
        ("A1", "substitution", "和视频", {"zh": "、视频和数据"})
    ]
    assert first[0].amendment.justification == {"zh": "数据"}

    both = AUDIO.replace("更加高效地利用频谱", "更有效地利用频谱资源")
    second = store.add_amendments_from_edit(info.pk, PARA, "text", "zh", both, user=alice)
    assert [(a.ident, a.amendment.target.old) for a in second] == [  # type: ignore[union-attr]
        ("A1", "和视频"),
        ("A2", "更加高效"),
        ("A3", ""),
    ]
    assert second[0].revision == first[0].revision  # untouched
    info = store.get_contribution(info.pk)
    assert store.proposed_text(info, PARA, "text", "zh") == both
    assert apply_amendments(base, info.contribution.amendments).element(PARA).text["zh"] == both  # type: ignore[union-attr]

    store.add_amendments_from_edit(info.pk, PARA, "text", "zh", PARA_TEXT, user=alice)
    assert store.get_contribution(info.pk).amendments == []


def test_an_unchanged_text_proposes_nothing(base: Plan) -> None:
    info = draft()
    with pytest.raises(ValidationError, match="unchanged") as caught:
        store.add_amendments_from_edit(info.pk, PARA, "text", "zh", PARA_TEXT)
    assert caught.value.where == "text"


def test_an_edit_of_an_unknown_element_is_refused(base: Plan) -> None:
    info = draft()
    with pytest.raises(NotFoundError) as caught:
        store.add_amendments_from_edit(info.pk, "obj_9", "text", "zh", "x")
    assert caught.value.where == "eid"


def test_links_new_elements_and_deletions_are_amendments_too(base: Plan) -> None:
    info = draft()
    link = store.add_link_change(info.pk, "obj_2__output_2.1", "sdg_target", ["4.4"], ["9.1"])
    para = store.add_new_element(info.pk, "obj_2__output_2.1", "background", None, "新段落。", "zh")
    gone = store.add_element_deletion(info.pk, "obj_2__output_2.1__background__para_1")

    assert [(a.ident, a.type) for a in (link, para, gone)] == [
        ("A1", "reference_change"),
        ("A2", "element_creation"),
        ("A3", "deletion"),
    ]
    plan = apply_amendments(base, store.get_contribution(info.pk).contribution.amendments)
    refs = plan.output("2.1").references  # type: ignore[union-attr]
    assert "4.4" in refs.sdg_targets and "9.1" not in refs.sdg_targets
    with pytest.raises(ValidationError) as caught:
        store.add_link_change(info.pk, "obj_2__output_2.1", "sdg_target", ["99.z"], [])
    assert caught.value.where == "add"


def test_only_a_draft_changes(base: Plan) -> None:
    info = submitted("TDAG-1", AUDIO)
    with pytest.raises(ValidationError, match="only a draft") as caught:
        store.add_amendments_from_edit(info.pk, PARA, "text", "zh", SPECTRUM)
    assert caught.value.where == "status"
    a1 = info.amendment("A1")
    with pytest.raises(ValidationError, match="only a draft"):
        store.update_amendment(info.pk, "A1", a1.amendment, a1.revision)


# -- optimistic locking -----------------------------------------------------------------


def test_two_editors_of_one_amendment_the_second_is_refused_and_sees_the_first(
    base: Plan, alice: Any, bob: Any
) -> None:
    info = draft(user=alice)
    store.add_amendments_from_edit(info.pk, PARA, "text", "zh", AUDIO, user=alice)
    loaded_by_alice = store.get_contribution(info.pk).amendment("A1")
    loaded_by_bob = store.get_contribution(info.pk).amendment("A1")

    alices = loaded_by_alice.amendment.model_copy(update={"new_text": {"zh": "、视频和数据业务"}})
    saved = store.update_amendment(info.pk, "A1", alices, loaded_by_alice.revision, user=alice)
    assert (saved.revision, saved.updated_by) == (loaded_by_alice.revision + 1, "alice")

    bobs = loaded_by_bob.amendment.model_copy(update={"new_text": {"zh": "、视频和文字"}})
    with pytest.raises(store.ConflictError, match="changed by alice") as caught:
        store.update_amendment(info.pk, "A1", bobs, loaded_by_bob.revision, user=bob)
    assert caught.value.current.amendment.new_text == {"zh": "、视频和数据业务"}
    assert caught.value.where == "TDAG-1/A1"
    row = models.Amendment.objects.get(contribution_id=info.pk, ident="A1")
    assert (Amendment.model_validate_json(row.content).new_text, row.revision, row.updated_by.username) == (
        {"zh": "、视频和数据业务"},
        saved.revision,
        "alice",
    )

    again = store.update_amendment(info.pk, "A1", bobs, caught.value.current.revision, user=bob)
    assert (again.amendment.new_text, again.updated_by) == ({"zh": "、视频和文字"}, "bob")


def test_two_editors_of_one_text_the_second_is_refused_and_sees_the_first(base: Plan, alice: Any, bob: Any) -> None:
    info = draft(user=alice)
    loaded = {a.ident: a.revision for a in store.text_amendments(info, PARA, "text", "zh")}  # both open the form
    store.add_amendments_from_edit(info.pk, PARA, "text", "zh", AUDIO, expected=loaded, user=alice)
    with pytest.raises(store.ConflictError) as caught:
        store.add_amendments_from_edit(info.pk, PARA, "text", "zh", SPECTRUM, expected=loaded, user=bob)
    now = caught.value.current
    assert store.proposed_text(now, PARA, "text", "zh") == AUDIO
    assert store.proposed_text(store.get_contribution(info.pk), PARA, "text", "zh") == AUDIO


def test_two_editors_of_one_header(base: Plan, alice: Any, bob: Any) -> None:
    info = draft(user=alice)
    store.update_contribution(info.pk, info.revision, {"meeting": "TDAG-19"}, user=alice)
    with pytest.raises(store.ConflictError, match="changed by alice") as caught:
        store.update_contribution(info.pk, info.revision, {"meeting": "WTDC-21"}, user=bob)
    assert caught.value.current.contribution.meeting == "TDAG-19"
    assert models.Contribution.objects.get(pk=info.pk).meeting == "TDAG-19"


def test_a_stale_submit_is_refused_after_someone_added_an_amendment(base: Plan, alice: Any, bob: Any) -> None:
    info = draft(user=alice)
    store.add_amendments_from_edit(info.pk, PARA, "text", "zh", AUDIO, user=alice)
    seen_by_alice = store.get_contribution(info.pk)
    store.add_link_change(info.pk, "obj_2__output_2.1", "sdg_target", ["4.4"], [], user=bob)
    with pytest.raises(store.ConflictError):
        store.submit_contribution(info.pk, seen_by_alice.revision, user=alice)
    assert store.get_contribution(info.pk).status == "draft"


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_amendment_one_wins(base: Plan, alice: Any, bob: Any) -> None:
    """Two editors saving at the same moment from two connections: exactly one save is written."""
    if connection.vendor == "sqlite":
        pytest.skip("the test database is in-memory SQLite, one connection; this runs on PostgreSQL")
    info = draft(user=alice)
    store.add_amendments_from_edit(info.pk, PARA, "text", "zh", AUDIO, user=alice)
    loaded = store.get_contribution(info.pk).amendment("A1")
    barrier = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def save(user: Any, words: str) -> None:
        try:
            barrier.wait()
            am = loaded.amendment.model_copy(update={"new_text": {"zh": words}})
            store.update_amendment(info.pk, "A1", am, loaded.revision, user=user)
            outcome[user.username] = "saved"
        except store.ConflictError:
            outcome[user.username] = "conflict"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(u, w)) for u, w in ((alice, "、视频甲"), (bob, "、视频乙"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcome.values()) == ["conflict", "saved"]
    winner = next(name for name, result in outcome.items() if result == "saved")
    now = store.get_contribution(info.pk).amendment("A1")
    assert (now.revision, now.updated_by) == (loaded.revision + 1, winner)
    assert now.amendment.new_text == {"zh": "、视频甲" if winner == "alice" else "、视频乙"}


# -- status changes ---------------------------------------------------------------------


def test_submitting_needs_a_sponsor_and_an_amendment(base: Plan) -> None:
    info = draft(sponsors=[])
    with pytest.raises(ValidationError, match="no sponsor") as caught:
        store.submit_contribution(info.pk, info.revision)
    assert caught.value.where == "sponsors"
    info = store.update_contribution(info.pk, info.revision, {"sponsors": ["BRA"]})
    with pytest.raises(ValidationError, match="no amendment"):
        store.submit_contribution(info.pk, info.revision)


def test_withdrawing_withdraws_the_pending_amendments(base: Plan) -> None:
    info = submitted("TDAG-1", AUDIO)
    done = store.withdraw_contribution(info.pk, info.revision)
    assert done.status == "withdrawn"
    assert [a.status for a in done.amendments] == ["withdrawn"]
    assert store.proposed_for("baap@1") == []


# -- conflicts --------------------------------------------------------------------------


def test_conflicting_amendments_of_two_contributions_form_a_set(base: Plan) -> None:
    submitted("TDAG-1", AUDIO)
    submitted("TDAG-2", PARA_TEXT.replace("音频和视频", "多媒体内容"))
    submitted("TDAG-3", SPECTRUM)  # touches other words of the same text: no conflict
    draft("TDAG-4")  # drafts are not before the meeting

    sets = store.conflicts("baap@1")

    assert [(s.eid, s.field, sorted(s.keys)) for s in sets] == [(PARA, "text", ["TDAG-1/A1", "TDAG-2/A1"])]
    departures = [v.departure for v in sets[0].members]
    assert departures == sorted(departures, reverse=True)
    assert {v.text for v in sets[0].members} == {AUDIO, PARA_TEXT.replace("音频和视频", "多媒体内容")}


# -- adoption ---------------------------------------------------------------------------


def test_adoption_stores_the_consolidated_version_statuses_and_provenance(base: Plan, secretariat: Any) -> None:
    submitted("TDAG-1", AUDIO)
    two = draft("TDAG-2")
    store.add_amendments_from_edit(two.pk, PARA, "text", "zh", SPECTRUM)
    link = store.add_link_change(two.pk, "obj_2__output_2.1", "sdg_target", ["4.4"], [])
    two = store.get_contribution(two.pk)
    two = store.submit_contribution(two.pk, two.revision)
    submitted("TDAG-3", PARA_TEXT.replace("过渡", "转型"))
    modified = two.amendment("A1").amendment.model_copy(update={"new_text": {"zh": "更为有效"}})

    done = store.adopt(
        "baap@1",
        [
            Decision("TDAG-1/A1", "accept"),
            Decision("TDAG-2/A1", "modify", modified),
            Decision(f"TDAG-2/{link.ident}", "reject"),
            Decision("TDAG-3/A1", "reject"),
        ],
        user=secretariat,
    )

    expected_text = AUDIO.replace("更加高效地利用频谱", "更为有效地利用频谱")
    assert done.version is not None and (done.version.ref, done.created) == ("baap@2", True)
    new = api.load_version("baap@2")
    assert new.element(PARA).text["zh"] == expected_text  # type: ignore[union-attr]
    assert "4.4" not in new.output("2.1").references.sdg_targets  # type: ignore[union-attr]
    assert done.contributions == {"TDAG-1": "adopted", "TDAG-2": "partly_adopted", "TDAG-3": "rejected"}
    assert {d: store.get_contribution(d).status for d in ("TDAG-1", "TDAG-2", "TDAG-3")} == done.contributions
    assert done.statuses == {
        "TDAG-1/A1": "accepted",
        "TDAG-2/A1": "accepted_with_modification",
        "TDAG-2/A2": "rejected",
        "TDAG-3/A1": "rejected",
    }
    a = store.get_contribution("TDAG-2").amendment("A1")
    assert (a.status, a.adopted_in, a.adopted.new_text) == (  # type: ignore[union-attr]
        "accepted_with_modification",
        "baap@2",
        {"zh": "更为有效"},
    )
    assert store.get_contribution("TDAG-3").amendment("A1").adopted_in is None
    assert store.adopted_changes("baap@2") == {"TDAG-1/A1": [PARA], "TDAG-2/A1": [PARA]}
    assert models.AdoptedChange.objects.filter(version__number=2).count() == 2
    assert api.version_info("baap@2").note == "adopted from baap@1: TDAG-1, TDAG-2, TDAG-3"
    assert store.proposed_for("baap@1") == []


def test_adopting_the_bundled_contribution_gives_the_core_consolidation(base: Plan, bundled: Contribution) -> None:
    info = store.create_contribution(
        bundled.model_copy(update={"document": "BAAP-ZH", "sponsors": ["CHN"]}), base="baap@1"
    )
    done = store.adopt("baap@1", [Decision(a.key, "accept") for a in info.amendments])

    expected = apply_amendments(base, bundled.amendments)
    stored = api.load_version("baap@2")
    assert stored.model_dump(exclude={"source"}) == expected.model_dump(exclude={"source"})
    assert (stored.source.name, stored.source.format) == ("baap@1 + BAAP-ZH", "adoption")
    assert set(done.provenance) == {a.key for a in info.amendments}
    assert done.provenance["BAAP-ZH/A1"] == ["obj_2__output_2.1__project_1__area_2__item_3"]
    assert store.get_contribution("BAAP-ZH").status == "adopted"


def test_rejecting_everything_stores_no_version(base: Plan) -> None:
    submitted("TDAG-1", AUDIO)
    done = store.adopt("baap@1", [Decision("TDAG-1/A1", "reject")])
    assert (done.version, done.created, done.contributions) == (None, False, {"TDAG-1": "rejected"})
    assert models.PlanVersion.objects.count() == 1


def test_a_contribution_is_decided_whole(base: Plan) -> None:
    info = draft()
    store.add_amendments_from_edit(info.pk, PARA, "text", "zh", AUDIO)
    store.add_link_change(info.pk, "obj_2__output_2.1", "sdg_target", ["4.4"], [])
    info = store.get_contribution(info.pk)
    store.submit_contribution(info.pk, info.revision)
    before = state()
    with pytest.raises(ValidationError, match="no decision on TDAG-1/A2") as caught:
        store.adopt("baap@1", [Decision("TDAG-1/A1", "accept")])
    assert caught.value.where == "TDAG-1/A2"
    with pytest.raises(ValidationError, match="not a pending amendment"):
        store.adopt("baap@1", [Decision("TDAG-9/A1", "accept")])
    assert state() == before


def test_adoption_of_amendments_changed_since_they_were_seen_is_refused(base: Plan) -> None:
    info = draft()
    store.add_amendments_from_edit(info.pk, PARA, "text", "zh", AUDIO)
    seen = store.get_contribution(info.pk).amendment("A1")
    # the draft is edited again before it is submitted: the secretariat saw the old revision
    store.update_amendment(
        info.pk, "A1", seen.amendment.model_copy(update={"new_text": {"zh": "、视频"}}), seen.revision
    )
    info = store.get_contribution(info.pk)
    store.submit_contribution(info.pk, info.revision)
    before = state()
    with pytest.raises(store.ConflictError):
        store.adopt("baap@1", [Decision("TDAG-1/A1", "accept")], revisions={"TDAG-1/A1": seen.revision})
    assert state() == before


def test_an_adoption_failing_part_way_leaves_no_trace(base: Plan, secretariat: Any) -> None:
    """The first decisions are written, then the modified wording of the last cannot be anchored:
    no version, no element, no provenance row, no status changed."""
    submitted("TDAG-1", AUDIO)
    submitted("TDAG-2", SPECTRUM)
    a = store.get_contribution("TDAG-2").amendment("A1").amendment
    unanchorable = a.model_copy(update={"target": a.target.model_copy(update={"old": "不在文本中"})})  # type: ignore[union-attr]
    before = state()

    with pytest.raises(AnchorError, match="not found"):
        store.adopt(
            "baap@1",
            [Decision("TDAG-1/A1", "accept"), Decision("TDAG-2/A1", "modify", unanchorable)],
            user=secretariat,
        )

    assert state() == before
    assert [v.ref for v in api.list_versions()] == ["baap@1"]
    assert {c.status for c in store.list_contributions()} == {ContributionStatus.submitted}


def test_an_adoption_failing_in_the_store_leaves_no_trace(base: Plan) -> None:
    """A modified wording the store cannot hold (NUL) fails after earlier decisions were written."""
    submitted("TDAG-1", AUDIO)
    submitted("TDAG-2", SPECTRUM)
    a = store.get_contribution("TDAG-2").amendment("A1").amendment
    before = state()
    with pytest.raises(ValidationError, match="NUL"):
        store.adopt(
            "baap@1",
            [
                Decision("TDAG-1/A1", "accept"),
                Decision("TDAG-2/A1", "modify", a.model_copy(update={"new_text": {"zh": "更\x00有效"}})),
            ],
        )
    assert state() == before
