"""The access rules, in one place: the store, the pages and the API all ask these functions.

``user`` is a Django user, an anonymous user, or ``None``. ``None`` is the machine's
operator acting from the command line (``actionplan contribution ...``): the local
administrator, who may do everything the store allows. A user that is disabled
(``is_active`` false) counts as anonymous.

======================================= ======== ========= ============ ======== ===========
action                                  public   reviewer  delegate     secre-   admini-
                                                           (own org)    tariat   strator
======================================= ======== ========= ============ ======== ===========
read versions, submitted contributions  yes      yes       yes          yes      yes
read a draft                            no (404) no (404)  own orgs     no (404) no (404)
create a contribution                   no       no        own orgs     no       no
edit a draft, its amendments            no       no        own orgs     no       no
submit a draft                          no       no        own orgs     no       no
withdraw a contribution or amendment    no       no        own orgs     no       no
mark amendments obsolete or merged      no       no        no           yes      no
put under review, decide, adopt         no       no        no           yes      no
change an adopted version               no       no        no           no       no
read dashboards, approved figures       yes      yes       yes          yes      yes
see participant-level records           no       yes       no           yes      no
enter and import activity records,      no       no        no           yes      no
statistics; edit indicator definitions
and index frameworks; approve figures
manage accounts                         no       no        no           no       yes
======================================= ======== ========= ============ ======== ===========

A contribution belongs to the organisations named in its sponsors; a delegate acts for the
organisations of their memberships. A draft that a user may not see is *not found* (404),
never *forbidden*, so that ids cannot be probed. Roles add up: a user may be both
delegate and reviewer, say.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from actionplan.amend.model import AmendmentStatus, ContributionStatus
from actionplan.server.accounts.roles import ADMINISTRATOR, DELEGATE, REVIEWER, SECRETARIAT

OPEN = (ContributionStatus.submitted, ContributionStatus.under_review)
WITHDRAWABLE = (ContributionStatus.draft, *OPEN)


class Forbidden(PermissionDenied):
    """The user may see the thing but not do this to it: HTTP 403 in the pages and the API.

    It is Django's :class:`~django.core.exceptions.PermissionDenied` (so a page that does
    not catch it answers 403), with the ``message``/``where``/``expected`` of
    :class:`actionplan.errors.ActionPlanError`.
    """

    def __init__(self, message: str, *, where: str | None = None, expected: str | None = None):
        self.message = message
        self.where = where
        self.expected = expected
        super().__init__(message)


class HasSponsors(Protocol):
    @property
    def status(self) -> Any: ...

    @property
    def sponsors(self) -> list[str]: ...


# -- who the user is -----------------------------------------------------------------------


def is_operator(user: Any) -> bool:
    """The command line's operator (``user=None``): every right."""
    return user is None


def is_signed_in(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def roles_of(user: Any) -> frozenset[str]:
    """The user's roles (group names); superusers are administrators. Cached on the user object."""
    if not is_signed_in(user):
        return frozenset()
    cached = getattr(user, "_actionplan_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached = cached | {ADMINISTRATOR}
        user._actionplan_roles = cached
    return cached


def organisations_of(user: Any) -> frozenset[str]:
    """The organisations a user speaks for (their memberships). Cached on the user object."""
    if not is_signed_in(user):
        return frozenset()
    cached = getattr(user, "_actionplan_organisations", None)
    if cached is None:
        cached = frozenset(user.memberships.values_list("organisation", flat=True))
        user._actionplan_organisations = cached
    return cached


def has_role(user: Any, role: str) -> bool:
    return role in roles_of(user)


def is_administrator(user: Any) -> bool:
    return is_operator(user) or has_role(user, ADMINISTRATOR)


def is_delegate_for(user: Any, sponsors: Iterable[str]) -> bool:
    """A delegate of (at least) one of ``sponsors``."""
    return has_role(user, DELEGATE) and bool(organisations_of(user) & set(sponsors))


def is_reviewer(user: Any) -> bool:
    return has_role(user, REVIEWER)


# -- contributions ---------------------------------------------------------------------------


def can_view_contribution(user: Any, info: HasSponsors) -> bool:
    """Everyone sees a submitted (or later) contribution; a draft only its sponsors' delegates."""
    if info.status != ContributionStatus.draft:
        return True
    return is_operator(user) or is_delegate_for(user, info.sponsors)


def visible_contributions(user: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
    """``rows`` (store ``Contribution`` rows) narrowed to those ``user`` may see.

    Drafts are matched on their ``sponsors`` column (``"CHN, BRA"``); callers check each
    row again with :func:`can_view_contribution`, which reads the parsed sponsors.
    """
    if is_operator(user):
        return rows
    mine = Q(pk__in=[])
    if has_role(user, DELEGATE):
        for org in organisations_of(user):
            mine |= (
                Q(sponsors=org)
                | Q(sponsors__startswith=f"{org}, ")
                | Q(sponsors__endswith=f", {org}")
                | Q(sponsors__contains=f", {org}, ")
            )
    return rows.filter(~Q(status=ContributionStatus.draft.value) | mine)


def can_create(user: Any, sponsors: Iterable[str]) -> bool:
    """A delegate creates contributions sponsored by (at least) one of their organisations."""
    return is_operator(user) or is_delegate_for(user, sponsors)


def can_edit(user: Any, info: HasSponsors) -> bool:
    """Only a draft changes, and only by its sponsors' delegates."""
    return info.status == ContributionStatus.draft and (is_operator(user) or is_delegate_for(user, info.sponsors))


def can_submit(user: Any, info: HasSponsors) -> bool:
    return can_edit(user, info)


def can_withdraw(user: Any, info: HasSponsors) -> bool:
    """A sponsor's delegate withdraws a contribution (or one of its amendments) not yet decided."""
    return info.status in WITHDRAWABLE and (is_operator(user) or is_delegate_for(user, info.sponsors))


def can_decide(user: Any) -> bool:
    """Secretariat editors change statuses, decide amendments and adopt versions."""
    return is_operator(user) or has_role(user, SECRETARIAT)


def can_set_amendment_status(user: Any, info: HasSponsors, status: str) -> bool:
    """Withdrawing an amendment is its sponsor's; marking it obsolete or merged the secretariat's."""
    if status == AmendmentStatus.withdrawn.value:
        return can_withdraw(user, info) or can_decide(user)
    return can_decide(user)


def can_manage_accounts(user: Any) -> bool:
    return is_administrator(user)


# -- monitoring and ICT measurement ------------------------------------------------------------


def can_keep_records(user: Any) -> bool:
    """The secretariat enters and imports activity records and statistics, edits indicator
    definitions and index frameworks, and approves a year's figures."""
    return is_operator(user) or has_role(user, SECRETARIAT)


def can_see_people(user: Any) -> bool:
    """Participant-level records (pseudonymous keys, sex, age, disability): secretariat and reviewers."""
    return can_keep_records(user) or is_reviewer(user)


# -- raising ---------------------------------------------------------------------------------


def _who(user: Any) -> str:
    return str(user.get_username()) if is_signed_in(user) else "anonymous"


def require_sponsor(user: Any, info: HasSponsors, document: str, action: str = "change") -> None:
    """Raise :class:`Forbidden` unless ``user`` is a delegate of one of the contribution's sponsors.

    Whether the contribution's status allows the change is the store's to say (only a draft
    changes; a decided contribution is not withdrawn): for its sponsors that is a 400.
    """
    if is_operator(user) or is_delegate_for(user, info.sponsors):
        return
    raise Forbidden(
        f"{_who(user)} may not {action} contribution {document}",
        where=document,
        expected=f"a delegate of {', '.join(info.sponsors) or 'its sponsor'}",
    )


def require_create(user: Any, sponsors: list[str], document: str) -> None:
    if can_create(user, sponsors):
        return
    mine = ", ".join(sorted(organisations_of(user))) if has_role(user, DELEGATE) else ""
    raise Forbidden(
        f"{_who(user)} may not create a contribution sponsored by {', '.join(sponsors) or 'nobody'}",
        where="sponsors",
        expected=f"one of your organisations among the sponsors ({mine})" if mine else "a delegate's account",
    )


def require_records(user: Any, what: str) -> None:
    if can_keep_records(user):
        return
    raise Forbidden(f"{_who(user)} may not {what}", where="role", expected="a secretariat editor")


def require_decide(user: Any, what: str) -> None:
    if can_decide(user):
        return
    raise Forbidden(f"{_who(user)} may not {what}", where="role", expected="a secretariat editor")
