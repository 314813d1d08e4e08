"""Helpers for the report-format tests: results built by hand, and reports rendered from them.

Every format is a view of the JSON result, so most tests give a reporter a small hand-made result (with the
source files it points at under a temporary root) and read what it writes.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

from lint import registry
from lint.cli import main
from lint.reporters import REPORTERS, ReportContext


def finding(**fields: Any) -> dict[str, Any]:
    """A finding of the JSON contract; unspecified fields get plain defaults."""
    base: dict[str, Any] = {
        "path": "doc.md", "rule": "schema/unknown-key", "category": "schema", "severity": "warning",
        "message": "unknown key 'auther'", "line": 1, "column": 1, "end_line": 1, "end_column": 7,
        "field": None, "excerpt": "auther", "suggestion": None, "fixable": False, "fix": None, "details": {},
    }
    base.update(fields)
    base["category"] = base["rule"].split("/", 1)[0]
    base["fixable"] = base["fix"] is not None
    return base


def result_of(findings: list[dict[str, Any]], files: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A result around findings, with a files entry per path unless files are given."""
    if files is None:
        paths = sorted({f["path"] for f in findings})
        files = [{"path": p, "schema": "default", "findings": sum(f["path"] == p for f in findings),
                  "metrics": {}} for p in paths]
    severities = Counter(f["severity"] for f in findings)
    return {
        "version": 1, "tool": {"name": "contentlint", "version": "0.1.0"}, "findings": findings, "files": files,
        "summary": {"files": len(files), "findings": len(findings),
                    "by_severity": {level: severities.get(level, 0) for level in ("error", "warning", "info")},
                    "by_rule": dict(sorted(Counter(f["rule"] for f in findings).items()))},
    }


def render(fmt: str, result: dict[str, Any], root: Path, quiet: bool = False) -> str:
    out = io.StringIO()
    REPORTERS[fmt][0](result, out, ReportContext(root=root, quiet=quiet, rules=registry.all_rules()))
    return out.getvalue()


def lint_to(content: Path, fmt: str, output: Path, *extra: str) -> dict[str, Any]:
    """Lint a directory (as its own content root) into a report file; returns the JSON result of the run."""
    main(["check", str(content), "--root", str(content), "--jobs", "1", "--exit-zero", "--quiet",
          "--format", f"json,{fmt}", "--output-dir", str(output), *extra])
    data: dict[str, Any] = json.loads((output / REPORTERS["json"][1]).read_text(encoding="utf-8"))
    return data
