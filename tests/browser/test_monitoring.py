"""The monitoring journey in real Chromium: dashboards from the demo records, drill-down, a CSV
import (refused with every error, then stored), approval of a year and its reports in both languages.

Runs on the session's server (``tests/browser/conftest.py``), whose store has the demo records;
the secretariat editor is made here as ``actionplan users add`` makes them.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.browser.harness import Server, Visit
from tests.conftest import REPO

PASSWORD = "a long browser test password"
EVENTS = """key,kind,title,start_date,end_date,city,country,region,online,outputs,recorded_on
BR-1,training,Browser-test course,2021-05-03,2021-05-07,Accra,GHA,AFR,no,3.3,2021-05-20
BR-2,workshop,Browser-test workshop,2021-06-01,2021-06-02,Lima,PER,AMS,no,4.2,2021-06-10
"""


@pytest.fixture(scope="module")
def editor(server: Server) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "actionplan.cli", "users", "add", "monitor-sec", "--role", "secretariat"],
        input=PASSWORD + "\n",
        env=server.env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    return "monitor-sec"


def _drawn(visit: Visit, count: int) -> None:
    expect(visit.page.locator(".vega-chart.drawn")).to_have_count(count, timeout=30_000)


def test_dashboard_drill_down_and_indicator_charts(visit: Visit) -> None:
    page = visit.page
    visit.goto("/monitor/?year=2020", "dashboard")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2020")
    rows = page.locator("table.indicators tbody tr")
    expect(rows).to_have_count(38)
    _drawn(visit, 1)
    page.locator("#f-region").select_option("AFR")
    page.wait_for_url("**region=AFR**")
    expect(rows).to_have_count(38)
    visit.shot("dashboard-africa")
    visit.goto("/monitor/indicators/3.3.1/?year=2020", "indicator")
    charts = page.locator(".vega-chart")
    expect(charts.first).to_be_attached()
    _drawn(visit, charts.count())
    number = page.locator("#by-year ~ .table-scroll tbody tr").nth(2).locator("td a").first
    shown = number.inner_text()
    visit.follow(number, "records")
    expect(page.get_by_role("heading", level=1)).to_contain_text("3.3.1")
    # people are hidden from the public: the page says how many and asks to sign in
    expect(page.locator("main")).to_contain_text("登录")
    assert shown.replace(",", "")


def _sign_in(visit: Visit, user: str, next_path: str) -> None:
    page = visit.page
    visit.goto(f"/accounts/login/?next={next_path}", "sign-in")
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill(PASSWORD)
    visit.follow(page.get_by_role("main").get_by_role("button", name="登录"), "signed-in")


def test_import_approve_and_download_reports(visit: Visit, editor: str, tmp_path: Path) -> None:
    page = visit.page
    _sign_in(visit, editor, "/monitor/import/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    bad = tmp_path / "events.csv"
    bad.write_text(EVENTS.replace("training", "lecture").replace("PER", "XXX"), encoding="utf-8")
    page.locator("select#kind").select_option("events")
    page.locator("input#file").set_input_files(str(bad))
    with page.expect_navigation() as refused:
        page.locator("form.import-form button[type=submit]").click()
    assert refused.value is not None and refused.value.status == 400
    visit.shot("import-refused")
    errors = page.locator(".import-errors li")
    expect(errors).to_have_count(2)
    expect(page.locator(".import-errors")).to_contain_text("events.csv row 2, column kind")
    expect(page.locator(".import-errors")).to_contain_text("events.csv row 3, column country")
    visit.bad_responses.clear()  # the 400 was the point
    good = tmp_path / "events-fixed.csv"
    good.write_text(EVENTS, encoding="utf-8")
    page.locator("select#kind").select_option("events")
    page.locator("input#file").set_input_files(str(good))
    visit.follow(page.locator("form.import-form button[type=submit]"), "import-stored")
    expect(page.locator("[role=status]")).to_contain_text("2")

    visit.goto("/monitor/approve/", "approve")
    page.locator("input[name=year][value='2021']").check()
    visit.follow(page.locator("main form button[type=submit]"), "approved")
    expect(page.locator("[role=status]")).to_contain_text("2021")

    visit.goto("/monitor/reports/", "reports")
    with page.expect_download(timeout=240_000) as caught:  # the first download renders the report
        page.locator("a[href$='/2021/zh.docx']").click()
    docx_path = caught.value.path()
    doc = Document(io.BytesIO(Path(docx_path).read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "2021" in text and "实施" in text
    page.set_default_navigation_timeout(240_000)
    visit.goto("/monitor/reports/2021/en.html", "report-en")
    expect(page.locator("h1").first).to_contain_text("2021")
