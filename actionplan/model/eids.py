"""Element ids in Akoma Ntoso naming style, derived from structure, never from text.

An eid is the parent's eid, ``__``, then ``<prefix>_<num>``. Numbers are the plan's own
numbers where it prints them (objective 2, outcome 2.1, output 2.1) and ordinals within
the container otherwise (the third item of a work area). The same document structure in
another language therefore yields the same ids.

>>> output_eid(2, "2.1")
'obj_2__output_2.1'
>>> child("obj_2__output_2.1__project_1", "area", 3)
'obj_2__output_2.1__project_1__area_3'
>>> parse_eid("obj_2__output_2.1__project_1")
[('obj', '2'), ('output', '2.1'), ('project', '1')]
"""

from __future__ import annotations

import re

from actionplan.errors import ValidationError

PREFIXES = {
    "preface": "a contribution's front matter",
    "chp": "a numbered part of the plan ('第1节', 'Section 1')",
    "sec": "a section of running text",
    "subsec": "a subsection",
    "para": "a paragraph",
    "item": "a list item",
    "obj": "a sector objective",
    "outcome": "an outcome of an objective",
    "ind": "a performance indicator",
    "output": "an output (products and services)",
    "background": "an output's background",
    "framework": "an output's implementation framework text outside projects",
    "project": "a project",
    "area": "a main work area of a project",
    "ri": "a regional-initiative slot (suffix: region code)",
    "riintro": "the text introducing regional initiatives",
    "sgq": "a study-group question slot",
    "sgqintro": "the text introducing study-group questions",
    "refs": "an output's references",
    "stmt": "one reference statement",
    "notes": "footnotes and trailing text",
}

_COMPONENT = re.compile(r"^(?P<prefix>[a-z]+)(?:_(?P<num>[0-9A-Za-z.\-]+))?$")


def child(parent: str | None, prefix: str, num: int | str | None = None) -> str:
    """The eid of a child element ``prefix_num`` under ``parent``."""
    comp = prefix if num is None else f"{prefix}_{num}"
    return f"{parent}__{comp}" if parent else comp


def objective_eid(number: int) -> str:
    return child(None, "obj", number)


def outcome_eid(objective: int, number: str) -> str:
    return child(objective_eid(objective), "outcome", number)


def output_eid(objective: int, number: str) -> str:
    return child(objective_eid(objective), "output", number)


def parse_eid(eid: str) -> list[tuple[str, str]]:
    """Split an eid into (prefix, num) components; raise if any component is malformed."""
    parts = []
    for comp in eid.split("__"):
        m = _COMPONENT.match(comp)
        if not m or m["prefix"] not in PREFIXES:
            raise ValidationError(
                f"malformed element id component {comp!r}",
                where=eid,
                expected="prefix_num components joined by '__', prefixes: " + ", ".join(sorted(PREFIXES)),
            )
        parts.append((m["prefix"], m["num"] or ""))
    return parts
