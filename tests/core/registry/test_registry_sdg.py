"""SDG registry: 17 goals, 169 targets, code normalisation, both languages.

Expected texts are read straight from the shipped YAML with PyYAML (not through the
registry), and the counts are the UN's (A/RES/70/1: 17 goals, 169 targets).
"""

from __future__ import annotations

from importlib.resources import files

import pytest
import yaml

from actionplan.errors import ValidationError
from actionplan.registry import (
    normalise_sdg_indicator,
    normalise_sdg_target,
    sdg_goal,
    sdg_goals,
    sdg_indicator,
    sdg_indicators,
    sdg_target,
    sdg_targets,
)
from actionplan.registry.sdg import parse_goal_files, parse_target_files


def _raw(lang_dir: str, name: str) -> dict[str, str]:
    path = files("actionplan.data.reference").joinpath("sdg_translations", lang_dir, name)
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_there_are_17_goals_numbered_1_to_17():
    """The 2030 Agenda has 17 goals, numbered 1-17, each with a title and a short name."""
    goals = sdg_goals()
    assert [g.number for g in goals] == list(range(1, 18))
    assert all(g.title["en"] and g.title["zh"] and g.short["en"] for g in goals)


def test_there_are_169_targets():
    """The 2030 Agenda has 169 targets; each goal's targets are returned in order."""
    assert len(sdg_targets()) == 169
    assert len({t.code for t in sdg_targets()}) == 169
    assert [t.code for t in sdg_targets(9)] == [
        "9.1",
        "9.2",
        "9.3",
        "9.4",
        "9.5",
        "9.a",
        "9.b",
        "9.c",
    ]
    assert [t.code for t in sdg_targets(17)][:3] == ["17.1", "17.2", "17.3"]


def test_target_9c_title_matches_the_yaml_in_both_languages():
    """Target 9.c carries the en and zh-Hans texts of key '9-c-title' verbatim."""
    target = sdg_target("9.c")
    assert target is not None
    assert target.goal == 9
    assert target.title["en"] == _raw("en", "global_targets.yml")["9-c-title"]
    assert target.title["zh"] == _raw("zh_hans", "global_targets.yml")["9-c-title"]
    assert target.title["en"].startswith("Significantly increase access to information")
    assert "因特网" in target.title["zh"]


def test_goal_9_texts_match_the_yaml():
    """Goal titles and short names come from the goal files of both languages."""
    goal = sdg_goal(9)
    assert goal is not None
    assert goal.title["en"] == _raw("en", "global_goals.yml")["9-title"]
    assert goal.short["zh"] == _raw("zh_hans", "global_goals.yml")["9-short"]
    assert sdg_goal("SDG 9") == goal
    assert sdg_goal(18) is None
    assert sdg_goal("nine") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("9.c", "9.c"),
        ("9c", "9.c"),
        ("9a", "9.a"),
        ("9-c", "9.c"),
        ("9.C", "9.c"),
        (" 9 c ", "9.c"),
        ("SDG 9.c", "9.c"),
        ("目标9.c", "9.c"),
        ("９．ｃ", "9.c"),
        ("17.6", "17.6"),
        ("17-6", "17.6"),
        ("1.a", "1.a"),
        ("176", None),  # a numeric target needs a separator
        ("9.z", None),  # no such target
        ("18.1", None),  # no goal 18
        ("9", None),  # a goal is not a target
        ("garbage", None),
        ("", None),
    ],
)
def test_normalise_sdg_target(raw, expected):
    """Loose spellings of a target become its canonical code; anything else is None."""
    assert normalise_sdg_target(raw) == expected


def test_sdg_target_accepts_loose_codes():
    """sdg_target looks up normalised codes and returns None for unknown ones."""
    assert sdg_target("9C") is sdg_target("9.c")
    assert sdg_target("9.z") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("9.c.1", "9.c.1"), ("9c1", "9.c.1"), ("17-6-1", "17.6.1"), ("1.1.1", "1.1.1"), ("9.c", None)],
)
def test_normalise_sdg_indicator(raw, expected):
    """Indicator codes normalise like targets, with a third numeric part."""
    assert normalise_sdg_indicator(raw) == expected


def test_indicator_9c1_matches_the_yaml():
    """Indicator 9.c.1 belongs to target 9.c and carries the YAML's texts."""
    indicator = sdg_indicator("9.c.1")
    assert indicator is not None
    assert indicator.target == "9.c"
    assert indicator.title["en"] == _raw("en", "global_indicators.yml")["9-c-1-title"]
    assert [i.code for i in sdg_indicators("9c")] == ["9.c.1"]
    assert len(sdg_indicators()) == len(_raw("en", "global_indicators.yml"))


def test_malformed_goal_file_names_the_file_and_every_bad_key():
    """A bad goal key and a non-text value are reported together, naming the file."""
    files_ = {
        "en": (
            "sdg_translations/en/global_goals.yml",
            {"1-title": "x", "1-short": "y", "99-title": "z", "2-title": 5},
        )
    }
    with pytest.raises(ValidationError) as info:
        parse_goal_files(files_)
    message = str(info.value)
    assert info.value.where == "sdg_translations/en/global_goals.yml"
    assert "99-title" in message and "2-title" in message


def test_malformed_target_file_reports_a_bad_key():
    """A key that is not '<goal>-<target>-title' is a validation error naming it."""
    files_ = {"en": ("t.yml", {"9-c-title": "ok", "9-c-name": "bad"})}
    with pytest.raises(ValidationError, match="9-c-name"):
        parse_target_files(files_)


def test_chinese_without_english_is_reported():
    """Every target needs English; a zh-only key is reported against the English file."""
    files_ = {
        "en": ("en.yml", {"9-c-title": "x"}),
        "zh": ("zh.yml", {"9-c-title": "x", "9-b-title": "y"}),
    }
    with pytest.raises(ValidationError, match="9-b-title: no English text"):
        parse_target_files(files_)
