"""Contributions in real Chromium: two delegations amend the same words, the secretariat adopts.

The journey: a delegate signs in, creates a contribution against the bundled base version,
edits a paragraph of output 2.1, sees the redline preview, saves and submits; a second
delegate's contribution changes the same words; the conflicts page shows both side by side;
a secretariat editor decides (accept one, reject the other) and adopts; the new version's diff
shows the change and which amendment made it. axe checks every page on the way.

This module runs its own server (the ``server`` fixture is overridden here) on a store
holding the bundled *base* plan (the Buenos Aires plan as adopted, without the source's
four proposals) as ``baap@1``, so the other browser tests keep their store untouched. Users
are created with :func:`actionplan.server.accounts.users.add_user` (what ``actionplan users
add`` calls) through ``python -m actionplan.server shell``: alice a delegate of CHN, bob of
BRA, and a secretariat editor.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from actionplan.amend import bundled_base_path
from tests.browser.conftest import POSTGRES_URL_ENV, _database_url_with_name, _free_port, _wait_until_up
from tests.browser.harness import ARTIFACTS, Server, Visit, artifact_folder, new_context, slug
from tests.browser.test_accessibility import AXE_TAGS, AXE_URL, FAILING_IMPACTS, _describe, _settle
from tests.conftest import REPO

PARA = "obj_2__output_2.1__background__para_4"
PARA_TEXT = "同样引人注目的还有世界各国模拟广播向数字广播的过渡，从而可以更加高效地利用频谱并传送更高质量的音频和视频。"
AUDIO = PARA_TEXT.replace("音频和视频", "音频、视频和数据")
MEDIA = PARA_TEXT.replace("音频和视频", "多媒体内容")
PASSWORD = "browser test password 7"
USERS = {"alice": ["delegate", ["CHN"]], "bob": ["delegate", ["BRA"]], "secretariat": ["secretariat", []]}
"""user name -> role, organisations"""


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, cwd=REPO)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(args[:4])} failed ({done.returncode}):\n{done.stderr[-3000:]}")


@pytest.fixture(scope="module")
def server(chromium_path: str) -> Iterator[Server]:
    """``actionplan serve`` on a store of its own: the bundled base as ``baap@1`` and three users."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACTIONPLAN_DATABASE")}
    pg_url = os.environ.get(POSTGRES_URL_ENV)
    name = f"browser_contrib_{secrets.token_hex(6)}"
    with tempfile.TemporaryDirectory(prefix="actionplan-contrib-") as home:
        env["ACTIONPLAN_HOME"] = home
        if pg_url:
            import psycopg
            from psycopg import sql

            with psycopg.connect(pg_url, autocommit=True) as conn:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            env["ACTIONPLAN_DATABASE_URL"] = _database_url_with_name(pg_url, name)
        try:
            yield from _serve(env)
        finally:
            if pg_url:
                import psycopg
                from psycopg import sql

                with psycopg.connect(pg_url, autocommit=True) as conn:
                    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _serve(env: dict[str, str]) -> Iterator[Server]:
    cli = [sys.executable, "-m", "actionplan.cli"]
    _run([*cli, "import", str(bundled_base_path())], env)
    users = json.dumps(USERS)
    _run(
        [
            sys.executable,
            "-m",
            "actionplan.server",
            "shell",
            "-c",
            "import json; from actionplan.server.accounts.users import add_user\n"
            f"for name, (role, orgs) in json.loads({users!r}).items():\n"
            f"    add_user(name, role, orgs, {PASSWORD!r})",
        ],
        env,
    )
    database = "postgresql" if env.get("ACTIONPLAN_DATABASE_URL", "").startswith("postgres") else "sqlite"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / f"browser-contributions-server-{database}.log"
    port = _free_port()
    with log.open("wb") as log_file:
        proc = subprocess.Popen(
            [*cli, "serve", "--port", str(port)], env=env, stdout=log_file, stderr=subprocess.STDOUT, cwd=REPO
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, url, log)
        yield Server(url=url, database=database, env=env)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def check_axe(visit: Visit, kind: str) -> None:
    """axe on the page shown: no serious or critical WCAG 2.1 A/AA violation (results kept as JSON)."""
    page = visit.page
    _settle(page)
    page.add_script_tag(url=visit.url(AXE_URL))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    out = artifact_folder(visit.server, "axe")
    out.mkdir(parents=True, exist_ok=True)
    Path(out / f"contributions-{slug(kind)}.json").write_text(
        json.dumps({"url": page.url, **results}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    failing = [v for v in results["violations"] if v.get("impact") in FAILING_IMPACTS]
    assert not failing, f"{page.url}: serious/critical axe violations:\n" + "".join(map(_describe, failing))


def sign_in(visit: Visit, user: str, next_path: str) -> None:
    page = visit.page
    visit.goto(f"/accounts/login/?next={next_path}", f"{user}-sign-in")
    check_axe(visit, "login")
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill(PASSWORD)
    visit.follow(page.get_by_role("main").get_by_role("button", name="登录"), f"{user}-signed-in")


def propose(visit: Visit, user: str, document: str, sponsor: str, text: str, *, axe: bool) -> None:
    """Sign in, create a draft against baap@1, edit PARA to ``text`` (preview, save), submit."""
    page = visit.page
    sign_in(visit, user, "/contributions/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("新建文稿")
    if axe:
        check_axe(visit, "new")
    expect(page.get_by_label("基础版本")).to_have_value("baap@1")
    page.get_by_label("文件编号").fill(document)
    page.get_by_label("提案方").fill(sponsor)
    page.get_by_label("名称").fill("关于输出成果2.1的建议")
    visit.follow(page.get_by_role("button", name="创建草案"), f"{document}-created")
    expect(page.get_by_role("heading", level=1)).to_contain_text(document)
    if axe:
        check_axe(visit, "detail-draft")

    visit.follow(page.locator(".actions").get_by_role("link", name="修正文本"), f"{document}-pick")
    if axe:
        check_axe(visit, "pick")
    page.get_by_label("查找文本（词语、输出成果编号或元素标识）").fill("模拟广播向数字广播")
    item = page.locator("#pick-list a").filter(has_text=PARA)
    expect(item).to_have_count(1)  # narrowed in place by htmx
    visit.follow(item, f"{document}-edit")
    box = page.get_by_label("您建议的文本")
    expect(box).to_have_value(PARA_TEXT)
    box.fill(text)
    page.get_by_label("理由").fill("视频业务的发展")
    visit.follow(page.get_by_role("button", name="预览修正"), f"{document}-preview")
    preview = page.locator("section.preview")
    expect(preview.locator("ins").first).to_be_visible()
    if axe:
        check_axe(visit, "preview")
    visit.follow(page.get_by_role("button", name="保存修正"), f"{document}-saved")
    expect(page.locator("#amendment-A1")).to_be_visible()
    expect(page.locator("#amendment-A1 ins").first).to_be_visible()
    if axe:
        check_axe(visit, "detail-amended")
    visit.follow(page.get_by_role("button", name="提交"), f"{document}-submitted")
    expect(page.locator("dl.facts .status")).to_have_text("已提交")


def test_two_delegations_collide_and_the_secretariat_adopts(browser: Any, server: Server) -> None:
    contexts = []
    try:
        # 1. the first delegation
        context = new_context(browser, server)
        contexts.append(context)
        alice = Visit(context.new_page(), server, "contrib-alice")
        propose(alice, "alice", "TDAG-1", "CHN", AUDIO, axe=True)
        alice.assert_healthy()

        # 2. the second delegation changes the same words
        context = new_context(browser, server)
        contexts.append(context)
        bob = Visit(context.new_page(), server, "contrib-bob")
        propose(bob, "bob", "TDAG-2", "BRA", MEDIA, axe=False)
        bob.assert_healthy()

        # 3. the conflicts page: both amendments side by side
        page = bob.page
        bob.goto("/contributions/conflicts/baap@1/", "conflicts")
        variants = page.locator("li.variant")
        expect(variants).to_have_count(2)
        expect(variants.nth(0)).to_contain_text("TDAG-")
        first, second = variants.nth(0).bounding_box(), variants.nth(1).bounding_box()
        assert first and second and abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"], (first, second)
        expect(page.locator("li.variant ins").filter(has_text="多媒体内容")).to_have_count(1)
        expect(page.locator("li.variant ins").filter(has_text="数据")).to_have_count(1)
        check_axe(bob, "conflicts")

        # 4. the secretariat decides and adopts
        context = new_context(browser, server)
        contexts.append(context)
        staff = Visit(context.new_page(), server, "contrib-secretariat")
        sign_in(staff, "secretariat", "/contributions/consolidate/baap@1/")
        page = staff.page
        expect(page.locator("fieldset.decision")).to_have_count(2)
        check_axe(staff, "consolidate")
        page.get_by_role("radiogroup", name="对 TDAG-1/A1 的决定").get_by_label("接受", exact=True).check()
        page.get_by_role("radiogroup", name="对 TDAG-2/A1 的决定").get_by_label("拒绝").check()
        staff.follow(page.get_by_role("button", name="预览汇总文本"), "consolidation-preview")
        expect(page.locator("section.preview ins").filter(has_text="数据").first).to_be_visible()
        staff.follow(page.get_by_role("button", name="作为新版本通过"), "adopted")

        # 5. the new version's diff
        assert page.url.endswith("/versions/diff/?old=baap%401&new=baap%402"), page.url
        expect(page.get_by_role("heading", level=1)).to_have_text("从 baap@1 到 baap@2 的变化")
        change = page.locator("li.change").filter(has_text=PARA)
        expect(change).to_have_count(1)
        expect(change.locator("ins").filter(has_text="数据")).to_have_count(1)
        expect(change.get_by_role("link", name="TDAG-1/A1")).to_be_visible()
        check_axe(staff, "version-diff")

        # and the adopted text is the plan's latest version
        staff.goto("/outputs/2.1/", "output-2.1-adopted")
        expect(page.locator(f'[id="{PARA}"]')).to_have_text(AUDIO)
        staff.goto("/contributions/", "contributions-after")
        expect(page.locator("table.contributions")).to_contain_text("已通过")
        expect(page.locator("table.contributions")).to_contain_text("已拒绝")
        staff.assert_healthy()
    finally:
        for context in contexts:
            context.close()
