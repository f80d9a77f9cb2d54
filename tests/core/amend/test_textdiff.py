"""Word-level diffs of plan texts (:mod:`actionplan.amend.textdiff`).

Expected values are written out by hand or cut from the source text with ``str`` methods,
never taken from what the diff printed. The round-trip properties run over every pair of
consecutive non-empty lines of the source (Chinese) and of the English test plans.
"""

from __future__ import annotations

import difflib
import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from actionplan.amend import textdiff
from actionplan.amend.textdiff import Op, diff_words, ops_to_html, similarity, tokens, user_dictionary

REPO = Path(__file__).resolve().parents[3]
PLANS = REPO / "tests" / "fixtures" / "plans"

# The bullet of output 2.1 that the source's first proposal wrote in.
CABLE_SENTENCE_START = "•	推动国际公约的建立"


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _rebuild(ops: list[Op], keep: str) -> str:
    return "".join(op.text for op in ops if op.kind in ("equal", keep))


def _assert_well_formed(ops: list[Op], old: str, new: str) -> None:
    assert _rebuild(ops, "delete") == old
    assert _rebuild(ops, "insert") == new
    assert all(op.text for op in ops), "no empty ops"
    assert all(a.kind != b.kind for a, b in itertools.pairwise(ops)), "same-kind neighbours are merged"


@pytest.fixture(scope="module")
def cable_sentence(seed_text: str) -> str:
    return next(line for line in seed_text.splitlines() if line.startswith(CABLE_SENTENCE_START))


# -- the user dictionary ----------------------------------------------------------------


def test_dictionary_has_no_comments_or_spaces_in_terms() -> None:
    """Comment lines are dropped before jieba sees them, and every entry is 'term freq tag'."""
    entries = user_dictionary()
    assert 80 <= len(entries) <= 150
    terms = [term for term, _, _ in entries]
    assert not any(term.startswith("#") for term in terms)
    assert len(set(terms)) == len(terms), "no duplicate terms"
    assert all(freq is not None and freq > 0 and tag for _, freq, tag in entries)
    assert {"电信发展局", "跨多国陆缆", "可持续发展目标", "ITU-D", "信息无障碍"} <= set(terms)


def test_every_dictionary_term_is_one_token() -> None:
    """A term from the user dictionary, on its own, is never split."""
    split = {term: tokens(term, "zh") for term, _, _ in user_dictionary() if tokens(term, "zh") != [term]}
    assert split == {}


def test_dictionary_does_not_leak_into_jiebas_global_tokenizer() -> None:
    """Our terms live in our own tokenizer: jieba's default one still splits them."""
    import jieba

    tokens("电信发展局", "zh")  # make sure ours is loaded
    assert "跨多国陆缆" not in list(jieba.dt.cut("跨多国陆缆"))  # jieba.dt is jieba's global tokenizer
    assert textdiff._TOKENIZER is not jieba.dt


def test_first_use_prints_nothing() -> None:
    """jieba's 'Building prefix dict...' chatter on stderr is silenced (a fresh process, so
    the dictionary is really loaded), and importing the module loads nothing yet."""
    code = (
        "from actionplan.amend import textdiff\n"
        "assert not textdiff._READY\n"
        "assert textdiff.tokens('电信发展局', 'zh') == ['电信发展局']\n"
        "assert textdiff._READY\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False)
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")


# -- tokens -----------------------------------------------------------------------------


def test_zh_segmentation_keeps_dictionary_terms_whole(cable_sentence: str) -> None:
    """跨多国陆缆 appears twice in the bullet and is one token both times."""
    assert cable_sentence.count("跨多国陆缆") == 2
    assert tokens(cable_sentence, "zh").count("跨多国陆缆") == 2


def test_zh_segmentation_keeps_bureau_and_abbreviations_whole(seed_text: str) -> None:
    """In the introduction, 电信发展局 and ITU-D come out whole, brackets on their own."""
    line = next(ln for ln in seed_text.splitlines() if ln.startswith("ITU-D和电信发展局（BDT）将为知识转让"))
    words = tokens(line, "zh")
    assert words[:5] == ["ITU-D", "和", "电信发展局", "（", "BDT"]


def test_zh_segmentation_without_the_dictionary_would_split_the_terms() -> None:
    """The reason for the user dictionary: jieba's main dictionary alone cuts these terms."""
    import jieba

    plain = jieba.Tokenizer()
    assert list(plain.cut("电信发展局")) != ["电信发展局"]
    assert list(plain.cut("跨多国陆缆")) != ["跨多国陆缆"]
    assert tokens("电信发展局", "zh") == ["电信发展局"]


def test_zh_tokens_keep_spaces_punctuation_and_ascii_words() -> None:
    text = "ITU-D 2018-2021年  LDCs，\tC&I。"
    words = tokens(text, "zh")
    assert "".join(words) == text
    assert "  " in words and "\t" in words and "，" in words and "。" in words
    assert "ITU-D" in words and "LDCs" in words and "C&I" in words


def test_zh_language_variants_use_jieba() -> None:
    assert tokens("电信发展局", "zh-Hans") == tokens("电信发展局", "zh_CN") == ["电信发展局"]


def test_en_tokens_are_words_spaces_and_marks() -> None:
    assert tokens("ITU-D's  plan, 2018.", "en") == ["ITU", "-", "D", "'", "s", "  ", "plan", ",", " ", "2018", "."]


def test_tokens_of_the_empty_string_are_empty() -> None:
    assert tokens("", "zh") == [] and tokens("", "en") == []


def test_tokens_are_lossless_on_every_source_line(seed_text: str) -> None:
    lines = seed_text.splitlines()
    assert [line for line in lines if "".join(tokens(line, "zh")) != line] == []
    assert "".join(tokens(seed_text, "zh")) == seed_text


# -- diff_words -------------------------------------------------------------------------


def test_one_changed_term_in_the_proposal_is_marked_alone(cable_sentence: str) -> None:
    """Replacing 国际陆缆 with 跨境光缆 gives delete + insert of exactly those words."""
    old_word, new_word = "国际陆缆", "跨境光缆"
    at = cable_sentence.index(old_word)
    new = cable_sentence[:at] + new_word + cable_sentence[at + len(old_word) :]
    assert diff_words(cable_sentence, new, "zh") == [
        Op("equal", cable_sentence[:at]),
        Op("delete", old_word),
        Op("insert", new_word),
        Op("equal", cable_sentence[at + len(old_word) :]),
    ]


def test_proposal_one_words_not_characters(seed_text: str) -> None:
    """Proposal 1 names '跨多国陆地光缆'; changing it to '跨多国陆缆' deletes and inserts whole terms
    rather than the characters '地光' alone."""
    line = next(ln for ln in seed_text.splitlines() if ln.startswith("1、") and "跨多国陆地光缆" in ln)
    new = line.replace("跨多国陆地光缆", "跨多国陆缆")
    changes = [op for op in diff_words(line, new, "zh") if op.kind != "equal"]
    assert changes == [Op("delete", "跨多国陆地光缆"), Op("insert", "跨多国陆缆")]


def test_pure_insertion_and_deletion() -> None:
    old = "增加推动视频业务应用的内容。"
    new = "增加推动视频业务和信息无障碍应用的内容。"
    assert diff_words(old, new, "zh") == [
        Op("equal", "增加推动视频业务"),
        Op("insert", "和信息无障碍"),
        Op("equal", "应用的内容。"),
    ]
    assert diff_words(new, old, "zh") == [
        Op("equal", "增加推动视频业务"),
        Op("delete", "和信息无障碍"),
        Op("equal", "应用的内容。"),
    ]


def test_english_word_diff() -> None:
    old = "The World Telecommunication Development Conference, held every four years, is a platform."
    new = "The World Telecommunication Development Conference, held every five years, is a high-level platform."
    assert diff_words(old, new, "en") == [
        Op("equal", "The World Telecommunication Development Conference, held every "),
        Op("delete", "four"),
        Op("insert", "five"),
        Op("equal", " years, is a "),
        Op("insert", "high-level "),
        Op("equal", "platform."),
    ]


def test_english_diff_never_splits_a_word() -> None:
    """'Member' -> 'Members' replaces the word, not an appended 's'."""
    assert diff_words("Member States", "Members States", "en") == [
        Op("delete", "Member"),
        Op("insert", "Members"),
        Op("equal", " States"),
    ]


def test_diff_of_empty_strings() -> None:
    assert diff_words("", "", "zh") == []
    assert diff_words("", "电信发展局", "zh") == [Op("insert", "电信发展局")]
    assert diff_words("plan", "", "en") == [Op("delete", "plan")]


def test_diff_of_equal_texts_is_one_equal_op(cable_sentence: str) -> None:
    assert diff_words(cable_sentence, cable_sentence, "zh") == [Op("equal", cable_sentence)]


def test_round_trip_over_consecutive_source_lines(seed_text: str) -> None:
    """For every pair of consecutive non-empty lines, equal+delete rebuilds the first and
    equal+insert the second, with no empty ops and no two neighbours of one kind."""
    lines = _lines(seed_text)
    pairs = list(itertools.pairwise(lines))
    assert len(pairs) > 500
    for old, new in pairs:
        _assert_well_formed(diff_words(old, new, "zh"), old, new)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_round_trip_over_the_english_test_plans(lang: str) -> None:
    """English lines, consecutive and aligned across the two English plans, both tokenisers."""
    mini = _lines((PLANS / "mini_en.txt").read_text("utf-8"))
    clean = _lines((PLANS / "clean_en.txt").read_text("utf-8"))
    aligned = [
        (mini[i], clean[j])
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, mini, clean, autojunk=False).get_opcodes()
        if tag == "replace"
        for i, j in zip(range(i1, i2), range(j1, j2), strict=False)
    ]
    assert aligned, "the two plans differ in some lines"
    for old, new in [*itertools.pairwise(mini), *aligned]:
        _assert_well_formed(diff_words(old, new, lang), old, new)


# -- ops_to_html ------------------------------------------------------------------------


def test_html_marks_insertions_and_deletions() -> None:
    ops = [Op("equal", "推动"), Op("delete", "陆地光缆"), Op("insert", "跨多国陆缆"), Op("equal", "网络")]
    assert ops_to_html(ops) == "推动<del>陆地光缆</del><ins>跨多国陆缆</ins>网络"


def test_html_escapes_text_in_every_op() -> None:
    ops = [Op("equal", 'a <b> & "c"'), Op("delete", "<script>"), Op("insert", "C&I")]
    assert ops_to_html(ops) == "a &lt;b&gt; &amp; &quot;c&quot;<del>&lt;script&gt;</del><ins>C&amp;I</ins>"


def test_html_of_no_ops_is_empty() -> None:
    assert ops_to_html([]) == ""
    assert ops_to_html(diff_words("", "", "en")) == ""


# -- similarity -------------------------------------------------------------------------


def test_similarity_bounds() -> None:
    assert similarity("", "", "zh") == 1.0
    assert similarity("电信发展局", "电信发展局", "zh") == 1.0
    assert similarity("电信发展局", "", "zh") == 0.0
    assert similarity("a b", "c d", "en") == pytest.approx(2 * 1 / 6)  # only the space matches: 2M/T


def test_similarity_orders_amendments_by_how_far_they_depart(cable_sentence: str) -> None:
    """A one-word change is closer to the text than a rewrite of half of it."""
    one_word = cable_sentence.replace("国际陆缆", "跨境光缆", 1)
    half = cable_sentence[: len(cable_sentence) // 2] + "删除其余内容。"
    ranked = sorted([one_word, half], key=lambda text: similarity(cable_sentence, text, "zh"))
    assert ranked == [half, one_word]
    assert 0.0 < similarity(cable_sentence, half, "zh") < similarity(cable_sentence, one_word, "zh") < 1.0


def test_similarity_counts_tokens_not_characters() -> None:
    """'Member' vs 'Members' share no token: ratio = 2*matches/total tokens = 2*2/6."""
    assert similarity("Member States", "Members States", "en") == pytest.approx(4 / 6)
