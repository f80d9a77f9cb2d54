"""Reference statements as editors write them, in Chinese and English."""

from __future__ import annotations

import pytest

from actionplan.ingest.references import (
    find_citations,
    outcome_mentions,
    parse_resolutions,
    parse_sdgs,
    parse_wsis,
)


def test_pp_decisions_resolutions_and_all_wtdc() -> None:
    r = parse_resolutions("PP第5和13号决定、PP第25、71、72和WTDC所有决议以的落实将题输出成果1.1提供支持")
    assert (r.pp_decisions, r.pp_resolutions, r.wtdc_resolutions, r.all_wtdc_resolutions) == (
        [5, 13],
        [25, 71, 72],
        [],
        True,
    )


def test_kind_named_before_the_numbers() -> None:
    r = parse_resolutions("PP决议135和140以及WTDC决议17、30、32、53和71的落实将支持输出成果1.6")
    assert (r.pp_resolutions, r.wtdc_resolutions) == ([135, 140], [17, 30, 32, 53, 71])


def test_recommendations_and_numbers_without_the_word_di() -> None:
    r = parse_resolutions("PP第21号决议和WTDC8，30和37号决议，以及建议ITU-D 15和ITU-D 16的实施将支持输出3.1")
    assert (r.pp_resolutions, r.wtdc_resolutions, r.itu_d_recommendations) == ([21], [8, 30, 37], [15, 16])


def test_the_outcome_number_after_the_verb_is_not_a_resolution() -> None:
    r = parse_resolutions("落实WTDC第34号决议将支持输出成果4.4并有助于实现成果4.4")
    assert r.wtdc_resolutions == [34]


def test_english_statement_with_revision() -> None:
    r = parse_resolutions(
        "PP Decisions 5 and 12, PP Resolutions 70, 166 and 188, WTDC Resolutions 1, 2 (Rev. Buenos Aires, 2017) "
        "and 5, and Recommendation ITU-D 15 will support Output 1.4 and contribute to Outcome 1.3."
    )
    assert r.pp_decisions == [5, 12] and r.pp_resolutions == [70, 166, 188]
    assert r.wtdc_resolutions == [1, 2, 5] and r.itu_d_recommendations == [15]
    (c,) = r.revisions
    assert (c.body, c.number, c.place, c.year, c.revised) == ("WTDC", 2, "Buenos Aires", 2017, True)


@pytest.mark.parametrize(
    ("text", "body", "number", "place", "year"),
    [
        ("WTDC第2号决议（2014年，迪拜，修订版）", "WTDC", 2, "迪拜", 2014),
        ("根据第34号决议（2014年，迪拜，修订版）", "WTDC", 34, "迪拜", 2014),  # body from the conference
        ("全权代表大会第182号决议（2014年，釜山，修订版）", "PP", 182, "釜山", 2014),
        ("2014年釜山第71号决议的附件1", "PP", 71, "釜山", 2014),
        ("Resolution 17 (Rev. Buenos Aires, 2017)", "WTDC", 17, "Buenos Aires", 2017),
    ],
)
def test_citations_with_revisions(text: str, body: str, number: int, place: str, year: int) -> None:
    (c,) = find_citations(text)
    assert (c.body, c.number, c.place, c.year) == (body, number, place, year)


def test_sdgs_with_targets_in_all_written_forms() -> None:
    s = parse_sdgs(
        "输出成果4.1将有助于实现以下的联合国可持续发展目标：1（目标1.4、1.5）、3（指标3.d）、8（目标8a）、9（目标9a、9b、9c）、13（目标13.1、13.2和13.3）"
    )
    assert s.goals == [1, 3, 8, 9, 13]
    assert s.targets == ["1.4", "1.5", "3.d", "8.a", "9.a", "9.b", "9.c", "13.1", "13.2", "13.3"]
    assert s.written == ["1.4", "1.5", "指标3.d", "8a", "9a", "9b", "9c", "13.1", "13.2", "13.3"]


def test_sdg_goals_without_targets_and_separators() -> None:
    assert parse_sdgs("输出2.2将有助于实现下列UN SDGs：SDG 4、9、11和16。").goals == [4, 9, 11, 16]
    assert parse_sdgs("输出2.3将有助于实现下列UN SDGs：1（目标1.5），3（目标3.9），5（目标5b）").goals == [1, 3, 5]
    en = parse_sdgs(
        "Output 1.2 will contribute to the following SDGs: 1, 3 (target 3.d), 16 (targets 16.5, 16.6 and 16.8)."
    )
    assert en.goals == [1, 3, 16] and en.targets == ["3.d", "16.5", "16.6", "16.8"]


def test_indicators_are_told_from_targets() -> None:
    s = parse_sdgs("Output 3.2 will contribute to SDGs: 9 (targets 9.c, 9.c.1), 17 (indicator 17.6.1)")
    assert s.targets == ["9.c"] and s.indicators == ["9.c.1", "17.6.1"]


def test_all_sdgs_ignores_paragraph_numbers() -> None:
    s = parse_sdgs(
        "ICT统计数据与监测所有可持续发展目标的执行情况相关，《2030年可持续发展议程》第48、57、74-76和83段亦对此有所提及。"
    )
    assert s.all_goals and s.goals == [] and s.targets == []


def test_wsis_lines() -> None:
    assert parse_wsis("WSIS第C1、C2、C3、C9和C11号行动方针的实施将支持输出2.1") == (
        ["C1", "C2", "C3", "C9", "C11"],
        False,
    )
    assert parse_wsis("ICT统计数据与监测《日内瓦行动计划》所有WSIS行动方面的执行情况相关")[1] is True
    assert parse_wsis("WSIS action lines C1 and C11 will support Output 1.1")[0] == ["C1", "C11"]


def test_outcome_mentions_skip_outputs() -> None:
    assert outcome_mentions("将支持输出成果3.3并有助于实现成果3.3") == ["3.3"]
    assert outcome_mentions("will support Output 1.1 and contribute to Outcome 1.2.") == ["1.2"]
