"""Report formats: each is a view of the one JSON result (lint.result), written to a stream."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from lint.reporters import github_format, html_format, json_format, junit_format, sarif_format, text_format

Result = dict[str, Any]


@dataclass
class ReportContext:
    """What a reporter may use besides the result: where sources live, and how the output is shown."""

    root: Path
    color: bool = False
    quiet: bool = False
    rules: dict[str, Any] = field(default_factory=dict)  # rule id -> rule class, for formats that document rules

    def source_line(self, path: str, line: int) -> str | None:
        """One line of a checked file, for excerpts (read lazily, never outside the root)."""
        lines = self._cache.get(path)
        if lines is None:
            file = (self.root / path).resolve()
            try:
                if not file.is_relative_to(self.root.resolve()) or file.stat().st_size > 5_000_000:
                    return None
                lines = file.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff").split("\n")
            except OSError:
                return None
            self._cache[path] = lines
        return lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else None

    _cache: dict[str, list[str]] = field(default_factory=dict, repr=False)


Reporter = Callable[[Result, TextIO, ReportContext], None]

REPORTERS: dict[str, tuple[Reporter, str]] = {
    # format: (renderer, its file name in --output-dir)
    "text": (text_format.render, "contentlint.txt"),
    "json": (json_format.render, "contentlint.json"),
    "sarif": (sarif_format.render, "report.sarif"),
    "junit": (junit_format.render, "junit.xml"),
    "github": (github_format.render, "github-annotations.txt"),
    "html": (html_format.render, "report.html"),
}
