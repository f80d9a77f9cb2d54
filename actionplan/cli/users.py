"""``actionplan users …``: accounts, roles, organisations and API tokens.

The CLI acts as the machine's operator (it has every right); these commands are how the
first secretariat editor and delegations get their accounts.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from actionplan.cli.common import app, err, friendly, out, store
from actionplan.errors import InputError

users_app = typer.Typer(help="Accounts: roles, organisations, API tokens.", no_args_is_help=True)
app.add_typer(users_app, name="users")

ROLE_HELP = "administrator, secretariat, delegate or reviewer"


def users_api() -> Any:
    store()
    from actionplan.server.accounts import users

    return users


def _password(name: str) -> str:
    """From standard input when it is not a terminal (scripts), else asked twice."""
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise InputError("no password on standard input", where="stdin", expected="the password on one line")
        return password
    return str(typer.prompt(f"password for {name}", hide_input=True, confirmation_prompt=True))


@users_app.command("add")
@friendly
def users_add(
    name: Annotated[str, typer.Argument(help="The user name.")],
    role: Annotated[str, typer.Option(help=ROLE_HELP)],
    org: Annotated[list[str] | None, typer.Option(help="Organisation (ISO3 or sector member); repeatable.")] = None,
    email: Annotated[str, typer.Option(help="E-mail address (for password reset).")] = "",
) -> None:
    """Create an account; the password is read from standard input or asked for."""
    users = users_api()
    from actionplan.server.accounts.roles import ROLES

    if role not in ROLES:  # before asking for a password
        raise InputError(f"unknown role {role!r}", where="--role", expected=", ".join(ROLES))
    info = users.add_user(name, role, org or [], _password(name), email)
    err.print(f"added {info.name}: {', '.join(info.roles)}; organisations {', '.join(info.organisations) or '—'}")


@users_app.command("list")
@friendly
def users_list() -> None:
    """Every account with its roles, organisations and tokens."""
    table = Table(title="Users / 用户")
    for col in ("name", "roles", "organisations", "active", "last login (UTC)", "tokens"):
        table.add_column(col, overflow="fold")
    for u in users_api().list_users():
        tokens = ", ".join(f"{t.prefix}… ({t.scope}{', revoked' if t.revoked_at else ''})" for t in u.tokens)
        last = u.last_login.strftime("%Y-%m-%d %H:%M") if u.last_login else ""
        table.add_row(
            escape(u.name), ", ".join(u.roles), ", ".join(u.organisations), "yes" if u.active else "no", last, tokens
        )
    out.print(table)


@users_app.command("disable")
@friendly
def users_disable(name: Annotated[str, typer.Argument(help="The user name.")]) -> None:
    """Disable an account: no sign-in, its tokens revoked, its sessions ended."""
    info = users_api().disable_user(name)
    err.print(f"disabled {info.name}")


@users_app.command("token")
@friendly
def users_token(
    name: Annotated[str, typer.Argument(help="The user name.")],
    scope: Annotated[str, typer.Option(help="read or write")] = "read",
    revoke: Annotated[bool, typer.Option(help="Revoke the user's tokens instead.")] = False,
) -> None:
    """Create an API token (printed once: keep it), or revoke the user's tokens."""
    users = users_api()
    if revoke:
        err.print(f"revoked {users.revoke_token(name)} tokens of {name}")
        return
    token = users.create_token(name, scope)
    out.print(token)
    err.print(f"{scope} token for {name}: send it as 'Authorization: Bearer <token>'; it is not shown again")
