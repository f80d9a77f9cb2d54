"""Monitoring pages, downloads and API, with the access rules of docs/security.md."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook

from tests.server.accounts.conftest import People


def test_dashboard_shows_every_indicator_with_status_and_drill_down(demo: dict[str, int], people: People) -> None:
    client = people.client("anonymous")
    page = client.get("/monitor/?year=2020").content.decode()
    assert page.count('class="status status-') >= 38
    assert "/monitor/indicators/3.3.1/records/?year=2020" in page
    regional = client.get("/monitor/?year=2020&region=AFR").content.decode()
    assert "region=AFR" in regional
    indicator = client.get("/monitor/indicators/3.3.1/?year=2020")
    assert indicator.status_code == 200
    text = indicator.content.decode()
    assert 'data-vega-spec="chart-trend-spec"' in text and "chart-sex-spec" in text


def test_drill_down_to_people_needs_the_secretariat_or_a_reviewer(demo: dict[str, int], people: People) -> None:
    url = "/monitor/indicators/3.3.1/records/?year=2020&sex=F"
    public = people.client("anonymous").get(url).content.decode()
    assert "person_key" not in public
    for role in ("secretariat", "reviewer"):
        seen = people.client(role).get(url).content.decode()
        assert "person_key" in seen and "<td>F</td>" in seen and "<td>M</td>" not in seen


def test_records_behind_a_number_are_as_many_as_the_number(demo: dict[str, int], people: People) -> None:
    from actionplan.server.monitor import figures

    defs = figures.definitions()
    value = next(
        v for v in figures.live_values(defs, dims=("",)) if v.indicator == "2.2.2" and v.year == 2021 and not v.dims
    )
    page = people.client("anonymous").get("/monitor/indicators/2.2.2/records/?year=2021").content.decode()
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [[cell.split("</td>")[0] for cell in tr.split("<td>")[1:]] for tr in body.split("<tr>")[1:]]
    table, ids = figures.records_behind(defs, "2.2.2", 2021, {})
    assert table == "monitor_assistance" and len(rows) == len(ids)
    # a distinct count of countries: the records behind it name exactly that many countries
    assert len({row[1] for row in rows}) == value.value


def test_import_page_and_api_are_for_the_secretariat(demo: dict[str, int], people: People) -> None:
    for role in ("anonymous", "reviewer", "own_delegate"):
        assert people.client(role).get("/monitor/import/").status_code == 403
    sec = people.client("secretariat")
    page = sec.get("/monitor/import/")
    assert page.status_code == 200
    token = page.cookies.get("csrftoken") or sec.cookies["csrftoken"]
    bad = io.BytesIO(
        b"key,country,output,kind,delivered_on,description,recorded_on\nA-1,ZZZ,2.2,cirt,2020-01-01,x,2020-01-02\n"
    )
    bad.name = "bad.csv"
    answer = sec.post("/monitor/import/", {"kind": "assistance", "file": bad}, HTTP_X_CSRFTOKEN=token.value)
    assert answer.status_code == 400 and "bad.csv row 2, column country" in answer.content.decode()
    refused = people.client("own_delegate").post(
        "/api/monitor/records/assistance", data=json.dumps({"rows": []}), content_type="application/json"
    )
    assert refused.status_code in (401, 403)


def test_templates_download_as_csv_and_xlsx(demo: dict[str, int], people: People) -> None:
    client = people.client("anonymous")
    rows = list(
        csv.reader(io.StringIO(client.get("/monitor/templates/participations.csv").content.decode("utf-8-sig")))
    )
    assert rows[0][:2] == ["event_key", "person_key"]
    book = load_workbook(io.BytesIO(client.get("/monitor/templates/events.xlsx").content))
    assert len(book.sheetnames) >= 2


def test_approve_then_download_the_report_in_both_languages(demo: dict[str, int], people: People) -> None:
    sec = people.client("secretariat")
    form = sec.get("/monitor/approve/")
    assert form.status_code == 200
    done = sec.post("/monitor/approve/", {"year": "2018"}, HTTP_X_CSRFTOKEN=sec.cookies["csrftoken"].value)
    assert done.status_code == 200 and "2018" in done.content.decode()
    listing = people.client("anonymous").get("/monitor/reports/").content.decode()
    assert "/monitor/reports/2018/zh.docx" in listing and "/monitor/reports/2018/en.html" in listing
    html = people.client("anonymous").get("/monitor/reports/2018/en.html")
    assert html.status_code == 200 and "2018" in html.content.decode()
    docx = people.client("anonymous").get("/monitor/reports/2018/zh.docx")
    assert docx.content[:2] == b"PK"
    assert people.client("anonymous").get("/monitor/reports/2019/zh.docx").status_code == 404


def test_api_values_and_snapshots(demo: dict[str, int], people: People) -> None:
    client = people.client("anonymous")
    body = client.get("/api/monitor/values?year=2020&by=sex&indicator=3.3.1").json()
    sexes = {v["dims"].get("sex") for v in body["values"] if v["year"] == 2020}
    assert {"F", "M"} <= sexes
    assert client.get("/api/monitor/snapshots/2020").status_code == 404
    assert client.get("/api/monitor/indicators").json()["indicators"][0]["id"] == "1.1.1"


def test_definitions_edit_names_the_bad_field_and_keeps_editions(demo: dict[str, int], people: People) -> None:
    from actionplan.server.monitor import figures

    sec = people.client("secretariat")
    text = sec.get("/monitor/definitions/").content.decode()
    assert "3.3.1" in text
    yaml_text = figures.definitions().indicators
    from actionplan.monitor.definitions import dump_indicator_set

    good = dump_indicator_set(yaml_text)
    bad = good.replace("year: 2021", "year: 2031", 1)
    token = sec.cookies["csrftoken"].value
    refused = sec.post("/monitor/definitions/", {"content": bad}, HTTP_X_CSRFTOKEN=token)
    assert refused.status_code == 400 and "targets" in refused.content.decode()
    assert figures.definitions().number is None
    saved = sec.post("/monitor/definitions/", {"content": good, "note": "same"}, HTTP_X_CSRFTOKEN=token)
    assert saved.status_code == 200
    assert figures.definitions().number == 1
    assert people.client("reviewer").post("/monitor/definitions/", {"content": good}).status_code == 403


def test_one_record_entered_in_a_form_is_checked_like_an_import(plan_stored: object, people: People) -> None:
    from actionplan.server.monitor import models

    sec = people.client("secretariat")
    assert sec.get("/monitor/records/assistance/new/").status_code == 200
    token = sec.cookies["csrftoken"].value
    record = {
        "key": "FORM-1",
        "country": "ZZZ",
        "output": "2.3",
        "kind": "early_warning",
        "delivered_on": "2020-04-01",
        "recorded_on": "2020-04-05",
    }
    refused = sec.post("/monitor/records/assistance/new/", record, HTTP_X_CSRFTOKEN=token)
    assert refused.status_code == 400 and "ISO 3166" in refused.content.decode()
    assert not models.Assistance.objects.exists()
    stored = sec.post("/monitor/records/assistance/new/", {**record, "country": "TON"}, HTTP_X_CSRFTOKEN=token)
    assert stored.status_code == 200
    assert models.Assistance.objects.get(key="FORM-1").country == "TON"
    assert people.client("reviewer").get("/monitor/records/assistance/new/").status_code == 403


def test_api_stores_records_for_the_secretariat_all_or_none(plan_stored: object, people: People) -> None:
    from django.test import Client

    from actionplan.server.accounts.users import create_token
    from actionplan.server.monitor import models

    api = Client(HTTP_AUTHORIZATION=f"Bearer {create_token('sam', 'write')}")
    rows = [
        {
            "key": "API-1",
            "country": "NPL",
            "output": "2.3",
            "kind": "early_warning",
            "delivered_on": "2021-02-01",
            "recorded_on": "2021-02-03",
        },
        {
            "key": "API-2",
            "country": "NPL",
            "output": "2.3",
            "kind": "volcano",
            "delivered_on": "2021-02-01",
            "recorded_on": "2021-02-03",
        },
    ]
    bad = api.post("/api/monitor/records/assistance", json.dumps({"rows": rows}), "application/json")
    assert bad.status_code == 400 and "rows[1].kind" in bad.content.decode()
    assert not models.Assistance.objects.exists()
    good = api.post("/api/monitor/records/assistance", json.dumps({"rows": rows[:1]}), "application/json")
    assert good.status_code == 201 and good.json()["created"] == 1
    reader = Client(HTTP_AUTHORIZATION=f"Bearer {create_token('rita', 'write')}")
    refused = reader.post("/api/monitor/records/assistance", json.dumps({"rows": rows[:1]}), "application/json")
    assert refused.status_code == 403
    approved = api.post("/api/monitor/snapshots/2021")
    assert approved.status_code == 201 and approved.json()["year"] == 2021
    assert Client().get("/api/monitor/snapshots/2021").json()["values"]


def test_indicator_page_has_one_row_per_plan_year(demo: dict[str, int], people: People) -> None:
    import re

    page = people.client("anonymous").get("/monitor/indicators/2.2.2/?year=2021").content.decode()
    table = page.split('id="by-year"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<th scope="row">(\d{4})</th>', table) == ["2018", "2019", "2020", "2021"]
