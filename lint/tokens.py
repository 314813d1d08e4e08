"""One tokenisation of a document's prose, shared by every rule that reads language.

Words and sentences are computed once per document (``Document.memo``) and located by offsets into their
prose field's text, which ``ProseField.text.file_span`` turns into file offsets.
"""

from __future__ import annotations

import bisect
import re
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


class Sentence(NamedTuple):
    field: ProseField
    start: int
    end: int
    words: tuple[Token, ...]

    @property
    def text(self) -> str:
        return self.field.text.text[self.start : self.end]

    def file_span(self) -> tuple[int, int]:
        return self.field.text.file_span(self.start, self.end)


_new_tuple = tuple.__new__  # builds a Token without the Python-level NamedTuple.__new__ (a third faster)


def words_of(text: str, base: int = 0) -> list[Token]:
    return [_new_tuple(Token, (m.group(), base + m.start(), base + m.end())) for m in _WORD.finditer(text)]


def word_texts(text: str) -> list[str]:
    """The words of a text as strings only (the words of ``words_of``, for callers that need no offsets)."""
    return _WORD.findall(text)


def _split(field: ProseField) -> list[Sentence]:
    """Sentences of one field: words found in one pass over the text, then dealt out to sentence spans."""
    text = field.text.text
    words = words_of(text)
    ends = [word.end for word in words]
    found: list[Sentence] = []
    next_word = 0

    def add(start: int, end: int) -> None:
        nonlocal next_word
        first = next_word
        next_word = bisect.bisect_right(ends, end, first)  # the words that end inside the span
        if next_word > first:  # a span without words (punctuation, blank lines) is no sentence
            chunk = text[start:end]
            start += len(chunk) - len(chunk.lstrip())
            found.append(Sentence(field, start, start + len(chunk.strip()), tuple(words[first:next_word])))

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
    return sum(len(s.words) for s in sentences(doc))
