"""One tokenisation of a document's prose, shared by every rule that reads language.

Words and sentences are computed once per document (``Document.memo``) and located by offsets into their
prose field's text, which ``ProseField.text.file_span`` turns into file offsets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property
from itertools import accumulate, repeat
from typing import NamedTuple

from lint.document import Document, ProseField

_WORD = re.compile(r"[^\W_]+(?:[’'\-][^\W_]+)*")
# The same words in a text without "_", where \w and [^\W_] are the same set: the regex engine tests a category
# faster than a negated set (a fifth off the hot loop of tokenising). ``_words_regex`` picks one per text.
_WORD_NO_UNDERSCORE = re.compile(_WORD.pattern.replace("[^\\W_]", "\\w"))
_ABBREVIATIONS = frozenset((
    "e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "prof", "fig", "no", "approx", "al", "cf", "st", "jr",
    "sr", "inc", "ltd", "dept", "mt", "resp",
))


def _not_after(word: str) -> str:
    """A lookbehind, placed just after a full stop, that fails when the stop ends ``word`` (any case) and the
    word is the whole run of letters and dots before it ("e.g." and "Dr." but not "x.dr." or "Edr.")."""
    letters = "".join(f"[{c}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)
    return f"(?<!(?<![A-Za-z.]){letters}\\.)"


# A sentence ends at . ! ? (with closing quotes/brackets) before whitespace, at a blank line, or at a line
# that has no closing punctuation at all (headings, list items and scraped menu lines). A full stop after an
# abbreviation or a single letter ends nothing ("Dr. Smith", "e.g. anemia", "J. Smith"): the lookbehinds say
# so inside the regex, so that one scan of the text finds the ends (a run of stops is judged by its first).
# The ideographic full stop and the full-width ! and ? end a sentence with no space after them (Chinese and
# Japanese text). Each alternative starts with a literal character: the regex engine then skips other text at
# C speed.
_PUNCTUATION_REST = "(?<![.!?…].)[.!?…]*[\"'”’)\\]]*(?=\\s|$)"
_SENTENCE_END = re.compile("|".join((
    *(f"{re.escape(mark)}{_PUNCTUATION_REST}" for mark in "!?…"),
    *(f"{mark}[。！？]*[」』）]*" for mark in "。！？"),
    "\\.(?<!(?<![A-Za-z.])[A-Za-z]\\.)" + "".join(map(_not_after, sorted(_ABBREVIATIONS))) + _PUNCTUATION_REST,
    "\n\\s*\n",
    "\n(?=\\s*\\S)",
)))
_SENTENCE_SPLIT = re.compile(f"({_SENTENCE_END.pattern})")  # split() keeps the ends (the group adds no test)


class Token(NamedTuple):  # named tuples: built by the million, and much cheaper than frozen dataclasses
    text: str
    start: int  # offsets into the prose field's text
    end: int


class Sentence:
    """A sentence of a prose field: its span, its words' texts, and its words as Tokens (built on first use:
    most rules need only the texts, and a Token per word is the costliest part of tokenising)."""

    def __init__(self, field: ProseField, start: int, end: int, texts: tuple[str, ...]) -> None:
        self.field, self.start, self.end, self.texts = field, start, end, texts

    @cached_property  # (no __slots__: once computed, reading it is a plain attribute lookup, for hot loops)
    def words(self) -> tuple[Token, ...]:
        """The words with their offsets in the field's text: this sentence's text tokenised on its own (its
        words are those of the field in its span). Rules ask for the words of a few sentences (a fifth, for the
        paraphrase rules' candidates): tokenising only those costs a fifth of tokenising every field."""
        return tuple(words_of(self.field.text.text[self.start : self.end], self.start))

    @property
    def text(self) -> str:
        return self.field.text.text[self.start : self.end]

    def file_span(self) -> tuple[int, int]:
        return self.field.text.file_span(self.start, self.end)

    def __repr__(self) -> str:
        return f"Sentence({self.field.name!r}, {self.start}, {self.end}, {self.text!r})"


_new_tuple = tuple.__new__  # builds a Token without the Python-level NamedTuple.__new__ (a third faster)
_WORD_PARTS = re.compile(f"({_WORD.pattern})")  # split() keeps the words: text between, word, text between...
_WORD_PARTS_NO_UNDERSCORE = re.compile(f"({_WORD_NO_UNDERSCORE.pattern})")


def _words_regex(text: str) -> re.Pattern[str]:
    return _WORD if "_" in text else _WORD_NO_UNDERSCORE


def words_of(text: str, base: int = 0) -> list[Token]:
    """The words of a text with their offsets (plus ``base``), from one split and one running sum (in C)."""
    parts = (_WORD_PARTS if "_" in text else _WORD_PARTS_NO_UNDERSCORE).split(text)
    offsets = list(accumulate(map(len, parts), initial=base))
    return list(map(_new_tuple, repeat(Token), zip(parts[1::2], offsets[1:-1:2], offsets[2::2], strict=True)))


def word_texts(text: str) -> list[str]:
    """The words of a text as strings only (the words of ``words_of``, for callers that need no offsets)."""
    return _words_regex(text).findall(text)


def _split(field: ProseField) -> list[Sentence]:
    """Sentences of one field: the text split at sentence ends (one regex split), and each piece's words found
    (as strings only, by one ``findall`` per piece: offsets wait until a rule asks for ``Sentence.words``). A
    piece without words (punctuation, blank lines) is no sentence. A sentence runs from its first non-space
    character to its closing punctuation (an end at a line break is only whitespace, and is left out)."""
    text = field.text.text
    parts = _SENTENCE_SPLIT.split(text)  # piece, end, piece, end... piece
    if "\n" in parts[1::2]:
        parts = _join_soft_wraps(field, parts)
    parts.append("")  # the last piece has no end
    pieces, ends = parts[0::2], parts[1::2]
    offsets = list(accumulate(map(len, parts), initial=0))
    found: list[Sentence] = []
    for piece, end, words, start in zip(pieces, ends, map(_words_regex(text).findall, pieces), offsets[0:-1:2],
                                           strict=True):
        if words:
            right = start + len(piece) + len(end) if end.strip() else start + len(piece.rstrip())
            found.append(Sentence(field, start + len(piece) - len(piece.lstrip()), right, tuple(words)))
    return found


def _join_soft_wraps(field: ProseField, parts: list[str]) -> list[str]:
    """``parts`` with the line breaks that only wrap a sentence joined into its piece: hard-wrapped prose (a
    text page or markdown body wrapped at 72 columns) is not a sentence per line. A line break wraps when no
    markup was removed at the start of either line (a list item, a heading, a quote: the file has characters
    there that the prose has not) and the lines read on: in a markdown body, the line before ends in a letter,
    a digit or a comma-like mark and is no hard break, and the next starts with a letter, a digit or an opening
    bracket or quote (CommonMark renders a paragraph's lines as one); elsewhere (a text page, whose headings
    and menu lines have no markup) only a line ending in a lowercase letter or a comma before one starting with
    a lowercase letter or "(". Any other line break still ends a sentence."""
    text, offsets = field.text.text, field.text.offsets
    reads_on = _reads_on_markdown if field.markdown else _reads_on_text
    joined: list[str] = []
    current = [parts[0]]  # the pieces and line breaks of the piece being joined
    at = len(parts[0])  # where the end after the current piece starts
    for end, piece in zip(parts[1::2], parts[2::2], strict=True):
        if (end == "\n" and reads_on(current[-1], piece)
                and _plain_line_start(text, offsets, text.rfind("\n", 0, at) + 1)
                and _plain_line_start(text, offsets, at + 1)):
            current += (end, piece)
        else:
            joined += ("".join(current), end)
            current = [piece]
        at += len(end) + len(piece)
    joined.append("".join(current))
    return joined


def _reads_on_text(line: str, next_line: str) -> bool:
    before, after = line.rstrip(" \t\r"), next_line.lstrip(" \t")
    return bool(before and after) and (before[-1].islower() or before[-1] == ",") and (after[0].islower()
                                                                                       or after[0] == "(")


_MARKDOWN_LINE_END = frozenset(",;:)]%'\"’”")
_MARKDOWN_LINE_START = frozenset("([\"“'‘")


def _reads_on_markdown(line: str, next_line: str) -> bool:
    before, after = line.rstrip(" \t\r"), next_line.lstrip(" \t")
    return (bool(before and after) and not line.rstrip("\r").endswith("  ")  # two spaces: a hard line break
            and (before[-1].isalnum() or before[-1] in _MARKDOWN_LINE_END)
            and (after[0].isalnum() or after[0] in _MARKDOWN_LINE_START))


_LINE_INDENT = re.compile(r"[ \t]*")


def _plain_line_start(text: str, offsets: Sequence[int], start: int) -> bool:
    """Whether the prose line starting at ``start`` (after a line break, or at the field's start) starts as its
    file line does: no markup (a list or heading marker, a quote) was removed before its first character."""
    if start == 0:  # the field's first line: its file line may hold a key or marker before the field
        return True
    first = _LINE_INDENT.match(text, start).end()  # type: ignore[union-attr]  # matches the empty string too
    return first >= len(text) or offsets[first] - offsets[start - 1] == first - start + 1


def sentences(doc: Document) -> list[Sentence]:
    """The sentences of all prose fields, in document order."""
    return doc.memo("tokens.sentences", lambda: [s for field in doc.prose for s in _split(field)])


def word_count(doc: Document) -> int:
    return sum(len(s.texts) for s in sentences(doc))
