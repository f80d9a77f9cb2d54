"""Where a normalised reference points, decided once so that every format links alike.

Link scheme (the same in every format):

* SDG goal ``9`` -> ``https://unstats.un.org/sdgs/metadata/?Text=&Goal=9&Target=``;
  target ``9.c`` (and indicator ``9.c.1``) -> ``...?Text=&Goal=9&Target=9.c``
  (the UN Statistics Division's SDG metadata repository, one page per target).
* WSIS action line ``C7`` -> the Geneva Plan of Action (WSIS-03/GENEVA/DOC/5) at
  ``https://www.itu.int/net/wsis/docs/geneva/official/poa.html#c7``.
* Resolutions, decisions and recommendations have no stable public URL per number, so they
  get an Akoma Ntoso-style *name* (``/akn/int/doc/resolution/itu-pp/71``,
  ``/akn/int/doc/resolution/itu-wtdc/17``, ``/akn/int/doc/decision/itu-pp/5``,
  ``/akn/int/doc/recommendation/itu-d/15``). It has no date, because the plan does not
  give the original adoption date. AKN puts it in ``<ref href>``. HTML keeps it as the
  ``title`` of a plain span, and Markdown prints only the number, because a browser cannot
  follow it.
* An outcome an output contributes to -> ``#<outcome eid>`` inside the document.

Nothing here imports a rendering library.
"""

from __future__ import annotations

from dataclasses import dataclass

from actionplan.model import Plan, References
from actionplan.render._labels import Shown, fixed, label, shown

SDG_METADATA = "https://unstats.un.org/sdgs/metadata/?Text=&Goal={goal}&Target={target}"
WSIS_POA = "https://www.itu.int/net/wsis/docs/geneva/official/poa.html#{anchor}"


@dataclass(frozen=True)
class Link:
    """One normalised reference: its display text and where it points (None: nowhere)."""

    text: str
    href: str | None = None
    external: bool = True
    """False for names that are identifiers, not web links (resolutions)."""


@dataclass(frozen=True)
class RefGroup:
    """A labelled list of normalised references (e.g. "WSIS action lines: C1, C11")."""

    key: str
    label: str
    links: list[Link]


def sdg_goal_href(goal: int | str) -> str:
    return SDG_METADATA.format(goal=goal, target="")


def sdg_target_href(target: str) -> str:
    """The UN metadata page of target ``9.c``; an indicator ``9.c.1`` goes to its target."""
    parts = target.split(".")
    return SDG_METADATA.format(goal=parts[0], target=".".join(parts[:2]))


def wsis_href(code: str) -> str:
    """The Geneva Plan of Action, at action line ``code`` when one is given."""
    return WSIS_POA.format(anchor=code.lower()) if code else WSIS_POA.split("#")[0]


def resolution_name(body: str, kind: str, number: int) -> str:
    """The AKN-style name of a resolution, decision or recommendation (not resolvable)."""
    return f"/akn/int/doc/{kind}/{body}/{number}"


def reference_groups(refs: References, plan: Plan, lang: str) -> list[RefGroup]:
    """The normalised reference lists of an output, each with links, in a fixed order."""
    all_ = label("all", lang)

    def names(body: str, kind: str, numbers: list[int]) -> list[Link]:
        return [Link(str(n), resolution_name(body, kind, n), external=False) for n in numbers]

    groups: list[RefGroup] = []

    def add(key: str, links: list[Link]) -> None:
        if links:
            groups.append(RefGroup(key, label(key, lang), links))

    add("pp_decisions", names("itu-pp", "decision", refs.pp_decisions))
    add("pp_resolutions", names("itu-pp", "resolution", refs.pp_resolutions))
    wtdc = names("itu-wtdc", "resolution", refs.wtdc_resolutions)
    if refs.all_wtdc_resolutions:
        wtdc.insert(0, Link(all_))
    add("wtdc_resolutions", wtdc)
    add(
        "itu_d_recommendations",
        names("itu-d", "recommendation", refs.itu_d_recommendations),
    )
    add("revisions", [Link(c.text) for c in refs.revisions])
    wsis = [Link(code, wsis_href(code)) for code in refs.wsis_action_lines]
    if refs.all_wsis_action_lines:
        wsis.insert(0, Link(all_, wsis_href("")))
    add("wsis", wsis)
    goals = [Link(f"SDG {g}", sdg_goal_href(g)) for g in refs.sdg_goals]
    if refs.all_sdgs:
        goals.insert(0, Link(all_, "https://sdgs.un.org/goals"))
    add("sdgs", goals)
    add("sdg_targets", [Link(t, sdg_target_href(t)) for t in refs.sdg_targets])
    add("sdg_indicators", [Link(i, sdg_target_href(i)) for i in refs.sdg_indicators])
    outcomes = []
    for number in refs.contributes_to_outcomes:
        outcome = plan.outcome(number)
        outcomes.append(Link(number, f"#{outcome.eid}" if outcome else None, external=False))
    add("contributes_to", outcomes)
    return groups


def outcome_output_links(numbers: list[str], plan: Plan, lang: str) -> list[tuple[Link, Shown]]:
    """The outputs column of an outcomes row: each output number with its title and anchor."""
    rows = []
    for number in numbers:
        output = plan.output(number)
        link = Link(number, f"#{output.eid}" if output else None, external=False)
        title = shown(output.title, lang) if output else fixed("", lang)
        rows.append((link, title))
    return rows
