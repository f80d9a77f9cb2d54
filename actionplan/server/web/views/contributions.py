"""Contributions and amendments in the browser: list, author, edit, conflicts, consolidation.

Who may do what is decided by :mod:`actionplan.server.accounts.permissions` (and checked
again by the store): submitted contributions are public; a draft is seen and changed only
by the delegates of its sponsors (for anyone else it does not exist: 404); writing needs a
signed-in user (``login_required``, sign-in at ``/accounts/login/``); putting under review,
deciding and adopting need a secretariat editor. A refused change is Django's 403 page
(:class:`~actionplan.server.accounts.permissions.Forbidden`). Every form posts with
Django's CSRF token, and every page depends on who is signed in, so none is cached.

All changes go through :mod:`actionplan.server.store.contributions`. A save that finds the
row changed by someone else since the form was loaded (optimistic locking) re-shows the
form with HTTP 409, the message, and the other person's text; nothing is overwritten.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from actionplan.amend.apply import AnchorError, locate
from actionplan.amend.author import current_text, editable_texts
from actionplan.amend.consolidate import Consolidation, Decision
from actionplan.amend.diff import Change, diff_plans
from actionplan.amend.model import Amendment, AmendmentStatus, AmendmentType, Contribution
from actionplan.amend.textdiff import diff_words, ops_to_html
from actionplan.errors import ActionPlanError, NotFoundError, ValidationError
from actionplan.model import Output, Plan, text_of
from actionplan.server.accounts import permissions
from actionplan.server.accounts.roles import DELEGATE
from actionplan.server.store import api
from actionplan.server.store import contributions as store
from actionplan.server.web.current import Current
from actionplan.server.web.links import urls_for_eid
from actionplan.server.web.texts import ui_lang
from actionplan.server.web.views.base import Crumb, crumb, home_crumb, page
from actionplan.trace import SCHEMES

View = Callable[..., HttpResponse]

CONTRIBUTION_STATUS = {
    "draft": gettext_lazy("draft"),
    "submitted": gettext_lazy("submitted"),
    "under_review": gettext_lazy("under review"),
    "adopted": gettext_lazy("adopted"),
    "partly_adopted": gettext_lazy("partly adopted"),
    "rejected": gettext_lazy("rejected"),
    "withdrawn": gettext_lazy("withdrawn"),
}
AMENDMENT_STATUS = {
    "pending": gettext_lazy("pending"),
    "accepted": gettext_lazy("accepted"),
    "accepted_with_modification": gettext_lazy("accepted with modification"),
    "rejected": gettext_lazy("rejected"),
    "withdrawn": gettext_lazy("withdrawn"),
    "obsolete": gettext_lazy("obsolete"),
    "merged": gettext_lazy("merged"),
}
AMENDMENT_TYPE = {
    "insertion": gettext_lazy("insertion"),
    "deletion": gettext_lazy("deletion"),
    "substitution": gettext_lazy("substitution"),
    "move": gettext_lazy("move"),
    "renumbering": gettext_lazy("renumbering"),
    "element_creation": gettext_lazy("new paragraph or item"),
    "reference_change": gettext_lazy("change of links"),
}
SCHEME_LABELS = {
    "sdg_goal": gettext_lazy("SDG goals"),
    "sdg_target": gettext_lazy("SDG targets"),
    "sdg_indicator": gettext_lazy("SDG indicators"),
    "wsis": gettext_lazy("WSIS action lines"),
    "pp_resolution": gettext_lazy("PP resolutions"),
    "pp_decision": gettext_lazy("PP decisions"),
    "wtdc_resolution": gettext_lazy("WTDC resolutions"),
    "itu_d_recommendation": gettext_lazy("ITU-D recommendations"),
}
TEXT_LANGS = [("zh", "中文"), ("en", "English")]
PICK_LIMIT = 200
"""At most this many texts are listed by the element picker (the search narrows them)."""


# -- access -------------------------------------------------------------------------------


def secretariat_required(view: View) -> View:
    """Signed in (else to the sign-in page) and a secretariat editor (else 403 with an explanation)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not permissions.can_decide(request.user):
            return page(
                request,
                "web/contributions/forbidden.html",
                None,
                title=_("Secretariat only"),
                status=403,
            )
        return view(request, *args, **kwargs)

    return login_required(wrapper)


# -- shared pieces ------------------------------------------------------------------------


def _current(ref: str) -> Current:
    """The base version ``ref`` as the version a page shows (its links keep it)."""
    try:
        info = api.version_info(ref)
        plan = api.load_version(info.ref)
    except (NotFoundError, ValidationError) as exc:
        raise Http404(str(exc)) from exc
    return Current(plan=plan, info=info, pinned=True, asked=info.ref)


def _latest() -> Current | None:
    try:
        return _current(api.version_info(None).ref)
    except Http404:
        return None


def _contribution(request: HttpRequest, pk: int) -> store.ContributionInfo:
    """The contribution as the signed-in user may see it (another delegation's draft: 404)."""
    try:
        return store.get_contribution(pk, user=request.user)
    except NotFoundError as exc:
        raise Http404(str(exc)) from exc


def _require_sponsor(request: HttpRequest, info: store.ContributionInfo, action: str = "change") -> None:
    """403 unless the signed-in user is a delegate of one of the contribution's sponsors."""
    permissions.require_sponsor(request.user, info, info.document, action)


def _crumbs(cur: Current, *more: Crumb) -> list[Crumb]:
    return [home_crumb(cur), Crumb(_("Contributions"), reverse("web:contributions")), *more]


def _contribution_crumb(info: store.ContributionInfo) -> Crumb:
    return Crumb(info.document, reverse("web:contribution", args=[info.pk]))


def _can_edit(request: HttpRequest, info: store.ContributionInfo) -> bool:
    return permissions.can_edit(request.user, info)


@dataclass(frozen=True)
class Redline:
    """What one amendment does to one text, as HTML (insertions in ``<ins>``, deletions in ``<del>``)."""

    eid: str
    field: str
    html: SafeString
    note: str = ""
    error: bool = False


def amendment_redlines(plan: Plan, am: Amendment, lang: str) -> list[Redline]:
    """The amendment against ``plan``: for each text it changes, the words inserted and deleted."""
    try:
        if am.type == AmendmentType.element_creation and am.new_element is not None:
            spec = am.new_element
            note = _("new paragraph in %(container)s after %(after)s") % {
                "container": spec.container,
                "after": spec.after or _("(first)"),
            }
            return [Redline(spec.container, spec.field, format_html("<ins>{}</ins>", text_of(spec.text, lang)), note)]
        if am.type == AmendmentType.reference_change and am.links is not None:
            added = format_html_join(" ", "<ins>+{}</ins>", ((c,) for c in am.links.add))
            removed = format_html_join(" ", "<del>−{}</del>", ((c,) for c in am.links.remove))
            label = SCHEME_LABELS.get(am.links.scheme, am.links.scheme)
            return [Redline(am.target_eid(), "references", format_html("{} {}", added, removed), str(label))]
        if am.type == AmendmentType.deletion and am.target is not None and not am.target.old:
            node = plan.element(am.target.eid)
            if node is None:
                raise AnchorError(f"no element {am.target.eid} in the base", where=am.id)
            text = text_of(getattr(node, "text", {}) or {}, lang)
            return [Redline(node.eid, "text", format_html("<del>{}</del>", text), _("the whole element is deleted"))]
        return _text_redlines(plan, am)
    except (AnchorError, ValueError) as exc:
        message = exc.message if isinstance(exc, ActionPlanError) else str(exc)
        eid = am.target.eid if am.target is not None else ""
        return [Redline(eid, "", format_html("{}", message), _("cannot be applied to the base"), error=True)]


def _text_redlines(plan: Plan, am: Amendment) -> list[Redline]:
    changes = locate(plan, [am])
    grouped: dict[tuple[str, str, str], list[Any]] = {}
    for c in changes:
        grouped.setdefault((c.eid, c.field, c.lang), []).append(c)
    found = []
    for (eid, field, lang), group in grouped.items():
        node = plan.element(eid)
        old = str((getattr(node, field, None) or {}).get(lang, ""))
        new = old
        for c in sorted(group, key=lambda c: -c.start):
            new = new[: c.start] + c.new + new[c.end :]
        found.append(Redline(eid, field, mark_safe(ops_to_html(diff_words(old, new, lang)))))
    return found


def whole_redline(plan: Plan, contributions: list[store.ContributionInfo], lang: str) -> SafeString | None:
    """The base plan with the undecided amendments of ``contributions`` marked, as one HTML fragment.

    Made by the redline renderer (:func:`actionplan.render.redline.redline_fragment`): the
    whole plan laid out as on its pages, each insertion and deletion labelled with its
    amendment and sponsor. None when there is nothing to mark.
    """
    from actionplan.render.redline import redline_fragment

    chosen = [
        (c.contribution, [a.amendment for a in c.amendments if a.status == AmendmentStatus.pending])
        for c in contributions
    ]
    chosen = [(c, ams) for c, ams in chosen if ams]
    if not chosen:
        return None
    return mark_safe(redline_fragment(plan, chosen, lang))


@dataclass(frozen=True)
class AmendmentRow:
    info: store.AmendmentInfo
    redlines: list[Redline]
    status_label: str
    type_label: str
    justification: str
    url: str


def _rows(plan: Plan, info: store.ContributionInfo, lang: str) -> list[AmendmentRow]:
    return [
        AmendmentRow(
            a,
            amendment_redlines(plan, a.amendment, lang),
            str(AMENDMENT_STATUS.get(a.status.value, a.status.value)),
            str(AMENDMENT_TYPE.get(a.type.value, a.type.value)),
            text_of(a.amendment.justification, lang),
            reverse("web:amendment_edit", args=[info.pk, a.ident]),
        )
        for a in info.amendments
    ]


def _apply_error(form: forms.Form, exc: ActionPlanError) -> None:
    """A store error shown on the form field it names (else above the form)."""
    where = (exc.where or "").split(".")[0]
    expected = _("expected")
    message = str(exc.message) + (f" ({expected}: {exc.expected})" if exc.expected else "")
    form.add_error(where if where in form.fields else None, message)


def _split_list(value: str) -> list[str]:
    """Items of a list typed in one field: separated by commas (also full-width), semicolons or new lines."""
    return [part.strip() for part in re.split(r"[,，、;；\n]+", value) if part.strip()]


def _paragraphs(value: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", value.replace("\r\n", "\n")) if p.strip()]


# -- the list ---------------------------------------------------------------------------


@never_cache
def contribution_list(request: HttpRequest) -> HttpResponse:
    cur = _latest()
    lang = ui_lang()
    rows = store.list_contributions(user=request.user)
    bases: dict[str, int] = {}
    for c in rows:
        if c.status in store.OPEN:
            bases[c.base] = bases.get(c.base, 0) + 1
    title = _("Contributions")
    return page(
        request,
        "web/contributions/list.html",
        cur,
        title=title,
        crumbs=[home_crumb(cur), Crumb(title)] if cur else [],
        rows=[
            {
                "info": c,
                "title": text_of(c.contribution.title, lang),
                "status": CONTRIBUTION_STATUS.get(c.status.value, c.status.value),
                "pending": sum(a.status == AmendmentStatus.pending for a in c.amendments),
            }
            for c in rows
        ],
        open_bases=sorted(bases.items()),
        can_create=permissions.has_role(request.user, DELEGATE),
    )


# -- creating and editing a contribution ----------------------------------------------------


class ContributionForm(forms.Form):
    """The header of a contribution (who proposes, in which document, at which meeting)."""

    base = forms.ChoiceField(
        label=gettext_lazy("Base version"), help_text=gettext_lazy("The plan version the contribution amends.")
    )
    document = forms.CharField(
        label=gettext_lazy("Document number"), max_length=200, help_text=gettext_lazy("For example TDAG-19/12.")
    )
    meeting = forms.CharField(label=gettext_lazy("Meeting"), max_length=300, required=False)
    date = forms.DateField(label=gettext_lazy("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=TEXT_LANGS)
    sponsors = forms.CharField(
        label=gettext_lazy("Sponsors"),
        max_length=1000,
        help_text=gettext_lazy(
            "ISO3 codes of member states (CHN, BRA) or names of sector members, separated by commas."
        ),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=1000, required=False)
    introduction = forms.CharField(
        label=gettext_lazy("Introduction and justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Paragraphs separated by a blank line."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, bases: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if bases is None:
            del self.fields["base"]
        else:
            cast(forms.ChoiceField, self.fields["base"]).choices = [(ref, ref) for ref in bases]

    def header(self) -> dict[str, Any]:
        """The cleaned data as :class:`Contribution` fields."""
        data = self.cleaned_data
        lang = data["language"]
        return {
            "document": data["document"],
            "meeting": data["meeting"],
            "date": data["date"].isoformat() if data["date"] else "",
            "language": lang,
            "sponsors": _split_list(data["sponsors"]),
            "title": {lang: data["title"]} if data["title"] else {},
            "introduction": [{lang: p} for p in _paragraphs(data["introduction"])],
        }


def _initial(info: store.ContributionInfo) -> dict[str, Any]:
    c = info.contribution
    return {
        "document": c.document,
        "meeting": c.meeting,
        "date": c.date or None,
        "language": c.language,
        "sponsors": ", ".join(c.sponsors),
        "title": text_of(c.title, c.language),
        "introduction": "\n\n".join(text_of(t, c.language) for t in c.introduction),
        "revision": info.revision,
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def contribution_new(request: HttpRequest) -> HttpResponse:
    if not permissions.has_role(request.user, DELEGATE):
        raise permissions.Forbidden(
            "only delegates create contributions",
            where="role",
            expected="a delegate of a member state or sector member",
        )
    refs = [v.ref for v in reversed(api.list_versions())]
    cur = _latest()
    form = ContributionForm(request.POST or None, bases=refs, initial={"base": request.GET.get("base", "")})
    if request.method == "POST" and form.is_valid():
        try:
            header = Contribution(base=form.cleaned_data["base"], **form.header())
            info = store.create_contribution(header, user=request.user)
        except ActionPlanError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Contribution %(document)s created.") % {"document": info.document})
            return redirect("web:contribution", pk=info.pk)
    title = _("New contribution")
    return page(
        request,
        "web/contributions/form.html",
        cur,
        title=title,
        crumbs=_crumbs(cur, Crumb(title)) if cur else [],
        form=form,
        no_versions=not refs,
        submit_label=_("Create the draft"),
        status=400 if request.method == "POST" else 200,
    )


@never_cache
def contribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    info = _contribution(request, pk)
    cur = _current(info.base)
    lang = ui_lang()
    text_lang = info.contribution.language
    c = info.contribution
    return page(
        request,
        "web/contributions/detail.html",
        cur,
        title=f"{info.document} – {text_of(c.title, lang) or _('Contribution')}",
        crumbs=_crumbs(cur, Crumb(info.document)),
        info=info,
        c=c,
        title_text=text_of(c.title, lang),
        introduction=[text_of(t, lang) for t in c.introduction],
        proposals=[text_of(t, lang) for t in c.proposals],
        status_label=CONTRIBUTION_STATUS.get(info.status.value, info.status.value),
        rows=_rows(cur.plan, info, text_lang),
        can_edit=_can_edit(request, info),
        can_withdraw=permissions.can_withdraw(request.user, info),
        can_decide=permissions.can_decide(request.user),
        is_open=info.status in store.OPEN,
    )


@never_cache
def contribution_redline(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole base plan with this contribution's pending amendments marked."""
    info = _contribution(request, pk)
    cur = _current(info.base)
    return _redline_page(request, cur, [info], _("Redline of %(document)s") % {"document": info.document}, info)


@never_cache
def base_redline(request: HttpRequest, ref: str) -> HttpResponse:
    """The whole base plan with the pending amendments of every open contribution against it marked."""
    cur = _current(ref)
    open_ = [c for c in store.list_contributions(cur.info.ref, user=request.user) if c.status in store.OPEN]
    return _redline_page(request, cur, open_, _("Redline of the contributions to %(ref)s") % {"ref": cur.info.ref})


def _redline_page(
    request: HttpRequest,
    cur: Current,
    contributions: list[store.ContributionInfo],
    title: str,
    info: store.ContributionInfo | None = None,
) -> HttpResponse:
    lang = info.contribution.language if info is not None else cur.plan.language
    try:
        fragment, error = whole_redline(cur.plan, contributions, lang), ""
    except ActionPlanError as exc:
        fragment, error = None, str(exc)
    more = [_contribution_crumb(info)] if info is not None else []
    return page(
        request,
        "web/contributions/redline.html",
        cur,
        title=title,
        crumbs=_crumbs(cur, *more, Crumb(title)),
        info=info,
        fragment=fragment,
        error=error,
    )


def redline_stylesheet(request: HttpRequest) -> HttpResponse:
    """The redline renderer's CSS (``actionplan/render/redline.css``), for the redline pages."""
    from actionplan.render.redline import redline_css

    response = HttpResponse(redline_css(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def contribution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    info = _contribution(request, pk)
    _require_sponsor(request, info)
    cur = _current(info.base)
    form = ContributionForm(request.POST or None, initial=_initial(info))
    status = 200
    other: store.ContributionInfo | None = None
    if request.method == "POST" and form.is_valid():
        revision = form.cleaned_data["revision"] or 0
        try:
            store.update_contribution(pk, revision, form.header(), user=request.user)
        except store.ConflictError as exc:
            other = exc.current if isinstance(exc.current, store.ContributionInfo) else None
            status = 409
            data = request.POST.copy()
            data["revision"] = str(other.revision if other else revision)
            form = ContributionForm(data)
            form.is_valid()
            form.add_error(None, exc.message)
        except ActionPlanError as exc:
            _apply_error(form, exc)
            status = 400
        else:
            messages.success(request, _("Saved."))
            return redirect("web:contribution", pk=pk)
    elif request.method == "POST":
        status = 400
    title = _("Edit %(document)s") % {"document": info.document}
    return page(
        request,
        "web/contributions/form.html",
        cur,
        title=title,
        crumbs=_crumbs(cur, _contribution_crumb(info), Crumb(title)),
        form=form,
        info=info,
        other=other,
        other_initial=_initial(other) if other else None,
        submit_label=_("Save"),
        status=status,
    )


@never_cache
@login_required
@require_POST
def contribution_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit, withdraw, or (staff) put under review; the form carries the revision loaded."""
    info = _contribution(request, pk)
    action = request.POST.get("action", "")
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = 0
    try:
        if action == "submit":
            store.submit_contribution(pk, revision, user=request.user)
            messages.success(request, _("Submitted."))
        elif action == "withdraw":
            store.withdraw_contribution(pk, revision, user=request.user)
            messages.success(request, _("Withdrawn."))
        elif action == "review":
            if not permissions.can_decide(request.user):
                return page(request, "web/contributions/forbidden.html", None, title=_("Secretariat only"), status=403)
            store.set_contribution_status(pk, "under_review", revision, user=request.user)
            messages.success(request, _("Under review."))
        else:
            raise ValidationError(f"unknown action {action!r}", where="action", expected="submit or withdraw")
    except store.ConflictError as exc:
        messages.error(request, exc.message)
    except ActionPlanError as exc:
        messages.error(request, str(exc))
    return redirect("web:contribution", pk=info.pk)


# -- authoring amendments ---------------------------------------------------------------------


class EditForm(forms.Form):
    """An edit of one text: the text as the contribution proposes it, and why."""

    eid = forms.CharField(widget=forms.HiddenInput)
    field = forms.CharField(widget=forms.HiddenInput)
    lang = forms.CharField(widget=forms.HiddenInput)
    expected = forms.CharField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label=gettext_lazy("Text as you propose it"),
        widget=forms.Textarea(attrs={"rows": 8}),
        strip=False,
        required=False,
        help_text=gettext_lazy("Edit the words; the amendments are computed from your edit."),
    )
    justification = forms.CharField(
        label=gettext_lazy("Justification"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def expected_revisions(self) -> dict[str, int] | None:
        raw = self.cleaned_data.get("expected") or ""
        try:
            value = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            return None
        if not isinstance(value, dict) or not all(isinstance(v, int) for v in value.values()):
            return None
        return {str(k): int(v) for k, v in value.items()}


def _expected(amendments: list[store.AmendmentInfo]) -> str:
    return json.dumps({a.ident: a.revision for a in amendments}, sort_keys=True)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Pick a text of the base (GET without ``eid``), then edit it, preview the amendments, save."""
    info = _contribution(request, pk)
    cur = _current(info.base)
    source = request.POST if request.method == "POST" else request.GET
    eid = source.get("eid", "")
    if not eid:
        return _pick(request, info, cur)
    _require_sponsor(request, info)
    if not _can_edit(request, info):
        messages.error(request, _("Only a draft can be changed."))
        return redirect("web:contribution", pk=pk)
    field = source.get("field", "text")
    lang = source.get("lang", "") or info.contribution.language
    try:
        proposed = store.proposed_text(info, eid, field, lang)
        base_text = current_text(cur.plan, eid, field, lang)
    except ActionPlanError as exc:
        raise Http404(str(exc)) from exc
    mine = store.text_amendments(info, eid, field, lang)
    status, preview, conflict = 200, None, None
    if request.method == "POST":
        form = EditForm(request.POST)
        if form.is_valid():
            new_text = form.cleaned_data["text"]
            if request.POST.get("action") == "save":
                try:
                    store.add_amendments_from_edit(
                        pk,
                        eid,
                        field,
                        lang,
                        new_text,
                        justification=form.cleaned_data["justification"],
                        expected=form.expected_revisions(),
                        user=request.user,
                    )
                except store.ConflictError as exc:
                    now = exc.current if isinstance(exc.current, store.ContributionInfo) else _contribution(request, pk)
                    theirs = store.text_amendments(now, eid, field, lang)
                    conflict = {
                        "message": exc.message,
                        "text": store.proposed_text(now, eid, field, lang),
                        "who": ", ".join(sorted({a.updated_by for a in theirs if a.updated_by})),
                    }
                    data = request.POST.copy()
                    data["expected"] = _expected(theirs)
                    form = EditForm(data)
                    form.is_valid()
                    status = 409
                except ActionPlanError as exc:
                    _apply_error(form, exc)
                    status = 400
                else:
                    messages.success(request, _("Amendments saved."))
                    return redirect(reverse("web:contribution", args=[pk]) + "#amendments")
            if status == 200:
                try:
                    computed = store.preview_edit(pk, eid, field, lang, new_text, user=request.user)
                except ActionPlanError as exc:
                    _apply_error(form, exc)
                    status = 400
                else:
                    preview = {
                        "html": mark_safe(ops_to_html(diff_words(base_text, new_text, lang))),
                        "amendments": [
                            {"amendment": a, "type": AMENDMENT_TYPE.get(a.type.value, a.type.value)} for a in computed
                        ],
                        "unchanged": new_text == base_text,
                    }
        else:
            status = 400
    else:
        form = EditForm(
            initial={"eid": eid, "field": field, "lang": lang, "text": proposed, "expected": _expected(mine)}
        )
    title = _("Amend %(eid)s") % {"eid": eid}
    return page(
        request,
        "web/contributions/amend.html",
        cur,
        title=title,
        crumbs=_crumbs(cur, _contribution_crumb(info), Crumb(title)),
        info=info,
        form=form,
        eid=eid,
        field=field,
        element_url=urls_for_eid(cur.plan, eid, cur.query),
        base_text=base_text,
        text_lang=lang,
        mine=[{"info": a, "redlines": amendment_redlines(cur.plan, a.amendment, lang)} for a in mine],
        preview=preview,
        conflict=conflict,
        status=status,
    )


def _pick(request: HttpRequest, info: store.ContributionInfo, cur: Current) -> HttpResponse:
    """The element picker: the base's texts in the contribution's language, narrowed by ``q``."""
    lang = request.GET.get("lang") or info.contribution.language
    query = request.GET.get("q", "").strip()[:200]
    texts = editable_texts(cur.plan, lang)
    if query:
        words = query.lower().split()
        texts = [t for t in texts if all(w in f"{t.label} {t.eid} {t.text}".lower() for w in words)]
    outputs = {o.eid for o in cur.plan.all_outputs()}
    items = [
        {
            "text": t,
            "url": reverse("web:contribution_amend", args=[info.pk])
            + "?"
            + _query({"eid": t.eid, "field": t.field, "lang": lang}),
            "links_url": (
                reverse("web:contribution_links", args=[info.pk]) + "?" + _query({"output": t.eid})
                if t.eid in outputs and t.field == "title"
                else None
            ),
        }
        for t in texts[:PICK_LIMIT]
    ]
    context: dict[str, Any] = {
        "info": info,
        "items": items,
        "query": query,
        "total": len(texts),
        "limit": PICK_LIMIT,
        "lang": lang,
    }
    if request.headers.get("HX-Request"):
        return page(request, "web/contributions/_pick_list.html", cur, title="", **context)
    title = _("Choose a text to amend")
    return page(
        request,
        "web/contributions/pick.html",
        cur,
        title=title,
        crumbs=_crumbs(cur, _contribution_crumb(info), Crumb(title)),
        can_edit=_can_edit(request, info),
        **context,
    )


def _query(params: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


class AmendmentForm(forms.Form):
    """One amendment's wording and justification, with the revision it was loaded at."""

    text = forms.CharField(
        label=gettext_lazy("New text"), widget=forms.Textarea(attrs={"rows": 5}), required=False, strip=False
    )
    add = forms.CharField(
        label=gettext_lazy("Codes added"), required=False, help_text=gettext_lazy("Separated by commas.")
    )
    remove = forms.CharField(
        label=gettext_lazy("Codes removed"), required=False, help_text=gettext_lazy("Separated by commas.")
    )
    justification = forms.CharField(
        label=gettext_lazy("Justification"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, kind: AmendmentType, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind == AmendmentType.reference_change:
            del self.fields["text"]
        else:
            del self.fields["add"], self.fields["remove"]
            if kind == AmendmentType.deletion:
                self.fields["text"].disabled = True


def amendment_wording(am: Amendment) -> tuple[str, str]:
    """``(language, text)`` of the words an amendment proposes (new text or the new element's text)."""
    if am.new_element is not None:
        lang = next(iter(am.new_element.text), "zh")
        return lang, am.new_element.text.get(lang, "")
    lang = am.target.lang if am.target is not None else next(iter(am.new_text), "zh")
    return lang, am.new_text.get(lang, "")


def with_wording(am: Amendment, text: str) -> Amendment:
    """``am`` proposing ``text`` instead of its words (a modification keeps the target)."""
    lang, _old = amendment_wording(am)
    if am.new_element is not None:
        return am.model_copy(update={"new_element": am.new_element.model_copy(update={"text": {lang: text}})})
    if am.type == AmendmentType.deletion:
        return am
    return am.model_copy(update={"new_text": {**am.new_text, lang: text} if text else {}})


def _amendment_initial(a: store.AmendmentInfo, lang: str) -> dict[str, Any]:
    am = a.amendment
    return {
        "text": amendment_wording(am)[1],
        "add": ", ".join(am.links.add) if am.links else "",
        "remove": ", ".join(am.links.remove) if am.links else "",
        "justification": text_of(am.justification, lang),
        "revision": a.revision,
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def amendment_edit(request: HttpRequest, pk: int, ident: str) -> HttpResponse:
    """Edit one amendment's wording and justification; a stale revision gives 409 and the other text."""
    info = _contribution(request, pk)
    cur = _current(info.base)
    try:
        current = info.amendment(ident)
    except NotFoundError as exc:
        raise Http404(str(exc)) from exc
    lang = info.contribution.language
    kind = current.type
    status, other = 200, None
    if request.method == "POST":
        _require_sponsor(request, info)
        if request.POST.get("action") == "delete":
            return _delete_amendment(request, info, current)
        form = AmendmentForm(request.POST, kind=kind)
        if not _can_edit(request, info):
            form.is_valid()
            form.add_error(None, _("Only a draft can be changed."))
            status = 400
        elif form.is_valid():
            data = form.cleaned_data
            am = current.amendment
            if kind == AmendmentType.reference_change and am.links is not None:
                am = am.model_copy(
                    update={
                        "links": am.links.model_copy(
                            update={"add": _split_list(data["add"]), "remove": _split_list(data["remove"])}
                        )
                    }
                )
            elif kind != AmendmentType.deletion:
                am = with_wording(am, data["text"])
            note = data["justification"].strip()
            am = am.model_copy(update={"justification": {**am.justification, lang: note} if note else {}})
            try:
                store.update_amendment(pk, ident, am, data["revision"], user=request.user)
            except store.ConflictError as exc:
                other = exc.current if isinstance(exc.current, store.AmendmentInfo) else None
                status = 409
                form = _with_revision(request.POST, other.revision if other else data["revision"], kind, exc.message)
            except ActionPlanError as exc:
                _apply_error(form, exc)
                status = 400
            else:
                messages.success(request, _("Amendment %(ident)s saved.") % {"ident": ident})
                return redirect(reverse("web:contribution", args=[pk]) + f"#amendment-{ident}")
        else:
            status = 400
    else:
        form = AmendmentForm(initial=_amendment_initial(current, lang), kind=kind)
    title = _("Amendment %(key)s") % {"key": current.key}
    return page(
        request,
        "web/contributions/amendment.html",
        cur,
        title=title,
        crumbs=_crumbs(cur, _contribution_crumb(info), Crumb(current.ident)),
        info=info,
        current=current,
        type_label=AMENDMENT_TYPE.get(kind.value, kind.value),
        status_label=AMENDMENT_STATUS.get(current.status.value, current.status.value),
        redlines=amendment_redlines(cur.plan, current.amendment, lang),
        form=form,
        other=other,
        other_text=amendment_wording(other.amendment)[1] if other else "",
        other_justification=text_of(other.amendment.justification, lang) if other else "",
        other_redlines=amendment_redlines(cur.plan, other.amendment, lang) if other else [],
        can_edit=_can_edit(request, info),
        status=status,
    )


def _with_revision(posted: QueryDict, revision: int, kind: AmendmentType, message: str) -> AmendmentForm:
    """The form as the editor filled it, now carrying the current revision (a second save overwrites knowingly)."""
    data = posted.copy()
    data["revision"] = str(revision)
    fresh = AmendmentForm(data, kind=kind)
    fresh.is_valid()
    fresh.add_error(None, message)
    return fresh


def _delete_amendment(request: HttpRequest, info: store.ContributionInfo, current: store.AmendmentInfo) -> HttpResponse:
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = 0
    try:
        store.delete_amendment(info.pk, current.ident, revision, user=request.user)
    except ActionPlanError as exc:
        messages.error(request, exc.message)
        return redirect("web:amendment_edit", pk=info.pk, ident=current.ident)
    messages.success(request, _("Amendment %(ident)s removed.") % {"ident": current.ident})
    return redirect(reverse("web:contribution", args=[info.pk]) + "#amendments")


class LinksForm(forms.Form):
    """A change of one output's SDG/WSIS/resolution links."""

    output = forms.ChoiceField(label=gettext_lazy("Output"))
    scheme = forms.ChoiceField(label=gettext_lazy("Kind of link"))
    add = forms.CharField(
        label=gettext_lazy("Codes to add"),
        required=False,
        help_text=gettext_lazy("As the registry writes them (9.c, C5, 37), separated by commas."),
    )
    remove = forms.CharField(
        label=gettext_lazy("Codes to remove"), required=False, help_text=gettext_lazy("Codes the output cites now.")
    )
    justification = forms.CharField(
        label=gettext_lazy("Justification"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, outputs: list[Output], lang: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        output = cast(forms.ChoiceField, self.fields["output"])
        output.choices = [(o.eid, f"{o.number} {text_of(o.title, lang)}") for o in outputs]
        cast(forms.ChoiceField, self.fields["scheme"]).choices = [(s, str(SCHEME_LABELS[s])) for s in SCHEMES]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def links(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an output's links: add and remove codes of one scheme (one amendment)."""
    info = _contribution(request, pk)
    cur = _current(info.base)
    _require_sponsor(request, info)
    if not _can_edit(request, info):
        messages.error(request, _("Only a draft can be changed."))
        return redirect("web:contribution", pk=pk)
    lang = ui_lang()
    outputs = cur.plan.all_outputs()
    status = 200
    if request.method == "POST":
        form = LinksForm(request.POST, outputs=outputs, lang=lang)
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = store.add_link_change(
                    pk,
                    data["output"],
                    data["scheme"],
                    _split_list(data["add"]),
                    _split_list(data["remove"]),
                    justification=data["justification"],
                    user=request.user,
                )
            except ActionPlanError as exc:
                _apply_error(form, exc)
                status = 400
            else:
                messages.success(request, _("Amendment %(ident)s saved.") % {"ident": made.ident})
                return redirect(reverse("web:contribution", args=[pk]) + f"#amendment-{made.ident}")
        else:
            status = 400
    else:
        form = LinksForm(initial={"output": request.GET.get("output", "")}, outputs=outputs, lang=lang)
    chosen = next((o for o in outputs if o.eid == (form["output"].value() or "")), None)
    cited = (
        [
            (SCHEME_LABELS[s], [str(v) for v in getattr(chosen.references, attr)])
            for s, attr in SCHEMES.items()
            if getattr(chosen.references, attr)
        ]
        if chosen
        else []
    )
    title = _("Change an output's links")
    return page(
        request,
        "web/contributions/links.html",
        cur,
        title=title,
        crumbs=_crumbs(cur, _contribution_crumb(info), Crumb(title)),
        info=info,
        form=form,
        chosen=chosen,
        cited=cited,
        status=status,
    )


# -- conflicts, consolidation, adoption ---------------------------------------------------------


def _keys_to_contributions(request: HttpRequest, base: str) -> dict[str, store.ContributionInfo]:
    return {c.document: c for c in store.list_contributions(base, user=request.user)}


@never_cache
def conflicts(request: HttpRequest, ref: str) -> HttpResponse:
    """The conflict sets among the open contributions against version ``ref``, side by side."""
    cur = _current(ref)
    sets = store.conflicts(cur.info.ref)
    by_document = _keys_to_contributions(request, cur.info.ref)
    shown = [
        {
            "set": s,
            "url": urls_for_eid(cur.plan, s.eid, cur.query),
            "members": [
                {
                    "variant": v,
                    "order": k,
                    "label": v.proposed.label,
                    "url": (
                        reverse("web:contribution", args=[by_document[v.proposed.contribution].pk])
                        + f"#amendment-{v.proposed.amendment.id}"
                        if v.proposed.contribution in by_document
                        else ""
                    ),
                    "html": mark_safe(ops_to_html(v.ops)),
                    "departure": round(v.departure * 100),
                }
                for k, v in enumerate(s.members, start=1)
            ],
        }
        for s in sets
    ]
    title = _("Conflicting amendments to %(ref)s") % {"ref": cur.info.ref}
    return page(
        request,
        "web/contributions/conflicts.html",
        cur,
        title=title,
        crumbs=_crumbs(cur, Crumb(title)),
        sets=shown,
        open_count=sum(1 for c in by_document.values() if c.status in store.OPEN),
    )


class _Decisions:
    """The consolidation form's data: a choice per amendment key, modified wordings, revisions."""

    def __init__(self, data: Any, pending: list[store.AmendmentInfo]) -> None:
        self.choices: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        self.revisions: dict[str, int] = {}
        self.errors: list[str] = []
        for a in pending:
            field = f"d-{a.pk}"
            choice = data.get(f"{field}-choice", "")
            if choice in ("accept", "modify", "reject"):
                self.choices[a.key] = choice
            self.texts[a.key] = data.get(f"{field}-text", amendment_wording(a.amendment)[1])
            try:
                self.revisions[a.key] = int(data.get(f"{field}-revision", a.revision))
            except ValueError:
                self.revisions[a.key] = a.revision

    def decisions(self, pending: dict[str, store.AmendmentInfo]) -> list[Decision]:
        found = []
        for key, choice in self.choices.items():
            if choice == "modify":
                modified = with_wording(pending[key].amendment, self.texts.get(key, ""))
                found.append(Decision(key=key, choice="modify", amendment=modified))
            else:
                found.append(Decision(key=key, choice="accept" if choice == "accept" else "reject"))
        return found


@never_cache
@secretariat_required
@require_http_methods(["GET", "POST"])
def consolidate(request: HttpRequest, ref: str) -> HttpResponse:
    """Staff: accept, accept with a modification or reject each pending amendment; preview; adopt."""
    cur = _current(ref)
    base_ref = cur.info.ref
    lang = ui_lang()
    contributions = sorted(
        (c for c in store.list_contributions(base_ref, user=request.user) if c.status in store.OPEN),
        key=lambda c: c.pk,
    )  # in the order they were made
    pending = {a.key: a for c in contributions for a in c.amendments if a.status == AmendmentStatus.pending}
    state = _Decisions(request.POST if request.method == "POST" else {}, list(pending.values()))
    in_conflict: dict[str, list[str]] = {}
    for s in store.conflicts(base_ref):
        for key in s.keys:
            in_conflict.setdefault(key, []).extend(k for k in s.keys if k != key)
    status, preview, errors = 200, None, []
    if request.method == "POST":
        decisions = state.decisions(pending)
        if request.POST.get("action") == "adopt":
            try:
                done = store.adopt(base_ref, decisions, revisions=state.revisions, user=request.user)
            except store.ConflictError as exc:
                errors.append(exc.message)
                status = 409
            except ActionPlanError as exc:
                errors.append(str(exc))
                status = 400
            else:
                if done.version is None:
                    messages.success(request, _("Every amendment was rejected: the text is unchanged."))
                    return redirect("web:contributions")
                messages.success(request, _("Adopted as version %(ref)s.") % {"ref": done.version.ref})
                return redirect(reverse("web:version_diff") + "?" + _query({"old": base_ref, "new": done.version.ref}))
        if status == 200:
            try:
                result = store.preview_consolidation(base_ref, decisions)
            except ActionPlanError as exc:
                errors.append(str(exc))
                status = 400
            else:
                preview = _consolidation_preview(cur, result)
    groups = [
        {
            "info": c,
            "status_label": CONTRIBUTION_STATUS.get(c.status.value, c.status.value),
            "rows": [
                {
                    "info": a,
                    "field": f"d-{a.pk}",
                    "choice": state.choices.get(a.key, ""),
                    "text": state.texts.get(a.key, ""),
                    "has_text": a.type not in (AmendmentType.reference_change, AmendmentType.deletion),
                    "redlines": amendment_redlines(cur.plan, a.amendment, c.contribution.language),
                    "type_label": AMENDMENT_TYPE.get(a.type.value, a.type.value),
                    "justification": text_of(a.amendment.justification, lang),
                    "conflicts": in_conflict.get(a.key, []),
                }
                for a in c.amendments
                if a.status == AmendmentStatus.pending
            ],
        }
        for c in contributions
    ]
    title = _("Consolidate amendments to %(ref)s") % {"ref": base_ref}
    return page(
        request,
        "web/contributions/consolidate.html",
        cur,
        title=title,
        crumbs=_crumbs(cur, Crumb(title)),
        groups=groups,
        preview=preview,
        errors=errors,
        base_ref=base_ref,
        status=status,
    )


def _consolidation_preview(cur: Current, result: Consolidation) -> dict[str, Any]:
    made_by: dict[str, list[str]] = {}
    for key, eids in result.provenance.items():
        for eid in eids:
            made_by.setdefault(eid, []).append(key)
    return {
        "changes": _changes(cur.plan, result.plan, made_by, cur.query),
        "undecided": [p.key for p in result.undecided],
        "applied": [p.key for p in result.applied],
    }


@dataclass(frozen=True)
class ChangeRow:
    change: Change
    html: SafeString
    url: str
    made_by: list[str]


def _changes(old: Plan, new: Plan, made_by: dict[str, list[str]], query: str) -> list[ChangeRow]:
    """The changes from ``old`` to ``new`` in the plan's own language (its words, segmented as such)."""
    rows = []
    for c in diff_plans(old, new, new.language):
        html = mark_safe(ops_to_html(c.ops))
        if c.added or c.removed:
            html = format_html(
                "{} {}",
                format_html_join(" ", "<ins>+{}</ins>", ((x,) for x in c.added)),
                format_html_join(" ", "<del>−{}</del>", ((x,) for x in c.removed)),
            )
        eid = c.new_eid or c.old_eid or ""
        by = made_by.get(eid, []) or made_by.get(eid.removesuffix("__refs"), [])
        rows.append(ChangeRow(c, html, urls_for_eid(new if c.new_eid else old, eid, query), by))
    return rows


@never_cache
def version_diff(request: HttpRequest) -> HttpResponse:
    """What changed from version ``old`` to version ``new`` (default: the latest and the one before),
    and, for a version made by adoption, which amendment made each change."""
    new_ref = request.GET.get("new", "").strip() or None
    try:
        new_info = api.version_info(new_ref)
        old_ref = request.GET.get("old", "").strip() or (
            f"{new_info.plan_code}@{new_info.number - 1}" if new_info.number > 1 else new_info.ref
        )
        old_info = api.version_info(old_ref)
    except (NotFoundError, ValidationError) as exc:
        raise Http404(str(exc)) from exc
    cur = _current(new_info.ref)
    old_plan = api.load_version(old_info.ref)
    adopted = store.adopted_changes(new_info.ref)
    made_by: dict[str, list[str]] = {}
    for key, eids in adopted.items():
        for eid in eids:
            made_by.setdefault(eid, []).append(key)
    documents = {key.rsplit("/", 1)[0] for key in adopted}
    sources = {}
    for document in documents:
        try:
            found = store.get_contribution(document, user=request.user)
            sources[document] = reverse("web:contribution", args=[found.pk])
        except NotFoundError:
            continue
    rows = _changes(old_plan, cur.plan, made_by, cur.query)
    title = _("Changes from %(old)s to %(new)s") % {"old": old_info.ref, "new": new_info.ref}
    return page(
        request,
        "web/contributions/version_diff.html",
        cur,
        title=title,
        crumbs=[home_crumb(cur), crumb(cur, _("Versions"), "web:versions"), Crumb(title)],
        rows=[{"row": r, "by": [(k, sources.get(k.rsplit("/", 1)[0], "")) for k in r.made_by]} for r in rows],
        old=old_info,
        new=new_info,
        versions=[v.ref for v in api.list_versions(new_info.plan_code)],
    )
