"""One tokenisation of a document's prose, shared by every rule that reads language.

Words and sentences are computed once per document (``Document.memo``) and located by offsets into their
prose field's text, which ``ProseField.text.file_span`` turns into file offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lint.document import Document, ProseField

_WORD = re.compile(r"[^\W_]+(?:[’'\-][^\W_]+)*")
# A sentence ends at . ! ? (with closing quotes/brackets) before whitespace, at a blank line, or at a line
# that has no closing punctuation at all (headings, list items and scraped menu lines).
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|\n\s*\n|\n(?=\s*\S)")
_ABBREVIATIONS = frozenset((
    "e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "prof", "fig", "no", "approx", "al", "cf", "st", "jr",
    "sr", "inc", "ltd", "dept", "mt", "resp",
))


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int  # offsets into the prose field's text
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    field: ProseField
    start: int
    end: int
    words: tuple[Token, ...]

    @property
    def text(self) -> str:
        return self.field.text.text[self.start : self.end]

    def file_span(self) -> tuple[int, int]:
        return self.field.text.file_span(self.start, self.end)


def words_of(text: str, base: int = 0) -> list[Token]:
    return [Token(m.group(), base + m.start(), base + m.end()) for m in _WORD.finditer(text)]


def _split(field: ProseField) -> list[Sentence]:
    text = field.text.text
    found: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if match.group().startswith(".") and _is_abbreviation(text, match.start()):
            continue
        _add(found, field, text, start, end)
        start = end
    _add(found, field, text, start, len(text))
    return found


def _is_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([A-Za-z.]+)$", text[max(0, dot - 12) : dot])
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _add(found: list[Sentence], field: ProseField, text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped_start = start + len(chunk) - len(chunk.lstrip())
    stripped_end = start + len(chunk.rstrip())
    if stripped_end > stripped_start:
        words = tuple(words_of(text[stripped_start:stripped_end], stripped_start))
        if words:
            found.append(Sentence(field, stripped_start, stripped_end, words))


def sentences(doc: Document) -> list[Sentence]:
    """The sentences of all prose fields, in document order."""
    return doc.memo("tokens.sentences", lambda: [s for field in doc.prose for s in _split(field)])


def word_count(doc: Document) -> int:
    return sum(len(s.words) for s in sentences(doc))
