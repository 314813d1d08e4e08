"""Inline suppressions: comments in a document that switch rules off for some of its lines.

In a body::

    <!-- contentlint-disable readability/grade -->  ...  <!-- contentlint-enable readability/grade -->
    <!-- contentlint-disable-next-line encoding/mojibake -->
    <!-- contentlint-disable-line links -->

In front matter, a YAML comment on a key's line covers that key's whole value::

    answer: >-  # contentlint: disable=encoding/mojibake

A comment without rules switches every rule off. Rules may be ids or categories.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from lint import registry
from lint.document import Document

_COMMENT = re.compile(
    r"<!--\s*contentlint-(?P<kind>disable-next-line|disable-line|disable|enable)(?P<rules>[^>]*?)\s*-->"
)


@dataclass
class Suppression:
    selectors: frozenset[str]  # empty: every rule
    first_line: int
    last_line: int
    line: int  # where the comment is
    column: int
    used: bool = False

    def covers(self, rule_id: str, line: int) -> bool:
        if not self.first_line <= line <= self.last_line:
            return False
        return not self.selectors or any(registry.matches(rule_id, s) for s in self.selectors)


class Suppressions:
    """A document's suppressions, found by line for the question each finding asks (which of them cover this
    rule on this line?) without a scan of all of them: a page can hold one comment per line it suppresses."""

    def __init__(self, found: list[Suppression]) -> None:
        self.all = found
        self._on_line: dict[int, list[Suppression]] = {}  # those of one line, by it
        self._blocks = sorted((s for s in found if s.first_line != s.last_line), key=lambda s: s.first_line)
        self._block_starts = [block.first_line for block in self._blocks]
        for suppression in found:
            if suppression.first_line == suppression.last_line:
                self._on_line.setdefault(suppression.first_line, []).append(suppression)

    def covering(self, rule_id: str, line: int) -> list[Suppression]:
        started = self._blocks[: bisect_right(self._block_starts, line)]
        return [s for s in (*self._on_line.get(line, ()), *started) if s.covers(rule_id, line)]


def _selectors(text: str) -> frozenset[str]:
    return frozenset(part for part in re.split(r"[\s,]+", text.strip()) if part)


def find_suppressions(doc: Document) -> Suppressions:
    found: list[Suppression] = []
    if "contentlint" not in doc.text:
        return Suppressions(found)
    lines = doc.lines
    last_line = lines.line_count
    open_blocks: list[Suppression] = []
    for match in _COMMENT.finditer(doc.text):
        position = lines.position(match.start())
        selectors = _selectors(match.group("rules"))
        kind = match.group("kind")
        if kind == "disable-next-line":
            found.append(Suppression(selectors, position.line + 1, position.line + 1, position.line,
                                     position.column))
        elif kind == "disable-line":
            found.append(Suppression(selectors, position.line, position.line, position.line, position.column))
        elif kind == "disable":
            block = Suppression(selectors, position.line, last_line, position.line, position.column)
            open_blocks.append(block)
            found.append(block)
        else:  # enable: closes the most recent matching disable
            for block in reversed(open_blocks):
                if block.selectors == selectors or not selectors:
                    block.last_line = position.line
                    open_blocks.remove(block)
                    break
    fm = doc.front_matter
    if fm is not None and fm.suppressions:
        value_ends: dict[int, int] = {}  # the last line of the values of the keys on a line, by that line
        for node in fm.fields.values():
            key_line = lines.position(node.key_start).line
            value_ends[key_line] = max(value_ends.get(key_line, key_line), lines.position(node.value_end).line)
        for line, selectors in fm.suppressions.items():
            column = lines.line_text(line).find("#") + 1
            found.append(Suppression(selectors, line, value_ends.get(line, line), line, column))
    return Suppressions(found)
