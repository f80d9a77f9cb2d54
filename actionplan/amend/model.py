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
    proposal: int | None = Field(default=None, description="which proposal of the contribution it serves")
    justification: Text = Field(default_factory=dict)
    status: AmendmentStatus = AmendmentStatus.pending
    parent: str | None = Field(default=None, description="the amendment this one amends")
    provenance: Provenance | None = None

    def target_eid(self) -> str:
        """The element the amendment changes (for an element creation: its container)."""
        if self.target is not None:
            return self.target.eid
        assert self.new_element is not None
        return self.new_element.container


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
    amendments: list[Amendment] = Field(default_factory=list)
