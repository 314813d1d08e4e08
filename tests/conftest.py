"""Shared helpers: run contentlint in-process on files written to a temporary content root."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lint.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def lint_json(root: Path, capsys: pytest.CaptureFixture[str], *extra: str,
              use_cache: bool = False) -> tuple[int, dict[str, Any]]:
    """Lint a directory as its own content root and return (exit code, JSON result).

    Caches are off unless asked for, so no test writes a cache into fixtures/."""
    cache = [] if use_cache else ["--no-cache"]
    code, out, _ = run_cli(["check", str(root), "--root", str(root), "--format", "json", "--jobs", "1", *cache,
                            *extra], capsys)
    return code, json.loads(out)


def write(root: Path, name: str, content: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path
