"""Contributions and their amendments, in the vocabulary of Akoma Ntoso and the ITU.

A :class:`Contribution` is a member state's (or sector member's) document proposing
changes to one plan version; each :class:`Amendment` is one change to one element,
anchored by the element's eid and, for a change inside a text, by the quoted old text
with the words around it (so it survives renumbering and edits elsewhere in the text).
The types follow Akoma Ntoso's ``textualMod`` (insertion, repeal = deletion,
substitution, renumbering, ...) plus the plan's own needs (element creation, a change of
SDG/WSIS/resolution links).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from actionplan.model import Text


class AmendmentType(StrEnum):
    insertion = "insertion"
    deletion = "deletion"
    substitution = "substitution"
    move = "move"
    renumbering = "renumbering"
    element_creation = "element_creation"
    reference_change = "reference_change"


class AmendmentStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    accepted_with_modification = "accepted_with_modification"
    rejected = "rejected"
    withdrawn = "withdrawn"
    obsolete = "obsolete"
    merged = "merged"


class ContributionStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    under_review = "under_review"
    adopted = "adopted"
    partly_adopted = "partly_adopted"
    rejected = "rejected"
    withdrawn = "withdrawn"


class Anchor(BaseModel):
    """Where a change inside a text applies: an element, one of its texts, and a range.

    The range is ``old`` (the quoted text it replaces, empty for a pure insertion) found
    between ``before`` and ``after`` (a few words of context on either side).
    """

    model_config = ConfigDict(extra="forbid")

    eid: str
    field: str = Field(default="text", description="text, title, label, heading")
    lang: str = "zh"
    old: str = ""
    before: str = ""
    after: str = ""


class NewElement(BaseModel):
    """An element a ``element_creation`` amendment adds: a paragraph or a list item."""

    model_config = ConfigDict(extra="forbid")

    container: str = Field(description="eid of the element whose list receives it")
    field: str = Field(default="text", description="the list: text, items, background, blocks, …")
    after: str | None = Field(default=None, description="eid of the sibling it follows; None: first")
    kind: Literal["para", "item"] = "para"
    level: int = 1
    text: Text = Field(default_factory=dict)


class LinkChange(BaseModel):
    """The SDG/WSIS/resolution links a ``reference_change`` amendment adds and removes.

    ``scheme`` is one of :data:`actionplan.trace.SCHEMES` (sdg_target, wsis, wtdc_resolution, …);
    codes are written as the registry writes them (``9.c``, ``C5``, ``17``).
    """

    model_config = ConfigDict(extra="forbid")

    scheme: str
    add: list[str] = Field(default_factory=list)
    remove: list[str] = Field(default_factory=list)


class Provenance(BaseModel):
    """Where an imported amendment came from (a Word revision, for instance)."""

    model_config = ConfigDict(extra="forbid")

    file: str = ""
    revision_id: str = ""
    author: str = ""
    date: str = ""


class Amendment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    type: AmendmentType
    target: Anchor | None = None
    new_text: Text = Field(default_factory=dict, description="replacement text per language")
    new_element: NewElement | None = None
    destination: Anchor | None = Field(
        default=None, description="for a move: where the text quoted by the target goes (an insertion point)"
    )
    links: LinkChange | None = Field(default=None, description="for a reference_change: links added and removed")
    sponsor: str = Field(default="", description="who proposes it, when not the whole contribution (ISO3 or name)")
    proposal: int | None = Field(default=None, description="which proposal of the contribution it serves")
    justification: Text = Field(default_factory=dict)
    status: AmendmentStatus = AmendmentStatus.pending
    parent: str | None = Field(default=None, description="the amendment this one amends")
    provenance: Provenance | None = None

    def target_eid(self) -> str:
        """The element the amendment changes (for an element creation: its container)."""
        if self.target is not None:
            return self.target.eid
        if self.new_element is not None:
            return self.new_element.container
        raise ValueError(f"amendment {self.id} has neither a target nor a new element")

    def touched_eids(self) -> list[str]:
        """Every element the amendment changes (a move changes two)."""
        eids = [self.target_eid()]
        if self.destination is not None and self.destination.eid not in eids:
            eids.append(self.destination.eid)
        return eids


class Contribution(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: str = Field(description="document number, e.g. TDAG-19/12")
    meeting: str = ""
    date: str = ""
    language: str = "zh"
    sponsors: list[str] = Field(default_factory=list, description="member states (ISO3) or sector members")
    base: str = Field(description="the plan version it amends: a version ref or a bundled base name")
    title: Text = Field(default_factory=dict)
    introduction: list[Text] = Field(default_factory=list, description="the considerations (section I)")
    proposals: list[Text] = Field(default_factory=list, description="the proposals as stated (section II)")
    status: ContributionStatus = ContributionStatus.draft
    note: str = ""
    author_map: dict[str, str] = Field(
        default_factory=dict, description="Word author name -> member state (ISO3) or sector member"
    )
    amendments: list[Amendment] = Field(default_factory=list)


class Proposed(BaseModel):
    """An amendment as put to the meeting: with the contribution it comes from and its sponsor.

    Amendment ids are unique within one contribution only, so decisions, conflicts and
    provenance name an amendment by its :attr:`key`.
    """

    model_config = ConfigDict(frozen=True)

    contribution: str = Field(description="the contribution's document number (or another unique name)")
    amendment: Amendment
    sponsor: str = ""

    @property
    def key(self) -> str:
        return f"{self.contribution}/{self.amendment.id}"

    @property
    def label(self) -> str:
        """Who proposes it, for a reader: the amendment's sponsor, else the contribution's."""
        return self.amendment.sponsor or self.sponsor or self.contribution


def proposed_from(contribution: Contribution, name: str | None = None) -> list[Proposed]:
    """Every amendment of ``contribution`` as :class:`Proposed`, named by its document number."""
    doc = name or contribution.document or "contribution"
    sponsor = ", ".join(contribution.sponsors)
    return [Proposed(contribution=doc, amendment=am, sponsor=sponsor) for am in contribution.amendments]
