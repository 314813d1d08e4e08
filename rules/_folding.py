"""Case-folded text for cheap substring tests in front of case-insensitive regular expressions.

A rule that searches a text with many ``re.IGNORECASE`` patterns pays for each scan in the regex engine. A word
that a pattern must contain can be looked for first with ``in`` (C substring search, many times faster), in the
text folded once, and the pattern skipped when it is absent. That is exact only where folding agrees with the
regex engine: ``foldable`` says where it does.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

import ahocorasick

# The regex parser behind re.compile and its opcodes (no public API reads a pattern's structure): the rules
# that read a pattern's structure take them from here.
_parser: Any = importlib.import_module("re._parser")
_constants: Any = importlib.import_module("re._constants")
REGEX_OPCODES: Any = _constants


def parse_regex(pattern: str, flags: int = 0) -> Any:
    """A pattern's structure as re.compile parses it (``.data``: opcodes and their arguments)."""
    return _parser.parse(pattern, flags)

# The only characters outside ASCII that re.IGNORECASE matches with an ASCII letter, besides what str.lower()
# maps to ASCII: dotted and dotless i and the long s (the Kelvin sign lowers to "k"). tests/test_folding.py
# checks this against every code point.
_IGNORECASE_ODD = ("\u0130", "\u0131", "\u017f")


def foldable(text: str) -> str | None:
    """The text lower-cased, such that for any ASCII string ``word`` and offset ``i``: a case-insensitive regex
    match of ``word`` at ``i``, and a slice of the text at ``i`` that case-folds to ``word.casefold()``, are both
    the result holding ``word.lower()`` at ``i``. None for the rare texts where that does not hold (case folding
    expands some character, as "ß" to "ss", or the text holds a character the regex engine folds its own way)."""
    if text.isascii():  # ASCII folds to itself, letter by letter: no test needed
        return text.lower()
    if len(text.casefold()) != len(text) or any(odd in text for odd in _IGNORECASE_ODD):
        return None
    return text.lower()


def required_word(words: list[str]) -> str | None:
    """Of the words a pattern must contain, the one to test for: the longest ASCII one (long words are the
    rare ones), case-folded; None when none is ASCII."""
    usable = [word for word in words if word.isascii()]
    return max(usable, key=len).casefold() if usable else None


def required_literals(pattern: str, flags: int = 0) -> list[str]:
    """Runs of ASCII characters that every match of a regular expression holds, as written (e.g. "browser" in
    ``(?:upgrade|update) your browser``): the literal characters in a row at the top level of the pattern."""
    runs: list[str] = []
    current: list[str] = []
    for op, value in _parser.parse(pattern, flags).data:
        if op is _constants.LITERAL and value < 128:
            current.append(chr(value))
            continue
        runs.append("".join(current))
        current = []
    runs.append("".join(current))
    return [run for run in runs if run]


def literal_prefix(pattern: str, flags: int = 0) -> str:
    """The ASCII characters every match of a regular expression starts with, as written (after zero-width
    anchors such as ``^``): "search for " in ``search for [\\w-]+ here``; "" when there are none."""
    prefix: list[str] = []
    for op, value in _parser.parse(pattern, flags).data:
        if op is _constants.AT and not prefix:
            continue
        if op is not _constants.LITERAL or value >= 128:
            break
        prefix.append(chr(value))
    return "".join(prefix)


def context_free(items: Iterable[tuple[Any, Any]]) -> bool:
    """Whether a parsed regex matches the same in any stretch of a text (searched with pos and endpos) that holds
    the match as in the whole text: no lookaround, no back-reference, no anchor but the start (which the regex
    engine tests against the real text before ``pos``, and MULTILINE turns into the start of each line)."""
    for op, av in items:
        if op is _constants.BRANCH:
            if not all(context_free(branch) for branch in av[1]):
                return False
        elif op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
            if not context_free(av[2]):
                return False
        elif op is _constants.SUBPATTERN:
            if not context_free(av[-1]):
                return False
        elif op is _constants.AT:
            if av is not _constants.AT_BEGINNING:
                return False
        elif op not in (_constants.LITERAL, _constants.NOT_LITERAL, _constants.IN, _constants.ANY):
            return False
    return True


def match_width(parsed: Any) -> int | None:
    """The length of the longest match of a context-free regular expression (``context_free``; ``parsed`` by
    ``parse_regex``); None when its matches are unbounded or depend on what lies around them."""
    width = parsed.getwidth()[1]
    return width if width < _constants.MAXREPEAT and context_free(parsed.data) else None


def starts_of(folded: str, prefix: str) -> list[int]:
    """Where a case-insensitive match of a regex whose ``literal_prefix`` is ``prefix`` may start, in a text
    folded by ``foldable``: where the folded text holds the prefix lower-cased."""
    needle = prefix.lower()
    found = []
    at = folded.find(needle)
    while at >= 0:
        found.append(at)
        at = folded.find(needle, at + 1)
    return found


_word_of_match = itemgetter(1)  # pyahocorasick yields (end offset, value); the value is the word


class Vocabulary:
    """A fixed set of words, and which of them a folded text may hold: one Aho-Corasick pass over the text
    (pyahocorasick, in C) instead of one substring search per word. Short words ("to", "the", "your") are in
    nearly every text and would only slow the pass down: they are taken as present, never searched."""

    SEARCHED_LENGTH = 4  # words at least this long are searched for

    def __init__(self, words: Iterable[str]) -> None:
        unique = frozenset(words)
        self.assumed = frozenset(word for word in unique if len(word) < self.SEARCHED_LENGTH)
        self.searched = unique - self.assumed
        self._automaton = ahocorasick.Automaton()
        for word in self.searched:
            self._automaton.add_word(word, word)
        if self.searched:
            self._automaton.make_automaton()

    def present(self, folded: str) -> set[str]:
        """The words that occur in the text (as substrings, anywhere), and the short words."""
        if not self.searched:
            return set(self.assumed)
        found = set(map(_word_of_match, self._automaton.iter(folded)))  # (C-level loop over the matches)
        return found.union(self.assumed)
