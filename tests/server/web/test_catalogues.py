"""The message catalogues: every UI string translated, and the compiled .mo files current."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[3] / "actionplan" / "server" / "locale"
LANGUAGES = ["zh_Hans", "en"]


def read_po(path: Path) -> dict[str, tuple[str, list[str]]]:
    """msgid -> (msgid_plural or "", msgstr forms), from a .po file (enough of the format for ours)."""
    entries: dict[str, tuple[str, list[str]]] = {}
    for chunk in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        fields: dict[str, str] = {}
        key = ""
        for line in chunk.splitlines():
            m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) (".*")$', line)
            if m:
                key = m[1]
                fields[key] = ast.literal_eval(m[2])
            elif line.startswith('"') and key:
                fields[key] += ast.literal_eval(line)
        if fields.get("msgid"):
            forms = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entries[fields["msgid"]] = (fields.get("msgid_plural", ""), forms)
    return entries


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language: str) -> None:
    po = read_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(po) > 100
    untranslated = [msgid for msgid, (_plural, forms) in po.items() if not all(forms)]
    assert not untranslated, untranslated[:10]


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language: str) -> None:
    """The .mo was compiled from the current .po (run compilemessages after editing)."""
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as f:
        mo = gettext.GNUTranslations(f)
    for msgid, (plural, forms) in read_po(folder / "django.po").items():
        if plural:
            assert mo.ngettext(msgid, plural, 5) == forms[-1], msgid
        else:
            assert mo.gettext(msgid) == forms[0], msgid


def test_chinese_catalogue_uses_the_same_placeholders() -> None:
    """A translation keeps every %(name)s of its message, or Django fails at render time."""
    for msgid, (plural, forms) in read_po(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po").items():
        wanted = set(re.findall(r"%\((\w+)\)s", msgid + plural))
        for form in forms:
            assert set(re.findall(r"%\((\w+)\)s", form)) == wanted, msgid
