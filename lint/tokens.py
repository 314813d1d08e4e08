"""One tokenisation of a document's prose, shared by every rule that reads language.

Words and sentences are computed once per document (``Document.memo``) and located by offsets into their
prose field's text, which ``ProseField.text.file_span`` turns into file offsets.
"""

from __future__ import annotations

import re
from functools import cached_property
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


class Sentence:
    """A sentence of a prose field: its span, its words' texts, and its words as Tokens (built on first use:
    most rules need only the texts, and a Token per word is the costliest part of tokenising)."""

    def __init__(self, field: ProseField, start: int, end: int, texts: tuple[str, ...], field_words: _FieldWords,
                 first: int) -> None:
        self.field, self.start, self.end, self.texts = field, start, end, texts
        self._field_words, self._first = field_words, first  # this sentence's words start at word `first`

    @cached_property  # (no __slots__: once computed, reading it is a plain attribute lookup, for hot loops)
    def words(self) -> tuple[Token, ...]:
        """The words with their offsets in the field's text. A rule that asks for one sentence's words asks for
        all of them: the field is tokenised once, on the first request, and each sentence takes its slice
        (every word is in exactly one sentence, in order)."""
        return tuple(self._field_words.tokens()[self._first : self._first + len(self.texts)])

    @property
    def text(self) -> str:
        return self.field.text.text[self.start : self.end]

    def file_span(self) -> tuple[int, int]:
        return self.field.text.file_span(self.start, self.end)

    def __repr__(self) -> str:
        return f"Sentence({self.field.name!r}, {self.start}, {self.end}, {self.text!r})"


class _FieldWords:
    """The words of one prose field as Tokens, computed on first request and shared by its sentences."""

    __slots__ = ("_text", "_tokens")

    def __init__(self, text: str) -> None:
        self._text = text
        self._tokens: list[Token] | None = None

    def tokens(self) -> list[Token]:
        if self._tokens is None:
            self._tokens = words_of(self._text)
        return self._tokens


_new_tuple = tuple.__new__  # builds a Token without the Python-level NamedTuple.__new__ (a third faster)
_WORD_PARTS = re.compile(f"({_WORD.pattern})")  # split() keeps the words: text between, word, text between...


def words_of(text: str, base: int = 0) -> list[Token]:
    """The words of a text with their offsets (plus ``base``), from one split and one running sum (in C)."""
    parts = _WORD_PARTS.split(text)
    offsets = list(accumulate(map(len, parts), initial=base))
    return list(map(_new_tuple, repeat(Token), zip(parts[1::2], offsets[1:-1:2], offsets[2::2], strict=True)))


def word_texts(text: str) -> list[str]:
    """The words of a text as strings only (the words of ``words_of``, for callers that need no offsets)."""
    return _WORD.findall(text)


def _split(field: ProseField) -> list[Sentence]:
    """Sentences of one field: the text cut at sentence ends, and each piece's words found (as strings only:
    offsets wait until a rule asks for ``Sentence.words``)."""
    text = field.text.text
    find_words = _WORD.findall
    found: list[Sentence] = []
    field_words = _FieldWords(text)
    first = 0  # the field's words before this sentence

    def add(start: int, end: int) -> None:
        nonlocal first
        chunk = text[start:end]
        words = find_words(chunk)
        if words:  # a span without words (punctuation, blank lines) is no sentence
            start += len(chunk) - len(chunk.lstrip())
            found.append(Sentence(field, start, start + len(chunk.strip()), tuple(words), field_words, first))
            first += len(words)

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
    return doc.memo("tokens.sentences", lambda: [s for field in doc.prose for s in _split(field)])


def word_count(doc: Document) -> int:
    return sum(len(s.texts) for s in sentences(doc))
