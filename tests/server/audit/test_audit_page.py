"""``/audit/``: the staff's list of entries (staff only for now), filtered, paginated, as CSV."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from actionplan.server.audit import api
from actionplan.server.audit.models import AuditEntry
from actionplan.server.audit.views import PER_PAGE
from tests.server.audit.conftest import signed_in

pytestmark = pytest.mark.django_db


def fill(n: int = 3) -> None:
    for k in range(1, n + 1):
        api.record("alice" if k % 2 else "bob", "update", "contribution", f"TDAG-25/{k}", {"k": k - 1}, {"k": k})


def test_the_page_needs_a_staff_user(member: Any) -> None:
    response = Client().get("/audit/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/audit/")
    assert signed_in(member).get("/audit/").status_code == 302
    assert signed_in(member).get("/audit/export.csv").status_code == 302


def test_the_page_lists_entries_newest_first(staff: Any) -> None:
    fill()
    html = signed_in(staff).get("/audit/").content.decode()
    assert html.index("TDAG-25/3") < html.index("TDAG-25/2") < html.index("TDAG-25/1")
    assert "Audit trail" in html and 'href="/audit/export.csv"' in html
    assert "<script>" not in html and "style=" not in html  # no inline script or style (CSP)


def test_the_page_is_bilingual(staff: Any) -> None:
    assert "Audit trail" in signed_in(staff, "en").get("/audit/").content.decode()
    assert signed_in(staff, "zh-hans").get("/audit/").status_code == 200


def test_filters_and_their_csv(staff: Any) -> None:
    fill()
    client = signed_in(staff)
    html = client.get("/audit/", {"actor": "bob"}).content.decode()
    assert "TDAG-25/2" in html and "TDAG-25/1" not in html
    assert 'href="/audit/export.csv?actor=bob"' in html
    html = client.get("/audit/", {"object_id": "25/3"}).content.decode()
    assert "TDAG-25/3" in html and "TDAG-25/2" not in html
    csv = client.get("/audit/export.csv", {"actor": "alice"})
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in csv["Content-Disposition"]
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("sequence,timestamp,actor")
    alices = AuditEntry.objects.filter(actor="alice").order_by("sequence").values_list("sequence", flat=True)
    assert [line.split(",")[0] for line in lines[1:]] == [str(n) for n in alices]
    assert len(alices) == 2


def test_the_page_is_paginated(staff: Any) -> None:
    fill(PER_PAGE + 2)
    client = signed_in(staff)
    first = client.get("/audit/", {"object_type": "contribution"}).content.decode()
    assert len(re.findall(r'<th scope="row"', first)) == PER_PAGE
    assert "object_type=contribution&amp;page=2" in first
    second = client.get("/audit/", {"object_type": "contribution", "page": 2}).content.decode()
    assert len(re.findall(r'<th scope="row"', second)) == 2
