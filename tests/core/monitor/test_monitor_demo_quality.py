"""Demo data is deterministic and realistic; quality notes count _U codes, late records and no-region countries."""

from __future__ import annotations

from collections import Counter

from monitor_helpers import D, add_event, add_person, attend, empty_tables, sqlite_cursor

from actionplan.monitor.definitions import bundled_indicator_set
from actionplan.monitor.demo import generate
from actionplan.monitor.quality import quality
from actionplan.monitor.schema import country_group_rows


def test_generation_is_deterministic_and_seed_dependent() -> None:
    small = {"events": 40, "participants": 200, "assistance": 30, "publications": 10, "partnerships": 10}
    assert generate(seed=3, **small) == generate(seed=3, **small)
    assert generate(seed=3, **small) != generate(seed=4, **small)


def test_demo_data_looks_like_the_real_thing() -> None:
    data = generate(seed=11, events=300, participants=6000)
    people = data["monitor_participant"]
    sexes = Counter(p["sex"] for p in people)
    assert 0.35 < sexes["F"] / len(people) < 0.48
    assert 0.02 <= sum(p["disability"] == "PD" for p in people) / len(people) <= 0.05
    assert sexes["_U"] > 0
    regions = Counter(e["region"] for e in data["monitor_event"])
    assert set(regions) == {"AFR", "AMS", "ARB", "ASP", "CIS", "EUR", None}
    years = Counter(e["start_date"].year for e in data["monitor_event"])
    assert set(years) == {2018, 2019, 2020, 2021}
    visits = Counter(pa["participant_id"] for pa in data["monitor_participation"])
    assert max(visits.values()) > 2
    pairs = [(pa["event_id"], pa["participant_id"]) for pa in data["monitor_participation"]]
    assert len(pairs) == len(set(pairs))
    assert any(
        pa["recorded_on"].year > D(2018, 1, 1).year and pa["recorded_on"] > D(pa["recorded_on"].year, 1, 31)
        for pa in data["monitor_participation"]
    )


def test_country_group_rows_hold_dated_groups_and_regions() -> None:
    rows = country_group_rows()
    assert {"iso3": "VUT", "group_code": "LDC"} in [{k: r[k] for k in ("iso3", "group_code")} for r in rows]
    assert next(r for r in rows if r["iso3"] == "VUT" and r["group_code"] == "LDC")["valid_to"] == D(2020, 12, 4)
    assert next(r for r in rows if r["iso3"] == "KEN" and r["group_code"] == "AFR")["valid_from"] is None
    assert len({r["id"] for r in rows}) == len(rows)


def test_quality_notes_count_unknown_codes_late_records_and_no_region() -> None:
    tables = empty_tables()
    event = add_event(tables, "training", D(2019, 4, 1))
    attend(tables, event, add_person(tables, "F", "KEN"), recorded_on=D(2019, 4, 5))
    attend(tables, event, add_person(tables, "_U", "KEN"), recorded_on=D(2020, 1, 30))  # 30 days: on time
    attend(tables, event, add_person(tables, "M", "HKG"), recorded_on=D(2020, 1, 31))  # 31 days: late
    d = bundled_indicator_set().get("3.3.1")
    assert d is not None
    notes = quality([d], sqlite_cursor(tables), "sqlite")
    assert len(notes) == 1
    note = notes[0]
    assert (note.year, note.records, note.missing_codes, note.recorded_late, note.no_region) == (2019, 3, 1, 1, 1)
    assert "1 of 3 records (33.3 %) were recorded more than 30 days after the year ended" in note.notes
