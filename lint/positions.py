"""Positions: turning character offsets into 1-based line/column pairs, and prose back into file offsets.

Every finding in contentlint is located by a *character* offset into the decoded file text. Lines and
columns are derived from it here, once, so every rule and reporter agrees on where a thing is.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload


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


class Runs(Sequence[int]):
    """The file offsets of a text's characters, stored as runs: ``bases[k]`` is the file offset of character
    ``starts[k]``, and each following character of the run is one further on, up to the next run.

    A prose field is mostly stretches copied from the file (between markup, folded lines and escapes), so a
    few runs stand for thousands of offsets: building, slicing and copying cost per run, not per character,
    and an offset is one binary search away."""

    __slots__ = ("bases", "length", "starts")

    def __init__(self, starts: list[int], bases: list[int], length: int) -> None:
        self.starts, self.bases, self.length = starts, bases, length

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...

    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self.length)
            return self.window(start, stop) if step == 1 else [self[i] for i in range(start, stop, step)]
        if index < 0:
            index += self.length
        if not 0 <= index < self.length:
            raise IndexError("offset index out of range")
        run = bisect.bisect_right(self.starts, index) - 1
        return self.bases[run] + index - self.starts[run]

    def window(self, start: int, stop: int) -> Runs:
        """The offsets of characters [start, stop), as runs of their own (``self[start:stop]``)."""
        if stop <= start:
            return Runs([], [], 0)
        first = bisect.bisect_right(self.starts, start) - 1
        last = bisect.bisect_left(self.starts, stop, first + 1)
        return Runs([0, *(s - start for s in self.starts[first + 1 : last])],
                    [self.bases[first] + start - self.starts[first], *self.bases[first + 1 : last]], stop - start)

    def runs(self) -> Iterator[tuple[int, int]]:
        """(file offset, length) of each run."""
        ends = [*self.starts[1:], self.length]
        return zip(self.bases, map(operator.sub, ends, self.starts), strict=True)

    def __iter__(self) -> Iterator[int]:
        for base, length in self.runs():
            yield from range(base, base + length)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return len(other) == self.length and all(map(operator.eq, self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Runs({list(self.runs())!r})"


def without(offsets: Sequence[int], indices: list[int]) -> Runs:
    """The offsets less those at the given indices (ascending): one walk over the runs and the indices."""
    source = offsets if isinstance(offsets, Runs) else RunsBuilder.of(offsets)
    out = RunsBuilder()
    add = out.run
    count, i = len(indices), 0
    for start, base, length in zip(source.starts, source.bases, map(operator.sub, [*source.starts[1:], source.length],
                                                                     source.starts), strict=True):
        end, position = start + length, start
        while i < count and indices[i] < end:
            add(base + position - start, indices[i] - position)
            position = indices[i] + 1
            i += 1
        add(base + position - start, end - position)
    return out.build()


class RunsBuilder:
    """Collects file offsets run by run (an offset that continues the last run only lengthens it)."""

    __slots__ = ("bases", "length", "starts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.bases: list[int] = []
        self.length = 0

    def run(self, base: int, length: int) -> None:
        """``length`` characters at file offsets base, base + 1, ..."""
        if length <= 0:
            return
        if not self.starts or self.bases[-1] + self.length - self.starts[-1] != base:
            self.starts.append(self.length)
            self.bases.append(base)
        self.length += length

    def extend(self, offsets: Sequence[int]) -> None:
        if isinstance(offsets, Runs):
            for base, length in offsets.runs():
                self.run(base, length)
        elif isinstance(offsets, range) and offsets.step == 1:
            self.run(offsets.start, len(offsets))
        else:
            for offset in offsets:
                self.run(offset, 1)

    def build(self) -> Runs:
        return Runs(self.starts, self.bases, self.length)

    @classmethod
    def of(cls, offsets: Sequence[int]) -> Runs:
        builder = cls()
        builder.extend(offsets)
        return builder.build()


@dataclass(slots=True)
class MappedText:
    """A piece of text whose every character knows the file offset it came from.

    ``offsets[i]`` is the file offset of ``text[i]``; ``end_offset`` is the file offset just after the
    piece, so an empty span at the end still has a place.
    """

    text: str
    offsets: Sequence[int]  # a range when the text is a plain slice of the file, else Runs
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
        self._offsets = RunsBuilder()

    def add(self, text: str, offsets: Sequence[int]) -> None:
        self._chars.append(text)
        self._offsets.extend(offsets)

    def add_char(self, char: str, offset: int) -> None:
        self._chars.append(char)
        self._offsets.run(offset, 1)

    def build(self, end_offset: int) -> MappedText:
        return MappedText("".join(self._chars), self._offsets.build(), end_offset)
