"""Word-level diffs of plan texts, the unit every redline and conflict view is built from.

Why words: a delegate proposes to change a term ("陆地光缆" -> "跨多国陆缆"), not a run of
characters, so a redline that marks half a word reads as noise. English splits on word
boundaries with a regular expression; Chinese has no spaces, so it is segmented with jieba
(precise mode) plus a user dictionary of ITU, ITU-D, WSIS and SDG terms, which keeps
"电信发展局" or "可持续发展目标" as one token instead of two or four.

Tokenising is lossless: joining the tokens gives the text back exactly (spaces, tabs and
punctuation are tokens too). That is what lets :func:`diff_words` promise that the equal and
deleted pieces rebuild the old text and the equal and inserted pieces rebuild the new one,
so a redline can always be accepted or rejected back to a real text.

The user dictionary (``dictionary.txt`` beside this module, jieba's ``term freq tag``
format, ``#`` comment lines) was compiled by hand from the plan source
(``shared/seeds/000_570177f1d6adc2ee.txt``: the Chinese Buenos Aires action plan with four
proposals written in) and from the Chinese titles of the SDGs and the WSIS action lines.
It is loaded into a :class:`jieba.Tokenizer` of our own, not jieba's global one, so other
users of jieba in the same process do not see our terms, and only on first use, because
loading jieba's main dictionary takes about a second.
"""

from __future__ import annotations

import difflib
import html
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import jieba

__all__ = ["Op", "OpKind", "diff_words", "ops_to_html", "similarity", "tokens", "user_dictionary"]

jieba.setLogLevel(logging.WARNING)  # silence "Building prefix dict..." on stderr

OpKind = Literal["equal", "insert", "delete"]

_EN_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_SPACE = re.compile(r"\s+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")

_TOKENIZER = jieba.Tokenizer()
_READY = False
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Op:
    """One piece of a diff: text kept (``equal``), added (``insert``) or removed (``delete``)."""

    kind: OpKind
    text: str


def user_dictionary() -> list[tuple[str, int | None, str | None]]:
    """The user dictionary's entries as ``(term, freq, tag)``, comment and blank lines dropped.

    jieba's own loader (``load_userdict``) would add a ``#`` line as a term (checked with
    jieba 0.42.1: "# ITU terms here" becomes the word "# ITU terms"), so the file is parsed here.
    """
    text = resources.files(__package__ or "actionplan.amend").joinpath("dictionary.txt").read_text("utf-8")
    entries: list[tuple[str, int | None, str | None]] = []
    for line in text.splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        term = parts[0]
        freq = int(parts[1]) if len(parts) > 1 else None
        tag = parts[2] if len(parts) > 2 else None
        entries.append((term, freq, tag))
    return entries


def _tokenizer() -> jieba.Tokenizer:
    """Our jieba tokenizer, with its main and user dictionaries loaded on the first call."""
    global _READY
    if not _READY:
        with _LOCK:
            if not _READY:
                _TOKENIZER.initialize()
                for term, freq, tag in user_dictionary():
                    _TOKENIZER.add_word(term, freq, tag)
                _READY = True
    return _TOKENIZER


def _is_zh(lang: str) -> bool:
    return lang.lower().split("-")[0].split("_")[0] == "zh"


def tokens(text: str, lang: str) -> list[str]:
    """Split ``text`` into words, whitespace runs and punctuation marks; ``"".join`` gives it back.

    ``zh`` (and ``zh-Hans``, ``zh_CN``...) is segmented by jieba in precise mode with the user
    dictionary; every other language by the regex ``\\w+|\\s+|[^\\w\\s]``. jieba yields each
    whitespace character on its own and may cut an ASCII word after a dictionary abbreviation
    ("LDC" + "s"); both are merged back so the two languages tokenise ASCII text alike.
    """
    if not text:
        return []
    if not _is_zh(lang):
        return _EN_TOKEN.findall(text)
    merged: list[str] = []
    for piece in _tokenizer().cut(text, cut_all=False, HMM=True):
        if not piece:
            continue
        if merged and (
            (_SPACE.fullmatch(piece) and _SPACE.fullmatch(merged[-1]))
            or (_ASCII_WORD.fullmatch(piece) and _ASCII_WORD.fullmatch(merged[-1]))
        ):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def _matcher(a: list[str], b: list[str]) -> difflib.SequenceMatcher[str]:
    # autojunk off: in a long paragraph frequent tokens ("的", "，") would otherwise be
    # ignored as junk and the diff would jump across them.
    return difflib.SequenceMatcher(None, a, b, autojunk=False)


def diff_words(old: str, new: str, lang: str) -> list[Op]:
    """The word-level changes that turn ``old`` into ``new``.

    A replacement becomes a deletion followed by an insertion (the order a redline prints
    them in), and neighbouring ops of the same kind are merged, so there are never two
    ``equal``, ``insert`` or ``delete`` ops in a row. Joining the ``equal`` and ``delete``
    texts gives ``old``; joining the ``equal`` and ``insert`` texts gives ``new``.
    """
    a, b = tokens(old, lang), tokens(new, lang)
    ops: list[Op] = []

    def add(kind: OpKind, parts: list[str]) -> None:
        text = "".join(parts)
        if not text:
            return
        if ops and ops[-1].kind == kind:
            ops[-1] = Op(kind, ops[-1].text + text)
        else:
            ops.append(Op(kind, text))

    for tag, i1, i2, j1, j2 in _matcher(a, b).get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
        else:  # "replace", "delete" or "insert": the empty side adds nothing
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return ops


def ops_to_html(ops: Iterable[Op]) -> str:
    """The diff as HTML: insertions in ``<ins>``, deletions in ``<del>``, all text escaped.

    Escaping matters because plan texts carry ``<``, ``&`` and quotes ("C&I"), and a
    redline must never turn a proposal's text into markup.
    """
    out: list[str] = []
    for op in ops:
        text = html.escape(op.text)
        if op.kind == "insert":
            out.append(f"<ins>{text}</ins>")
        elif op.kind == "delete":
            out.append(f"<del>{text}</del>")
        else:
            out.append(text)
    return "".join(out)


def similarity(old: str, new: str, lang: str) -> float:
    """How much of the two texts' words are shared, from 0.0 (nothing) to 1.0 (identical).

    Conflicting amendments are considered in order of how far they depart from the text,
    furthest (lowest similarity) first; two empty texts count as identical.
    """
    return _matcher(tokens(old, lang), tokens(new, lang)).ratio()
