"""Downloads (CSV, XLSX, PNG, SVG) and the secretariat's forms: import and frameworks."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.server.stats.conftest import ECONOMIES, csv_bytes, signed_in

RANKING = "framework=idi-2017&year=2017"


def test_ranking_csv_has_a_row_per_economy_in_rank_order(sample: Any, client: Client) -> None:
    """The CSV parses; ranks ascend; each row's interval holds its median rank."""
    response = client.get(f"/statistics/ranking/download.csv?{RANKING}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert len(rows) == len(ECONOMIES)
    assert [int(r["rank"]) for r in rows] == sorted(int(r["rank"]) for r in rows)
    assert {"access", "use", "skills", "median_rank", "p5_rank", "p95_rank"} <= set(rows[0])
    assert all(float(r["p5_rank"]) <= float(r["median_rank"]) <= float(r["p95_rank"]) for r in rows)


def test_ranking_xlsx_reads_back_with_openpyxl(sample: Any, client: Client) -> None:
    from openpyxl import load_workbook

    response = client.get(f"/statistics/ranking/download.xlsx?{RANKING}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("rank", "economy", "name_en", "name_zh", "score")
    assert len(rows) == len(ECONOMIES) + 1 and rows[1][0] == 1


@pytest.mark.parametrize("kind", ["rank-interval", "map", "profile-CHN"])
def test_charts_render_to_png_and_svg(sample: Any, client: Client, kind: str) -> None:
    """The server renders each chart's spec: a PNG signature and a parseable SVG."""
    png = client.get(f"/statistics/chart/{kind}/chart.png?{RANKING}")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    svg = client.get(f"/statistics/chart/{kind}/chart.svg?{RANKING}")
    assert svg.status_code == 200
    assert ET.fromstring(svg.content).tag.endswith("svg")


def test_compare_chart_data_and_spec(sample: Any, client: Client) -> None:
    query = "a=idi-2017&b=idi-2023&year=2023"
    data = client.get(f"/statistics/chart/compare/data.csv?{query}")
    rows = list(csv.DictReader(io.StringIO(data.content.decode("utf-8"))))
    assert len(rows) == len(ECONOMIES) and {"rank_a", "rank_b", "shift"} <= set(rows[0])
    spec = client.get(f"/statistics/chart/compare/spec.json?{query}").json()
    assert spec["layer"][1]["data"]["values"]


def test_data_exports_every_vintage(sample: Any, client: Client) -> None:
    """The data page's exports read back as observations (CSV, XLSX, SDMX-CSV)."""
    from actionplan.server.stats import store
    from actionplan.stats.io import read_observations

    expected = len(store.observations(all_vintages=True))
    for fmt in ("csv", "xlsx", "sdmx-csv"):
        response = client.get(f"/statistics/data/export.{fmt}")
        assert response.status_code == 200
        assert len(read_observations(response.content, f"export.{fmt}")) == expected


def test_import_page_is_for_the_secretariat(db: None, client: Client, delegate: Any, secretariat: Any) -> None:
    """Anonymous users are sent to sign in; a delegate is refused (403); the secretariat sees the form."""
    anonymous = client.get("/statistics/import/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert signed_in(delegate).get("/statistics/import/").status_code == 403
    upload = SimpleUploadedFile("x.csv", csv_bytes("CHN,2023,internet_users_pct,77.5,,"), "text/csv")
    assert signed_in(delegate).post("/statistics/import/", {"file": upload}).status_code == 403
    assert signed_in(secretariat).get("/statistics/import/").status_code == 200


def test_import_page_shows_every_error_and_stores_nothing(db: None, secretariat: Any) -> None:
    from actionplan.server.stats.models import Observation

    upload = SimpleUploadedFile("bad.csv", csv_bytes("XXX,2023,internet_users_pct,5,,",
                                                     "CHN,2023,internet_users_pct,500,,"), "text/csv")
    response = signed_in(secretariat).post("/statistics/import/", {"file": upload})
    html = response.content.decode("utf-8")
    assert response.status_code == 400
    assert "bad.csv row 2, column economy" in html and "bad.csv row 3, column value" in html
    assert Observation.objects.count() == 0


def test_import_page_stores_and_shows_warnings(db: None, secretariat: Any) -> None:
    user = signed_in(secretariat)
    first = SimpleUploadedFile("a.csv", csv_bytes("KEN,2022,internet_users_pct,30,,"), "text/csv")
    assert user.post("/statistics/import/", {"file": first, "recorded_on": "2023-01-01"}).status_code == 200
    second = SimpleUploadedFile("b.csv", csv_bytes("KEN,2023,internet_users_pct,70,,"), "text/csv")
    html = user.post("/statistics/import/", {"file": second, "recorded_on": "2024-01-01"}).content.decode("utf-8")
    assert "Stored as batch" in html and "b.csv row 2, column value" in html


def test_secretariat_saves_a_proposed_framework_and_compares_it(sample: Any, secretariat: Any,
                                                                delegate: Any) -> None:
    """The framework page's form saves an edited copy; it then ranks and compares like a shipped one."""
    from actionplan.server.stats import store

    text = store.framework("idi-2017").content.replace("access: 0.4, use: 0.4, skills: 0.2",
                                                       "access: 0.2, use: 0.6, skills: 0.2")
    form = {"name": "idi-2017-proposed", "content": text, "note": "use weighs more"}
    assert signed_in(delegate).post("/statistics/frameworks/idi-2017/", form).status_code == 403
    user = signed_in(secretariat)
    assert 'name="content"' in user.get("/statistics/frameworks/idi-2017/").content.decode("utf-8")
    saved = user.post("/statistics/frameworks/idi-2017/", form)
    assert saved.status_code == 302 and saved["Location"] == "/statistics/frameworks/idi-2017-proposed/"
    html = user.get("/statistics/compare/?a=idi-2017&b=idi-2017-proposed&year=2017").content.decode("utf-8")
    assert "Spearman" in html and "idi-2017-proposed" in html
    bad = user.post("/statistics/frameworks/idi-2017/", dict(form, content=text.replace("skills: 0.2}", "skills: 2}")))
    assert bad.status_code == 400 and "nodes[0].weights" in bad.content.decode("utf-8")
