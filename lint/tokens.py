"""One tokenisation of a document's prose, shared by every rule that reads language.

Words and sentences are computed once per document (``Document.memo``) and located by offsets into their
prose field's text, which ``ProseField.text.file_span`` turns into file offsets.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate, repeat
from typing import NamedTuple

from lint.document import Document, ProseField

_WORD = re.compile(r"[^\W_]+(?:[’'\-][^\W_]+)*")
# A sentence ends at . ! ? (with closing quotes/brackets) before whitespace, at a blank line, or at a line
# that has no closing punctuation at all (headings, list items and scraped menu lines).
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|\n\s*\n|\n(?=\s*\S)")
_WORD_BEFORE_DOT = re.compile(r"([A-Za-z.]+)$")
_ABBREVIATIONS = frozenset((
    "e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "prof", "fig", "no", "approx", "al", "cf", "st", "jr",
    "sr", "inc", "ltd", "dept", "mt", "resp",
))


class Token(NamedTuple):  # named tuples: built by the million, and much cheaper than frozen dataclasses
    text: str
    start: int  # offsets into the prose field's text
    end: int


class FieldWords(NamedTuple):
    """The words of one prose field, as parallel lists (built in C: no Python object per word yet)."""

    texts: list[str]
    starts: list[int]
    ends: list[int]


class Sentence:
    """A sentence of a prose field: its span, its words' texts, and its words as Tokens (built on first use:
    most rules need only the texts, and a Token per word is the costliest part of tokenising)."""

    __slots__ = ("_all", "_first", "_words", "end", "field", "start", "texts")

    def __init__(self, field: ProseField, start: int, end: int, words: FieldWords, first: int, last: int) -> None:
        self.field, self.start, self.end = field, start, end
        self.texts: tuple[str, ...] = tuple(words.texts[first:last])
        self._all, self._first = words, first
        self._words: tuple[Token, ...] | None = None

    @property
    def words(self) -> tuple[Token, ...]:
        if self._words is None:
            first, last = self._first, self._first + len(self.texts)
            self._words = tuple(map(_new_tuple, repeat(Token), zip(
                self.texts, self._all.starts[first:last], self._all.ends[first:last], strict=True)))
        return self._words

    @property
    def text(self) -> str:
        return self.field.text.text[self.start : self.end]

    def file_span(self) -> tuple[int, int]:
        return self.field.text.file_span(self.start, self.end)

    def __repr__(self) -> str:
        return f"Sentence({self.field.name!r}, {self.start}, {self.end}, {self.text!r})"


_new_tuple = tuple.__new__  # builds a Token without the Python-level NamedTuple.__new__ (a third faster)
_WORD_PARTS = re.compile(f"({_WORD.pattern})")  # split() keeps the words: text between, word, text between...


def _field_words(text: str, base: int = 0) -> FieldWords:
    """The words of a text and their offsets, from one split and one running sum (both in C)."""
    parts = _WORD_PARTS.split(text)
    offsets = list(accumulate(map(len, parts), initial=base))
    return FieldWords(parts[1::2], offsets[1:-1:2], offsets[2::2])


def words_of(text: str, base: int = 0) -> list[Token]:
    words = _field_words(text, base)
    return list(map(_new_tuple, repeat(Token), zip(words.texts, words.starts, words.ends, strict=True)))


def word_texts(text: str) -> list[str]:
    """The words of a text as strings only (the words of ``words_of``, for callers that need no offsets)."""
    return _WORD.findall(text)


def _split(field: ProseField, words: FieldWords) -> list[Sentence]:
    """Sentences of one field: its words (found in one pass over the text) dealt out to sentence spans."""
    text = field.text.text
    ends = words.ends
    found: list[Sentence] = []
    next_word = 0

    def add(start: int, end: int) -> None:
        nonlocal next_word
        first = next_word
        next_word = bisect.bisect_right(ends, end, first)  # the words that end inside the span
        if next_word > first:  # a span without words (punctuation, blank lines) is no sentence
            chunk = text[start:end]
            start += len(chunk) - len(chunk.lstrip())
            found.append(Sentence(field, start, start + len(chunk.strip()), words, first, next_word))

    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith(".") and _is_abbreviation(text, match.start()):
            continue
        add(start, match.end())
        start = match.end()
    add(start, len(text))
    return found


def _is_abbreviation(text: str, dot: int) -> bool:
    word = _WORD_BEFORE_DOT.search(text, max(0, dot - 12), dot)
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def sentences(doc: Document) -> list[Sentence]:
    """The sentences of all prose fields, in document order."""
    return doc.memo("tokens.sentences", lambda: [
        s for field, words in zip(doc.prose, field_words(doc), strict=True) for s in _split(field, words)])


def field_words(doc: Document) -> list[FieldWords]:
    """The words of each prose field (aligned with ``doc.prose``), for rules that split prose other than
    into sentences (paragraphs, lines): the words within a span are a slice, found by bisection."""
    return doc.memo("tokens.field_words", lambda: [_field_words(field.text.text) for field in doc.prose])


def word_count(doc: Document) -> int:
    return sum(len(s.words) for s in sentences(doc))
