"""Garbled-paraphrase rules: "tortured phrases" left by article spinners, and whole spun documents.

An article spinner swaps words one by one for thesaurus neighbours and keeps the sentence shape, so
"central nervous system" becomes "focal sensory system". Detection runs the spinner backwards: a word
sequence of the text whose words are each either a word of a real term or a thesaurus neighbour of it, with at
least one swap, and which is not itself a real term, is a candidate. Candidates are scored by how many words
were swapped, how close the swaps are, how rare the spun words and how common the text n-gram are, and by
context (other candidates, the real term used nearby). A curated lexicon of known tortured phrases is
matched directly. The data (WordNet-derived thesaurus, terms, n-gram counts) is built by
``python -m bench.build_wordnet_index`` and committed under rules/data/paraphrase/.
"""

from __future__ import annotations

import bisect
import contextlib
import gzip
import hashlib
import itertools
import json
import math
import operator
import os
import re
import sys
import zlib
from array import array
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field

from lint.cache import ENGINE, code_digest
from lint.document import Document, ProseField
from lint.registry import register
from lint.rule import Category, CheckContext, Rule, Severity, Violation
from lint.tokens import Sentence, Token, sentences, word_texts, words_of
from rules._data import entries

DATA = Path(__file__).parent / "data" / "paraphrase"
END = "\0"  # trie key of a complete term; never a word
CLOSENESS = {"u": 0.0, "=": 1.0, "p": 0.9, "s": 0.9, "m": 0.75, "h": 0.5, "n": 0.5, "t": 0.3}
LOOSE = "hnt"  # relation codes of loose swaps: broader, narrower, two steps (see bench/build_wordnet_index.py)
BULK = ("wordnet", "health")  # term sources gathered in bulk: weaker targets than the curated ones
MAX_UNITS = 5
# what may start at a pair of neighbouring words (Detector._flags): bits, so that most pairs are one zero
PHRASE, WALK, LEXICON, HEAD, TAIL = 1, 2, 4, 8, 16
# Bounds of what the detector remembers between documents (Detector.trim), in entries: per word (of the
# detector, the thesaurus and the lemmatizer; ~340 bytes each), and per word pair and walk (~210 bytes each).
# Every new word (names, numbers, typos) and far more new pairs add some, so a long run's memory would grow with
# its text. Measured on 93,000 words of real health prose read from start-up (labelled clean prose of
# fixtures/paraphrase, one process): 3.9 ms per 1,000 words unbounded and at these bounds, 4.3 with pairs
# bounded at 30,000, 6.2 with words at 30,000 too: the words are worth keeping (at 50,000 word entries and
# 500,000 pair entries, the earlier bounds, a process forgot everything every 95 documents of bench.generate's
# corpus and spent twice the CPU, and could hold 120 MB; these hold at most 55 MB).
PAIR_MEMO = 100_000
WORD_MEMO = 100_000
LEXICON_CONFIDENCE = 0.95
DEFAULT_THRESHOLD = 0.75  # lowest confidence reported
WEAK_MARGIN = 0.2  # candidates this far below the threshold count towards the document verdict
SPUN_MARGIN = 0.3  # and this far below are reported inside a document that is spun as a whole
COMMON_MARGIN = -0.1  # a swap between common English words counts (in spun documents only) from threshold + this
# A candidate whose real term the document writes too is stronger, when written within this many words of it: an
# article's length. Every common term occurs somewhere in a very long page (a page of 91,000 words of clean health
# prose: 21 findings, 4 without the real term as evidence).
CONTEXT_WORDS = 1_000
# A long page is also judged passage by passage (a spun article inside other text): a run of evidence with gaps
# of at most PASSAGE_GAP words, as a document of its length and of at least PASSAGE_WORDS words. Spun text is dense
# with evidence (a piece every 20 words in the labelled spun articles), clean prose has some every few hundred
# words but closer in places: chosen on the dev split, each spun article read inside its 28,000-word page of
# clean prose (gaps of 80-150 words took in clean text beside it: 13-25 findings there, 50 none).
PASSAGE_GAP = 50
PASSAGE_WORDS = 500
RARE = 35  # Zipf x 10: words rarer than 3 per million are specific enough to anchor a term
COMMON = 45  # Zipf x 10: words more frequent than 30 per million
STEM_SUFFIXES = ("ation", "ition", "ment", "ness", "ing", "ion", "ity", "ive", "ed", "th", "al", "ic", "e")
INDEX_MAGIC = b"contentlint-paraphrase-index 1\n"
# bits of Thesaurus._flags, one byte per vocabulary word
LEMMA, ENTRY = 1, 2  # a one-word WordNet lemma; a multi-word WordNet entry
MIN_ENGLISH = 0.6  # share of known English words below which a document is not checked
NOUN_RULES = (("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
              ("ies", "y"), ("s", ""))
VERB_RULES = (("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""),
              ("s", ""))
ADJ_RULES = (("er", ""), ("est", ""), ("er", "e"), ("est", "e"))
BASE_RULES = (*NOUN_RULES, *VERB_RULES, *ADJ_RULES)  # in the order they are tried
BASE_SUFFIXES = tuple({suffix for suffix, _ in BASE_RULES})  # a word with none of them is its only base


# ---------------------------------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    phrase: str
    intended: str
    exact: bool = False


@dataclass(frozen=True, slots=True)
class Mark:
    kind: str  # "connective" or "heading"
    phrase: str
    weight: float
    meaning: str


def _data_lines(path: Path) -> Iterator[list[str]]:
    for line in entries(path):
        yield [part.strip() for part in line.split("\t")]


@cache
def read_terms(path: Path = DATA / "terms.txt") -> tuple[str, ...]:
    return tuple(parts[0] for parts in _data_lines(path))


@cache
def read_lexicon(path: Path = DATA / "lexicon.tsv") -> tuple[LexiconEntry, ...]:
    return tuple(LexiconEntry(p[0].lower(), p[1], len(p) > 2 and p[2] == "exact")
                 for p in _data_lines(path) if len(p) >= 2)


@cache
def read_swaps(path: Path = DATA / "swaps.tsv") -> tuple[tuple[str, str], ...]:
    return tuple((p[0].lower(), p[1].lower()) for p in _data_lines(path) if len(p) >= 2)


@cache
def read_marks(path: Path = DATA / "marks.tsv") -> tuple[Mark, ...]:
    return tuple(Mark(p[0], p[1].lower(), float(p[2]), p[3]) for p in _data_lines(path) if len(p) >= 4)


@cache
def function_words(path: Path = DATA / "function-words.txt") -> frozenset[str]:
    return frozenset(word for parts in _data_lines(path) for word in parts[0].split())


def normalize(word: str) -> str:
    return word.lower().replace("’", "'")


class Lemmatizer:
    """WordNet's morphy, reduced: a word's base form from the exception lists and the suffix rules.

    One key per word (the word itself when it is a lemma, else the first base form that is one), so that a
    term and a text word meet on the same key: "tumors" and "tumor" both give "tumor".
    """

    def __init__(self, lemmas: Container[str], exceptions: dict[str, str]) -> None:
        self.lemmas = lemmas
        self.exceptions = exceptions
        self._memo: dict[str, tuple[str, ...]] = {}

    def key(self, word: str) -> str:
        return self.bases(word)[0]

    def memos(self) -> tuple[dict[str, Any], ...]:
        return (self._memo,)

    def bases(self, word: str) -> tuple[str, ...]:
        """Every base form of a word, its key first: "elements" is a lemma (the weather) and "element"."""
        found = self._memo.get(word)
        if found is None:
            found = self._memo[word] = self._bases(normalize(word))
        return found

    def _bases(self, word: str) -> tuple[str, ...]:
        found = [word] if word in self.lemmas else []
        if word in self.exceptions:
            found.append(self.exceptions[word])
        if word.endswith(BASE_SUFFIXES):
            for suffix, ending in BASE_RULES:
                if word.endswith(suffix) and len(word) > len(suffix) + 1:
                    base = word[: -len(suffix)] + ending
                    if base in self.lemmas and base not in found:
                        found.append(base)
        return tuple(found) or (word,)

    def keys(self, phrase: str) -> list[str]:
        return [self.key(token.text) for token in words_of(phrase)]




def word_hash(word: str) -> int:
    """The 64-bit key of a word in the index: CRC-32 and Adler-32 side by side (both in C, ~0.2 us).

    The build checks that no two vocabulary words share a key; a text word that is not in the vocabulary
    meets a vocabulary key by chance about once in 10^14 probes.
    """
    raw = word.encode("utf-8", "surrogatepass")  # a lone surrogate (a YAML "\\udc80" escape) is a word too
    return zlib.crc32(raw) << 32 | zlib.adler32(raw)


def read_sections(payload: bytes) -> dict[str, array[int] | bytes | str]:
    """The sections of an index file: a magic line, a JSON line naming each section's type and size, the data.

    Type "text" is UTF-8 text, "bytes" raw bytes, anything else an ``array`` type code (little-endian).
    """
    if not payload.startswith(INDEX_MAGIC):
        raise ValueError("not a contentlint paraphrase index")
    header_end = payload.index(b"\n", len(INDEX_MAGIC))
    offset = header_end + 1
    view = memoryview(payload)
    found: dict[str, array[int] | bytes | str] = {}
    for name, kind, size in json.loads(payload[len(INDEX_MAGIC) : header_end]):
        chunk = view[offset : offset + size]
        offset += size
        if kind == "text":
            found[name] = str(chunk, "utf-8")
        elif kind == "bytes":
            found[name] = bytes(chunk)
        else:
            values = array(kind)
            values.frombytes(chunk)
            if sys.byteorder == "big":
                values.byteswap()
            found[name] = values
    return found


class _Flagged:
    """The vocabulary words with a flag bit set, as a container: ``word in thesaurus.lemmas``."""

    __slots__ = ("bit", "thesaurus")

    def __init__(self, thesaurus: Thesaurus, bit: int) -> None:
        self.thesaurus = thesaurus
        self.bit = bit

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        thesaurus = self.thesaurus  # flags_of() inline: the lemmatizer asks this of every base form it tries
        i = thesaurus._position.get(word)
        if i is None:
            i = thesaurus.position(word)
        return i >= 0 and bool(thesaurus._flags[i] & self.bit)


class Thesaurus:
    """The committed WordNet index and n-gram counts, loaded once per process.

    A handful of flat arrays rather than dictionaries of strings: the vocabulary is a sorted array of 64-bit
    word keys (``word_hash``), and a word's position in it indexes its flags, its frequency and the slices of
    its thesaurus neighbours and of the words that may follow it in a multi-word WordNet entry. Neighbours and
    followers are ids into ``names``, the few thousand strings the detector needs back. Loading takes a few
    hundredths of a second and a few megabytes, and looking a new word up costs a few probes, not the parsing
    of strings.
    """

    def __init__(self, sections: Mapping[str, array[int] | bytes | str]) -> None:
        self._keys = _array(sections["keys"])
        self._position: dict[str, int] = {}  # the words looked up so far: most are looked up several times
        self._flags = _bytes(sections["flags"])
        self._zipf = _bytes(sections["zipf"])
        self._near_at = _array(sections["near_at"])
        self._near_names = _array(sections["near_names"])
        self._near_codes = _text(sections["near_codes"])
        self._next_at = _array(sections["next_at"])
        self._next_names = _array(sections["next_names"])
        self.names = tuple(_text(sections["names"]).split("\n"))
        # each term with its word keys, worked out at build time (the build's lemmatizer is this one)
        self.wordnet_terms = _terms(sections["terms"])
        self.health_terms = _terms(sections["health_terms"])  # MedQuAD, MeSH, SYMP: bench/build_wordnet_index.py
        exceptions = dict(line.split("\t") for line in _text(sections["exceptions"]).split("\n") if line)
        self.lemmas = _Flagged(self, LEMMA)
        self.phrases = _Flagged(self, ENTRY)  # WordNet's multi-word entries: real phrases
        self.lemmatizer = Lemmatizer(self.lemmas, exceptions)
        self._bigrams = _array(sections["bigrams"])
        self._health_bigrams = _array(sections["health_bigrams"])
        self._near: dict[str, dict[str, str]] = {}
        self._frequency: dict[str, int] = {}

    def memos(self) -> tuple[dict[str, Any], ...]:
        """What it remembers per word looked up (emptied by Detector.trim past WORD_MEMO entries)."""
        return self._position, self._near, self._frequency, *self.lemmatizer.memos()

    def position(self, word: str) -> int:
        """The word's position in the vocabulary, or -1."""
        found = self._position.get(word)
        if found is None:
            value = word_hash(word)
            i = bisect.bisect_left(self._keys, value)
            found = self._position[word] = i if i < len(self._keys) and self._keys[i] == value else -1
        return found

    def flags_of(self, word: str) -> int:
        i = self._position.get(word)  # most words are known: no call of position()
        if i is None:
            i = self.position(word)
        return self._flags[i] if i >= 0 else 0

    def zipf(self, word: str) -> int | None:
        """The word's Zipf frequency times ten (stored plus one: zero means unknown)."""
        i = self.position(word)
        value = self._zipf[i] if i >= 0 else 0
        return value - 1 if value else None

    def near(self, key: str) -> dict[str, str]:
        """The term words (and multi-word pieces) that ``key`` may have replaced, with the relation code."""
        found = self._near.get(key)
        if found is None:
            i = self.position(key)
            if i < 0:
                found = {}
            else:  # zipped in C: a new word reads some dozens
                start, end = self._near_at[i], self._near_at[i + 1]
                found = dict(zip(map(self.names.__getitem__, self._near_names[start:end]),
                                 self._near_codes[start:end], strict=True))
            self._near[key] = found
        return found

    def followers(self, word: str) -> tuple[str, ...]:
        """The second words of the multi-word WordNet entries that start with ``word``."""
        i = self.position(word)
        if i < 0:
            return ()
        return tuple(map(self.names.__getitem__, self._next_names[self._next_at[i] : self._next_at[i + 1]]))

    def has_followers(self, word: str) -> bool:
        """Whether ``followers(word)`` is not empty (most words start no entry: no tuple built for them)."""
        i = self.position(word)
        return i >= 0 and self._next_at[i] < self._next_at[i + 1]

    def common_bigram(self, first: str, second: str) -> bool:
        """Whether "first second" is a frequent English bigram (Google Books) or written in clean health prose."""
        value = zlib.crc32(f"{first} {second}".encode("utf-8", "surrogatepass"))
        return _contains(self._bigrams, value) or _contains(self._health_bigrams, value)

    def frequency(self, word: str) -> int | None:
        """Zipf frequency times ten (40 = once per 100,000 words), or None when unknown.

        A hyphenated or multi-word unit counts as its rarest part ("well-being", "malignant growth").
        Remembered per word (-1 for unknown): scoring asks for each swapped and kept word several times.
        """
        found = self._frequency.get(word)
        if found is None:
            value = self.zipf(word)
            if value is None and ("-" in word or " " in word):
                parts = [self.zipf(p) for p in re.split(r"[- ]", word) if p]
                value = None if not parts or None in parts else min(p for p in parts if p is not None)
            found = self._frequency[word] = -1 if value is None else value
        return None if found < 0 else found


def _terms(section: array[int] | bytes | str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Terms with their word keys, worked out at build time (the build's lemmatizer is the run time's)."""
    return tuple((text, tuple(keys.split("|"))) for text, keys in (
        line.split("\t") for line in _text(section).split("\n") if line))


def _array(value: array[int] | bytes | str) -> array[int]:
    assert isinstance(value, array)
    return value


def _bytes(value: array[int] | bytes | str) -> bytes:
    assert isinstance(value, bytes)
    return value


def _text(value: array[int] | bytes | str) -> str:
    assert isinstance(value, str)
    return value


def _contains(hashes: array[int], value: int) -> bool:
    i = bisect.bisect_left(hashes, value)
    return i < len(hashes) and hashes[i] == value


@cache
def thesaurus() -> Thesaurus:
    return Thesaurus(read_sections(gzip.decompress((DATA / "index.bin.gz").read_bytes())))


# ---------------------------------------------------------------------------------------------- detector


@dataclass(frozen=True, slots=True)
class Term:
    text: str  # as suggested
    keys: tuple[str, ...]
    source: str  # "built-in", "wordnet", "health", "lexicon", "user"


# A swap: (at, text, unit, code): the token index of the text's word counted from the candidate's first word, the
# text's word (key) or words joined by spaces, the term's word it replaced, the relation code. A plain tuple, read
# through these indices: built by the hundred thousand, and a tuple of strings and an int is one the garbage
# collector stops tracking (a named tuple it walks at every full collection, with every memo that holds it).
Swap = tuple[int, str, str, str]
AT: Final = 0
TEXT: Final = 1
UNIT: Final = 2
CODE: Final = 3


@dataclass(slots=True, eq=False)
class Candidate:
    sentence: Sentence
    first: int  # token indices [first, last)
    last: int
    term: Term
    swaps: tuple[Swap, ...]
    confidence: float
    via: str  # "lexicon" or "thesaurus"
    supporting: bool = False  # never enough alone: reported in a document that is spun as a whole only
    _words: list[Token] | None = field(default=None, repr=False)

    def words(self) -> list[Token]:
        """The candidate's words with their offsets (its sentence's Tokens, built on first request: most
        candidates need none, see ``Scorer.natural_level``)."""
        if self._words is None:
            self._words = list(self.sentence.words[self.first : self.last])
        return self._words

    @property
    def start(self) -> int:
        return self.words()[0].start

    @property
    def end(self) -> int:
        return self.words()[-1].end

    @property
    def text(self) -> str:
        """The phrase as written, its white space folded (a sentence wrapped by hand breaks a phrase's line)."""
        return " ".join(self.sentence.field.text.text[self.start : self.end].split())


Step = tuple[int, str, dict[str, str]]  # (words it spans, text unit, the term units it may stand for)
Steps = tuple[Step, ...]  # the ways a text unit can start at a position
Words = dict[str, None]  # a set of words the garbage collector skips (a frozenset it would walk every time)
NO_WORDS: Final[Words] = {}  # shared by the words that start no multi-word unit: never written to
# (trie node, next word, swaps so far, loose swaps, whether a swap is not "=": a walk finds only such terms)
State = tuple[dict[str, Any], int, tuple[Swap, ...], int, bool]
Template = tuple[int, "Term", tuple[Swap, ...], float]  # a candidate found by a walk: (length, term, swaps, base)
# What a walk found, as remembered: the best base score of its templates first (-inf when there are none), so that
# the many walks that find nothing above the floor are answered without looking at their templates.
Found = tuple[float, tuple[Template, ...]]
_BASE = operator.itemgetter(3)  # a template's base score


# eq=False: hashed by identity, one per distinct word. Not frozen: a frozen dataclass's __init__ sets each of its
# fields through object.__setattr__ (a sixth of what a new word cost: 1,659M -> 1,615M instructions in a pass
# of bench.paraphrase's new documents, 2,653 new words); nothing writes to one
@dataclass(slots=True, eq=False)
class WordInfo:
    """What the detector knows about a word of the text, computed once per distinct word.

    Its parts are strings, tuples and dictionaries of strings, which the garbage collector stops tracking:
    a full collection then does not walk the detector's memos, which grow with every new word and word pair.
    """

    serial: int  # names the word in the per-pair memo: pairs are keyed by two ints, not by two objects
    surface: str  # lower case
    key: str
    steps: Steps  # the one-word step; phrases starting here are added per sentence
    known: bool  # an English word (for the language check)
    alpha: bool
    phrase_firsts: tuple[str, ...]  # its base forms that start a multi-word WordNet entry or taught swap
    phrase_seconds: Words  # the words that may follow it in such an entry
    lexicon_first: bool
    starts: bool  # it may stand for the first unit of a term
    follows: bool  # it may stand for the second unit of a term
    reach: dict[str, str]  # what the word may stand for
    row: Row  # (serial, key, steps, english): what every sentence reads of every word, in one attribute read


# What a sentence's words give it, one tuple per column (Detector.columns): serials, keys, steps and English
# codes (0 not alphabetic, 1 an unknown word, 2 an English word). Transposed in C from each word's row: one
# attribute read per word rather than one per column (attrgetter calls were a tenth of a pass over text seen before).
Row = tuple[int, str, Steps, int]
Columns = tuple[tuple[int, ...], tuple[str, ...], tuple[Steps, ...], tuple[int, ...]]
_ROW, _SURFACE = operator.attrgetter("row"), operator.attrgetter("surface")


class Detector:
    """Reverse spinning over a vocabulary of real terms, plus a lexicon of known tortured phrases."""

    def __init__(self, extra_terms: Iterable[str] = (), extra_lexicon: Iterable[LexiconEntry] = (),
                 corpus_terms: Container[str] = ()) -> None:
        self.wn = thesaurus()
        self.lemmatizer = self.wn.lemmatizer
        self.stop = function_words()
        self.trie: dict[str, Any] = {}
        self.holes: dict[tuple[str, ...], list[Term]] = defaultdict(list)
        self.real: set[str] = set()  # terms (WordNet's multi-word entries are real too)
        self.strong: set[str] = set()  # the real terms not only of the bulk sources: curated, the user's
        lexicon = (*read_lexicon(), *extra_lexicon)
        for text, keys in self.wn.wordnet_terms:
            self._add_term(text, "wordnet", keys)
        for text, keys in self.wn.health_terms:
            self._add_term(text, "health", keys)
        for text in read_terms():
            self._add_term(text, "built-in")
        for entry in lexicon:
            self._add_term(entry.intended, "lexicon")
        for text in extra_terms:
            self._add_term(text, "user")
        # frequent sequences of the corpus's titles (as keys) are real, but too generic to be spin targets; kept
        # as given (a TermSet), not copied into real and strong: a 100,000-title corpus has 147,000
        self.corpus_terms = corpus_terms
        self.lexicon: dict[tuple[str, ...], LexiconEntry] = {}
        self.exact: dict[tuple[str, ...], LexiconEntry] = {}
        self.spinner: dict[str, dict[str, str]] = defaultdict(dict)
        for entry in lexicon:
            surface = tuple(normalize(t.text) for t in words_of(entry.phrase))
            if entry.exact:
                self.exact[surface] = entry
            else:
                self.lexicon[tuple(self.lemmatizer.keys(entry.phrase))] = entry
            self._learn_swaps(entry)
        for spun_word, original in read_swaps():
            self.spinner[" ".join(self.lemmatizer.keys(spun_word))][" ".join(self.lemmatizer.keys(original))] = "p"
        self.longest_lexicon = max((len(k) for k in (*self.lexicon, *self.exact)), default=0)
        self._reach: dict[str, dict[str, str]] = {}
        self._units: dict[tuple[str, ...], Steps] = {}
        self._start_memo: dict[tuple[str, int], dict[str, str]] = {}
        self._second_memo: dict[tuple[str, int], Words] = {}
        self._info: dict[str, WordInfo] = {}
        self._pair_flags: dict[tuple[int, int], int] = {}
        self._two_memo: dict[tuple[int, int], list[State]] = {}
        self._walk_memo: dict[int, Any] = {}
        self._steps_memo: dict[tuple[int, str, str], Steps] = {}
        self._phrase_memo: dict[tuple[int, tuple[tuple[int, str], ...]], Steps] = {}
        self._start_memo2: dict[tuple[int, int], bool] = {}
        self._anchored_memo: dict[tuple[str, ...], Found] = {}
        self.base_memo: dict[tuple[str, tuple[Swap, ...]], float] = {}
        self.natural_memo: dict[tuple[tuple[str, ...], tuple[Swap, ...]], int] = {}
        self.inside_memo: dict[tuple[tuple[str, ...], int, int, int, int, bool], bool] = {}
        self._walk_size = 0
        self.lexicon_firsts = frozenset(k[0] for k in (*self.lexicon, *self.exact))
        self.lexicon_heads = frozenset(k[:2] for k in self.lexicon)  # lexicon phrases have two words or more
        self.exact_heads = frozenset(k[:2] for k in self.exact)
        self.spinner_seconds: dict[str, set[str]] = defaultdict(set)
        for phrase in self.spinner:
            words = phrase.split(" ")
            if len(words) > 1:
                self.spinner_seconds[words[0]].add(words[1])
        self._followers: dict[str, Words] = {}
        self._serial = 0
        self.hole_heads = frozenset((k[0], k[1]) for k in self.holes if k[0] != "*")
        self.hole_tails = frozenset((k[1], k[2]) for k in self.holes if k[0] == "*")
        self.hole_firsts = frozenset(k[0] for k in (*self.hole_heads, *self.hole_tails))
        # a term's first unit -> the second units that follow it (looked up in C, by the thousand per new word)
        self._second_units: dict[str, tuple[str, ...]] = {}
        self._firsts: dict[str, Words] = {}  # a term's second unit -> the first units it follows
        for start, node in self.trie.items():
            seconds = self._second_units[start] = tuple(u for u in node if u != END)
            for second in seconds:
                self._firsts.setdefault(second, {})[start] = None

    def is_real(self, keys: str) -> bool:
        """Whether a phrase (word keys joined by spaces) is a real term or a WordNet entry.

        An entry's second word follows its first (``followers``, remembered per word): most n-grams fail that
        test, and are not hashed and looked up in the index."""
        if keys in self.real or keys in self.corpus_terms:
            return True
        first, _, rest = keys.partition(" ")
        return rest.partition(" ")[0] in self.followers(first) and keys in self.wn.phrases

    def bulk(self, keys: str) -> bool:
        """Whether a real term is one of the bulk sources' only (WordNet's terms, the health terms)."""
        return keys in self.real and keys not in self.strong and keys not in self.corpus_terms

    def followers(self, word: str) -> Words:
        """The second words of the multi-word units (WordNet entries, taught swaps) that start with ``word``."""
        found = self._followers.get(word)
        if found is None:
            found = self._followers[word] = dict.fromkeys(
                (*self.wn.followers(word), *sorted(self.spinner_seconds.get(word, ()))))
        return found

    def _has_followers(self, word: str) -> bool:
        """Whether ``followers(word)`` is not empty, without building it for the many words that start nothing."""
        found = self._followers.get(word)
        if found is not None:
            return bool(found)
        return self.wn.has_followers(word) or bool(self.spinner_seconds.get(word))

    def _add_term(self, text: str, source: str, keys: tuple[str, ...] = ()) -> None:
        keys = keys or tuple(self.lemmatizer.keys(text))
        if len(keys) < 2:
            return
        joined = " ".join(keys)
        self.real.add(joined)
        if source not in BULK:
            self.strong.add(joined)
        term = Term(text, keys, source)
        if 3 <= len(keys) <= 4 and source != "health":  # bulk terms end in too many plain words ("discharge")
            for hole in (0, len(keys) - 1):
                self.holes[tuple("*" if i == hole else k for i, k in enumerate(keys))].append(term)
        for path in self._unit_paths(keys):
            node = self.trie
            for unit in path:
                node = node.setdefault(unit, {})
            if END not in node or node[END].source in BULK:  # a term of ours wins
                node[END] = term

    def _unit_paths(self, keys: tuple[str, ...]) -> list[tuple[str, ...]]:
        """The term as words, and with each two- or three-word WordNet piece taken as one unit."""
        paths = [keys]
        if any("-" in k for k in keys):  # "exercise-induced" may come back as two words
            paths.append(tuple(self.lemmatizer.key(p) for k in keys for p in k.split("-") if p))
        for n in range(2, min(3, len(keys) - 1) + 1):  # a piece shorter than the term: none in a two-word term
            for i in range(len(keys) - n + 1):
                piece = " ".join(keys[i : i + n])
                if piece in self.wn.phrases:
                    paths.append((*keys[:i], piece, *keys[i + n :]))
        return paths

    def _learn_swaps(self, entry: LexiconEntry) -> None:
        """A lexicon pair teaches the spinner's word swaps: "kidney disappointment" -> disappointment=failure."""
        spun = self.lemmatizer.keys(entry.phrase)
        real = self.lemmatizer.keys(entry.intended)
        while spun and real and spun[0] == real[0]:
            spun, real = spun[1:], real[1:]
        while spun and real and spun[-1] == real[-1]:
            spun, real = spun[:-1], real[:-1]
        if not spun or not real:
            return
        if len(spun) == len(real):
            for a, b in zip(spun, real, strict=True):
                if a != b:
                    self.spinner[a][b] = "p"
        elif len(spun) <= 3 and len(real) <= 3:
            self.spinner[" ".join(spun)][" ".join(real)] = "p"

    def near(self, key: str) -> dict[str, str]:
        found = self.wn.near(key)
        learned = self.spinner.get(key)
        if learned:
            found = {**found, **learned}
        return found

    # -- matching

    def info(self, text: str) -> WordInfo:
        found = self._info.get(text)
        if found is None:
            surface = normalize(text)
            # everything but ``alpha`` depends on the normalised form alone: "The" is "the"
            same = self._info.get(surface)
            if same is not None and same.alpha == text.isalpha():
                self._info[text] = same
                return same
            bases = self.lemmatizer.bases(surface)
            key = bases[0]
            steps = self._one_step(bases)
            reach = steps[0][2]
            firsts = tuple(filter(self._has_followers, dict.fromkeys((*bases, surface))))
            # one base form starting units (the common case): its followers themselves, not a copy (never written to)
            seconds = (self.followers(firsts[0]) if len(firsts) == 1 else NO_WORDS if not firsts
                       else dict.fromkeys(itertools.chain.from_iterable(map(self.followers, firsts))))
            self._serial += 1
            known = key in self.lemmatizer.lemmas or key in self.stop or self.wn.zipf(surface) is not None
            alpha = text.isalpha()
            # starts and follows: key views tested in C, no dictionary built (``_starts`` builds one if a pair needs it)
            found = self._info[text] = WordInfo(
                self._serial, surface, key, steps, known, alpha, firsts, seconds,
                surface in self.lexicon_firsts or key in self.lexicon_firsts,
                not reach.keys().isdisjoint(self.trie.keys()), not reach.keys().isdisjoint(self._firsts.keys()), reach,
                (self._serial, key, steps, alpha + (alpha and known)))
            if surface.isalpha() == found.alpha:
                self._info.setdefault(surface, found)
        return found

    def trim(self) -> None:
        """Forget what was remembered about word pairs and walks once it exceeds PAIR_MEMO entries, and about
        words too past WORD_MEMO (called between documents). Words are never forgotten without the pairs and
        walks: those are keyed by the serial numbers of remembered words and the ids of remembered step lists.
        Pairs and walks alone may go: nothing remembered per word refers to them, and on prose of a real
        vocabulary they fill up several times faster than the words, which stay worth keeping."""
        memos: tuple[dict[Any, Any], ...] = (self._pair_flags, self._steps_memo, self._phrase_memo, self._two_memo,
                                             self._walk_memo, self._start_memo2, self._anchored_memo, self.base_memo,
                                             self.natural_memo, self.inside_memo)
        words: tuple[dict[Any, Any], ...] = (self._info, self._reach, self._units, self._start_memo,
                                             self._second_memo, self._followers, *self.wn.memos())
        forget_words = sum(map(len, words)) >= WORD_MEMO
        if forget_words or sum(map(len, memos)) + self._walk_size >= PAIR_MEMO:
            for memo in (*memos, *words) if forget_words else memos:
                memo.clear()
            self._walk_size = 0

    def infos(self, words: Sequence[str]) -> list[WordInfo]:
        """info() of each word: a dictionary probe for the words seen before (nearly all of them), in C."""
        found: list[WordInfo | None] = list(map(self._info.get, words))
        if None in found:
            return [info or self.info(word) for info, word in zip(found, words, strict=True)]
        return found  # type: ignore[return-value]  # no None in it

    @staticmethod
    def columns(infos: Sequence[WordInfo]) -> Columns:
        """The sentence's serials, keys, steps and English codes (see ``Columns``)."""
        if not infos:
            return (), (), (), ()
        serials, keys, steps, english = zip(*map(_ROW, infos), strict=True)
        return serials, keys, steps, english

    def candidates(self, sentence: Sentence, infos: Sequence[WordInfo], floor: float = -math.inf,
                   columns: Columns | None = None) -> list[Candidate]:
        """Lexicon phrases and reverse-spinning candidates of one sentence (overlapping; scored later), the latter
        with their base score as confidence and only from ``floor`` up (most walks find nothing worth scoring).
        ``columns``: ``columns(infos)``, when the caller has them already.

        What may start at a pair of neighbouring words is worked out once per distinct pair (``_flags``), so most
        positions of clean prose cost one dictionary probe; only the flagged ones are looked at further.
        """
        serials, keys, step_column, _ = columns or self.columns(infos)
        flags = list(map(self._pair_flags.get, itertools.pairwise(serials), itertools.repeat(-1)))
        if -1 in flags:
            flags = [f if f >= 0 else self._flags(infos[pos], infos[pos + 1]) for pos, f in enumerate(flags)]
        if not any(flags):
            return []  # nothing can start in this sentence
        steps = list(step_column)
        surface: list[str] = []
        todo: list[int] = []  # the positions to look at, in order (each at most once)
        for pos in itertools.compress(range(len(flags)), flags):  # the flagged positions, found in C
            flag = flags[pos]
            if flag & PHRASE:  # a multi-word unit may start here
                steps[pos] = self._steps(infos, keys, pos)
            if flag & (PHRASE | TAIL) and pos and (not todo or todo[-1] != pos - 1):
                todo.append(pos - 1)
            if flag & (PHRASE | WALK | LEXICON | HEAD):
                todo.append(pos)
        found: list[Candidate] = []
        last = len(keys) - 1
        for first in todo:
            flag = flags[first]
            if flag & LEXICON:
                surface = surface or list(map(_SURFACE, infos))
                found.extend(self._lexicon_at(sentence, keys, surface, first))
            here, after = steps[first], steps[first + 1]
            if here is infos[first].steps and after is infos[first + 1].steps:
                go = bool(flag & WALK)  # the common case: one word each
            else:
                go = self._may_start(here, after)
            if go:
                found.extend(self._walk(sentence, steps, first, floor))
            if first + 2 <= last and ((flag & HEAD) or (flags[first + 1] & TAIL)):
                found.extend(self._anchored(sentence, keys, first, floor))
        return found

    def _flags(self, info: WordInfo, after: WordInfo) -> int:
        """What may start at a word pair (bits: see PHRASE), remembered per pair (of the words' serials)."""
        lexicon = info.lexicon_first and ((info.key, after.key) in self.lexicon_heads
                                          or (info.surface, after.surface) in self.exact_heads)
        # the second units a word's term starts reach are worked out only for a word before one that may follow
        walk = info.starts and after.follows and not after.reach.keys().isdisjoint(
            self._seconds(info.key, info.reach).keys())  # views: the smaller is walked
        flag = PHRASE * (after.key in info.phrase_seconds) | WALK * walk | LEXICON * lexicon
        if info.key in self.hole_firsts:  # rare: no pair to build for the others
            pair = (info.key, after.key)
            flag |= HEAD * (pair in self.hole_heads) | TAIL * (pair in self.hole_tails)
        self._pair_flags[info.serial, after.serial] = flag
        return flag

    def _may_start(self, here: Steps, after: Steps) -> bool:
        """A cheap test before the walk: some term starts here and its second unit is in reach after."""
        memo_key = (id(here), id(after))  # step lists live as long as the memos: their ids name them
        found = self._start_memo2.get(memo_key)
        if found is None:
            found = self._start_memo2[memo_key] = self._may_start_at(here, after)
        return found

    def _may_start_at(self, here: Steps, after: Steps) -> bool:
        for length, unit, reach in here:
            if length > 1:
                return True
            seconds = self._seconds(unit, reach).keys()
            if seconds and any(not r.keys().isdisjoint(seconds) for _, _, r in after):
                return True
        return False

    def _lexicon_at(self, sentence: Sentence, keys: Sequence[str], surface: list[str],
                    first: int) -> Iterator[Candidate]:
        for n in range(2, min(self.longest_lexicon, len(keys) - first) + 1):
            entry = self.exact.get(tuple(surface[first : first + n])) or self.lexicon.get(
                tuple(keys[first : first + n]))
            if entry is not None:
                term = Term(entry.intended, tuple(self.lemmatizer.keys(entry.intended)), "lexicon")
                yield Candidate(sentence, first, first + n, term, (), LEXICON_CONFIDENCE, "lexicon")

    def reach(self, word: str) -> dict[str, str]:
        """The term units a text word (normalised) may stand for: itself ("=") or what it may have replaced."""
        found = self._reach.get(word)
        if found is None:
            found = self._reach[word] = self._one_step(self.lemmatizer.bases(word))[0][2]
        return found

    def _one_step(self, bases: tuple[str, ...]) -> Steps:
        """The one-word step of a word with these base forms, its reach in it (which depends on the bases alone).

        One per distinct bases, shared by the forms that have them ("tumor", "tumors"; "The", "the"): the memos
        keyed by the identity of a reach or a step list (``_starts``, ``_seconds``, ``_walk``...) then meet on
        a new word form of a word met before, rather than working its walks out again.
        """
        found = self._units.get(bases)
        if found is None:
            reach: dict[str, str] = {}
            if bases[0] not in self.stop:
                for base in reversed(bases):
                    reach.update(self.near(base))
            reach.update(dict.fromkeys(bases, "="))
            found = self._units[bases] = ((1, bases[0], reach),)
        return found

    def _phrase_reach(self, phrase: str) -> dict[str, str]:
        """A multi-word text unit: its WordNet synonyms and similar terms, and swaps the lexicon taught."""
        found = self._reach.get(phrase)
        if found is None:
            found = {u: c for u, c in self.wn.near(phrase).items() if c in "sm"}
            found.update(self.spinner.get(phrase, {}))
            found[phrase] = "="
            self._reach[phrase] = found
        return found

    def _steps(self, infos: Sequence[WordInfo], keys: Sequence[str], pos: int) -> Steps:
        """The ways a text unit can start at ``pos``: the word, or a two- or three-word phrase.

        Remembered per word and the two keys after it, so that equal steps are one list: walks are remembered by
        the ids of the step lists they read (see ``_walk``).
        """
        info = infos[pos]
        memo_key = (id(info), keys[pos + 1], keys[pos + 2] if pos + 2 < len(keys) else "")
        found = self._steps_memo.get(memo_key)
        if found is not None:
            return found
        phrases: list[tuple[int, str]] = []
        for base in info.phrase_firsts:  # "breathed in": "breathe in"
            if keys[pos + 1] in self.followers(base):
                pair = f"{base} {keys[pos + 1]}"
                for joined, n in ((f"{pair} {keys[pos + 2]}", 3) if pos + 2 < len(keys) else ("", 0), (pair, 2)):
                    if n and (joined in self.wn.phrases or joined in self.spinner):
                        phrases.append((n, joined))
        found = self._steps_memo[memo_key] = self._phrase_steps(info.steps, tuple(phrases)) if phrases else info.steps
        return found

    def _phrase_steps(self, word: Steps, phrases: tuple[tuple[int, str], ...]) -> Steps:
        """A word's step with the phrases that start at it: one list per content, whatever the words after the
        phrases (``_steps`` is remembered per word and the next two), so that the walks meet on it."""
        memo_key = (id(word), phrases)  # the word's step list lives as long as the memos
        found = self._phrase_memo.get(memo_key)
        if found is None:
            found = self._phrase_memo[memo_key] = (*word, *((n, joined, self._phrase_reach(joined))
                                                            for n, joined in phrases))
        return found

    def _starts(self, unit: str, reach: dict[str, str]) -> dict[str, str]:
        """The first words of terms that a text unit may stand for (cached: the trie's root is wide)."""
        # reach depends on the word's exact form ("changes", "change"), so it is part of the key; reach dicts are
        # kept in self._reach for the detector's life, so their id names them
        memo_key = (unit, id(reach))
        found = self._start_memo.get(memo_key)
        if found is None:
            found = self._start_memo[memo_key] = dict(itertools.compress(reach.items(), map(self.trie.__contains__,
                                                                                           reach)))
        return found

    def _seconds(self, unit: str, reach: dict[str, str]) -> Words:
        """The second units of the terms a text unit may start: a union of per-start tuples, in C (remembered,
        like ``_starts``)."""
        memo_key = (unit, id(reach))
        found = self._second_memo.get(memo_key)
        if found is None:
            found = self._second_memo[memo_key] = dict.fromkeys(itertools.chain.from_iterable(
                map(self._second_units.__getitem__, self._starts(unit, reach))))
        return found

    def _first_two(self, steps: Sequence[Steps], first: int) -> list[State]:
        """The walk's states after two units, found by set intersection rather than one by one.

        Swap and state positions are counted from ``first``. The same two units give the same states wherever
        they stand, so these are remembered per pair of step lists.
        """
        here, after = steps[first], steps[first + 1]
        memo_key = (id(here), id(after))  # step lists live as long as the memos: their ids name them
        found = self._two_memo.get(memo_key)
        if found is not None:
            return found
        found = []
        trie = self.trie
        firsts = self._firsts
        for length, unit, reach in here:
            starts = self._starts(unit, reach)
            if length > 1:
                for start, code in starts.items():
                    found.append((trie[start], length, ((0, unit, start, code),), code in LOOSE, code != "="))
                continue
            seconds = self._seconds(unit, reach).keys()
            start_units = starts.keys()
            for length2, unit2, reach2 in after:
                for second in sorted(seconds & reach2.keys()):  # sorted: the same result in every run
                    code2 = reach2[second]
                    loose2 = code2 in LOOSE
                    # the starts (in their order) that some term continues with ``second``: a set intersection
                    # in C with the first units ``second`` follows (it follows one at least: it is in seconds)
                    matched = firsts[second].keys() & start_units
                    for start in matched if len(matched) == 1 else filter(matched.__contains__, starts):
                        code = starts[start]
                        loose = (code in LOOSE) + loose2
                        if loose <= 1:
                            found.append((trie[start][second], 1 + length2,
                                          ((0, unit, start, code), (1, unit2, second, code2)), loose,
                                          code != "=" or code2 != "="))
        self._two_memo[memo_key] = found
        return found

    def _walk(self, sentence: Sentence, steps: list[Steps], first: int, floor: float) -> list[Candidate]:
        """The thesaurus candidates that start at ``first``: a walk through the term trie, remembered.

        A walk's result depends only on the step lists it read, and equal steps are one list (``_steps``,
        ``info``), so it is kept in a memo keyed by their ids, position by position, as deep as the walk read.
        Most walks in a corpus then cost a few dictionary probes.
        """
        node: dict[int, Any] = self._walk_memo
        size = len(steps)
        at = first
        while True:  # (the ids inline: most walks in a corpus end here)
            found = node.get(id(steps[at]) if at < size else -1)
            if found is None:
                break
            if found.__class__ is tuple:  # a leaf; the inner nodes are dictionaries
                return _candidates(sentence, first, found, floor)
            node = found
            at += 1
        templates, read = self._dfs(steps, first)
        found = _found(templates)
        # keyed by the id of each position's step list, -1 past the sentence's end
        self._remember([id(steps[p]) if p < size else -1 for p in range(first, first + max(at - first, read) + 1)],
                       found)
        return _candidates(sentence, first, found, floor)

    def _remember(self, keys: list[int], found: Found) -> None:
        node = self._walk_memo
        for key in keys[:-1]:
            child = node.get(key)
            if not isinstance(child, dict):
                child = node[key] = {}
            node = child
        node[keys[-1]] = found
        self._walk_size += 1

    def _dfs(self, steps: list[Steps], first: int) -> tuple[list[Template], int]:
        """Depth first through the trie from ``first``: the candidates as (length, term, swaps), positions counted
        from ``first``, and the last position the walk read."""
        stack = list(self._first_two(steps, first))  # a copy: the list is remembered
        size = len(steps) - first
        read = 1
        found: list[Template] = []
        scores = self.base_memo
        while stack:
            node, pos, swaps, loose, swapped = stack.pop()
            term = node.get(END)
            if term is not None and swapped:
                score = scores.get((term.source, swaps))
                found.append((pos, term, swaps, self.base(term.source, swaps) if score is None else score))
            if len(swaps) >= MAX_UNITS or len(node) == (term is not None):
                continue
            read = max(read, pos)
            if pos >= size:
                continue
            for length, text_unit, reach in steps[first + pos]:
                if len(reach) < len(node):
                    matched = [(u, c) for u, c in reach.items() if u in node]
                else:
                    matched = [(u, reach[u]) for u in node if u in reach]
                for unit, code in matched:
                    weak = code in LOOSE
                    if loose + weak <= 1:  # two loose swaps in one phrase never score: stop early
                        stack.append((node[unit], pos + length, (*swaps, (pos, text_unit, unit, code)),
                                      loose + weak, swapped or code != "="))
        return found, read

    def _anchored(self, sentence: Sentence, keys: Sequence[str], first: int, floor: float) -> list[Candidate]:
        """A long term with every word in place but its first or last, whatever that word became."""
        window = tuple(keys[first : first + 4])
        found = self._anchored_memo.get(window)
        if found is None:
            found = self._anchored_memo[window] = _found(self._anchored_templates(window))
        return _candidates(sentence, first, found, floor)

    def _anchored_templates(self, keys: tuple[str, ...]) -> list[Template]:
        found: list[Template] = []
        for n in (3, 4):
            if n > len(keys):
                break
            window = keys[:n]
            for hole in (0, n - 1):
                text_unit = window[hole]
                kept = window[1:] if hole == 0 else window[:-1]
                terms = self.holes.get(("*", *kept) if hole == 0 else (*kept, "*"), ())
                if not terms or text_unit in self.stop or sum(k not in self.stop for k in kept) < 2:
                    continue  # the anchors: at least two words in place that are not function words
                for term in terms:
                    if text_unit != term.keys[hole]:
                        swaps = tuple([(i, k, term.keys[i], "u" if i == hole else "=")
                                       for i, k in enumerate(window)])
                        found.append((n, term, swaps, self.base(term.source, swaps)))
        return found

    def base(self, source: str, swaps: tuple[Swap, ...]) -> float:
        """How well spinning explains a walk's find (``base_score``), remembered."""
        memo_key = (source, swaps)
        found = self.base_memo.get(memo_key)
        if found is None:
            found = self.base_memo[memo_key] = base_score(self.wn, source, swaps)
        return found


def _candidates(sentence: Sentence, first: int, found: Found, floor: float) -> list[Candidate]:
    if found[0] < floor:
        return []  # nothing found, or nothing worth scoring: most walks
    return [Candidate(sentence, first, first + n, term, swaps, base, "thesaurus")
            for n, term, swaps, base in found[1] if base >= floor]


def _found(templates: Sequence[Template]) -> Found:
    return max(map(_BASE, templates), default=-math.inf), tuple(templates)


def base_score(wn: Thesaurus, source: str, all_swaps: tuple[Swap, ...]) -> float:
    """How well spinning explains the text: every word kept or a close swap, the rarer the better.

    One pass over the swaps for the counts (rather than a generator per test: a new text scores thousands of
    walks), adding up in the order the terms were written so that the score is the same to the last bit."""
    frequency = wn.frequency
    kept = 0
    closeness: float = 0  # an int, then a float: as sum() adds
    unknown = loose = anchored = False
    swapped: list[Swap] = []
    for swap in all_swaps:
        code = swap[CODE]
        if code == "=":
            kept += 1
            anchored = anchored or (frequency(swap[TEXT]) or 0) < RARE  # a rare word kept in place
        else:
            swapped.append(swap)
            closeness += CLOSENESS[code]
            unknown = unknown or code == "u"
            loose = loose or code in LOOSE
    if unknown and not anchored:
        return 0.0  # a word of no known relation needs a rare word kept in place (tested first: common)
    score = (kept + closeness) / len(all_swaps)
    if source in BULK:
        score -= 0.1 if kept else 0.3  # terms gathered in bulk are weaker targets than the curated ones
    if len(swapped) == 1 and len(all_swaps) == 2:
        score -= 0.3  # one swapped word of a two-word term is the weakest evidence
    if not kept and loose:
        score -= 0.15  # nothing kept and a loose swap: too many ways to match by chance
    if not kept and all((frequency(s[TEXT]) or 0) >= COMMON for s in swapped):
        score -= 0.15  # everyday words on both sides ("usual work"): likely plain English
    if anchored:
        score += 0.1  # a rare word kept in place anchors the term: "lymphoblastic"
    for swap in swapped:
        spun, real = frequency(swap[TEXT]), frequency(swap[UNIT])
        if spun is not None and real is not None and spun + 5 < real:
            score += 0.05  # spinners pick the rarer synonym
    return score

# ----------------------------------------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class Settings:
    threshold: float = DEFAULT_THRESHOLD
    spun_score: float = 2.0
    spun_density: float = 8.0  # score per 1,000 words


def _plural(text: str) -> bool:
    word = text.lower()
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _pluralize(word: str) -> str:
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def suggestion(candidate: Candidate) -> str:
    """The intended term, in the text's number and capitalisation."""
    text = candidate.term.text
    last = candidate.sentence.texts[candidate.last - 1]
    if candidate.via != "lexicon" or not candidate.term.text.endswith("s"):
        words = text.split(" ")
        if _plural(last) and not _plural(words[-1]):
            words[-1] = _pluralize(words[-1])
        text = " ".join(words)
    if candidate.text[:1].isupper():
        text = text[:1].upper() + text[1:]
    return text


class Scorer:
    """Confidence of a thesaurus candidate from the evidence a spinner leaves."""

    def __init__(self, detector: Detector, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.detector = detector
        self.wn = detector.wn
        self.threshold = threshold

    def natural(self, candidate: Candidate) -> bool:
        """Text that is a real term, a common English n-gram or not one phrase at all is not spun."""
        return self.natural_level(candidate) > 0

    def natural_level(self, candidate: Candidate) -> int:
        """How natural the text is: 0 not at all, 1 only because its word pairs are common English (a spinner
        also writes those: "blood stream"), 2 natural (a real term, a short form, not one phrase...)."""
        words = candidate.sentence.texts[candidate.first : candidate.last]
        memo_key = (words, candidate.swaps)
        found = self.detector.natural_memo.get(memo_key)
        if found is None:
            found = self._natural_words(words, candidate.swaps)
            self.detector.natural_memo[memo_key] = found
        # each test that follows can only make it 2, the last needs the words' offsets: tried only when needed
        if found == 2 or any(self._inside_real_term(candidate, s) for s in candidate.swaps if s[CODE] != "="):
            return 2
        text = candidate.sentence.field.text.text
        if any(text[a.end : b.start].strip() for a, b in itertools.pairwise(candidate.words())):
            return 2  # punctuation between the words: "medicines, like"
        return found

    def _natural_words(self, words: tuple[str, ...], swaps: tuple[Swap, ...]) -> int:
        """The part of ``natural_level`` that depends on the words alone (remembered)."""
        if any(w.isupper() and len(w) > 1 for w in words):
            return 2  # acronyms and drug codes
        if self.detector.is_real(" ".join(self.detector.lemmatizer.key(w) for w in words)):
            return 2
        swapped = [s for s in swaps if s[CODE] != "="]
        if any(self.wn.frequency(s[TEXT]) is None and not self.wn.flags_of(s[TEXT]) & LEMMA for s in swapped):
            return 2  # spinners swap in dictionary words (WordNet's, if rare: "tallness"), not typos or names
        if all(s[TEXT] in s[UNIT].split(" ") or _variant(s[TEXT], s[UNIT]) for s in swapped):
            return 2  # "diabetes" for "diabetes mellitus" is a short form, not a swap
        # "glucose" in "blood glucose levels" belongs to the real term "blood glucose": checked in context
        surface = [normalize(w) for w in words]
        return int(all(self.wn.common_bigram(a, b) for a, b in itertools.pairwise(surface)))

    def _inside_real_term(self, candidate: Candidate, swap: Swap) -> bool:
        """Whether the swapped word belongs to a real term of two to four words around it, other than the
        candidate's own span (remembered per window of words: their keys are worked out on a miss only)."""
        texts = candidate.sentence.texts
        size = len(swap[TEXT].split(" "))
        at = candidate.first + swap[AT]
        low, high = max(0, at - 3), min(len(texts), at + size + 3)
        memo_key = (texts[low:high], at - low, size, candidate.first - low, candidate.last - low,
                    candidate.term.source not in BULK)
        found = self.detector.inside_memo.get(memo_key)
        if found is None:
            keys = tuple(map(self.detector.lemmatizer.key, memo_key[0]))
            found = self.detector.inside_memo[memo_key] = self._inside(keys, *memo_key[1:])
        return found

    def _inside(self, keys: tuple[str, ...], at: int, size: int, first: int, last: int, curated: bool) -> bool:
        """Whether a real term other than the candidate's span holds the swapped word. A term of the bulk sources
        does not hide a swap into a curated term: "psychological well-being proficient" is the spinner's "mental
        health professional", though MeSH lists "psychological well-being"."""
        for n in (2, 3, 4):
            for start in range(len(keys) - n + 1):
                if start <= at and at + size <= start + n and (start, start + n) != (first, last):
                    phrase = " ".join(keys[start : start + n])
                    if self.detector.is_real(phrase) and not (curated and self.detector.bulk(phrase)):
                        return True
        return False


# ------------------------------------------------------------------------------------------ the analysis


@dataclass(slots=True)
class Analysis:
    words: int
    english: float
    phrases: list[Candidate] = field(default_factory=list)
    marks: list[tuple[ProseField, int, int, Mark]] = field(default_factory=list)
    score: float = 0.0
    spun: bool = False
    passage: Sentence | None = None  # in a long page spun in a passage only: the best passage's first sentence

    @property
    def is_english(self) -> bool:
        return self.english >= MIN_ENGLISH or self.words < 20


def key_text(columns: Sequence[Columns]) -> str:
    """The document's word keys, sentence by sentence, each word between spaces: " a b \n c d " (no term spans a
    line break), joined in C from the sentences' key columns."""
    return " " + " \n ".join(map(" ".join, (c[1] for c in columns))) + " " if columns else ""


class NearbyTerms:
    """Whether a document writes a term (as word keys) within CONTEXT_WORDS words of a sentence: one search of
    the part of ``key_text`` around it. The document's key text is built on the first question."""

    def __init__(self, columns: Sequence[Columns]) -> None:
        self.columns = columns
        self.text = ""
        # per sentence: the words before it, and where its keys start in the text and how long they are
        self.words_before: list[int] = []
        self.starts: list[int] = []
        self.sizes: list[int] = []

    def has(self, keys: tuple[str, ...], sentence: int) -> bool:
        if not self.text:
            self.text = key_text(self.columns)
            self.words_before = list(itertools.accumulate((len(c[1]) for c in self.columns), initial=0))
            self.sizes = [len(" ".join(c[1])) for c in self.columns]
            self.starts = list(itertools.accumulate((size + 3 for size in self.sizes), initial=1))  # " \n " apart
        here = self.words_before[sentence]
        first = bisect.bisect_left(self.words_before, here - CONTEXT_WORDS)
        last = bisect.bisect_right(self.words_before, here + CONTEXT_WORDS, hi=len(self.sizes)) - 1
        return self.text.find(f" {' '.join(keys)} ", self.starts[first] - 1,
                              self.starts[last] + self.sizes[last] + 1) >= 0


def english_ratio(codes: Iterable[Sequence[int]]) -> tuple[int, float]:
    """How many (alphabetic) words there are, and the share of them that are English, from the sentences' English
    codes (``Columns``): counted in C, a run reads a million words."""
    flat = list(itertools.chain.from_iterable(codes))
    total, known = len(flat) - flat.count(0), flat.count(2)
    return total, (known / total if total else 1.0)


@cache
def _mark_patterns() -> tuple[tuple[str, ...], re.Pattern[str], dict[str, Mark]]:
    """The connectives (longest first), the heading pattern, and every mark by its phrase."""
    marks = read_marks()
    by_phrase = {m.phrase: m for m in marks}
    connectives = tuple(sorted((m.phrase for m in marks if m.kind == "connective"), key=len, reverse=True))
    headings = sorted((m.phrase for m in marks if m.kind == "heading"), key=len, reverse=True)
    alternation = "|".join(re.escape(p) for p in headings) or "(?!)"
    heading = re.compile(rf"^[ \t]*({alternation})\b[^\n.!?]{{0,60}}$", re.IGNORECASE | re.MULTILINE)
    return connectives, heading, by_phrase


def find_marks(doc: Document) -> list[tuple[ProseField, int, int, Mark]]:
    connectives, heading, by_phrase = _mark_patterns()
    found: list[tuple[ProseField, int, int, Mark]] = []
    for prose in doc.prose:
        text = prose.text.text
        found.extend((prose, start, end, by_phrase[phrase]) for start, end, phrase in _connectives(text, connectives))
        for match in _line_matches(heading, text):
            found.append((prose, match.start(1), match.end(1), by_phrase[match.group(1).lower()]))
    return found


def _line_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern that opens with ``^`` and ends with ``$`` (multi-line): tried at
    each line's start only, rather than at every character (as finditer does, finding no literal to skip to)."""
    start = 0
    while start >= 0:
        match = pattern.match(text, start)
        if match:
            yield match
        start = text.find("\n", start)
        start = start + 1 if start >= 0 else -1


_COMMA_AFTER = re.compile(r"\s*,")


def _connectives(text: str, phrases: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Connectives that open a line or follow ". ", ", " (and the like) and are followed by a comma.

    Found with str.find on the lower-cased text: a regular expression with a lookbehind was tried at every
    character and made this the slowest part of the analysis. The earliest wins, then the longest.
    """
    lower = text.lower()
    if len(lower) != len(text):  # a character whose lower case is longer: offsets would shift
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    hits = []
    for phrase in phrases:
        start = lower.find(phrase)
        while start >= 0:
            end = start + len(phrase)
            if _delimited(text, start) and _COMMA_AFTER.match(text, end):
                hits.append((start, -len(phrase), phrase))
            start = lower.find(phrase, start + 1)
    found: list[tuple[int, int, str]] = []
    for start, length, phrase in sorted(hits):
        if not found or start >= found[-1][1]:
            found.append((start, start - length, phrase))
    return found


def _delimited(text: str, start: int) -> bool:
    """Whether a connective at ``start`` opens a line or follows ". ", "? ", "! ", ": " or ", "."""
    if start == 0 or text[start - 1] == "\n":
        return True
    return start >= 2 and text[start - 1].isspace() and text[start - 2] in ".!?:,"


def _resolve(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the best of overlapping candidates: highest confidence, then the longest."""
    taken: dict[int, set[int]] = defaultdict(set)  # per sentence, the word positions already reported
    chosen: list[Candidate] = []
    for cand in sorted(candidates, key=lambda c: (-c.confidence, -(c.last - c.first), c.start)):
        used = taken[id(cand.sentence)]
        span = range(cand.first, cand.last)
        if not any(i in used for i in span):
            used.update(span)
            chosen.append(cand)
    return sorted(chosen, key=lambda c: (c.sentence.field.name, c.start))


def _variant(word: str, other: str) -> bool:
    """Two forms of one word ("transplantation", "transplant"; "growing", "growth"): a writer's choice, not
    a spinner's swap."""
    shorter = min(len(word), len(other))
    common = next((i for i, (a, b) in enumerate(zip(word, other, strict=False)) if a != b), shorter)
    if common >= 5 and common >= 0.7 * shorter:
        return True
    return common >= 4 and _stem(word) == _stem(other)


def _stem(word: str) -> str:
    for suffix in STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _extends_term(detector: Detector, candidate: Candidate) -> bool:
    """A bulk term whose one swapped word is its first or last, the rest being a real term of its own: the text
    is a real term and a word beside it ("heart attack run" for "heart attack discharge"), evidence of a spinner
    only in a document that is spun as a whole."""
    swaps = candidate.swaps
    if candidate.term.source != "health" or len(swaps) < 2 or _swapped(candidate) != 1:
        return False
    edge = 0 if swaps[0][CODE] != "=" else len(swaps) - 1 if swaps[-1][CODE] != "=" else -1
    kept = " ".join(s[UNIT] for i, s in enumerate(swaps) if i != edge)  # units: "heart attack" is one
    return edge >= 0 and " " in kept and detector.is_real(kept)


def _swapped(candidate: Candidate) -> int:
    return sum(1 for s in candidate.swaps if s[CODE] != "=")


def _extend_lexicon(raw: list[Candidate]) -> None:
    """A known tortured phrase inside a longer real term that the text keeps or spins around it ("upper aviation
    route": "aviation route" is "airway", and "upper airway" a term) is reported as that term: the lexicon's
    certainty goes to the longer thesaurus candidate, which then wins the overlap by its length. Not when the
    longer one also needs a loose or unknown swap: then the longer term is a guess."""
    known = {(id(c.sentence), c.first, c.last, " ".join(c.term.keys)): c.confidence for c in raw if c.via == "lexicon"}
    if not known:
        return
    for cand in raw:
        if cand.via != "thesaurus" or cand.supporting or any(s[CODE] in "hntu" for s in cand.swaps):
            continue
        for swap in cand.swaps:
            first = cand.first + swap[AT]
            found = known.get((id(cand.sentence), first, first + swap[TEXT].count(" ") + 1, swap[UNIT]))
            if found is not None and len(cand.swaps) > 1:
                cand.confidence = max(cand.confidence, found)


def analyse(doc: Document, detector: Detector, settings: Settings) -> Analysis:
    detector.trim()
    sents = sentences(doc)
    infos = [detector.infos(s.texts) for s in sents]  # texts: no Token objects unless a candidate needs them
    columns = list(map(detector.columns, infos))
    words, ratio = english_ratio(c[3] for c in columns)
    analysis = Analysis(words, ratio)
    if not analysis.is_english:
        return analysis
    scorer = Scorer(detector, settings.threshold)
    raw: list[Candidate] = []
    for sentence, sentence_infos, sentence_columns in zip(sents, infos, columns, strict=True):
        for cand in detector.candidates(sentence, sentence_infos, settings.threshold - SPUN_MARGIN, sentence_columns):
            if cand.via == "thesaurus":  # confidence: its base score
                level = scorer.natural_level(cand)
                if level == 2 or (level == 1 and cand.confidence < settings.threshold + COMMON_MARGIN):
                    continue
                # common English words in a well-explained swap: a spinner's too ("blood stream")
                cand.supporting = level == 1
            raw.append(cand)
    analysis.marks = find_marks(doc)
    nearby = NearbyTerms(columns)
    sentence_number = {id(sentence): number for number, sentence in enumerate(sents)}
    for cand in raw:
        if cand.via != "thesaurus":
            continue
        if nearby.has(cand.term.keys, sentence_number[id(cand.sentence)]):
            # the spinner kept the real term elsewhere in the article (writers vary one word too)
            cand.confidence += 0.05 if len(cand.swaps) == 2 and _swapped(cand) == 1 else 0.1
        cand.supporting = cand.supporting or any(s[CODE] in "ut" for s in cand.swaps) or _extends_term(detector, cand)
        if cand.supporting:
            cand.confidence = min(cand.confidence, settings.threshold - 0.05)  # never enough alone
    _extend_lexicon(raw)
    loose = [c for c in raw if c.supporting]  # reported in spun documents only
    firm = [c for c in raw if not c.supporting]
    evidence = _resolve([c for c in firm if c.confidence >= settings.threshold - WEAK_MARGIN])
    weak = [c for c in firm if settings.threshold - SPUN_MARGIN <= c.confidence < settings.threshold - WEAK_MARGIN]
    weak += [c for c in loose if c.confidence >= settings.threshold - SPUN_MARGIN]
    for cand in evidence:
        cand.confidence = round(min(cand.confidence, 0.99), 2)
    analysis.score, analysis.spun = _verdict(evidence, [m for *_, m in analysis.marks], words, settings)
    spun_passages: list[tuple[int, int]] = []  # in a long page, the spun ones (sentence numbers [first, end))
    if not analysis.spun and words > CONTEXT_WORDS and evidence:
        numbered = [(sentence_number[id(c.sentence)], c) for c in evidence]
        passages = _spun_passages(columns, numbered, _numbered_marks(sents, analysis.marks), settings)
        if passages:
            best = max(passages, key=lambda passage: passage[0])
            analysis.score, analysis.spun, analysis.passage = best[0], True, sents[best[1]]
            spun_passages = [(first, end) for _, first, end in passages]

    def in_spun_text(cand: Candidate) -> bool:
        number = sentence_number[id(cand.sentence)]
        return not spun_passages or any(first <= number < end for first, end in spun_passages)

    # in a document (or passage) that is spun as a whole, weaker candidates are spun phrases too
    if analysis.spun:
        analysis.phrases = _resolve([c for c in evidence if c.confidence >= settings.threshold or in_spun_text(c)]
                                    + [c for c in weak if in_spun_text(c)])
        for cand in weak:
            cand.confidence = round(cand.confidence, 2)
    else:
        analysis.phrases = [c for c in evidence if c.confidence >= settings.threshold]
    return analysis


def _verdict(evidence: Iterable[Candidate], marks: Iterable[Mark], words: int,
             settings: Settings) -> tuple[float, bool]:
    """The score of a text's evidence (each distinct phrase at its best confidence, and the spinner's marks) and
    whether it reads as spun: enough of it, from two phrases or more, dense enough for the text's length."""
    distinct: dict[str, float] = {}  # a phrase repeated is one piece of evidence
    for cand in evidence:
        key = cand.text.lower()
        distinct[key] = max(distinct.get(key, 0.0), cand.confidence)
    score = round(sum(distinct.values()) + sum(m.weight for m in marks), 2)
    return score, (score >= settings.spun_score and len(distinct) >= 2
                   and 1000 * score / max(words, 1) >= settings.spun_density)


def _spun_passages(columns: Sequence[Columns], evidence: list[tuple[int, Candidate]], marks: list[tuple[int, Mark]],
                   settings: Settings) -> list[tuple[float, int, int]]:
    """The passages of a long page that read as spun on their own, as (score, first sentence, end sentence): a
    spun article inside a page of other text, whose evidence is too thin for the whole page's length. A passage
    is a run of evidence (phrases, marks) with no gap of more than PASSAGE_GAP words, judged like a document of
    its own length, and of at least PASSAGE_WORDS words: spun text is dense with evidence, clean prose has some
    every few hundred words."""
    # the words before each sentence (alphabetic words, as the page's own count)
    before = list(itertools.accumulate((len(c[3]) - c[3].count(0) for c in columns), initial=0))
    items = sorted([(number, c, None) for number, c in evidence] + [(number, None, m) for number, m in marks],
                   key=lambda item: item[0])
    found: list[tuple[float, int, int]] = []
    run = items[:1]
    for item in [*items[1:], None]:
        if item is not None and before[item[0]] - before[run[-1][0] + 1] <= PASSAGE_GAP:
            run.append(item)
            continue
        first, end = run[0][0], run[-1][0] + 1
        score, spun = _verdict([c for _, c, _ in run if c is not None], [m for _, _, m in run if m is not None],
                               max(before[end] - before[first], PASSAGE_WORDS), settings)
        if spun:
            found.append((score, first, end))
        run = [item] if item is not None else []
    return found


def _numbered_marks(sents: Sequence[Sentence], marks: Iterable[tuple[ProseField, int, int, Mark]]
                    ) -> list[tuple[int, Mark]]:
    """Each spinner mark with the number of the sentence it is in (the last one starting at or before it)."""
    starts: dict[int, tuple[list[int], list[int]]] = {}  # per field: its sentences' starts and numbers
    for number, sentence in enumerate(sents):
        field_starts, numbers = starts.setdefault(id(sentence.field), ([], []))
        field_starts.append(sentence.start)
        numbers.append(number)
    numbered = []
    for prose, start, _, mark in marks:
        field_starts, numbers = starts.get(id(prose), ([], []))
        if numbers:
            numbered.append((numbers[max(bisect.bisect_right(field_starts, start) - 1, 0)], mark))
    return numbered


def is_spun(analysis: Analysis, settings: Settings) -> bool:
    return analysis.spun


# ------------------------------------------------------------------------------------------------ rules


class ParaphraseOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=lambda n: n.replace("_", "-"),
                              populate_by_name=True)
    lexicon: dict[str, str] = Field(default_factory=dict)  # extra tortured phrase -> intended term
    terms: list[str] = Field(default_factory=list)  # extra real terms (never reported, and spin targets)
    threshold: float = Field(default=DEFAULT_THRESHOLD, ge=0.0, le=1.0)
    corpus_titles: bool = True  # terms repeated across the corpus's titles are real terms too


@cache
def _detector(terms: tuple[str, ...], lexicon: tuple[tuple[str, str], ...], corpus_terms: TermSet) -> Detector:
    return Detector(terms, [LexiconEntry(normalize(k), v) for k, v in lexicon], corpus_terms)


class TermSet(Container[str]):
    """A set of strings held as their hashes, sorted, 8 bytes each: the corpus's terms are 147,000 on a
    100,000-title corpus, 13.8 MB as strings in every worker process, 1.2 MB so. Python's string hash is the
    same in a process and in the workers it forks; a string that is not a member but shares a member's
    64-bit hash (odds of about 1 in 10**14 per lookup on that corpus) would be taken for one."""

    __slots__ = ("_hashes", "_key")

    def __init__(self, texts: Iterable[str]) -> None:
        self._hashes = array("q", sorted(set(map(hash, texts))))
        self._key = hash(self._hashes.tobytes())  # a key of the detector cache: hashed once

    def __contains__(self, text: object) -> bool:
        if not isinstance(text, str):
            return False
        wanted = hash(text)
        at = bisect.bisect_left(self._hashes, wanted)
        return at < len(self._hashes) and self._hashes[at] == wanted

    def __len__(self) -> int:
        return len(self._hashes)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TermSet) and self._key == other._key and self._hashes == other._hashes

    def __hash__(self) -> int:
        return self._key


NO_TERMS = TermSet(())
_CORPUS_TERMS: dict[int, tuple[object, TermSet]] = {}
CORPUS_TERMS_FILE = "paraphrase-corpus-terms.json"  # in the cache directory: the last corpus's terms


def corpus_terms(ctx: CheckContext) -> TermSet:
    """Two- to four-word sequences that start two or more titles' worth of the corpus (its own terms), as
    the detector's keys. Kept in the cache directory with a digest of the corpus's titles: a run after an
    edit that left the titles alone (a pre-commit run) reads them instead of counting and lemmatising again."""
    if ctx.corpus is None:
        return NO_TERMS
    cached = _CORPUS_TERMS.get(id(ctx.corpus))
    if cached is not None and cached[0] is ctx.corpus:
        return cached[1]
    # the code that counts them (this package, its data and the engine's tokeniser) and the titles
    code = [code_digest(str(Path(__file__).parent)), code_digest(ENGINE)]
    digest = hashlib.blake2b(json.dumps([code, ctx.corpus.title_counts_digest()]).encode(),
                             digest_size=16).hexdigest()
    cache_dir = ctx.settings.get("cache_dir")
    found = _read_terms(cache_dir / CORPUS_TERMS_FILE, digest) if isinstance(cache_dir, Path) else None
    if found is None:
        found = _count_terms(ctx.corpus.title_counts())
        if isinstance(cache_dir, Path):
            _write_terms(cache_dir / CORPUS_TERMS_FILE, digest, found)
    terms = TermSet(found)
    _CORPUS_TERMS.clear()
    _CORPUS_TERMS[id(ctx.corpus)] = (ctx.corpus, terms)
    return terms


def _count_terms(titles: Iterable[tuple[str, int]]) -> frozenset[str]:
    # Each document counts each of its distinct titles once; links repeat their targets' titles, so the corpus
    # holds a few times fewer distinct titles than (document, title) pairs, and each is split into words once.
    counts: dict[str, int] = defaultdict(int)
    stop = function_words()
    for title, times in titles:
        words = [normalize(word) for word in word_texts(title)]
        for n in (2, 3, 4):
            for i in range(len(words) - n + 1):
                gram = words[i : i + n]
                if gram[0] not in stop and gram[-1] not in stop:
                    counts[" ".join(gram)] += times
    key = thesaurus().lemmatizer.key
    return frozenset(" ".join([key(word) for word in gram.split(" ")]) for gram, count in counts.items()
                     if count >= 2)


def _read_terms(path: Path, digest: str) -> frozenset[str] | None:
    """The terms stored for this digest, or None (no file, another corpus, or a file that is not ours)."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8", errors="surrogateescape"))
        if isinstance(stored, dict) and stored.get("digest") == digest and isinstance(stored.get("terms"), list):
            return frozenset(term for term in stored["terms"] if isinstance(term, str))
    except (OSError, ValueError):
        pass
    return None


def _write_terms(path: Path, digest: str, terms: frozenset[str]) -> None:
    """Written beside and renamed over, so a concurrent run reads a whole file; a failure only costs the
    next run the counting."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps({"digest": digest, "terms": sorted(terms)}), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink()


def document_analysis(doc: Document, ctx: CheckContext) -> Analysis:
    """The shared per-document analysis (one run for all paraphrase rules, whatever their options)."""
    options = ctx.options if isinstance(ctx.options, ParaphraseOptions) else ParaphraseOptions()
    detector = _detector(tuple(options.terms), tuple(sorted(options.lexicon.items())),
                         corpus_terms(ctx) if options.corpus_titles else NO_TERMS)
    settings = Settings(threshold=options.threshold)
    key = f"paraphrase.analysis:{id(detector)}:{settings.threshold}"
    return doc.memo(key, lambda: analyse(doc, detector, settings))


class ParaphraseRule(Rule):
    category = Category.PARAPHRASE
    Options = ParaphraseOptions
    needs_corpus = True


@register
class TorturedPhrase(ParaphraseRule):
    """Reports a "tortured phrase": a term garbled by an article spinner, with the term it stood for.

    **Why it matters:** spinners swap words one by one for thesaurus neighbours ("central nervous system"
    becomes "focal sensory system", "acute leukemia" becomes "serious leukemia"). In health content this
    is not a style problem: the spun phrase says something else, or nothing, and readers and search
    engines take the page for low-quality copied text.

    **Example:** "white platelets" for white blood cells, "strong growths" for solid tumors, "designated
    treatment" for targeted therapy. The suggestion is the intended term; ``details.confidence`` says how
    sure the finding is (known phrase: 0.95; found by reverse spinning through WordNet: lower).

    **Options:** ``lexicon`` (extra ``"spun phrase" = "intended term"`` pairs), ``terms`` (extra real terms:
    never reported, and targets of reverse spinning), ``threshold`` (0.75: lowest confidence reported outside
    spun documents), ``corpus-titles`` (true: word sequences repeated in the corpus's titles count as real terms).
    """

    id = "paraphrase/tortured-phrase"
    severity = Severity.ERROR

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        analysis = document_analysis(doc, ctx)
        for cand in analysis.phrases:
            start, end = cand.sentence.field.text.file_span(cand.start, cand.end)
            intended = suggestion(cand)
            yield Violation(start, end, f'"{cand.text}" looks like a spun (tortured) phrase for "{intended}"',
                            suggestion=intended,
                            details={"confidence": cand.confidence, "source": cand.via,
                                     "swaps": [f"{s[TEXT]}->{s[UNIT]}" for s in cand.swaps if s[CODE] != "="]})


@register
class SpunDocument(ParaphraseRule):
    """Reports a document that reads as run through an article spinner, once, with its score.

    **Why it matters:** one odd phrase may be a slip; many tortured phrases together with the spinner's
    other marks (connectives swapped mid-sentence, such as "in any case" for "however" and "taking everything
    into account" for "in conclusion"; headings such as "The Rudiments of" and "Future Headings") mean the
    whole text was machine-rewritten, and it needs rewriting by a person, not phrase-by-phrase fixes.

    **Example:** an article with "white platelets", "focal sensory system", "In leukemia, in any case, ..."
    and a "Future Headings:" section is reported once at its first line, with the score and the top
    phrases in ``details``; a long page with such an article inside it is reported at the article's first
    spun line (a page of more than 1,000 words is also judged passage by passage).

    **Options:** as ``paraphrase/tortured-phrase``.
    """

    id = "paraphrase/spun-document"
    severity = Severity.WARNING

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        analysis = document_analysis(doc, ctx)
        if not analysis.is_english or not is_spun(analysis, Settings()) or not doc.prose:
            return
        # at the first line of the text, or of the spun passage of a long page
        prose, first = (doc.prose[0], 0) if analysis.passage is None else (analysis.passage.field,
                                                                            analysis.passage.start)
        text = prose.text.text
        start, end = prose.text.file_span(first, first + len(text[first:].split("\n", 1)[0].rstrip()))
        top = sorted(analysis.phrases, key=lambda c: -c.confidence)[:5]
        where = "" if analysis.passage is None else " from here"
        yield Violation(start, end, f"the text reads as machine-spun{where}: {len(analysis.phrases)} tortured "
                                    f"phrases and {len(analysis.marks)} spinner marks (score {analysis.score})",
                        details={"score": analysis.score, "phrases": len(analysis.phrases),
                                 "top_phrases": [f"{c.text} -> {suggestion(c)}" for c in top],
                                 "marks": sorted({m.phrase for *_, m in analysis.marks})})


@register
class NotEnglish(ParaphraseRule):
    """Reports, for information, a document that is not English prose, which the paraphrase rules skip.

    **Why it matters:** the detector reads English; on other languages it would either stay silent without
    saying so or flood the report. This finding says why no paraphrase finding was made.

    **Example:** a page in Spanish ("La leucemia es un cáncer de la sangre...") gets one info finding
    with the share of English words in ``details``.
    """

    id = "paraphrase/not-english"
    severity = Severity.INFO

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        analysis = document_analysis(doc, ctx)
        if analysis.is_english or not doc.prose:
            return
        prose = doc.prose[0]
        start, end = prose.text.file_span(0, len(prose.text.text.split("\n", 1)[0].rstrip()))
        yield Violation(start, end, f"not checked for spun phrases: only {analysis.english:.0%} of the words "
                                    f"are English", details={"english_ratio": round(analysis.english, 2)})
