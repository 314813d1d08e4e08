"""Positions: turning character offsets into 1-based line/column pairs, and prose back into file offsets.

Every finding in contentlint is located by a *character* offset into the decoded file text. Lines and
columns are derived from it here, once, so every rule and reporter agrees on where a thing is.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based line and column, counted in characters."""

    line: int
    column: int


class LineIndex:
    """Maps character offsets of a text to 1-based (line, column) positions.

    A line ends at "\\n"; a "\\r" before it belongs to the line ending, so CRLF files count like LF files.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self.line_starts = starts

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return Position(line + 1, offset - self.line_starts[line] + 1)

    def offset(self, line: int, column: int) -> int:
        """The character offset of a 1-based line/column (clamped to the text)."""
        line = max(1, min(line, len(self.line_starts)))
        return min(self.line_starts[line - 1] + column - 1, len(self.text))

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line ending."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    @property
    def line_count(self) -> int:
        return len(self.line_starts)


@dataclass(slots=True)
class MappedText:
    """A piece of text whose every character knows the file offset it came from.

    ``offsets[i]`` is the file offset of ``text[i]``; ``end_offset`` is the file offset just after the
    piece, so an empty span at the end still has a place.
    """

    text: str
    offsets: Sequence[int]  # a range when the text is a plain slice of the file
    end_offset: int

    @classmethod
    def slice_of(cls, text: str, start: int, end: int) -> MappedText:
        """The file text[start:end], unchanged."""
        return cls(text[start:end], range(start, end), end)

    def file_span(self, start: int, end: int) -> tuple[int, int]:
        """File offsets [start, end) covering the characters text[start:end]."""
        if not self.text:
            return self.end_offset, self.end_offset
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        file_start = self.offsets[start] if start < len(self.text) else self.end_offset
        if end == start:
            return file_start, file_start
        return file_start, self.offsets[end - 1] + 1

    def slice(self, start: int, end: int) -> MappedText:
        end_offset = self.offsets[end] if end < len(self.text) else self.end_offset
        return MappedText(self.text[start:end], self.offsets[start:end], end_offset)


class MappedTextBuilder:
    """Builds a MappedText piece by piece, so that text transformations keep their positions."""

    def __init__(self) -> None:
        self._chars: list[str] = []
        self._offsets: list[int] = []

    def add(self, text: str, offsets: Sequence[int]) -> None:
        self._chars.append(text)
        self._offsets.extend(offsets)

    def add_char(self, char: str, offset: int) -> None:
        self._chars.append(char)
        self._offsets.append(offset)

    def build(self, end_offset: int) -> MappedText:
        return MappedText("".join(self._chars), self._offsets, end_offset)
