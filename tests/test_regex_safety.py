"""Every regular expression in the engine and the rules survives pathological input (no catastrophic
backtracking): each is run over inputs built to trigger it, under a generous hang guard.

The guard detects a hang (seconds where microseconds are expected); it does not measure speed."""

from __future__ import annotations

import importlib
import pkgutil
import re
import signal
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

import lint
import rules

HANG_SECONDS = 5.0
INPUTS = [
    "a" * 20_000 + "!",
    " " * 20_000 + "x",
    "\n" * 20_000 + "x",
    " \n" * 10_000 + "x",
    "-" * 10_000 + "x",
    "." * 10_000 + "x",
    "a." * 5_000 + "!",
    "[" * 5_000 + "x",
    "*" * 5_000 + "x",
    "_" * 5_000 + "x",
    "&" * 5_000 + "#x",
    "<" * 5_000 + "a",
    "<!--" * 2_000,
    "```\n" * 2_000,
    "http://" + "a" * 10_000 + "(",
    "1/" * 5_000 + "x",
    "4/8/" * 3_000,
    "'" * 5_000 + "a",
    "aA" * 5_000 + "?",
    "é" * 10_000 + "\u00e2\u20ac",
    "Ã" * 5_000 + "©",
    "Last updated: " * 1_000,
    "word " * 10_000 + "!",
    "related_article" * 1_000,
    "| a " * 5_000,
    "# " * 5_000 + "\n",
]


def _modules(package: ModuleType) -> Iterator[ModuleType]:
    yield package
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if info.name.endswith("__main__"):
            continue
        yield importlib.import_module(info.name)


def _patterns(value: Any, depth: int = 0) -> Iterator[re.Pattern[str]]:
    if isinstance(value, re.Pattern):
        if isinstance(value.pattern, str):
            yield value
    elif depth < 2 and isinstance(value, (list, tuple, frozenset, set)):
        for item in value:
            yield from _patterns(item, depth + 1)
    elif depth < 2 and isinstance(value, dict):
        for item in value.values():
            yield from _patterns(item, depth + 1)


PATTERNS = sorted(
    {(module.__name__, name, pattern.pattern, pattern.flags): pattern
     for package in (lint, rules) for module in _modules(package)
     for name, value in vars(module).items() for pattern in _patterns(value)}.items(),
    key=lambda item: item[0][:2])


class _Hang(Exception):
    pass


def _interrupt(signum: int, frame: Any) -> None:
    raise _Hang


def test_the_regexes_are_found() -> None:
    assert len(PATTERNS) >= 30


@pytest.mark.parametrize(("key", "pattern"), PATTERNS, ids=[f"{k[0]}.{k[1]}" for k, _ in PATTERNS])
def test_no_catastrophic_backtracking(key: tuple[str, str, str, int], pattern: re.Pattern[str]) -> None:
    previous = signal.signal(signal.SIGALRM, _interrupt)
    try:
        for text in INPUTS:
            signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
            try:
                for _ in pattern.finditer(text):
                    pass
            except _Hang:
                pytest.fail(f"{key[0]}.{key[1]} hangs on {text[:30]!r}... ({len(text)} characters)")
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)
