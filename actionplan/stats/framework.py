"""Composite-index frameworks as data: the YAML schema, its validation, and loading.

A framework is a tree. Leaves are indicators (codes from the statistics catalogue);
inner nodes (sub-indices, pillars, the index itself) aggregate their children with
weights. Everything a publication decides is a field here, so a variant of an index is
an edited file, not edited code. The schema is documented in
``actionplan/data/frameworks/SCHEMA.md`` and ``docs/frameworks.md``.

Validation collects every problem in the file and raises one
:class:`~actionplan.errors.ValidationError` whose message lists each as
``FILE: field.path: what is wrong``.

>>> fw = load_framework("idi-2017")
>>> fw.root, len(fw.indicators)
('idi', 11)
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from actionplan.errors import InputError, NotFoundError, ValidationError

FRAMEWORKS_DIR = Path(__file__).resolve().parents[1] / "data" / "frameworks"
CATALOGUE_DIR = Path(__file__).resolve().parents[1] / "data" / "stats" / "indicators"

Normalisation = Literal["none", "ratio", "goalposts", "zscore", "rank", "target"]
Imputation = Literal["none", "group_mean", "group_median", "latest", "hot_deck"]
Aggregation = Literal["arithmetic", "geometric", "harmonic"]
AGGREGATIONS: tuple[str, ...] = ("arithmetic", "geometric", "harmonic")

#: Weights must sum to 1 within this tolerance when exact.
EXACT_TOLERANCE = 1e-6
#: Rounded (published) weights may miss 1 by this much (three printed 0.33 sum to 0.99).
PUBLISHED_TOLERANCE = 0.02

#: Indicator codes agreed with the statistics catalogue (used when the catalogue is absent).
KNOWN_CODES: frozenset[str] = frozenset(
    {
        # IDI 2017
        "fixed_telephone_per100",
        "mobile_cellular_per100",
        "intl_bandwidth_per_user",
        "households_computer_pct",
        "households_internet_pct",
        "internet_users_pct",
        "fixed_broadband_per100",
        "mobile_broadband_per100",
        "mean_years_schooling",
        "secondary_gross_enrolment",
        "tertiary_gross_enrolment",
        # IDI since 2023
        "pop_coverage_3g_pct",
        "pop_coverage_4g_pct",
        "mobile_traffic_per_sub",
        "fixed_traffic_per_sub",
        "price_mobile_data_voice_high_pct_gni",
        "price_fixed_broadband_pct_gni",
        "mobile_phone_owners_pct",
        # price-basket inputs and outputs
        "gni_per_capita_usd",
        "price_fixed_telephone_usd",
        "price_mobile_cellular_usd",
        "price_fixed_broadband_usd",
        "price_mobile_data_usd",
        "price_mobile_data_voice_high_usd",
    }
)


RESERVED_COLUMNS = frozenset({"economy", "score", "rank", "data_coverage", "excluded"})
"""Columns every result row has beside the node values (``IndexResult.rows``): no node may take these ids."""

def parse_weight(value: Any) -> float:
    """A weight from YAML: a number, or an exact fraction written as a string (``"1/3"``)."""
    if isinstance(value, bool):
        raise ValueError("a weight is a number or a fraction such as '1/3'")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(Fraction(value.replace(" ", "")))
        except (ValueError, ZeroDivisionError):
            pass
    raise ValueError(f"{value!r} is not a number or a fraction such as '1/3'")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Transform(_Strict):
    """Treatment of the raw value before normalisation, applied in this order.

    ``cap_min``/``cap_max`` clip the value; ``log10`` takes the base-10 logarithm (values
    <= 0 become missing); reference values and goalposts go through the same steps, so a
    reference is always written in the indicator's own unit.
    """

    cap_min: float | None = None
    cap_max: float | None = None
    log10: bool = False


class NormaliseSpec(_Strict):
    """How one indicator becomes comparable (see :mod:`actionplan.stats.normalise`).

    - ``ratio``: value / ``reference``, capped at 1 unless ``cap: false`` (IDI 2017).
    - ``goalposts``: (value - ``lower``) / (``upper`` - ``lower``), clipped to [0, 1].
    - ``zscore``: (value - mean) / standard deviation over the economies computed.
    - ``rank``: fractional rank in (0, 1]; ties share the average rank.
    - ``target``: (value - ``lower``) / (``target`` - ``lower``) capped at 1, where
      ``lower`` defaults to the minimum observed (distance to target).
    - ``none``: the (transformed) value itself.

    ``invert: true`` means lower raw values are better (prices): the direction flips.
    ``scale`` multiplies the normalised value (100 gives a 0-100 scale).
    """

    method: Normalisation = "ratio"
    reference: float | None = None
    lower: float | None = None
    upper: float | None = None
    target: float | None = None
    invert: bool = False
    cap: bool = True
    scale: float = 1.0


class ImputeSpec(_Strict):
    """Filling a missing value (see :mod:`actionplan.stats.impute`).

    ``group_mean``/``group_median`` use economies of the same group (``group``: the name
    of a grouping passed with the data, e.g. ``region``; without one, all economies);
    ``latest`` takes the most recent earlier value at most ``max_age`` years old;
    ``hot_deck`` copies the value of the most similar economy (distance over the other
    indicators, standardised), among ``donors`` nearest averaged.
    """

    method: Imputation = "none"
    group: str | None = None
    max_age: int | None = None
    donors: int = 1


class IndicatorSpec(_Strict):
    """A leaf of the framework: one catalogue indicator and its treatment."""

    code: str
    name: str = ""
    transform: Transform = Field(default_factory=Transform)
    normalise: NormaliseSpec = Field(default_factory=NormaliseSpec)
    impute: ImputeSpec = Field(default_factory=ImputeSpec)
    note: str = ""


class NodeSpec(_Strict):
    """An aggregate: children (node ids or indicator codes) combined with weights.

    ``weights`` are the exact weights (numbers or fractions ``"1/3"``), summing to 1.
    ``published_weights`` are the rounded weights the publication prints (e.g. 0.33),
    used when the framework is computed with ``weights="published"``.
    ``min_coverage`` is the share of the children (by weight) that must be present for
    the node to get a value; missing children's weights are spread over the rest.
    ``scale`` multiplies the aggregate (10 turns a 0-1 index into 0-10).
    """

    id: str
    name: str = ""
    children: list[str]
    weights: dict[str, float] | None = None
    published_weights: dict[str, float] | None = None
    aggregation: Aggregation = "arithmetic"
    min_coverage: float = 0.0
    scale: float = 1.0

    @field_validator("weights", "published_weights", mode="before")
    @classmethod
    def _fractions(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: parse_weight(v) for k, v in value.items()}
        return value

    def weight_of(self, child: str, published: bool = False) -> float:
        table = self.published_weights if published and self.published_weights else self.weights
        if table is None:
            return 1.0 / len(self.children)
        return table[child]


class Ranking(_Strict):
    """How the publication prints and ranks scores.

    ``decimals``: digits printed. ``ties``: ``rounded`` (equal printed scores share the
    lowest rank and the next rank skips: 1, 2, 2, 4) or ``unrounded`` (ties broken on the
    full-precision score, as ITU did in the 2017 table).
    """

    decimals: int = 2
    ties: Literal["rounded", "unrounded"] = "rounded"


class Framework(_Strict):
    """A whole composite index: metadata, the tree, and how results are published."""

    id: str
    name: str
    edition: str = ""
    source: str = ""
    description: str = ""
    root: str
    nodes: list[NodeSpec]
    indicators: list[IndicatorSpec]
    min_coverage: float = 0.0
    ranking: Ranking = Field(default_factory=Ranking)
    path: str = ""

    def node(self, node_id: str) -> NodeSpec:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise NotFoundError(f"no node {node_id!r}", where=self.id)

    def indicator(self, code: str) -> IndicatorSpec:
        for i in self.indicators:
            if i.code == code:
                return i
        raise NotFoundError(f"no indicator {code!r}", where=self.id)

    @property
    def indicator_codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    def leaves_under(self, node_id: str) -> list[str]:
        """Indicator codes below a node, depth-first in the order written."""
        codes = set(self.indicator_codes)
        if node_id in codes:
            return [node_id]
        found: list[str] = []
        for child in self.node(node_id).children:
            found.extend(self.leaves_under(child))
        return found


# -- validation ------------------------------------------------------------------------


def _catalogue_codes() -> frozenset[str]:
    """Codes in the statistics catalogue, plus the agreed list when it is not there yet."""
    codes = set(KNOWN_CODES)
    for path in sorted(CATALOGUE_DIR.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        entries = data.get("indicators", data) if isinstance(data, dict) else data
        if isinstance(entries, list):
            codes.update(str(e["code"]) for e in entries if isinstance(e, dict) and "code" in e)
        elif isinstance(entries, dict):
            codes.update(str(k) for k in entries)
    return frozenset(codes)


def check_framework(fw: Framework, known_codes: frozenset[str] | None = None) -> list[str]:
    """Every rule the framework breaks, as ``field.path: message`` strings (empty: valid)."""
    known = _catalogue_codes() if known_codes is None else known_codes
    problems: list[str] = []
    node_ids = [n.id for n in fw.nodes]
    codes = fw.indicator_codes
    for i, code in enumerate(codes):
        where = f"indicators[{i}]"
        if code not in known:
            problems.append(f"{where}.code: unknown indicator code {code!r} (not in the statistics catalogue)")
        if codes.index(code) != i:
            problems.append(f"{where}.code: duplicate indicator {code!r}")
        spec = fw.indicators[i]
        norm = spec.normalise
        if norm.method == "ratio" and norm.reference is None:
            problems.append(f"{where}.normalise.reference: method 'ratio' needs a reference value")
        if norm.method == "ratio" and norm.reference is not None and norm.reference <= 0:
            problems.append(f"{where}.normalise.reference: must be positive")
        if norm.method == "goalposts":
            if norm.lower is None or norm.upper is None:
                problems.append(f"{where}.normalise: method 'goalposts' needs both lower and upper goalposts")
            elif norm.lower >= norm.upper:
                problems.append(f"{where}.normalise: lower goalpost {norm.lower} must be below upper {norm.upper}")
        if norm.method == "target" and norm.target is None:
            problems.append(f"{where}.normalise.target: method 'target' needs a target value")
        t = spec.transform
        if t.cap_min is not None and t.cap_max is not None and t.cap_min > t.cap_max:
            problems.append(f"{where}.transform: cap_min above cap_max")
        if spec.impute.method == "latest" and spec.impute.max_age is not None and spec.impute.max_age < 0:
            problems.append(f"{where}.impute.max_age: must be 0 or more")
        if spec.impute.donors < 1:
            problems.append(f"{where}.impute.donors: must be 1 or more")
    for i, nid in enumerate(node_ids):
        if nid in codes:
            problems.append(f"nodes[{i}].id: {nid!r} is both a node and an indicator")
        if nid in RESERVED_COLUMNS:
            problems.append(f"nodes[{i}].id: {nid!r} is a column of every result table; choose another id")
        if node_ids.index(nid) != i:
            problems.append(f"nodes[{i}].id: duplicate node {nid!r}")
    if fw.root not in node_ids:
        problems.append(f"root: {fw.root!r} is not a node")
    parent_of: dict[str, str] = {}
    for i, node in enumerate(fw.nodes):
        where = f"nodes[{i}]"
        if not node.children:
            problems.append(f"{where}.children: a node needs at least one child")
        for j, child in enumerate(node.children):
            if child not in node_ids and child not in codes:
                problems.append(f"{where}.children[{j}]: {child!r} is neither a node nor an indicator of the framework")
            if child in parent_of:
                problems.append(f"{where}.children[{j}]: {child!r} already belongs to {parent_of[child]!r}")
            parent_of.setdefault(child, node.id)
        for field, table, tol in (
            ("weights", node.weights, EXACT_TOLERANCE),
            ("published_weights", node.published_weights, PUBLISHED_TOLERANCE),
        ):
            if table is None:
                continue
            if set(table) != set(node.children):
                missing = sorted(set(node.children) - set(table))
                extra = sorted(set(table) - set(node.children))
                problems.append(f"{where}.{field}: keys must be the children (missing {missing}, extra {extra})")
                continue
            if any(w < 0 for w in table.values()):
                problems.append(f"{where}.{field}: weights must not be negative")
            total = sum(table.values())
            if abs(total - 1.0) > tol:
                problems.append(f"{where}.{field}: weights sum to {total:.6g}, not 1 (tolerance {tol:g})")
        if not 0.0 <= node.min_coverage <= 1.0:
            problems.append(f"{where}.min_coverage: must be between 0 and 1")
    # cycles and reachability
    children_of = {n.id: n.children for n in fw.nodes}
    state: dict[str, int] = {}

    def visit(nid: str, trail: list[str]) -> None:
        if state.get(nid) == 1:
            problems.append(f"nodes: cycle {' -> '.join([*trail, nid])}")
            return
        if state.get(nid) == 2:
            return
        state[nid] = 1
        for child in children_of.get(nid, []):
            if child in children_of:
                visit(child, [*trail, nid])
        state[nid] = 2

    for nid in node_ids:
        visit(nid, [])
    if fw.root in children_of and not any("cycle" in p for p in problems):
        reach: set[str] = set()
        stack = [fw.root]
        seen_nodes: set[str] = set()
        while stack:
            nid = stack.pop()
            seen_nodes.add(nid)
            for c in children_of.get(nid, []):
                if c in children_of and c not in seen_nodes:
                    stack.append(c)
                elif c not in children_of:
                    reach.add(c)
        for i, nid in enumerate(node_ids):
            if nid not in seen_nodes:
                problems.append(f"nodes[{i}]: {nid!r} is not reachable from the root {fw.root!r}")
        for i, code in enumerate(codes):
            if code not in reach:
                problems.append(f"indicators[{i}]: {code!r} is not a child of any node")
    if not 0.0 <= fw.min_coverage <= 1.0:
        problems.append("min_coverage: must be between 0 and 1")
    return problems


def _pydantic_problems(exc: Any) -> list[str]:
    out = []
    for e in exc.errors():
        loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e["loc"]).lstrip(".")
        out.append(f"{loc or '(top)'}: {e['msg']}")
    return out


def framework_from_dict(data: Any, where: str = "<framework>", known_codes: frozenset[str] | None = None) -> Framework:
    """Validate a parsed YAML mapping; raise one ValidationError listing every problem."""
    from pydantic import ValidationError as PydanticError

    if not isinstance(data, dict):
        raise ValidationError(
            "a framework is a YAML mapping", where=where, expected="id, name, root, nodes, indicators"
        )
    try:
        fw = Framework.model_validate({**data, "path": where})
    except PydanticError as exc:
        problems = _pydantic_problems(exc)
        raise ValidationError("; ".join(f"{where}: {p}" for p in problems), where=None, expected=None) from None
    problems = check_framework(fw, known_codes)
    if problems:
        raise ValidationError("; ".join(f"{where}: {p}" for p in problems))
    return fw


def load_framework(name_or_file: str | Path, known_codes: frozenset[str] | None = None) -> Framework:
    """A shipped framework by id (``idi-2017``, ``idi-2023``, ``gci``) or a YAML file path."""
    path = Path(name_or_file)
    if not path.suffix and not path.exists():
        path = FRAMEWORKS_DIR / f"{name_or_file}.yaml"
        if not path.exists():
            raise NotFoundError(
                f"no framework {str(name_or_file)!r}", where="--framework", expected=", ".join(shipped_frameworks())
            )
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read framework: {exc.strerror}", where=str(path)) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InputError("not valid YAML", where=where) from None
    return framework_from_dict(data, str(path), known_codes)


def shipped_frameworks() -> list[str]:
    """Ids of the frameworks bundled in ``actionplan/data/frameworks``."""
    return sorted(p.stem for p in FRAMEWORKS_DIR.glob("*.yaml"))


@cache
def shipped(name: str) -> Framework:
    """A shipped framework, parsed once per process."""
    return load_framework(name)


def framework_variant(fw: Framework, changes: dict[str, Any], known_codes: frozenset[str] | None = None) -> Framework:
    """A copy of ``fw`` with fields changed by path, validated like a file.

    Paths address nodes and indicators by id/code::

        framework_variant(fw, {
            "nodes.access.aggregation": "geometric",
            "nodes.idi.weights": {"access": 0.5, "use": 0.3, "skills": 0.2},
            "indicators.fixed_telephone_per100.normalise.reference": 50,
            "ranking.ties": "unrounded",
        })

    This is COINr's "edit one argument and regenerate": pass the variant to
    :func:`actionplan.stats.engine.compute` (or ``IndexResult.regen``).
    """
    data = fw.model_dump(mode="python", exclude={"path"})
    for path, value in changes.items():
        parts = path.split(".")
        target: Any = data
        i = 0
        while i < len(parts) - 1:
            key = parts[i]
            if key in ("nodes", "indicators") and target is data:
                ident = parts[i + 1]
                field = "id" if key == "nodes" else "code"
                found = [item for item in target[key] if item[field] == ident]
                if not found:
                    raise ValidationError(f"no {key[:-1]} {ident!r}", where=f"{fw.id}: {path}")
                target = found[0]
                i += 2
                continue
            if not isinstance(target, dict) or key not in target:
                raise ValidationError(f"no field {key!r}", where=f"{fw.id}: {path}")
            if target[key] is None:
                target[key] = {}
            target = target[key]
            i += 1
        target[parts[-1]] = value
    return framework_from_dict(data, f"{fw.path or fw.id} (variant)", known_codes)
