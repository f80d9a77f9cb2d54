"""Contributions and amendments in the store: author, edit, submit, decide, adopt.

Call :func:`actionplan.server.bootstrap.setup` before importing this module (it imports
Django models), as for :mod:`actionplan.server.store.api`. Every function works on the
``default`` database and returns plain dataclasses, never model rows.

A contribution is named by its row id (``int``) or its document number (``str``, e.g.
``"TDAG-19/12"``); an amendment by its contribution and its id within it (``"A3"``), or
across contributions by its *key* ``"<document>/<id>"`` (:attr:`Proposed.key`).

Life cycle::

    draft --submit--> submitted --(staff)--> under_review --adopt--> adopted | partly_adopted | rejected
      \\_______________________________________ withdraw ___________/--> withdrawn

Only a draft's text can be changed. Amendments are checked against the base version when
they are saved (each must anchor) and together when the contribution is submitted.

**Who may do what** is decided by :mod:`actionplan.server.accounts.permissions`, which
every function here asks with its ``user``. A draft ``user`` may not see is reported as
not found (:class:`~actionplan.errors.NotFoundError`, the same message as for an id that
does not exist); a change ``user`` may not make raises
:class:`~actionplan.server.accounts.permissions.Forbidden` (HTTP 403). ``user=None`` is
the machine's operator acting from the command line: the local administrator, with every
right. The pages and the API always pass the signed-in (or anonymous) user.

**Optimistic locking.** Every row has a ``revision``. A change names the revision the
editor loaded; the row is changed with one conditional ``UPDATE ... WHERE revision =
<loaded>`` that also raises the revision. When another editor saved first, nothing is
written and :class:`ConflictError` says who changed what, carrying the row as it now is.

**Adoption** (:func:`adopt`) takes the secretariat's decision on every pending amendment of
the contributions it considers, and in one transaction: sets the amendments' and the
contributions' statuses, builds the consolidated plan
(:func:`actionplan.amend.consolidate.consolidate`), stores it as the next version of the
plan through :func:`actionplan.server.store.api.import_plan`, and records which amendment
changed which element of that version (:class:`~.models.AdoptedChange`). Any failure
leaves the store as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from pydantic import ValidationError as PydanticValidationError

from actionplan.amend import author
from actionplan.amend.apply import apply_amendments
from actionplan.amend.conflicts import ConflictSet, conflict_sets
from actionplan.amend.consolidate import Consolidation, Decision, consolidate
from actionplan.amend.model import (
    Amendment,
    AmendmentStatus,
    AmendmentType,
    Contribution,
    ContributionStatus,
    Proposed,
)
from actionplan.errors import NotFoundError, StoreError, ValidationError
from actionplan.model import Plan, SourceInfo
from actionplan.registry.countries import country
from actionplan.server.accounts import permissions
from actionplan.server.audit import api as audit
from actionplan.server.store import api, models

User = AbstractBaseUser | AnonymousUser | None
"""Who acts: a Django user (maybe anonymous), or None: the operator at the command line (every right)."""

EDITABLE = (ContributionStatus.draft,)
"""Contribution statuses in which its text and amendments may change."""

OPEN = (ContributionStatus.submitted, ContributionStatus.under_review)
"""Contribution statuses whose pending amendments are before the meeting (conflicts, adoption)."""

TEXT_TYPES = (AmendmentType.insertion, AmendmentType.deletion, AmendmentType.substitution)
"""Amendment types an edit of a text produces (a deletion here quotes the words it removes)."""

STAFF_STATUSES = (AmendmentStatus.obsolete, AmendmentStatus.merged, AmendmentStatus.withdrawn)
"""Statuses :func:`set_amendment_status` may give a pending amendment (decisions go through :func:`adopt`)."""

HEADER_FIELDS = ("document", "meeting", "date", "language", "sponsors", "title", "introduction", "proposals", "note")
"""Fields of a contribution that :func:`update_contribution` may change."""

_IDENT = re.compile(r"^[A-Za-z0-9][-A-Za-z0-9_.]{0,31}$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_PREFIX = "A"


class ConflictError(StoreError):
    """Another editor changed the row since it was loaded; nothing was written.

    ``current`` is the row as it now is (an :class:`AmendmentInfo` or a
    :class:`ContributionInfo`), so the editor can see the other person's text.
    """

    def __init__(self, message: str, *, where: str | None = None, expected: str | None = None, current: Any = None):
        self.current = current
        super().__init__(message, where=where, expected=expected)


# -- what the functions return ----------------------------------------------------------


@dataclass(frozen=True)
class AmendmentInfo:
    """A stored amendment: the pydantic :class:`Amendment` and its life in the store."""

    pk: int
    contribution_id: int
    document: str
    amendment: Amendment
    revision: int
    parent: str | None = None
    """the key of the amendment it amends"""
    adopted: Amendment | None = None
    """the wording adopted, when accepted with a modification"""
    adopted_in: str | None = None
    """the version (``code@n``) it went into"""
    updated_at: dt.datetime | None = None
    updated_by: str = ""

    @property
    def ident(self) -> str:
        return self.amendment.id

    @property
    def key(self) -> str:
        return f"{self.document}/{self.amendment.id}"

    @property
    def status(self) -> AmendmentStatus:
        return self.amendment.status

    @property
    def type(self) -> AmendmentType:
        return self.amendment.type

    @property
    def target_eid(self) -> str:
        return self.amendment.target_eid()


@dataclass(frozen=True)
class ContributionInfo:
    """A stored contribution: the pydantic :class:`Contribution` (amendments included) and its row."""

    pk: int
    contribution: Contribution
    base: str
    """the version it amends, ``code@n``"""
    revision: int
    amendments: list[AmendmentInfo] = field(default_factory=list)
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    created_by: str = ""
    updated_by: str = ""

    @property
    def document(self) -> str:
        return self.contribution.document

    @property
    def status(self) -> ContributionStatus:
        return self.contribution.status

    @property
    def sponsors(self) -> list[str]:
        return self.contribution.sponsors

    def amendment(self, ident: str) -> AmendmentInfo:
        for a in self.amendments:
            if a.ident == ident:
                return a
        raise NotFoundError(
            f"contribution {self.document} has no amendment {ident}",
            where=f"{self.document}/{ident}",
            expected=", ".join(a.ident for a in self.amendments) or "an amendment added first",
        )

    def proposed(self) -> list[Proposed]:
        """Its pending amendments as :class:`Proposed` (what a meeting decides on)."""
        sponsor = ", ".join(self.sponsors)
        return [
            Proposed(contribution=self.document, amendment=a.amendment, sponsor=sponsor)
            for a in self.amendments
            if a.status == AmendmentStatus.pending
        ]


@dataclass(frozen=True)
class Adoption:
    """What :func:`adopt` did."""

    base: str
    version: api.VersionInfo | None
    """the version created (None when every amendment was rejected: the text is unchanged)"""
    created: bool
    statuses: dict[str, AmendmentStatus]
    """amendment key -> its new status"""
    contributions: dict[str, ContributionStatus]
    """document -> its new status"""
    provenance: dict[str, list[str]]
    """amendment key -> eids it changed in the new version"""


# -- reading ----------------------------------------------------------------------------


def get_contribution(ref: int | str, *, user: User = None) -> ContributionInfo:
    """The contribution with row id ``ref`` (int) or document number ``ref`` (str), with its amendments.

    A draft ``user`` may not see is not found, exactly as an id that does not exist.
    """
    info = _info(_row(ref))
    if not permissions.can_view_contribution(user, info):
        raise _not_found(ref)
    return info


def list_contributions(
    base: str | None = None, status: str | None = None, *, user: User = None
) -> list[ContributionInfo]:
    """Stored contributions ``user`` may see, newest first; only those against ``base`` or with ``status`` if given."""
    rows = permissions.visible_contributions(
        user, models.Contribution.objects.select_related("base__plan", "created_by", "updated_by")
    )
    if base is not None:
        rows = rows.filter(base=_version_row(base))
    if status is not None:
        rows = rows.filter(status=_status(ContributionStatus, status, "status"))
    found = list(rows)
    amendments: dict[int, list[models.Amendment]] = {}
    for am in _amendment_rows(Q(contribution__in=[r.pk for r in found])):
        amendments.setdefault(am.contribution_id, []).append(am)
    infos = [_info(r, amendments.get(r.pk, [])) for r in found]
    return [i for i in infos if permissions.can_view_contribution(user, i)]


def proposed_for(base: str) -> list[Proposed]:
    """The pending amendments of every submitted or under-review contribution against ``base``."""
    return [p for c in list_contributions(base) if c.status in OPEN for p in c.proposed()]


def conflicts(base: str) -> list[ConflictSet]:
    """Colliding amendments across the open contributions against ``base``, in document order.

    Each set's members come in the suggested order of consideration (furthest from the text
    first); see :func:`actionplan.amend.conflicts.conflict_sets`.
    """
    return conflict_sets(api.load_version(_version_ref(base)), proposed_for(base))


def proposed_text(info: ContributionInfo, eid: str, field: str, lang: str) -> str:
    """The text of ``eid``'s ``field`` as the contribution proposes it (base text if it proposes nothing)."""
    plan = api.load_version(info.base)
    current = author.current_text(plan, eid, field, lang)
    mine = [a.amendment for a in _text_amendments(info, eid, field, lang)]
    if not mine:
        return current
    node = apply_amendments(plan, mine).element(eid)
    value = getattr(node, field, None) if node is not None else None
    return str(value.get(lang, "")) if isinstance(value, dict) else current


def text_amendments(info: ContributionInfo, eid: str, field: str, lang: str) -> list[AmendmentInfo]:
    """The contribution's pending amendments that edit the ``field`` text of ``eid`` in ``lang``."""
    return _text_amendments(info, eid, field, lang)


def preview_edit(
    ref: int | str, eid: str, field: str, lang: str, new_text: str, *, user: User = None
) -> list[Amendment]:
    """The amendments an edit would give (see :func:`add_amendments_from_edit`), without saving them."""
    info = get_contribution(ref, user=user)
    plan = api.load_version(info.base)
    return _edit_amendments(info, plan, eid, field, lang, new_text)


def preview_consolidation(base: str, decisions: Iterable[Decision]) -> Consolidation:
    """The consolidated plan the ``decisions`` would give, without storing anything."""
    return consolidate(api.load_version(_version_ref(base)), proposed_for(base), list(decisions))


# -- creating ---------------------------------------------------------------------------


def create_contribution(contribution: Contribution, *, base: str | None = None, user: User = None) -> ContributionInfo:
    """Store ``contribution`` against the version ``base`` (default: ``contribution.base``).

    Its amendments, if any, are stored too, each checked against the base. A new
    contribution is a ``draft`` or, when imported complete, ``submitted``; its amendments
    are ``pending`` (or ``withdrawn``). The document number must be new.
    """
    ref = _version_ref(base if base is not None else contribution.base)
    version = _version_row(ref)
    plan = api.load_version(ref)
    if contribution.status not in (ContributionStatus.draft, ContributionStatus.submitted):
        raise ValidationError(
            f"a new contribution cannot be {contribution.status.value}",
            where="status",
            expected="draft or submitted (decisions are taken by adoption)",
        )
    header = _checked_header(contribution.model_copy(update={"base": ref, "amendments": []}))
    permissions.require_create(user, header.sponsors, header.document)
    amendments = list(contribution.amendments)
    idents = [a.id for a in amendments]
    dupes = sorted({i for i in idents if idents.count(i) > 1})
    if dupes:
        raise ValidationError(
            f"amendment ids used twice: {', '.join(dupes)}", where="amendments", expected="unique ids"
        )
    for am in amendments:
        _check_ident(am.id)
        if am.status not in (AmendmentStatus.pending, AmendmentStatus.withdrawn):
            raise ValidationError(
                f"amendment {am.id} of a new contribution cannot be {am.status.value}",
                where=f"amendments.{am.id}.status",
                expected="pending or withdrawn",
            )
        _check_applies(plan, [am])
    if header.status == ContributionStatus.submitted:
        _check_submittable(header, plan, amendments)
    try:
        with transaction.atomic():
            if models.Contribution.objects.filter(document=header.document).exists():
                raise ValidationError(
                    f"a contribution {header.document!r} is already stored",
                    where="document",
                    expected="a new document number",
                )
            row = models.Contribution.objects.create(
                base=version, created_by=_user(user), updated_by=_user(user), **_header_columns(header)
            )
            made = [_new_amendment_row(row, position, am, user) for position, am in enumerate(amendments, start=1)]
            _link_parents(row, made, amendments)
    except IntegrityError as exc:
        raise ValidationError(
            f"a contribution {header.document!r} is already stored", where="document", expected="a new document number"
        ) from exc
    return get_contribution(row.pk)


# -- changing a draft -------------------------------------------------------------------


def update_contribution(
    ref: int | str, expected_revision: int, changes: Mapping[str, Any], *, user: User = None
) -> ContributionInfo:
    """Change the header of a draft (fields in :data:`HEADER_FIELDS`), if nobody else did first.

    ``changes`` maps field names to new values as the pydantic :class:`Contribution` takes
    them (``sponsors`` a list, ``title`` a ``{lang: text}`` map, ...).
    """
    unknown = sorted(set(changes) - set(HEADER_FIELDS))
    if unknown:
        raise ValidationError(
            f"cannot change {', '.join(unknown)} of a contribution here",
            where=unknown[0],
            expected=", ".join(HEADER_FIELDS),
        )
    info = get_contribution(ref, user=user)
    permissions.require_sponsor(user, info, info.document)
    _check_editable(info)
    data = {**info.contribution.model_dump(mode="json", exclude={"amendments"}), **changes}
    try:
        header = Contribution.model_validate(data)
    except PydanticValidationError as exc:
        raise _pydantic_error(exc) from None
    header = _checked_header(header)
    permissions.require_create(user, header.sponsors, header.document)  # still one of the user's organisations
    with transaction.atomic():
        if header.document != info.document and (
            models.Contribution.objects.filter(document=header.document).exclude(pk=info.pk).exists()
        ):
            raise ValidationError(
                f"a contribution {header.document!r} is already stored",
                where="document",
                expected="a new document number",
            )
        _update_contribution_row(info, expected_revision, user, **_header_columns(header))
    return get_contribution(info.pk)


def next_ident(ref: int | str, *, user: User = None) -> str:
    """The id the next amendment of the contribution gets: ``A<n>``, after the highest used."""
    return f"{_PREFIX}{_next_number(get_contribution(ref, user=user))}"


def add_amendment(ref: int | str, amendment: Amendment, *, user: User = None) -> AmendmentInfo:
    """Add one amendment (of any type) to a draft; checked against the base version.

    An empty ``amendment.id`` is given the next free id (:func:`next_ident`).
    """
    with transaction.atomic():
        info = _locked(ref, user)
        _check_editable(info)
        if not amendment.id:
            amendment = amendment.model_copy(update={"id": f"{_PREFIX}{_next_number(info)}"})
        _check_ident(amendment.id)
        if any(a.ident == amendment.id for a in info.amendments):
            raise ValidationError(
                f"contribution {info.document} already has an amendment {amendment.id}",
                where="id",
                expected=f"a new id, e.g. {_PREFIX}{_next_number(info)}",
            )
        if amendment.status != AmendmentStatus.pending:
            raise ValidationError(
                f"a new amendment cannot be {amendment.status.value}", where="status", expected="pending"
            )
        _check_applies(api.load_version(info.base), [amendment])
        row = models.Contribution.objects.get(pk=info.pk)
        made = _new_amendment_row(row, _next_position(info), amendment, user)
        _link_parents(row, [made], [amendment])
        _touch(info, user)
    return get_contribution(info.pk).amendment(amendment.id)


def add_amendments_from_edit(
    ref: int | str,
    eid: str,
    field: str,
    lang: str,
    new_text: str,
    *,
    justification: str = "",
    expected: Mapping[str, int] | None = None,
    user: User = None,
) -> list[AmendmentInfo]:
    """Make a draft propose ``new_text`` for the ``field`` text of ``eid`` in ``lang``.

    The edit is of the text *as the contribution proposes it*: the contribution's pending
    amendments of that text are replaced by those computed from the base text to
    ``new_text`` (:func:`actionplan.amend.author.amendments_from_edit`). An amendment that
    comes out the same keeps its id and revision; new ones get the next free ids.

    ``expected`` maps the ids of the amendments of that text the editor loaded to their
    revisions; when they no longer match (another editor saved that text first),
    :class:`ConflictError` is raised with the contribution as it now is. ``None`` skips the
    check. Returns the amendments of that text after the save.
    """
    with transaction.atomic():
        info = _locked(ref, user)
        _check_editable(info)
        mine = _text_amendments(info, eid, field, lang)
        if expected is not None and {a.ident: a.revision for a in mine} != dict(expected):
            raise ConflictError(
                f"the text of {eid} in contribution {info.document} was changed by "
                f"{_last_editor(mine) or 'another editor'} since you loaded it; nothing was saved",
                where=f"{info.document}:{eid}.{field}",
                expected="your edit made again on the text as it now stands",
                current=info,
            )
        plan = api.load_version(info.base)
        computed = _edit_amendments(info, plan, eid, field, lang, new_text)
        if not computed and not mine:
            raise ValidationError(
                f"the text of {eid} is unchanged: nothing to propose",
                where="text",
                expected="the text as the contribution proposes it, edited",
            )
        note = {lang: justification} if justification.strip() else None
        kept = {a.ident for a in mine if any(_same_edit(a.amendment, c) for c in computed)}
        for a in mine:
            if a.ident not in kept:
                if models.Amendment.objects.filter(parent_id=a.pk).exists():
                    raise ValidationError(
                        f"amendment {a.key} is amended by another amendment and cannot be replaced",
                        where=a.key,
                        expected="the amending amendment removed first",
                    )
                models.Amendment.objects.filter(pk=a.pk).delete()
        row = models.Contribution.objects.get(pk=info.pk)
        position, number = _next_position(info), _next_number(info)
        for c in computed:
            old = next((a for a in mine if _same_edit(a.amendment, c)), None)
            if old is not None:
                if note is not None and old.amendment.justification != note:
                    _update_amendment_row(
                        old, old.revision, old.amendment.model_copy(update={"justification": note}), user
                    )
                continue
            update: dict[str, Any] = {"id": f"{_PREFIX}{number}"}
            if note is not None:
                update["justification"] = note
            _new_amendment_row(row, position, c.model_copy(update=update), user)
            position, number = position + 1, number + 1
        _touch(info, user)
    return _text_amendments(get_contribution(info.pk), eid, field, lang)


def add_link_change(
    ref: int | str,
    eid: str,
    scheme: str,
    add: Sequence[str],
    remove: Sequence[str],
    *,
    justification: str = "",
    user: User = None,
) -> AmendmentInfo:
    """Add an amendment changing an output's SDG/WSIS/resolution links (``scheme`` as in ``actionplan.trace``)."""
    info = get_contribution(ref, user=user)
    permissions.require_sponsor(user, info, info.document)
    plan = api.load_version(info.base)
    am = author.link_change(plan, eid, scheme, list(add), list(remove), id="A")
    if justification.strip():
        am = am.model_copy(update={"justification": {info.contribution.language: justification}})
    return add_amendment(info.pk, am.model_copy(update={"id": ""}), user=user)


def add_new_element(
    ref: int | str,
    container: str,
    field: str,
    after: str | None,
    text: str,
    lang: str,
    *,
    kind: str = "para",
    justification: str = "",
    user: User = None,
) -> AmendmentInfo:
    """Add an amendment creating a paragraph (or list item) in ``container``'s list ``field`` after ``after``."""
    info = get_contribution(ref, user=user)
    permissions.require_sponsor(user, info, info.document)
    plan = api.load_version(info.base)
    if kind not in ("para", "item"):
        raise ValidationError(f"unknown kind {kind!r}", where="kind", expected="para or item")
    am = author.new_element(
        plan, container, field, after, text, lang, id="A", kind="item" if kind == "item" else "para"
    )
    if justification.strip():
        am = am.model_copy(update={"justification": {lang: justification}})
    return add_amendment(info.pk, am.model_copy(update={"id": ""}), user=user)


def add_element_deletion(ref: int | str, eid: str, *, justification: str = "", user: User = None) -> AmendmentInfo:
    """Add an amendment deleting a whole paragraph or list item."""
    info = get_contribution(ref, user=user)
    permissions.require_sponsor(user, info, info.document)
    am = author.element_deletion(api.load_version(info.base), eid, id="A")
    if justification.strip():
        am = am.model_copy(update={"justification": {info.contribution.language: justification}})
    return add_amendment(info.pk, am.model_copy(update={"id": ""}), user=user)


def update_amendment(
    ref: int | str, ident: str, amendment: Amendment, expected_revision: int, *, user: User = None
) -> AmendmentInfo:
    """Replace amendment ``ident`` of a draft by ``amendment``, if nobody changed it since ``expected_revision``.

    The id and the status cannot change here; the new wording is checked against the base.
    On a stale revision nothing is written and :class:`ConflictError` carries the amendment
    as it now is (the other editor's text).
    """
    info = get_contribution(ref, user=user)
    permissions.require_sponsor(user, info, info.document)
    current = info.amendment(ident)
    if amendment.id != ident:
        raise ValidationError(f"the amendment's id is {amendment.id!r}, not {ident!r}", where="id", expected=ident)
    if amendment.status != current.status:
        raise ValidationError(
            f"status cannot be changed by an edit ({current.status.value} -> {amendment.status.value})",
            where="status",
            expected=f"{current.status.value} (statuses change by submit, withdraw and adoption)",
        )
    _check_editable(info)
    _check_applies(api.load_version(info.base), [amendment])
    with transaction.atomic():
        _update_amendment_row(current, expected_revision, amendment, user)
        _link_parents(
            models.Contribution.objects.get(pk=info.pk), [models.Amendment.objects.get(pk=current.pk)], [amendment]
        )
        _touch(info, user)
    return get_contribution(info.pk).amendment(ident)


def delete_amendment(ref: int | str, ident: str, expected_revision: int, *, user: User = None) -> None:
    """Remove amendment ``ident`` from a draft (a submitted one is withdrawn instead)."""
    info = get_contribution(ref, user=user)
    permissions.require_sponsor(user, info, info.document)
    current = info.amendment(ident)
    _check_editable(info)
    with transaction.atomic():
        if models.Amendment.objects.filter(parent_id=current.pk).exists():
            raise ValidationError(
                f"amendment {current.key} is amended by another amendment", where=current.key, expected="that one first"
            )
        if not models.Amendment.objects.filter(pk=current.pk, revision=expected_revision).delete()[0]:
            raise _conflict_for_amendment(current.pk, expected_revision)
        _touch(info, user)


# -- status changes ---------------------------------------------------------------------


def submit_contribution(ref: int | str, expected_revision: int, *, user: User = None) -> ContributionInfo:
    """Submit a draft: it needs a document number, a sponsor and pending amendments that apply together."""
    info = get_contribution(ref, user=user)
    permissions.require_sponsor(user, info, info.document, "submit")
    if info.status != ContributionStatus.draft:
        raise ValidationError(
            f"contribution {info.document} is {info.status.value}, not a draft", where="status", expected="draft"
        )
    _check_submittable(info.contribution, api.load_version(info.base), [a.amendment for a in info.amendments])
    return _set_contribution_status(info, ContributionStatus.submitted, expected_revision, user)


def withdraw_contribution(ref: int | str, expected_revision: int, *, user: User = None) -> ContributionInfo:
    """Withdraw a contribution not yet decided (its sponsors' delegates); its pending amendments with it."""
    info = get_contribution(ref, user=user)
    permissions.require_sponsor(user, info, info.document, "withdraw")
    if info.status not in (ContributionStatus.draft, *OPEN):
        raise ValidationError(
            f"contribution {info.document} is {info.status.value} and can no longer be withdrawn",
            where="status",
            expected="draft, submitted or under_review",
        )
    with transaction.atomic():
        done = _set_contribution_status(info, ContributionStatus.withdrawn, expected_revision, user)
        for a in info.amendments:
            if a.status == AmendmentStatus.pending:
                withdrawn = a.amendment.model_copy(update={"status": AmendmentStatus.withdrawn})
                _update_amendment_row(a, a.revision, withdrawn, user)
    return get_contribution(done.pk)


def set_contribution_status(
    ref: int | str, status: str, expected_revision: int, *, user: User = None
) -> ContributionInfo:
    """Staff: mark a submitted contribution ``under_review`` (or back to ``submitted``).

    The other statuses have their own functions: :func:`submit_contribution`,
    :func:`withdraw_contribution` and :func:`adopt`.
    """
    wanted = _status(ContributionStatus, status, "status")
    info = get_contribution(ref, user=user)
    permissions.require_decide(user, "change the status of a contribution")
    if wanted not in OPEN or info.status not in OPEN:
        raise ValidationError(
            f"cannot set contribution {info.document} from {info.status.value} to {wanted.value} here",
            where="status",
            expected="submitted <-> under_review (submit, withdraw and adopt do the rest)",
        )
    return _set_contribution_status(info, wanted, expected_revision, user)


def set_amendment_status(
    ref: int | str, ident: str, status: str, expected_revision: int, *, user: User = None
) -> AmendmentInfo:
    """Withdraw a pending amendment, or mark it ``obsolete`` or ``merged`` (decisions go through :func:`adopt`)."""
    wanted = _status(AmendmentStatus, status, "status")
    info = get_contribution(ref, user=user)
    if wanted == AmendmentStatus.withdrawn and not permissions.can_decide(user):
        permissions.require_sponsor(user, info, info.document, "withdraw an amendment of")
    else:
        permissions.require_decide(user, f"mark an amendment {wanted.value}")
    current = info.amendment(ident)
    if wanted not in STAFF_STATUSES or current.status != AmendmentStatus.pending:
        raise ValidationError(
            f"cannot set amendment {current.key} from {current.status.value} to {wanted.value}",
            where="status",
            expected="a pending amendment made withdrawn, obsolete or merged",
        )
    if info.status not in (ContributionStatus.draft, *OPEN):
        raise ValidationError(
            f"contribution {info.document} is {info.status.value}", where="status", expected="an undecided contribution"
        )
    with transaction.atomic():
        _update_amendment_row(current, expected_revision, current.amendment.model_copy(update={"status": wanted}), user)
        _touch(info, user)
    return get_contribution(info.pk).amendment(ident)


# -- adoption ---------------------------------------------------------------------------


def adopt(
    base: str,
    decisions: Iterable[Decision],
    *,
    revisions: Mapping[str, int] | None = None,
    user: User = None,
    note: str = "",
) -> Adoption:
    """Decide the amendments proposed against ``base`` and store the consolidated plan as a new version.

    ``decisions`` name amendments by key (``"<document>/<id>"``); every pending amendment of
    a contribution that has one decision needs one (a contribution is decided as a whole).
    ``revisions`` (key -> revision) are the amendments as the secretariat saw them: if one
    changed since, :class:`ConflictError`. All in one transaction: the amendments' statuses
    (and the modified wording), the contributions' statuses (adopted, partly adopted or
    rejected), the new version (through :func:`api.import_plan`) and the
    :class:`~.models.AdoptedChange` rows. Any failure leaves the store as it was.
    """
    permissions.require_decide(user, "adopt a version")
    decisions = list(decisions)
    ref = _version_ref(base)
    if not decisions:
        raise ValidationError("no decisions to adopt", where="decisions", expected="a decision per pending amendment")
    chosen: dict[str, Decision] = {}
    for d in decisions:
        if d.key in chosen:
            raise ValidationError(f"two decisions on {d.key}", where=d.key, expected="one decision per amendment")
        chosen[d.key] = d
    with transaction.atomic():
        version = _version_row(ref)
        rows = list(
            models.Contribution.objects.select_for_update()
            .filter(base=version, status__in=[s.value for s in OPEN])
            .order_by("pk")
        )
        infos = [get_contribution(r.pk) for r in rows]
        pending = {a.key: a for c in infos for a in c.amendments if a.status == AmendmentStatus.pending}
        unknown = sorted(set(chosen) - set(pending))
        if unknown:
            raise ValidationError(
                f"decision on {', '.join(unknown)}, not a pending amendment of a submitted contribution against {ref}",
                where=unknown[0],
                expected=", ".join(sorted(pending)) or "a submitted contribution first",
            )
        considered = [c for c in infos if any(a.key in chosen for a in c.amendments)]
        missing = [a.key for c in considered for a in c.amendments if a.key in pending and a.key not in chosen]
        if missing:
            raise ValidationError(
                f"no decision on {', '.join(missing)}",
                where=missing[0],
                expected="a decision on every pending amendment of each contribution decided",
            )
        for key, revision in (revisions or {}).items():
            seen = pending.get(key)
            if seen is not None and seen.revision != revision:
                raise _conflict_for_amendment(seen.pk, revision)
        statuses: dict[str, AmendmentStatus] = {}
        for key, d in chosen.items():
            statuses[key] = _decide(pending[key], d, user)
        outcome: dict[str, ContributionStatus] = {}
        for c in considered:
            outcome[c.document] = _contribution_outcome([statuses[a.key] for a in c.amendments if a.key in statuses])
            _set_contribution_status(c, outcome[c.document], c.revision, user)
        proposed = [p for c in considered for p in c.proposed()]
        result = consolidate(api.load_version(ref), proposed, decisions)
        if not result.applied:
            return Adoption(ref, None, False, statuses, outcome, {})
        docs = ", ".join(c.document for c in considered)
        plan = _adopted_plan(result.plan, ref, docs)
        info, created = api.import_plan(plan, note=note or f"adopted from {ref}: {docs}")
        new_version = _version_row(info.ref)
        keys_applied = [p.key for p in result.applied]
        applied_pks = [pending[k].pk for k in keys_applied]
        with audit.tracking(models.Amendment, applied_pks, actor=user):
            models.Amendment.objects.filter(pk__in=applied_pks).update(adopted_in=new_version)
        if created:
            models.AdoptedChange.objects.bulk_create(
                models.AdoptedChange(version=new_version, amendment_id=pending[key].pk, eid=eid)
                for key in keys_applied
                for eid in result.provenance.get(key, [])
            )
        adopted = {
            "base": ref,
            "created": created,
            "statuses": {k: s.value for k, s in statuses.items()},
            "contributions": {d: s.value for d, s in outcome.items()},
            "provenance": {k: result.provenance.get(k, []) for k in keys_applied},
        }
        audit.record(user, "adopt", "plan_version", info.ref, None, adopted)
    return Adoption(ref, info, created, statuses, outcome, {k: result.provenance.get(k, []) for k in keys_applied})


def adopted_changes(version: str) -> dict[str, list[str]]:
    """For a version made by adoption: amendment key -> eids it changed in that version."""
    found: dict[str, list[str]] = {}
    rows = models.AdoptedChange.objects.filter(version=_version_row(_version_ref(version))).select_related(
        "amendment__contribution"
    )
    for row in rows:
        found.setdefault(f"{row.amendment.contribution.document}/{row.amendment.ident}", []).append(row.eid)
    return found


# -- internals --------------------------------------------------------------------------


def _user(user: User) -> Any:
    return user if user is not None and user.is_authenticated else None


def _username(user: Any) -> str:
    return str(user.get_username()) if user is not None else ""


def _version_ref(ref: str | None) -> str:
    """``code@n`` of the stored version ``ref`` names (see :mod:`.api` for ref forms)."""
    try:
        return api.version_info(ref).ref
    except NotFoundError as exc:
        raise NotFoundError(f"base {ref!r} is not a stored plan version", where="base", expected=exc.expected) from None
    except ValidationError as exc:
        raise ValidationError(
            f"base {ref!r} is not a plan version", where="base", expected=exc.expected or "CODE@N, e.g. baap@1"
        ) from None


def _version_row(ref: str) -> models.PlanVersion:
    code, number = api.parse_ref(_version_ref(ref))
    assert code is not None and number is not None  # a full ref, code@n
    return models.PlanVersion.objects.select_related("plan").defer("content").get(plan__code=code, number=number)


def _row(ref: int | str) -> models.Contribution:
    rows = models.Contribution.objects.select_related("base__plan", "created_by", "updated_by")
    found = rows.filter(pk=ref).first() if isinstance(ref, int) else rows.filter(document=ref).first()
    if found is None:
        raise _not_found(ref)
    return found


def _not_found(ref: int | str) -> NotFoundError:
    """The same error for a contribution that does not exist and for a draft the user may not see.

    The documents suggested are submitted ones only (drafts are private to their sponsors).
    """
    documents = list(
        models.Contribution.objects.exclude(status=ContributionStatus.draft.value)
        .order_by("document")
        .values_list("document", flat=True)[:20]
    )
    return NotFoundError(
        f"no contribution {ref!r} in the store",
        where=str(ref),
        expected=("one of " + ", ".join(documents)) if documents else "a contribution created first",
    )


def _locked(ref: int | str, user: User) -> ContributionInfo:
    """The draft ``user`` changes, its row locked until the transaction ends (ids are allocated under it)."""
    row = _row(ref)
    models.Contribution.objects.select_for_update().filter(pk=row.pk).first()
    info = get_contribution(row.pk)
    if not permissions.can_view_contribution(user, info):
        raise _not_found(ref)
    permissions.require_sponsor(user, info, info.document)
    return info


def _amendment_rows(where: Q) -> list[models.Amendment]:
    return list(
        models.Amendment.objects.filter(where)
        .select_related("contribution", "parent__contribution", "adopted_in__plan", "updated_by")
        .order_by("contribution_id", "position", "pk")
    )


def _info(row: models.Contribution, amendments: list[models.Amendment] | None = None) -> ContributionInfo:
    if amendments is None:
        amendments = _amendment_rows(Q(contribution=row))
    ams = [_amendment_info(a, row.document) for a in amendments]
    header = Contribution.model_validate_json(row.content)
    return ContributionInfo(
        pk=row.pk,
        contribution=header.model_copy(update={"amendments": [a.amendment for a in ams]}),
        base=f"{row.base.plan.code}@{row.base.number}",
        revision=row.revision,
        amendments=ams,
        created_at=row.created_at,
        updated_at=row.updated_at,
        created_by=_username(row.created_by),
        updated_by=_username(row.updated_by),
    )


def _amendment_info(row: models.Amendment, document: str) -> AmendmentInfo:
    parent = row.parent
    return AmendmentInfo(
        pk=row.pk,
        contribution_id=row.contribution_id,
        document=document,
        amendment=Amendment.model_validate_json(row.content),
        revision=row.revision,
        parent=f"{parent.contribution.document}/{parent.ident}" if parent is not None else None,
        adopted=Amendment.model_validate_json(row.adopted_content) if row.adopted_content else None,
        adopted_in=f"{row.adopted_in.plan.code}@{row.adopted_in.number}" if row.adopted_in is not None else None,
        updated_at=row.updated_at,
        updated_by=_username(row.updated_by),
    )


def _header_columns(header: Contribution) -> dict[str, Any]:
    """The contribution's columns, all derived from its content (``header``, no amendments)."""
    return {
        "document": header.document,
        "meeting": header.meeting,
        "date": dt.date.fromisoformat(header.date) if header.date else None,
        "language": header.language,
        "sponsors": ", ".join(header.sponsors),
        "title": header.title.get(header.language) or next(iter(header.title.values()), ""),
        "status": header.status.value,
        "content": header.model_dump_json(exclude={"amendments"}),
    }


def _amendment_columns(am: Amendment) -> dict[str, Any]:
    return {
        "ident": am.id,
        "type": am.type.value,
        "target_eid": am.target_eid(),
        "status": am.status.value,
        "content": am.model_dump_json(),
    }


def _checked_header(c: Contribution) -> Contribution:
    """The header with its document, date, language and sponsors tidied and checked."""
    document = c.document.strip()
    if not document:
        raise ValidationError("the contribution has no document number", where="document", expected="e.g. TDAG-19/12")
    _check_no_nul(c)
    if c.date:
        try:
            dt.date.fromisoformat(c.date)
        except ValueError:
            raise ValidationError(
                f"date {c.date!r} is not a date", where="date", expected="YYYY-MM-DD, e.g. 2017-10-09"
            ) from None
    if not re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", c.language):
        raise ValidationError(
            f"language {c.language!r} is not a language code", where="language", expected="zh, en, ..."
        )
    sponsors: list[str] = []
    for raw in c.sponsors:
        name = " ".join(raw.split())
        if not name:
            continue
        if _ISO3.fullmatch(name.upper()) and len(name) == 3:
            found = country(name)
            if found is None:
                raise ValidationError(
                    f"sponsor {name!r} is not an ISO 3166 country code",
                    where="sponsors",
                    expected="ISO3 codes of member states (CHN, BRA, ...) or the names of sector members",
                )
            name = found.iso3
        if name not in sponsors:
            sponsors.append(name)
    return c.model_copy(update={"document": document, "sponsors": sponsors, "amendments": []})


def _check_no_nul(model: Any) -> None:
    text = model.model_dump_json()
    if "\\u0000" in text:
        raise ValidationError(
            "text contains NUL characters", where=type(model).__name__.lower(), expected="text without U+0000"
        )


def _check_ident(ident: str) -> None:
    if not _IDENT.fullmatch(ident):
        raise ValidationError(
            f"amendment id {ident!r} cannot name an amendment",
            where="id",
            expected="up to 32 letters, digits, '-', '_' or '.', e.g. A3 (no '/')",
        )


def _check_applies(plan: Plan, amendments: list[Amendment]) -> None:
    """Refuse amendments that cannot be anchored in (or applied to) the base."""
    for am in amendments:
        _check_no_nul(am)
        try:
            am.target_eid()
        except ValueError as exc:
            raise ValidationError(str(exc), where=f"{am.id}.target", expected="a target or a new element") from None
    apply_amendments(plan, amendments)


def _check_submittable(header: Contribution, plan: Plan, amendments: list[Amendment]) -> None:
    if not header.sponsors:
        raise ValidationError(
            f"contribution {header.document} has no sponsor", where="sponsors", expected="at least one sponsor"
        )
    pending = [a for a in amendments if a.status == AmendmentStatus.pending]
    if not pending:
        raise ValidationError(
            f"contribution {header.document} proposes no amendment", where="amendments", expected="at least one"
        )
    _check_applies(plan, pending)


def _check_editable(info: ContributionInfo) -> None:
    if info.status not in EDITABLE:
        raise ValidationError(
            f"contribution {info.document} is {info.status.value}: only a draft can be changed",
            where="status",
            expected="a draft (withdraw it and submit a new contribution, or propose an amendment to an amendment)",
        )


def _status(enum: Any, value: str, where: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise ValidationError(
            f"unknown status {value!r}", where=where, expected=", ".join(s.value for s in enum)
        ) from None


def _pydantic_error(exc: PydanticValidationError) -> ValidationError:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "contribution"
    return ValidationError(f"{where}: {first['msg']}", where=where, expected=None)


def _text_amendments(info: ContributionInfo, eid: str, field: str, lang: str) -> list[AmendmentInfo]:
    found = []
    for a in info.amendments:
        target = a.amendment.target
        if a.status != AmendmentStatus.pending or a.type not in TEXT_TYPES or a.parent is not None or target is None:
            continue
        if a.type == AmendmentType.deletion and not target.old:
            continue  # the deletion of a whole element, not an edit of its text
        if (target.eid, target.field, target.lang) == (eid, field, lang):
            found.append(a)
    return found


def _edit_amendments(
    info: ContributionInfo, plan: Plan, eid: str, field: str, lang: str, new_text: str
) -> list[Amendment]:
    _check_no_nul(Amendment(id="A", type=AmendmentType.insertion, new_text={lang: new_text}))
    number = _next_number(info)
    return author.amendments_from_edit(plan, eid, field, lang, new_text, prefix=_PREFIX, start=number)


def _same_edit(a: Amendment, b: Amendment) -> bool:
    return a.type == b.type and a.target == b.target and a.new_text == b.new_text


def _last_editor(amendments: list[AmendmentInfo]) -> str:
    latest = max(amendments, key=lambda a: a.updated_at or timezone.now(), default=None)
    return latest.updated_by if latest is not None else ""


def _next_number(info: ContributionInfo) -> int:
    numbers = [int(a.ident[len(_PREFIX) :]) for a in info.amendments if re.fullmatch(r"A\d{1,9}", a.ident)]
    return max(numbers, default=0) + 1


def _next_position(info: ContributionInfo) -> int:
    positions = models.Amendment.objects.filter(contribution_id=info.pk).values_list("position", flat=True)
    return max(positions, default=0) + 1


def _new_amendment_row(row: models.Contribution, position: int, am: Amendment, user: User) -> models.Amendment:
    return models.Amendment.objects.create(
        contribution=row, position=position, created_by=_user(user), updated_by=_user(user), **_amendment_columns(am)
    )


def _link_parents(row: models.Contribution, made: list[models.Amendment], amendments: list[Amendment]) -> None:
    """Point each amendment row at the amendment it amends (same contribution, or ``document/id``)."""
    for am_row, am in zip(made, amendments, strict=True):
        if am.parent is None:
            if am_row.parent_id is not None:
                with audit.tracking(models.Amendment, am_row.pk):
                    models.Amendment.objects.filter(pk=am_row.pk).update(parent=None)
            continue
        document, _, ident = am.parent.rpartition("/")
        found = (
            # another contribution's amendment: a submitted one (drafts are private to their sponsors)
            models.Amendment.objects.filter(contribution__document=document, ident=ident).filter(
                Q(contribution=row) | ~Q(contribution__status=ContributionStatus.draft.value)
            )
            if document
            else models.Amendment.objects.filter(contribution=row, ident=ident)
        )
        parent = found.first()
        if parent is None or parent.pk == am_row.pk:
            raise ValidationError(
                f"amendment {am.id} amends {am.parent}, which is not a stored amendment",
                where=f"{am.id}.parent",
                expected="the id of another amendment of the contribution, or DOCUMENT/ID",
            )
        with audit.tracking(models.Amendment, am_row.pk):
            models.Amendment.objects.filter(pk=am_row.pk).update(parent=parent)


def _update_amendment_row(current: AmendmentInfo, expected: int, am: Amendment, user: User, **more: Any) -> None:
    # a conditional UPDATE bypasses model signals, so the audit trail reads the row around it
    with transaction.atomic(), audit.tracking(models.Amendment, current.pk, actor=user):
        done = models.Amendment.objects.filter(pk=current.pk, revision=expected).update(
            revision=F("revision") + 1,
            updated_at=timezone.now(),
            updated_by=_user(user),
            **_amendment_columns(am),
            **more,
        )
    if not done:
        raise _conflict_for_amendment(current.pk, expected)


def _conflict_for_amendment(pk: int, expected: int) -> Exception:
    row = _amendment_rows(Q(pk=pk))
    if not row:
        return NotFoundError("the amendment no longer exists (it was removed)", where=str(pk))
    now = _amendment_info(row[0], row[0].contribution.document)
    who = now.updated_by or "another editor"
    return ConflictError(
        f"amendment {now.key} was changed by {who} since you loaded it (your revision {expected}, "
        f"now {now.revision}); nothing was saved",
        where=now.key,
        expected="your change made again on the amendment as it now stands",
        current=now,
    )


def _update_contribution_row(info: ContributionInfo, expected: int, user: User, **values: Any) -> None:
    with transaction.atomic(), audit.tracking(models.Contribution, info.pk, actor=user):
        done = models.Contribution.objects.filter(pk=info.pk, revision=expected).update(
            revision=F("revision") + 1, updated_at=timezone.now(), updated_by=_user(user), **values
        )
    if not done:
        now = get_contribution(info.pk)
        raise ConflictError(
            f"contribution {now.document} was changed by {now.updated_by or 'another editor'} since you loaded it "
            f"(your revision {expected}, now {now.revision}); nothing was saved",
            where=now.document,
            expected="your change made again on the contribution as it now stands",
            current=now,
        )


def _touch(info: ContributionInfo, user: User) -> None:
    """Raise the contribution's revision: its amendments changed (a stale submit is refused)."""
    with audit.tracking(models.Contribution, info.pk, actor=user):
        models.Contribution.objects.filter(pk=info.pk).update(
            revision=F("revision") + 1, updated_at=timezone.now(), updated_by=_user(user)
        )


def _set_contribution_status(
    info: ContributionInfo, status: ContributionStatus, expected: int, user: User
) -> ContributionInfo:
    header = info.contribution.model_copy(update={"status": status, "amendments": []})
    _update_contribution_row(
        info, expected, user, status=status.value, content=header.model_dump_json(exclude={"amendments"})
    )
    return get_contribution(info.pk)


def _decide(current: AmendmentInfo, d: Decision, user: User) -> AmendmentStatus:
    status = {
        "accept": AmendmentStatus.accepted,
        "modify": AmendmentStatus.accepted_with_modification,
        "reject": AmendmentStatus.rejected,
    }.get(d.choice)
    if status is None:
        raise ValidationError(f"unknown decision {d.choice!r}", where=d.key, expected="accept, modify or reject")
    adopted = ""
    if d.choice == "modify":
        if d.amendment is None:
            raise ValidationError(
                f"{d.key}: accepting with a modification needs the modified amendment",
                where=d.key,
                expected="its wording",
            )
        _check_no_nul(d.amendment)
        adopted = d.amendment.model_copy(update={"id": current.ident, "status": status}).model_dump_json()
    _update_amendment_row(
        current,
        current.revision,
        current.amendment.model_copy(update={"status": status}),
        user,
        adopted_content=adopted,
    )
    return status


def _contribution_outcome(statuses: list[AmendmentStatus]) -> ContributionStatus:
    accepted = [s for s in statuses if s != AmendmentStatus.rejected]
    if not accepted:
        return ContributionStatus.rejected
    if len(accepted) == len(statuses):
        return ContributionStatus.adopted
    return ContributionStatus.partly_adopted


def _adopted_plan(plan: Plan, base: str, documents: str) -> Plan:
    """The consolidated plan, its source saying where it came from (the base's file made it not)."""
    return plan.model_copy(update={"source": SourceInfo(name=f"{base} + {documents}", format="adoption", sha256="")})


def decisions_from_json(items: Iterable[Mapping[str, Any]]) -> list[Decision]:
    """Decisions read from JSON objects ``{"key", "choice", "amendment"?}`` (CLI and API input)."""
    found = []
    for k, item in enumerate(items):
        where = f"decisions[{k}]"
        key, choice = item.get("key"), item.get("choice")
        if not isinstance(key, str) or choice not in ("accept", "modify", "reject"):
            raise ValidationError(
                f"{where} needs a key and a choice", where=where, expected='{"key": "DOC/A1", "choice": "accept"}'
            )
        amendment = None
        if item.get("amendment") is not None:
            try:
                amendment = Amendment.model_validate(item["amendment"])
            except PydanticValidationError as exc:
                raise _pydantic_error(exc) from None
        found.append(Decision(key=key, choice=choice, amendment=amendment))
    return found
