"""Word's plain-text export into blocks: tables, bullets, bookmarks; bad input refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from actionplan.errors import InputError, NotAPlanError
from actionplan.ingest import parse_bytes, parse_file
from actionplan.ingest.text_reader import MAX_BYTES, read_text


def _blocks(text: str):  # type: ignore[no-untyped-def]
    return read_text(Path("x.txt"), text.encode("utf-8")).blocks


def test_table_rows_are_cut_by_the_header_width() -> None:
    """Cells start with a tab; continuation lines have none; rows follow the header's width."""
    (table,) = _blocks("\tA\n\tB\n\tC\n(more C)\n\n\ta1\n\tb1\n-  b1 second\n\n\tc1\nc1 more\n\n\ta2\n\tb2\n\tc2\n")
    assert [[c.text for c in row] for row in table.rows] == [
        ["A", "B", "C\n(more C)"],
        ["a1", "b1\n-  b1 second", "c1\nc1 more"],
        ["a2", "b2", "c2"],
    ]
    assert [t.line for t in table.rows[1][1].lines] == [7, 8]


def test_a_line_without_tab_after_a_blank_ends_the_table() -> None:
    table, para = _blocks("\tRegion\n\n\tAfrica\n\n\t\n\nAfter the table\n")
    assert [[c.text for c in r] for r in table.rows] == [["Region"], ["Africa"], [""]]
    assert para.kind == "para" and para.text == "After the table" and para.line == 7


def test_bullets_levels_and_bookmarks() -> None:
    a, b, c, d = _blocks("•\tfirst\n○\tsecond level\n· [bookmark: OLE_LINK3]dotted\n[bookmark: x]plain\n")
    assert (a.kind, a.level, a.text) == ("item", 1, "first")
    assert (b.kind, b.level) == ("item", 2)
    assert (c.kind, c.text) == ("item", "dotted")
    assert (d.kind, d.text) == ("para", "plain")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file is empty"),
        (b"  \n\n\t\n", "file is empty"),
        (b"\x00\x01binary", "NUL bytes"),
        ("第一行\n".encode() + b"\xff\xfe bad", "invalid UTF-8"),
    ],
)
def test_bad_text_gets_one_line_error_naming_the_file(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_bytes(data, Path("plan.txt"))
    text = str(exc.value)
    assert text.startswith("plan.txt") and message in text and "\n" not in text


def test_invalid_utf8_error_names_the_line() -> None:
    with pytest.raises(InputError, match=r"plan\.txt:3: invalid UTF-8"):
        parse_bytes("一\n二\n".encode() + b"\xc3(", Path("plan.txt"))


def test_text_that_is_not_a_plan_is_refused() -> None:
    with pytest.raises(NotAPlanError, match="no objectives found"):
        parse_bytes(b"Minutes of the meeting\nThe chair opened the meeting.\n", Path("minutes.txt"))


def test_oversized_file_is_refused_before_decoding(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    with pytest.raises(InputError, match="over the 50 MiB limit"):
        parse_file(big)


def test_missing_file_is_named() -> None:
    with pytest.raises(InputError, match=r"nowhere\.txt: no such file"):
        parse_file(Path("nowhere.txt"))


def test_truncated_plan_keeps_what_it_has(seed_text: str) -> None:
    """A plan cut off mid-way parses the objectives it has, without inventing the rest."""
    cut = seed_text[: seed_text.index("部门目标2")]
    plan = parse_bytes(cut.encode(), Path("cut.txt"))
    assert [o.number for o in plan.objectives] == [1]
    assert len(plan.all_outputs()) == 6
