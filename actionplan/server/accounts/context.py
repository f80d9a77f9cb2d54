"""Template context: what the signed-in user may do (``access``), for showing the right links."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from actionplan.server.accounts import permissions
from actionplan.server.accounts.roles import ADMINISTRATOR, DELEGATE, REVIEWER, SECRETARIAT

ROLE_LABELS = {
    ADMINISTRATOR: gettext_lazy("administrator"),
    SECRETARIAT: gettext_lazy("secretariat"),
    DELEGATE: gettext_lazy("delegate"),
    REVIEWER: gettext_lazy("reviewer"),
}


def access(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not permissions.is_signed_in(user):
        return {"access": {"decide": False, "create": False, "roles": [], "organisations": []}}
    return {
        "access": {
            "decide": permissions.can_decide(user),
            "create": permissions.has_role(user, DELEGATE),
            "roles": [ROLE_LABELS.get(r, r) for r in sorted(permissions.roles_of(user))],
            "organisations": sorted(permissions.organisations_of(user)),
        }
    }
