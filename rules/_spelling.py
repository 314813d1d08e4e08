"""Offline spelling: pyspellchecker's English word list, British spellings, and a careful choice of words.

pyspellchecker (MIT) ships an English word-frequency list of about 160,000 words in American spelling. Health
pages are written in both spellings, so a word is also accepted when its American form is known (tumour,
organisation, oesophagus, centre, programme). Precision comes first: the checker only looks at ordinary
lower-case words (a capitalised word inside a sentence is a name, an all-capitals one an abbreviation), and
skips words with digits or non-English letters (mojibake belongs to the encoding rules), web addresses and
e-mail addresses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spellchecker import SpellChecker

from lint.tokens import Sentence, Token
from rules._data import DATA, entries

MIN_LENGTH = 3
DISTANCE_2_MAX_LENGTH = 6  # edit distance 2 costs seconds on long words: only short ones get it
MAX_SUGGESTIONS = 5
FOREIGN_SHARE = 0.3  # a sentence with more unknown words than this is not English (or not prose): skipped
FOREIGN_MIN_WORDS = 4
# web and e-mail addresses, domain names and file names: their parts are not words
ADDRESS = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|"
                     r"edu|int|mil|info|io|co|uk|us|ca|au|nz|ie|eu|html?|php|aspx?|pdf)\b", re.IGNORECASE)
CONTRACTION = re.compile(r"'(?:s|d|ll|re|ve|m|t)$|n't$|s'$")
# British -> American spellings, each applied on its own and all together
BRITISH = (
    (re.compile(r"our(?=s?$|ed$|ing$|ite|able|ful|less|ly$|er)"), "or"),
    (re.compile(r"is(?=e$|es$|ed$|ing$|ation|er$|ers$|able$)"), "iz"),
    (re.compile(r"ys(?=e$|es$|ed$|ing$|er$)"), "yz"),
    (re.compile(r"ae"), "e"),
    (re.compile(r"oe(?=[a-z])"), "e"),
    (re.compile(r"tre(?=s?$|d$)"), "ter"),
    (re.compile(r"ogue(?=s?$)"), "og"),
    (re.compile(r"ll(?=ed$|ing$|er$|ers$)"), "l"),
    (re.compile(r"ence(?=s?$)"), "ense"),
    (re.compile(r"amme(?=s?$)"), "am"),
)


@cache
def checker() -> SpellChecker:
    return SpellChecker(language="en", distance=1)


def american_forms(word: str) -> list[str]:
    forms = [pattern.sub(replacement, word) for pattern, replacement in BRITISH]
    together = word
    for pattern, replacement in BRITISH:
        together = pattern.sub(replacement, together)
    return [form for form in (*forms, together) if form != word]


def is_known(word: str) -> bool:
    """Whether the dictionary knows a lower-case word, its stem before a contraction, or its American form."""
    spell = checker()
    if word in spell:
        return True
    stems = {word, CONTRACTION.sub("", word)}
    return any(c in spell for c in stems) or any(form in spell for c in stems for form in american_forms(c))


# Latin and Greek plurals of medical words: "metaphyses", "alveoli", "bacteria", "ganglia", "vertebrae", "appendices"
_LATIN_PLURALS = (("ses", "sis"), ("xes", "xis"), ("i", "us"), ("a", "um"), ("a", "on"), ("ae", "a"), ("ices", "ix"),
                  ("ices", "ex"))
_SIBILANT_ENDS = ("s", "x", "z", "ch", "sh")


def plural_bases(word: str) -> list[str]:
    """The singulars a lower-case word may be the regular plural (or third person) of: "erosions" -> "erosion",
    "attaches" -> "attach", "therapies" -> "therapy", "metaphyses" -> "metaphysis". pyspellchecker's list lacks
    many such forms of words it knows. Not the slips: "bodys" (a consonant and y take -ies), "researchs" (a
    sibilant takes -es), and those of rules/data/grammar/not-plural-bases.txt ("childs", "thats")."""
    bases = []
    if word.endswith("ies"):
        bases.append(word[:-3] + "y")
    elif word.endswith("es") and word[:-2].endswith((*_SIBILANT_ENDS, "o")):
        bases.append(word[:-2])
    elif (word.endswith("s") and not word.endswith(("ss", "us", "is")) and not word[:-1].endswith(_SIBILANT_ENDS)
          and not (word.endswith("ys") and word[-3:-2] not in ("a", "e", "i", "o", "u"))):
        bases.append(word[:-1])
    bases += [word[: -len(plural)] + singular for plural, singular in _LATIN_PLURALS
              if word.endswith(plural) and len(word) > len(plural) + 3]
    return [base for base in bases if base not in _not_plural_bases()]


@cache
def _not_plural_bases() -> frozenset[str]:
    return frozenset(entries(DATA / "grammar" / "not-plural-bases.txt"))


def suggestions(word: str) -> list[str]:
    """Known words one edit away (two for short words), most frequent first; but first the word with the
    apostrophe it lost ("youre" -> "you're", not "your"; "childs" -> "child's")."""
    spell = checker()
    found = spell.known(spell.edit_distance_1(word))
    if not found and len(word) <= DISTANCE_2_MAX_LENGTH:
        found = spell.known(spell.edit_distance_2(word))
    apostrophe = [form for form in (f"{word[:-2]}'{word[-2:]}", f"{word[:-1]}'{word[-1:]}") if form in spell]
    ranked = sorted(found - set(apostrophe), key=lambda w: (-(spell.word_usage_frequency(w) or 0), w))
    return [*apostrophe, *ranked][:MAX_SUGGESTIONS]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A word worth checking: where it is in its prose field, and the form to look up."""

    token: Token
    lookup: str
    whole: str  # the whole word, when the token is one part of a hyphenated word


def candidates(sentence: Sentence, addresses: list[tuple[int, int]]) -> list[Candidate]:
    """The words of a sentence that a dictionary can judge, each part of a hyphenated word on its own."""
    found: list[Candidate] = []
    words = sentence.words
    # A capital that starts a sentence of running text ("Recieve the ...") is checked; one that starts a
    # title ("Bone Marrow Necrosis") or a citation ("Paydas S, Ergin M") is likely a name.
    prose_start = len(words) > 1 and words[1].text[0].islower()
    for position, token in enumerate(words):
        if any(start <= token.start < end for start, end in addresses):
            continue
        offset = token.start
        for part in token.text.split("-"):
            piece = Token(part, offset, offset + len(part))
            offset += len(part) + 1
            lookup = _lookup_form(part, first=prose_start and position == 0 and piece.start == token.start)
            if lookup is not None:
                found.append(Candidate(piece, lookup, token.text))
    return found


def _lookup_form(word: str, first: bool) -> str | None:
    """The lower-case form to look up, or None for a word the dictionary cannot judge."""
    word = word.replace("’", "'").strip("'")
    if len(word) < MIN_LENGTH or not word.isascii() or not word.replace("'", "").isalpha():
        return None
    if word.islower():
        return word
    if first and word[0].isupper() and word[1:].islower():  # a capital that only starts the sentence
        return word.lower()
    return None  # a name, an abbreviation or a brand: not for a dictionary


def looks_foreign(unknown: int, checked: int) -> bool:
    """Whether so many of a sentence's words are unknown that it is another language, not a few typos."""
    return checked >= FOREIGN_MIN_WORDS and unknown > FOREIGN_SHARE * checked


def non_english_words(sentence: Sentence) -> int:
    """Words with letters English does not use (evidence of another language, or of mojibake)."""
    return sum(1 for token in sentence.words if not token.text.replace("’", "'").isascii())


def address_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in ADDRESS.finditer(text)]
