"""Full-text search over a stored version, in Chinese and English, on SQLite and PostgreSQL.

Chinese has no spaces between words, so word-based full-text engines (SQLite FTS5's
default tokenizer, PostgreSQL's ``to_tsvector('simple')``) would not find 跨多国陆缆
inside a sentence. The search is therefore a case-insensitive substring match over the
indexed ``Element`` texts (``icontains``, which both databases run the same way), every
word of the query required. Plans have a few thousand elements, so this stays fast; the
web benchmark measures it.

Each hit carries the path from the plan's top to the element (objective > output >
project > item) and a snippet with the matches wrapped in ``<mark>`` (HTML-escaped).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from django.db.models import Q

from actionplan.errors import ValidationError
from actionplan.model import Block, Node, Objective, Output, Plan, text_of
from actionplan.server.store import models

MAX_QUERY = 200
SNIPPET_CONTEXT = 40


@dataclass(frozen=True)
class SearchHit:
    eid: str
    kind: str
    number: str
    path: list[tuple[str, str]]
    """(eid, label) from the top of the plan down to the element itself"""
    snippet_html: str
    lang: str


@dataclass
class SearchResults:
    query: str
    total: int
    hits: list[SearchHit] = field(default_factory=list)


def terms_of(query: str) -> list[str]:
    """The words of a query (split on spaces; a Chinese phrase is one term)."""
    query = query.strip()
    if "\x00" in query:
        raise ValidationError("query contains a NUL character", where="q", expected="text")
    if len(query) > MAX_QUERY:
        raise ValidationError(f"query is {len(query)} characters long", where="q", expected=f"at most {MAX_QUERY}")
    return [t for t in query.split() if t]


def search_version(
    version: models.PlanVersion, plan: Plan, query: str, *, lang: str = "zh", limit: int = 50, offset: int = 0
) -> SearchResults:
    """Elements of ``version`` whose text (any language) contains every term of ``query``."""
    terms = terms_of(query)
    if not terms:
        return SearchResults(query=query, total=0)
    condition = Q()
    for term in terms:
        condition &= Q(text_zh__icontains=term) | Q(text_en__icontains=term)
    rows = models.Element.objects.filter(version=version).filter(condition).order_by("ordinal")
    total = rows.count()
    nodes = {n.eid: n for n in plan.walk()}
    hits = [_hit(row, nodes, terms, lang) for row in rows[offset : offset + limit]]
    return SearchResults(query=query, total=total, hits=hits)


def _hit(row: models.Element, nodes: dict[str, Node], terms: list[str], lang: str) -> SearchHit:
    texts = [(lang, row.text_zh if lang == "zh" else row.text_en), ("zh", row.text_zh), ("en", row.text_en)]
    hit_lang, text = next(((code, t) for code, t in texts if t and _matches(t, terms)), ("zh", row.text_zh))
    return SearchHit(
        eid=row.eid,
        kind=row.kind,
        number=row.number,
        path=path_of(row.eid, nodes, lang),
        snippet_html=snippet(text, terms),
        lang=hit_lang,
    )


def _matches(text: str, terms: list[str]) -> bool:
    low = text.lower()
    return any(t.lower() in low for t in terms)


def snippet(text: str, terms: list[str], context: int = SNIPPET_CONTEXT) -> str:
    """The text around the first match, escaped, every match wrapped in ``<mark>``."""
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    first = pattern.search(text)
    start = max(0, first.start() - context) if first else 0
    end = min(len(text), (first.end() if first else 0) + context * 2)
    window = text[start:end]
    out, pos = [], 0
    for m in pattern.finditer(window):
        out += [html.escape(window[pos : m.start()]), f"<mark>{html.escape(m.group(0))}</mark>"]
        pos = m.end()
    out.append(html.escape(window[pos:]))
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")


def path_of(eid: str, nodes: dict[str, Node], lang: str = "zh") -> list[tuple[str, str]]:
    """(eid, label) for each ancestor of ``eid`` that is an element, and the element itself."""
    parts = eid.split("__")
    path = []
    for k in range(1, len(parts) + 1):
        prefix = "__".join(parts[:k])
        node = nodes.get(prefix)
        if node is not None:
            path.append((prefix, label_of(node, lang)))
    return path


def label_of(node: Node, lang: str = "zh") -> str:
    """A short name for a path: 'Objective 2', 'Output 2.1', a project's title, 'item 3'."""
    en = lang == "en"
    if isinstance(node, Objective):
        return f"Objective {node.number}" if en else f"部门目标{node.number}"
    if isinstance(node, Output):
        return f"Output {node.number}" if en else f"输出成果{node.number}"
    if isinstance(node, Block):
        n = node.eid.rsplit("_", 1)[-1]
        if node.kind == "item":
            return f"item {n}" if en else f"第{n}项"
        return f"paragraph {n}" if en else f"第{n}段"
    number = getattr(node, "number", None)
    title = getattr(node, "title", None) or getattr(node, "heading", None) or getattr(node, "label", None)
    name = text_of(title, lang) if isinstance(title, dict) else ""
    if number and not name:
        return str(number)
    return _short(name) or node.eid.rsplit("__", 1)[-1]


def _short(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
