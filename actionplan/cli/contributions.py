"""``actionplan contribution …``: author, import, redline, compare and decide amendments.

A contribution is a YAML file a delegate can keep in version control, mail, or submit to
the store; every authoring command reads it, adds amendments checked against its base
version, and writes it back atomically. The base is named in the file (a stored version
such as ``baap@1``, a plan file, or the bundled base ``baap-2018-2021.zh``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.markup import escape
from rich.table import Table

from actionplan.amend import Amendment, Contribution, Proposed, proposed_from
from actionplan.cli.common import app, err, friendly, load_plan, ops_markup, out, write_atomic
from actionplan.errors import InputError
from actionplan.model import Plan, text_of

contribution_app = typer.Typer(help="Contributions: amendments proposed to a plan version.", no_args_is_help=True)
app.add_typer(contribution_app, name="contribution")

FileArg = Annotated[Path, typer.Argument(help="The contribution file (YAML).")]
Files = Annotated[list[Path], typer.Argument(help="Contribution files (YAML/JSON).")]
BaseOpt = Annotated[str | None, typer.Option(help="Base: a stored version or a plan file; default: the file's base.")]


# -- reading and writing contributions ------------------------------------------------


def read_contribution(file: Path | None) -> tuple[Contribution, Path]:
    from actionplan.amend import bundled_contribution_path, load_contribution

    path = file or bundled_contribution_path()
    return load_contribution(path), path


def save_contribution(c: Contribution, path: Path) -> None:
    data = c.model_dump(mode="json", exclude_defaults=True)
    data.setdefault("document", c.document)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    write_atomic(path, text.encode("utf-8"))


def base_of(base: str | None, c: Contribution | None = None) -> tuple[Plan, str]:
    """The plan a contribution amends: ``--base``, else the one the file names."""
    from actionplan.amend import bundled_base_path

    name = base or (c.base if c else None)
    bundled = bundled_base_path().name.removesuffix(".txt")
    if name is None or name == bundled:
        return load_plan(str(bundled_base_path()))[0], f"{bundled} (bundled base)"
    return load_plan(name)


def _next_id(c: Contribution, prefix: str = "A") -> int:
    numbers = [int(m[1]) for a in c.amendments if (m := re.fullmatch(rf"{re.escape(prefix)}(\d+)", a.id))]
    return max(numbers, default=0) + 1


def _name(c: Contribution, path: Path) -> str:
    return c.document or path.stem


def _named(c: Contribution, path: Path) -> Contribution:
    """The contribution, named by its file when it has no document number (labels need one)."""
    return c if c.document else c.model_copy(update={"document": path.stem})


def _proposed(files: list[Path]) -> tuple[list[Proposed], list[Contribution]]:
    found: list[Proposed] = []
    contributions = []
    for f in files:
        c, path = read_contribution(f)
        contributions.append(c)
        found += proposed_from(c, _name(c, path))
    return found, contributions


def _text_arg(text: str | None, text_file: Path | None, what: str) -> str:
    if (text is None) == (text_file is None):
        raise InputError(f"give the {what} either with --text or with --text-file", where="--text/--text-file")
    if text_file is not None:
        try:
            return text_file.read_text(encoding="utf-8").rstrip("\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read {text_file}: {exc}", where=str(text_file), expected="UTF-8 text") from None
    assert text is not None
    return text


# -- show / apply ---------------------------------------------------------------------


@contribution_app.command("show")
@friendly
def contribution_show(
    file: Annotated[Path | None, typer.Argument(help="A contribution (YAML/JSON); default: the source's.")] = None,
) -> None:
    """The contribution's proposals and its amendments, one row each."""
    c, path = read_contribution(file)
    sponsors = ", ".join(c.sponsors) or "—"
    out.print(
        f"[bold]{escape(text_of(c.title) or c.document)}[/] ({path.name}) — base {c.base}, "
        f"sponsors {escape(sponsors)}, status {c.status}"
    )
    for k, p in enumerate(c.proposals, 1):
        out.print(f"  {k}. {escape(text_of(p))}")
    out.print(amendment_table(c.amendments))


def amendment_table(amendments: list[Amendment]) -> Table:
    table = Table(title="Amendments / 修正")
    for col in ("id", "type", "proposal", "element", "new text", "status"):
        table.add_column(col, overflow="fold")
    for a in amendments:
        new = a.new_element.text if a.new_element else a.new_text
        if a.links is not None:
            change = f"{a.links.scheme}: +{','.join(a.links.add)} -{','.join(a.links.remove)}"
        else:
            change = text_of(new)[:80] or (f"[red]− {escape(a.target.old[:60])}[/]" if a.target else "")
        table.add_row(a.id, a.type, str(a.proposal or ""), a.target_eid(), escape(change), a.status)
    return table


@contribution_app.command("apply")
@friendly
def contribution_apply(
    file: Annotated[Path | None, typer.Argument(help="A contribution; default: the source's.")] = None,
    base: BaseOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="json or yaml")] = "json",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (atomically).")] = None,
) -> None:
    """Print (or write) the consolidated plan: the base with every amendment applied."""
    from actionplan.amend import apply_amendments
    from actionplan.render import render

    c, _ = read_contribution(file)
    plan, _name = base_of(base, c)
    data = render(apply_amendments(plan, c.amendments), format)
    if output:
        write_atomic(output, data)
        err.print(f"wrote {output} ({len(data):,} bytes)")
    else:
        sys.stdout.buffer.write(data)


# -- authoring ------------------------------------------------------------------------


@contribution_app.command("new")
@friendly
def contribution_new(
    file: Annotated[Path, typer.Argument(help="The contribution file to create (YAML).")],
    base: Annotated[str, typer.Option(help="The version it amends: a stored version (baap@1) or a plan file.")],
    document: Annotated[str, typer.Option(help="Document number, e.g. TDAG-21/12.")],
    sponsor: Annotated[list[str] | None, typer.Option(help="Submitting member state (ISO3); repeatable.")] = None,
    meeting: Annotated[str, typer.Option(help="The meeting, e.g. TDAG-21.")] = "",
    date: Annotated[str, typer.Option(help="Date, YYYY-MM-DD.")] = "",
    lang: Annotated[str, typer.Option(help="Language of the amendments' texts.")] = "zh",
    title: Annotated[str, typer.Option(help="Title of the contribution.")] = "",
) -> None:
    """Start a contribution (status draft) against a plan version."""
    from actionplan.registry.countries import country

    if file.exists():
        raise InputError(f"{file} exists; not overwritten", where=str(file), expected="a new file name")
    for code in sponsor or []:
        if len(code) == 3 and code.isalpha() and country(code.upper()) is None:
            raise InputError(f"unknown member state {code!r}", where="--sponsor", expected="an ISO 3166 alpha-3 code")
    base_of(base)  # the base must exist before anyone writes amendments against it
    c = Contribution(
        document=document,
        base=base,
        meeting=meeting,
        date=date,
        language=lang,
        sponsors=[s.upper() if len(s) == 3 else s for s in sponsor or []],
        title={lang: title} if title else {},
    )
    save_contribution(c, file)
    err.print(f"created {file}: contribution {document} against {base}")


def _add(file: Path, c: Contribution, new: list[Amendment], justification: str) -> None:
    if justification:
        new = [a.model_copy(update={"justification": {c.language: justification}}) for a in new]
    c.amendments.extend(new)
    save_contribution(c, file)
    err.print(f"{file}: added {', '.join(a.id for a in new) or 'nothing (the text is unchanged)'}")


@contribution_app.command("edit")
@friendly
def contribution_edit(
    file: FileArg,
    element: Annotated[str, typer.Argument(help="The eid of the element whose text changes.")],
    text: Annotated[str | None, typer.Option(help="The new text.")] = None,
    text_file: Annotated[Path | None, typer.Option(help="Read the new text from this file.")] = None,
    field: Annotated[str, typer.Option(help="text, title, label or heading.")] = "text",
    lang: Annotated[str | None, typer.Option(help="Language of the text; default the contribution's.")] = None,
    justification: Annotated[str, typer.Option(help="Why.")] = "",
) -> None:
    """Rewrite an element's text; the amendments are computed from the edit and shown as a redline."""
    from actionplan.amend.author import amendments_from_edit, current_text
    from actionplan.amend.textdiff import diff_words

    c, _ = read_contribution(file)
    plan, _n = base_of(None, c)
    language = lang or c.language
    new_text = _text_arg(text, text_file, "new text")
    new = amendments_from_edit(plan, element, field, language, new_text, start=_next_id(c))
    out.print(ops_markup(diff_words(current_text(plan, element, field, language), new_text, language)))
    _add(file, c, new, justification)


@contribution_app.command("link")
@friendly
def contribution_link(
    file: FileArg,
    output: Annotated[str, typer.Argument(help="The output's eid (e.g. obj_2__output_2.1) or number (2.1).")],
    scheme: Annotated[str, typer.Option(help="sdg_target, sdg_goal, wsis, wtdc_resolution, pp_resolution, …")],
    add: Annotated[list[str] | None, typer.Option(help="Code to add; repeatable.")] = None,
    remove: Annotated[list[str] | None, typer.Option(help="Code to remove; repeatable.")] = None,
    justification: Annotated[str, typer.Option(help="Why.")] = "",
) -> None:
    """Change an output's SDG / WSIS / resolution links."""
    from actionplan.amend.author import link_change

    c, _ = read_contribution(file)
    plan, _n = base_of(None, c)
    found = plan.output(output)
    eid = found.eid if found is not None else output
    am = link_change(plan, eid, scheme, add or [], remove or [], id=f"A{_next_id(c)}")
    _add(file, c, [am], justification)


@contribution_app.command("add-element")
@friendly
def contribution_add_element(
    file: FileArg,
    container: Annotated[str, typer.Argument(help="The eid of the element receiving it (a work area, project…).")],
    text: Annotated[str | None, typer.Option(help="Its text.")] = None,
    text_file: Annotated[Path | None, typer.Option(help="Read its text from this file.")] = None,
    field: Annotated[str, typer.Option(help="The list: items, text, background, framework, blocks.")] = "items",
    after: Annotated[str | None, typer.Option(help="The eid of the sibling it follows; default: first.")] = None,
    kind: Annotated[str, typer.Option(help="item or para.")] = "item",
    justification: Annotated[str, typer.Option(help="Why.")] = "",
) -> None:
    """Propose a new paragraph or list item."""
    from actionplan.amend.author import new_element

    c, _ = read_contribution(file)
    plan, _n = base_of(None, c)
    if kind not in ("item", "para"):
        raise InputError(f"unknown kind {kind!r}", where="--kind", expected="item or para")
    body = _text_arg(text, text_file, "text")
    am = new_element(plan, container, field, after, body, c.language, id=f"A{_next_id(c)}", kind=kind)  # type: ignore[arg-type]
    _add(file, c, [am], justification)


@contribution_app.command("delete-element")
@friendly
def contribution_delete_element(
    file: FileArg,
    element: Annotated[str, typer.Argument(help="The eid of the paragraph or item to delete.")],
    justification: Annotated[str, typer.Option(help="Why.")] = "",
) -> None:
    """Propose deleting a whole paragraph or list item."""
    from actionplan.amend.author import element_deletion

    c, _ = read_contribution(file)
    plan, _n = base_of(None, c)
    _add(file, c, [element_deletion(plan, element, id=f"A{_next_id(c)}")], justification)


# -- conflicts, rebase, consolidation -------------------------------------------------


@contribution_app.command("conflicts")
@friendly
def contribution_conflicts(files: Files, base: BaseOpt = None) -> None:
    """Amendments of different contributions that touch the same text, side by side."""
    from actionplan.amend.conflicts import conflict_sets

    proposed, contributions = _proposed(files)
    plan, name = base_of(base, contributions[0])
    sets = conflict_sets(plan, proposed)
    out.print(f"[bold]{len(sets)} conflict sets / 冲突[/] among {len(proposed)} amendments against {escape(name)}")
    for k, s in enumerate(sets, 1):
        table = Table(title=f"{k}. {s.eid} · {s.field}", show_lines=True)
        for v in s.members:
            heading = f"{v.proposed.key} ({escape(v.proposed.label)}) · departs {v.departure:.0%}"
            table.add_column(heading, overflow="fold")
        table.add_row(*[ops_markup(v.ops) for v in s.members])
        out.print(table)
    if sets:
        out.print("Suggested order of consideration: the amendment that departs furthest from the text first.")


@contribution_app.command("rebase")
@friendly
def contribution_rebase(
    file: FileArg,
    onto: Annotated[str, typer.Option(help="The newer base: a stored version or a plan file.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the rebased contribution here.")] = None,
) -> None:
    """Carry pending amendments to a newer base; each is clean, fuzzy or conflicting."""
    from actionplan.amend.conflicts import rebase

    c, _ = read_contribution(file)
    old, old_name = base_of(None, c)
    new, new_name = base_of(onto)
    results = rebase(old, new, c.amendments)
    colour = {"clean": "green", "fuzzy": "yellow", "conflicting": "red"}
    table = Table(title=f"Rebase {old_name} → {new_name}")
    for col in ("amendment", "status", "element", "note"):
        table.add_column(col, overflow="fold")
    for r in results:
        s = r.status
        table.add_row(r.amendment.id, f"[{colour[s]}]{s}[/]", r.amendment.target_eid(), escape(r.note))
    out.print(table)
    counts = {s: sum(r.status == s for r in results) for s in colour}
    out.print(", ".join(f"{n} {s}" for s, n in counts.items()))
    if output is not None:
        rebased = c.model_copy(update={"base": onto, "amendments": [r.amendment for r in results]})
        save_contribution(rebased, output)
        err.print(f"wrote {output}")


def read_decisions(path: Path | None, proposed: list[Proposed], accept_all: bool) -> list[Any]:
    """Decisions from YAML (``key: accept | reject | {modify: {new_text: {zh: …}}}``)."""
    from actionplan.amend.consolidate import Decision
    from actionplan.ingest.structured import read_mapping

    if accept_all:
        return [Decision(p.key, "accept") for p in proposed]
    if path is None:
        raise InputError("say what was decided", where="--decisions", expected="a decisions file or --accept-all")
    data = read_mapping(path, expected="key: accept | reject | {modify: {...}}")
    by_key = {p.key: p for p in proposed}
    decisions = []
    for key, value in data.items():
        if isinstance(value, str):
            decisions.append(Decision(str(key), value))  # type: ignore[arg-type]
        elif isinstance(value, dict) and set(value) == {"modify"} and key in by_key:
            wording = by_key[key].amendment.model_copy(update=value["modify"])
            decisions.append(Decision(str(key), "modify", Amendment.model_validate(wording.model_dump())))
        else:
            raise InputError(
                f"{path}: decision on {key} not understood",
                where=f"{path}: {key}",
                expected="accept, reject, {modify: …}",
            )
    return decisions


@contribution_app.command("consolidate")
@friendly
def contribution_consolidate(
    files: Files,
    decisions: Annotated[Path | None, typer.Option(help="Decisions file (YAML).")] = None,
    accept_all: Annotated[bool, typer.Option(help="Accept every amendment.")] = False,
    base: BaseOpt = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the consolidated plan (JSON).")] = None,
) -> None:
    """Preview the consolidated text: the base with the accepted amendments, as a diff."""
    from actionplan.amend.consolidate import consolidate
    from actionplan.amend.diff import diff_plans
    from actionplan.render import render_json

    proposed, contributions = _proposed(files)
    plan, name = base_of(base, contributions[0])
    result = consolidate(plan, proposed, read_decisions(decisions, proposed, accept_all))
    changes = diff_plans(plan, result.plan)
    out.print(
        f"[bold]{len(result.applied)} amendments applied[/], {len(result.undecided)} undecided; "
        f"{len(changes)} changes from {escape(name)}"
    )
    for key, eids in result.provenance.items():
        out.print(f"  {key} → {', '.join(eids)}")
    if output is not None:
        write_atomic(output, render_json(result.plan).encode("utf-8"))
        err.print(f"wrote {output}")


# -- import from Word -----------------------------------------------------------------


@contribution_app.command("import")
@friendly
def contribution_import(
    file: Annotated[Path, typer.Argument(help="A .docx with tracked changes, or a revised clean .docx/.txt.")],
    base: Annotated[str, typer.Option(help="The version it amends: a stored version (baap@1) or a plan file.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The contribution file to write (YAML).")],
    author: Annotated[
        list[str] | None, typer.Option(help="Map a Word author to a member state: 'NAME=ISO3'; repeatable.")
    ] = None,
    document: Annotated[str, typer.Option(help="Document number; default: the file name.")] = "",
    lang: Annotated[str, typer.Option(help="Language of the document.")] = "zh",
    revised: Annotated[
        bool | None,
        typer.Option(
            "--revised/--tracked",
            help="Read a revised clean document (aligned to the base) or tracked changes; default: by content.",
        ),
    ] = None,
) -> None:
    """Turn a Word file into a contribution: every revision an amendment, or reported."""
    from actionplan.amend.align import import_revised
    from actionplan.amend.wordimport import import_tracked
    from actionplan.amend.wordrevisions import read_revisions
    from actionplan.ingest import parse_file

    plan, name = base_of(base)
    authors = _author_map(author or [])
    tracked = file.suffix.lower() == ".docx" and any(True for _ in read_revisions(file).revisions())
    if revised is False and not tracked:
        raise InputError(f"{file} has no tracked changes", where=str(file), expected="w:ins/w:del revisions")
    doc = document or file.stem
    if tracked and not revised:
        result = import_tracked(file, plan, lang=lang, author_map=authors, document=doc, base_ref=base)
        how = "tracked changes"
    else:
        result = import_revised(parse_file(file), plan, lang=lang, document=doc, base_ref=base)
        how = f"a revised document aligned to {name}"
    save_contribution(result.contribution, output)
    out.print(f"[bold]{file.name}[/]: {how} → {len(result.amendments)} amendments, {len(result.unanchored)} unanchored")
    out.print(amendment_table(result.amendments))
    if result.unanchored:
        table = Table(title="Not anchored / 未能定位 (nothing dropped: review these by hand)")
        for col in ("paragraph", "kind", "author", "text", "why"):
            table.add_column(col, overflow="fold")
        for u in result.unanchored:
            table.add_row(str(u.paragraph or ""), u.kind, escape(u.author), escape(u.text[:80]), escape(u.reason))
        out.print(table)
    err.print(f"wrote {output}")


def _author_map(pairs: list[str]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        name, sep, code = pair.rpartition("=")
        if not sep or not name or not code:
            raise InputError(f"--author {pair!r}", where="--author", expected="'Word author name=ISO3'")
        found[name] = code.upper() if len(code) == 3 else code
    return found


# -- redlines -------------------------------------------------------------------------

REDLINE_SUFFIX = {"html": ".html", "docx": ".docx", "pdf": ".pdf"}


@contribution_app.command("redline")
@friendly
def contribution_redline(
    files: Files,
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write (atomically).")],
    format: Annotated[str | None, typer.Option("--format", "-f", help="html, docx or pdf; default: by suffix.")] = None,
    base: BaseOpt = None,
    lang: Annotated[str | None, typer.Option(help="Language of the redline; default the base plan's.")] = None,
) -> None:
    """The base with every amendment marked: HTML, Word with tracked changes, or PDF."""
    from actionplan.render.pdf import render_redline_pdf
    from actionplan.render.redline import render_redline_html
    from actionplan.render.redline_docx import render_redline_docx

    fmt = format or next((f for f, s in REDLINE_SUFFIX.items() if output.suffix.lower() == s), None)
    if fmt not in REDLINE_SUFFIX:
        raise InputError(f"unknown redline format {fmt!r}", where="--format", expected="html, docx or pdf")
    contributions = [_named(*read_contribution(f)) for f in files]
    plan, name = base_of(base, contributions[0])
    language = lang or plan.language
    if fmt == "html":
        data = render_redline_html(plan, contributions, language).encode("utf-8")
    elif fmt == "docx":
        data = render_redline_docx(plan, contributions, language)
    else:
        data = render_redline_pdf(plan, contributions, language)
    write_atomic(output, data)
    count = sum(len(c.amendments) for c in contributions)
    err.print(f"wrote {output} ({len(data):,} bytes): {count} amendments against {name}")


# -- the store: submit, list, adopt ---------------------------------------------------


def contributions_store() -> Any:
    """The store's contribution functions, with Django set up first."""
    from actionplan.cli.common import store

    store()
    from actionplan.server.store import contributions

    return contributions


@contribution_app.command("submit")
@friendly
def contribution_submit(
    file: FileArg,
    base: Annotated[str | None, typer.Option(help="The stored version it amends; default: the file's base.")] = None,
    draft: Annotated[bool, typer.Option(help="Store it as a draft instead of submitting it.")] = False,
) -> None:
    """Store a contribution (submitted, or a draft) against a stored version."""
    from actionplan.amend.model import ContributionStatus

    c, path = read_contribution(file)
    c = _named(c, path).model_copy(
        update={"status": ContributionStatus.draft if draft else ContributionStatus.submitted}
    )
    info = contributions_store().create_contribution(c, base=base or c.base)
    err.print(
        f"stored {info.document} (#{info.pk}) against [bold]{info.base}[/]: "
        f"{len(info.amendments)} amendments, {info.status.value}"
    )


@contribution_app.command("list")
@friendly
def contribution_list(
    base: Annotated[str | None, typer.Option(help="Only those against this version.")] = None,
    status: Annotated[str | None, typer.Option(help="Only those with this status.")] = None,
) -> None:
    """The stored contributions."""
    rows = contributions_store().list_contributions(base, status)
    table = Table(title="Contributions / 文稿")
    for col in ("#", "document", "base", "sponsors", "status", "amendments", "updated (UTC)"):
        table.add_column(col, overflow="fold")
    for info in rows:
        when = info.updated_at.strftime("%Y-%m-%d %H:%M") if info.updated_at else ""
        sponsors = ", ".join(info.sponsors) or "—"
        table.add_row(
            str(info.pk), info.document, info.base, sponsors, info.status.value, str(len(info.amendments)), when
        )
    out.print(table if rows else "no contributions stored yet: actionplan contribution submit FILE")


@contribution_app.command("adopt")
@friendly
def contribution_adopt(
    base: Annotated[str, typer.Argument(help="The stored version the contributions amend (e.g. baap@1).")],
    decisions: Annotated[Path | None, typer.Option(help="Decisions file (YAML).")] = None,
    accept_all: Annotated[bool, typer.Option(help="Accept every pending amendment.")] = False,
    note: Annotated[str, typer.Option(help="A note kept with the new version.")] = "",
) -> None:
    """Decide the submitted amendments against BASE and store the result as a new version."""
    store = contributions_store()
    proposed = store.proposed_for(base)
    result = store.adopt(base, read_decisions(decisions, proposed, accept_all), note=note)
    if result.version is None:
        out.print("nothing accepted: no new version")
    else:
        verb = "stored" if result.created else "identical to the existing"
        out.print(f"[bold]{verb} {result.version.ref}[/] from {result.base}")
    for key, eids in result.provenance.items():
        out.print(f"  {key} → {', '.join(eids)}")
    for document, status in result.contributions.items():
        out.print(f"  {document}: {status.value}")
