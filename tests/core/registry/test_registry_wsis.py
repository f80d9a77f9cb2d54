"""WSIS action lines: C1-C11, the eight C7 sub-lines, code normalisation, no invented Chinese."""

from __future__ import annotations

import pytest

from actionplan.errors import ValidationError
from actionplan.registry import normalise_wsis_code, wsis_line, wsis_lines
from actionplan.registry.wsis import parse_wsis_lines

C7_SUB_LINES = [
    "e-government",
    "e-business",
    "e-learning",
    "e-health",
    "e-employment",
    "e-environment",
    "e-agriculture",
    "e-science",
]


def test_every_action_line_c1_to_c11_is_present_in_order():
    """The Geneva Plan of Action has eleven action lines, C1 to C11."""
    assert [line.code for line in wsis_lines()] == [f"C{n}" for n in range(1, 12)]
    assert all(line.title["en"] for line in wsis_lines())


def test_c7_has_its_eight_sub_lines():
    """C7 (ICT applications) has the eight sub-lines of the Plan of Action."""
    c7 = wsis_line("C7")
    assert c7 is not None
    assert c7.sub_lines == tuple(f"C7.{name}" for name in C7_SUB_LINES)
    for name in C7_SUB_LINES:
        sub = wsis_line(f"C7.{name}")
        assert sub is not None and sub.parent == "C7"
    assert len(wsis_lines(include_sub_lines=True)) == 19


def test_known_titles():
    """Spot-check English titles against the Plan of Action headings."""
    assert wsis_line("C5").title["en"] == "Building confidence and security in the use of ICTs"
    assert wsis_line("C2").title["en"] == "Information and communication infrastructure"
    assert wsis_line("C7.e-health").title["en"] == "E-health"


def test_no_official_chinese_is_claimed():
    """No official Chinese titles were found, so 'zh' is absent; the unofficial one is apart."""
    for line in wsis_lines(include_sub_lines=True):
        assert "zh" not in line.title
        assert line.title_zh_unofficial


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("C5", "C5"),
        ("c7", "C7"),
        ("C 10", "C10"),
        ("WSIS C11", "C11"),
        ("行动方面C3", "C3"),
        ("C7 e-health", "C7.e-health"),
        ("C7.e-Health", "C7.e-health"),
        ("C7 (e-health)", "C7.e-health"),
        ("C7: eHealth", "C7.e-health"),
        ("e-agriculture", "C7.e-agriculture"),
        ("C12", None),
        ("C0", None),
        ("C5 e-health", None),  # sub-lines belong to C7 only
        ("C7 e-nothing", None),
        ("health", None),
    ],
)
def test_normalise_wsis_code(raw, expected):
    """Loose spellings of an action line become its code; anything else is None."""
    assert normalise_wsis_code(raw) == expected


def test_malformed_wsis_file_names_the_field():
    """A bad code and a missing English title are reported together."""
    data = {"action_lines": [{"code": "C99", "title_en": "x"}, {"code": "C1", "title_en": ""}]}
    with pytest.raises(ValidationError) as info:
        parse_wsis_lines(data, "wsis_action_lines.yaml")
    assert info.value.where == "wsis_action_lines.yaml"
    assert "action_lines[0].code" in str(info.value)
    assert "C1.title_en" in str(info.value)
