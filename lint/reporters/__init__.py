"""Report formats: each is a view of the one JSON result (lint.result), written to a stream."""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, TypeVar

Result = dict[str, Any]
T = TypeVar("T")
CACHED_FILES = 8  # files whose lines are held for excerpts: the findings come grouped by file


@dataclass
class ReportContext:
    """What a reporter may use besides the result: where sources live, and how the output is shown."""

    root: Path
    color: bool = False
    quiet: bool = False
    rules: dict[str, Any] = field(default_factory=dict)  # rule id -> rule class, for formats that document rules

    def source_line(self, path: str, line: int) -> str | None:
        """One line of a checked file, for excerpts (read lazily, never outside the root). The lines of the
        last few files read are kept: all of them were, and the text and SARIF reports of 2,000 files of 20 KB
        took 229 MB (a line with an emoji takes four bytes a character)."""
        lines = self._cache.get(path)
        if lines is None:
            if self._resolved_root is None:  # once: resolving walks every directory of the path
                self._resolved_root = self.root.resolve()
            file = (self.root / path).resolve()
            try:
                if not file.is_relative_to(self._resolved_root) or file.stat().st_size > 5_000_000:
                    return None
                lines = file.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff").split("\n")
            except OSError:
                return None
            self._cache[path] = lines
            if len(self._cache) > CACHED_FILES:
                del self._cache[next(iter(self._cache))]  # the file read first, whose findings are done
        return lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else None

    _cache: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _resolved_root: Path | None = field(default=None, repr=False)


Reporter = Callable[[Result, TextIO, ReportContext], None]


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter): the reports write many lines or findings at once."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _on_use(module: str) -> Reporter:
    """A format's renderer, whose module (and libraries: jinja2 for html, rich for text) is imported when a
    report is written in that format, not by every run."""

    def render(result: Result, out: TextIO, context: ReportContext) -> None:
        importlib.import_module(f"lint.reporters.{module}").render(result, out, context)

    return render


REPORTERS: dict[str, tuple[Reporter, str]] = {
    # format: (renderer, its file name in --output-dir)
    "text": (_on_use("text_format"), "contentlint.txt"),
    "json": (_on_use("json_format"), "contentlint.json"),
    "sarif": (_on_use("sarif_format"), "report.sarif"),
    "junit": (_on_use("junit_format"), "junit.xml"),
    "github": (_on_use("github_format"), "github-annotations.txt"),
    "html": (_on_use("html_format"), "report.html"),
}
