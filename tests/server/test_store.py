"""The store keeps each imported plan as numbered, immutable versions (the official record).

Expected values are worked out by hand from the tiny plan in ``conftest.build_plan``: one
objective, one outcome with one indicator, one output whose references are SDG goals 4 and
9, target 9.c, WSIS C2, PP Res. 139 and WTDC Res. 37 (cited twice).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from actionplan.errors import NotFoundError, StoreError, ValidationError
from actionplan.model import (
    Block,
    Citation,
    Plan,
    Project,
    RegionalInitiativeSlot,
    Section,
    StudyGroupQuestion,
    WorkArea,
    child,
)
from actionplan.server.store import api, models

pytestmark = pytest.mark.django_db(transaction=True)

MakePlan = Callable[..., Plan]


def table_counts() -> dict[str, int]:
    return {
        "plans": models.Plan.objects.count(),
        "versions": models.PlanVersion.objects.count(),
        "elements": models.Element.objects.count(),
        "links": models.ReferenceLink.objects.count(),
    }


# -- importing ------------------------------------------------------------------------


def test_import_creates_version_1_with_elements_and_links(make_plan: MakePlan) -> None:
    """A first import stores version 1 with one element per node and one link per reference."""
    info, created = api.import_plan(make_plan(), note="first")

    assert created is True
    assert (info.plan_code, info.number, info.ref) == ("baap", 1, "baap@1")
    assert (info.source_name, info.source_format, info.note) == ("baap.txt", "txt", "first")
    assert info.counts == {"objectives": 1, "outcomes": 1, "indicators": 1, "outputs": 1}
    assert len(info.content_hash) == 64

    plan = models.Plan.objects.get(code="baap")
    assert (plan.title_zh, plan.title_en) == ("布宜诺斯艾利斯行动计划", "Buenos Aires Action Plan")
    version = plan.versions.get()
    assert version.source_sha256 == "ab" * 32
    rows = list(version.elements.values_list("ordinal", "kind", "eid", "parent_eid", "number"))
    assert rows == [
        (1, "objective", "obj_1", "", "1"),
        (2, "outcome", "obj_1__outcome_1.1", "obj_1", "1.1"),
        (3, "indicator", "obj_1__outcome_1.1__ind_1.1.1", "obj_1__outcome_1.1", "1.1.1"),
        (4, "output", "obj_1__output_1.1", "obj_1", "1.1"),
        (5, "references", "obj_1__output_1.1__refs", "obj_1__output_1.1", ""),
    ]
    indicator = version.elements.get(kind="indicator")
    assert (indicator.text_zh, indicator.text_en, indicator.line) == (
        "宽带用户数",
        "Broadband subscribers",
        12,
    )
    links = set(version.reference_links.values_list("output_number", "scheme", "code"))
    assert links == {
        ("1.1", "sdg_goal", "4"),
        ("1.1", "sdg_goal", "9"),
        ("1.1", "sdg_target", "9.c"),
        ("1.1", "wsis", "C2"),
        ("1.1", "pp_resolution", "139"),
        ("1.1", "wtdc_resolution", "37"),
    }
    assert version.reference_links.count() == 6  # WTDC 37 cited twice, stored once


def test_reimporting_identical_content_is_a_no_op(make_plan: MakePlan) -> None:
    """The same content again, even from another file, stores nothing and returns v1."""
    first, _ = api.import_plan(make_plan())
    before = table_counts()

    again, created = api.import_plan(make_plan(source_name="baap.docx"), note="again")

    assert created is False
    assert again == first
    assert table_counts() == before


def test_content_hash_ignores_source_only(make_plan: MakePlan) -> None:
    """The hash is the SHA-256 of the canonical JSON without ``source``, and nothing else."""
    import hashlib
    import json

    content = make_plan().model_dump(mode="json")
    del content["source"]
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert api.content_hash(make_plan().model_dump(mode="json")) == (hashlib.sha256(text.encode("utf-8")).hexdigest())
    info, _ = api.import_plan(make_plan())
    assert info.content_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_changed_content_gives_version_2(make_plan: MakePlan) -> None:
    """Changed content makes the next number; v1 stays as it was."""
    v1, _ = api.import_plan(make_plan())
    v2, created = api.import_plan(make_plan(outcome_text="改变了的成果"))

    assert created is True
    assert (v2.plan_code, v2.number) == ("baap", 2)
    assert v2.content_hash != v1.content_hash
    assert api.load_version("baap@1") == make_plan()
    assert api.load_version("baap@2").all_outcomes()[0].text == {"zh": "改变了的成果"}


def test_reverting_to_older_content_returns_the_older_version(make_plan: MakePlan) -> None:
    """Content equal to any stored version (not only the latest) is that version."""
    api.import_plan(make_plan())
    api.import_plan(make_plan(outcome_text="改变了的成果"))

    info, created = api.import_plan(make_plan())

    assert (created, info.number) == (False, 1)
    assert models.PlanVersion.objects.count() == 2


def test_numbers_are_per_plan(make_plan: MakePlan) -> None:
    """Each plan numbers its own versions from 1."""
    api.import_plan(make_plan("baap"))
    api.import_plan(make_plan("baap", outcome_text="二"))
    info, _ = api.import_plan(make_plan("kap"))
    assert info.ref == "kap@1"


# -- immutability ---------------------------------------------------------------------


def test_versions_are_immutable(make_plan: MakePlan) -> None:
    """A stored version cannot be saved again or deleted, one by one or in bulk."""
    api.import_plan(make_plan())
    version = models.PlanVersion.objects.get()

    version.note = "edited"
    with pytest.raises(StoreError, match="immutable"):
        version.save()
    with pytest.raises(StoreError, match="immutable"):
        version.delete()
    with pytest.raises(StoreError, match="immutable"):
        models.PlanVersion.objects.filter(pk=version.pk).update(note="edited")
    with pytest.raises(StoreError, match="immutable"):
        models.PlanVersion.objects.all().delete()
    with pytest.raises(StoreError, match="immutable"):
        models.PlanVersion.objects.bulk_update([version], ["note"])

    assert models.PlanVersion.objects.get().note == ""


def test_indexed_rows_are_as_immutable_as_their_version(make_plan: MakePlan) -> None:
    """Elements and reference links of a version cannot be changed or deleted either."""
    api.import_plan(make_plan())
    element = models.Element.objects.first()
    assert element is not None

    element.text_zh = "改"
    with pytest.raises(StoreError):
        element.save()
    with pytest.raises(StoreError):
        models.Element.objects.update(text_zh="改")
    with pytest.raises(StoreError):
        models.ReferenceLink.objects.all().delete()
    assert table_counts()["elements"] == 5


def test_a_plan_with_versions_cannot_be_deleted(make_plan: MakePlan) -> None:
    """Deleting the plan would cascade to its versions, so the database refuses it."""
    api.import_plan(make_plan())
    with pytest.raises(ProtectedError):
        models.Plan.objects.get().delete()
    assert table_counts()["versions"] == 1


# -- failures store nothing -----------------------------------------------------------


def test_failed_import_leaves_the_store_unchanged(make_plan: MakePlan) -> None:
    """A database failure after the version row is written rolls the whole import back.

    The indicator's line, 2**63, fits the JSON content but not a 64-bit integer column
    (SQLite and PostgreSQL both refuse it), so writing the elements fails.
    """
    api.import_plan(make_plan())
    before = table_counts()
    broken = make_plan(outcome_text="二", indicator_line=2**63)

    with CaptureQueriesContext(connection) as queries, pytest.raises(StoreError) as raised:
        api.import_plan(broken)

    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert any('"store_planversion"' in sql for sql in inserts)  # it did get that far
    assert "nothing was stored" in str(raised.value)
    assert str(raised.value).startswith("baap.txt: the store refused plan 'baap'")
    assert table_counts() == before
    assert [v.ref for v in api.list_versions()] == ["baap@1"]


def test_failed_first_import_creates_no_plan(make_plan: MakePlan) -> None:
    """The plan row made by a failed first import is rolled back too."""
    with pytest.raises(StoreError):
        api.import_plan(make_plan("kap", indicator_line=-(2**63) - 1))
    assert table_counts() == {"plans": 0, "versions": 0, "elements": 0, "links": 0}


def test_import_refuses_nul_characters_naming_every_place(make_plan: MakePlan) -> None:
    """PostgreSQL cannot hold NUL in text, so no backend takes it; all places are named."""
    plan = make_plan(outcome_text="a\x00b")
    plan.title["en"] = "x\x00"

    with pytest.raises(ValidationError) as raised:
        api.import_plan(plan)

    assert str(raised.value) == (
        "baap.txt: text contains NUL characters at title.en, "
        "objectives[0].outcomes[0].text.zh (expected text without NUL (U+0000) characters)"
    )
    assert table_counts()["plans"] == 0


@pytest.mark.parametrize("code", ["", "12", "baap 2022", "b@ap", "x" * 65])
def test_import_refuses_codes_that_cannot_name_a_plan(make_plan: MakePlan, code: str) -> None:
    """A plan code must be a slug and not a bare number (that would read as a version)."""
    with pytest.raises(ValidationError, match="cannot name a stored plan"):
        api.import_plan(make_plan(code))
    assert table_counts()["plans"] == 0


# -- reading back ---------------------------------------------------------------------


def rich_plan(make_plan: MakePlan) -> Plan:
    """The tiny plan with every kind of element filled in, to round-trip."""
    plan = make_plan()
    output = plan.objectives[0].outputs[0]
    project = child(output.eid, "project", 1)
    output.background = [Block(eid=child(output.eid, "background__para", 1), text={"zh": "背景"})]
    output.projects = [
        Project(
            eid=project,
            title={"zh": "项目一"},
            work_areas=[
                WorkArea(
                    eid=child(project, "area", 1),
                    title={"zh": "工作领域"},
                    items=[Block(eid=child(project, "area_1__item", 1), kind="item", text={"zh": "甲"})],
                )
            ],
        )
    ]
    output.regional_initiatives = [RegionalInitiativeSlot(eid=child(output.eid, "ri", "AFR"), region="AFR")]
    output.study_group_questions = [
        StudyGroupQuestion(eid=child(output.eid, "sgq", 1), label={"en": "Question 1/1"}, text={"zh": "问题"})
    ]
    output.references.revisions = [
        Citation(body="WTDC", number=37, year=2017, place="Buenos Aires", revised=True, text="x")
    ]
    plan.preface = [
        Section(
            eid="preface",
            heading={"zh": "前言"},
            blocks=[Block(eid="preface__para_1", text={"zh": "正文", "en": "Body"})],
        )
    ]
    return Plan.model_validate(plan.model_dump())


def test_load_version_round_trips_the_plan_exactly(make_plan: MakePlan) -> None:
    """What was imported is what comes back, field for field."""
    plan = rich_plan(make_plan)
    api.import_plan(plan)

    loaded = api.load_version("baap@1")

    assert loaded == plan
    assert loaded.model_dump() == plan.model_dump()
    kinds = list(models.Element.objects.values_list("kind", flat=True))
    assert len(kinds) == len(list(plan.walk()))
    assert {"project", "workarea", "block", "regionalinitiativeslot", "section"} <= set(kinds)
    sgq = models.Element.objects.get(kind="studygroupquestion")
    assert (sgq.text_zh, sgq.text_en) == ("问题", "Question 1/1")
    item = models.Element.objects.get(eid="obj_1__output_1.1__project_1__area_1__item_1")
    assert item.parent_eid == "obj_1__output_1.1__project_1__area_1"


@pytest.fixture
def two_plans(make_plan: MakePlan) -> None:
    """baap@1, baap@2, then kap@1 (the most recently imported plan)."""
    api.import_plan(make_plan("baap"))
    api.import_plan(make_plan("baap", outcome_text="二"))
    api.import_plan(make_plan("kap", outcome_text="基加利"))


@pytest.mark.usefixtures("two_plans")
@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (None, "kap@1"),
        ("1", "kap@1"),
        ("baap", "baap@2"),
        ("baap@1", "baap@1"),
        (" baap@2 ", "baap@2"),
        ("kap", "kap@1"),
    ],
)
def test_refs_resolve_to_versions(ref: str | None, expected: str) -> None:
    """None and a bare number refer to the most recently imported plan."""
    assert api.version_info(ref).ref == expected
    code, number = expected.split("@")
    assert api.load_version(ref).code == code
    assert api.version_info(ref).number == int(number)


@pytest.mark.usefixtures("two_plans")
@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("baap@9", "baap@9: no version 9 of plan 'baap' in the store"),
        ("2", "2: no version 2 of plan 'kap' in the store"),
        ("wtdc", "wtdc: no plan 'wtdc' in the store"),
        ("wtdc@1", "wtdc@1: no version 1 of plan 'wtdc' in the store"),
    ],
)
def test_unknown_refs_name_the_ref_and_what_exists(ref: str, message: str) -> None:
    """NotFoundError says which ref and lists every stored plan with its version range."""
    with pytest.raises(NotFoundError) as raised:
        api.load_version(ref)
    assert str(raised.value) == f"{message} (expected one of baap@1..2, kap@1)"
    assert raised.value.exit_code == 4


def test_an_empty_store_says_to_import_first() -> None:
    with pytest.raises(NotFoundError) as raised:
        api.load_version()
    assert str(raised.value) == (
        "latest version: the store holds no plan version yet (expected a plan imported first (actionplan import FILE))"
    )


@pytest.mark.parametrize("ref", ["", "baap@", "@3", "baap@x", "baap@1@2", "baap@-1", "baap 2"])
def test_malformed_refs_are_validation_errors(ref: str) -> None:
    with pytest.raises(ValidationError, match="cannot read"):
        api.load_version(ref)


@pytest.mark.parametrize(
    ("ref", "parts"),
    [
        (None, (None, None)),
        ("3", (None, 3)),
        ("baap", ("baap", None)),
        ("baap@3", ("baap", 3)),
        ("wtdc-2022@12", ("wtdc-2022", 12)),
    ],
)
def test_parse_ref(ref: str | None, parts: tuple[str | None, int | None]) -> None:
    assert api.parse_ref(ref) == parts


@pytest.mark.usefixtures("two_plans")
def test_list_versions_by_plan_then_number() -> None:
    """Every version, ordered by plan code then number, with counts; or one plan's."""
    infos = api.list_versions()
    assert [i.ref for i in infos] == ["baap@1", "baap@2", "kap@1"]
    assert all(i.counts == {"objectives": 1, "outcomes": 1, "indicators": 1, "outputs": 1} for i in infos)
    assert [i.ref for i in api.list_versions("baap")] == ["baap@1", "baap@2"]
    with pytest.raises(NotFoundError, match=r"^nope: no plan 'nope' in the store"):
        api.list_versions("nope")


def test_list_versions_of_an_empty_store_is_empty() -> None:
    assert api.list_versions() == []


# -- concurrency and backend ----------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("ACTIONPLAN_TEST_POSTGRES_URL"), reason="ACTIONPLAN_TEST_POSTGRES_URL unset")
def test_runs_on_postgres_when_asked() -> None:
    """With ACTIONPLAN_TEST_POSTGRES_URL set, these tests really use PostgreSQL."""
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["NAME"].startswith("test_")


def test_concurrent_imports_get_distinct_numbers(make_plan: MakePlan) -> None:
    """Imports racing on one plan queue up: each gets its own number, none fails."""
    if connection.vendor == "sqlite":
        pytest.skip("the test database is in-memory SQLite; test_bootstrap races real files")
    api.import_plan(make_plan())
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            api.import_plan(make_plan(outcome_text=f"版本{n}"))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert [v.number for v in api.list_versions("baap")] == [1, 2, 3, 4, 5]


def test_the_source_document_round_trips_byte_for_byte(seed_plan: Plan) -> None:
    """The stored JSON text is the model's, byte for byte, on SQLite and on PostgreSQL
    (whose jsonb would re-order the languages of a text: {"zh", "en"} -> {"en", "zh"})."""
    info, created = api.import_plan(seed_plan)
    assert created and info.counts == {"objectives": 4, "outcomes": 14, "indicators": 38, "outputs": 17}
    loaded = api.load_version(info.ref)
    assert loaded.model_dump_json() == seed_plan.model_dump_json()
    assert list(loaded.objectives[0].title) == ["zh", "en"]
    assert models.Element.objects.filter(version__number=info.number, kind="indicator").count() == 38


def test_versions_written_by_an_older_schema_are_upgraded_on_load(seed_plan: Plan) -> None:
    """A v1 document (projects and work areas held one 'blocks' list) still loads."""
    import json

    info, _ = api.import_plan(seed_plan)
    raw = json.loads(seed_plan.model_dump_json())
    raw["schema_version"] = 1
    for obj in raw["objectives"]:
        for out in obj["outputs"]:
            for project in out["projects"]:
                project["blocks"] = project.pop("text")
                for area in project["work_areas"]:
                    area["blocks"] = area.pop("text") + area.pop("items")
    with connection.cursor() as cur:  # bypass the immutability guard, as an old release's row
        cur.execute("UPDATE store_planversion SET content = %s", [json.dumps(raw, ensure_ascii=False)])
    api.forget_parsed_plans()
    assert api.load_version(info.ref) == seed_plan


def test_unreadable_stored_content_is_a_store_error(seed_plan: Plan) -> None:
    info, _ = api.import_plan(seed_plan)
    with connection.cursor() as cur:
        cur.execute("UPDATE store_planversion SET content = %s", ['{"schema_version": 2, "code": 5}'])
    api.forget_parsed_plans()  # the row was rewritten behind the store's back
    with pytest.raises(StoreError, match=r"baap@1: stored content cannot be read"):
        api.load_version(info.ref)
