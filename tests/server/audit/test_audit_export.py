"""CSV export: every field exactly as stored, so the chain can be checked from the file alone."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from actionplan.errors import ValidationError
from actionplan.server.audit import api
from actionplan.server.audit.models import GENESIS, AuditEntry, entry_hash

pytestmark = pytest.mark.django_db


def fill() -> None:
    api.record("alice", "create", "contribution", "TDAG-25/7", None, {"title": "关于“宽带”的建议,\n第二行"})
    api.record("bob", "update", "amendment", "TDAG-25/7/A2", {"status": "pending"}, {"status": "withdrawn"})
    api.record("cli", "create", "plan_version", "baap@3", None, {"number": 3})


def test_the_csv_round_trips(tmp_path: Path) -> None:
    fill()
    path = tmp_path / "audit.csv"
    assert api.export_csv(path) == 3
    raw = path.read_bytes()
    assert raw.startswith(b"sequence,timestamp,actor,action,object_type,object_id,before,after,prev_hash,hash\r\n")
    assert "关于“宽带”的建议".encode() in raw  # UTF-8, not escaped
    rows = api.read_csv(path)
    stored = list(AuditEntry.objects.order_by("sequence"))
    assert [r["sequence"] for r in rows] == ["1", "2", "3"]
    prev = GENESIS
    for row, entry in zip(rows, stored, strict=True):
        assert (row["actor"], row["action"], row["object_id"], row["before"], row["after"], row["hash"]) == (
            entry.actor,
            entry.action,
            entry.object_id,
            entry.before,
            entry.after,
            entry.hash,
        )
        assert dt.datetime.fromisoformat(row["timestamp"]) == entry.timestamp
        assert row["prev_hash"] == prev
        assert entry_hash({**row, "sequence": int(row["sequence"])}) == row["hash"]  # checkable from the file
        prev = row["hash"]


def test_export_to_a_stream_and_since() -> None:
    fill()
    out = io.StringIO()
    assert api.export_csv(out, since=dt.date.today() + dt.timedelta(days=1)) == 0
    assert out.getvalue().count("\r\n") == 1  # the header only
    out = io.StringIO()
    assert api.export_csv(out, since=api.since_from_text(dt.date.today().isoformat())) == 3
    assert len(api.read_csv(io.StringIO(out.getvalue()))) == 3


def test_since_reads_dates_and_times() -> None:
    assert api.since_from_text("2025-03-01") == dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    assert api.since_from_text("2025-03-01T08:30+08:00") == dt.datetime(2025, 3, 1, 0, 30, tzinfo=dt.UTC)
    with pytest.raises(ValidationError, match="not a date"):
        api.since_from_text("yesterday")
