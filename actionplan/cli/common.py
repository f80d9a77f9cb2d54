"""What every command shares: the Typer app, the consoles, error handling, loading plans.

Every command prints data on stdout and messages on stderr. Errors from the core
(:mod:`actionplan.errors`) become one red line naming the file, line or field, and the
error's exit code; no traceback reaches the user.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from actionplan import files
from actionplan.errors import ActionPlanError, InputError
from actionplan.model import Plan

app = typer.Typer(
    name="actionplan",
    help="The ITU-D action plan as living, machine-readable, measurable data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


def friendly(func: F) -> F:
    """Turn core errors into one line on stderr and the error's exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ActionPlanError as exc:
            err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def store() -> Any:
    """The store API, with Django set up (and migrations applied) on first use."""
    from actionplan.server import bootstrap

    bootstrap.setup()
    from actionplan.server.store import api

    return api


def load_plan(file_or_version: str | None) -> tuple[Plan, str]:
    """A plan from a file path, else from the store by version reference."""
    if file_or_version and (os.sep in file_or_version or Path(file_or_version).exists()):
        from actionplan.ingest import parse_file

        return parse_file(Path(file_or_version)), file_or_version
    api = store()
    plan = api.load_version(file_or_version)
    info = api.version_info(file_or_version)
    return plan, f"{info.plan_code}@{info.number}"


def writable(path: Path) -> Path:
    """``path`` if its folder exists; else a clear error, before any long work is done for it."""
    folder = path.resolve().parent
    if not folder.is_dir():
        raise InputError(
            f"cannot write {path}: the folder {folder} does not exist",
            where=str(path),
            expected="a file in an existing folder",
        )
    return path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all (:func:`actionplan.files.write_atomic`), in an existing folder."""
    files.write_atomic(writable(path), data)


def ops_markup(ops: list[Any]) -> str:
    """Colours on a terminal; git's word-diff markers ``{+ins+}`` ``[-del-]`` elsewhere."""
    if out.is_terminal:
        style = {"insert": "[green underline]{}[/]", "delete": "[red strike]{}[/]", "equal": "{}"}
    else:
        style = {"insert": "{{+{}+}}", "delete": "\\[-{}-]", "equal": "{}"}
    return "".join(style[op.kind].format(escape(op.text)) for op in ops)
