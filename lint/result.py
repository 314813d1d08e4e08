"""Findings and the run result: the one JSON contract every report format is a view of.

Contract (version 1)::

    {"version": 1, "tool": {"name", "version"},
     "findings": [{"path", "rule", "category", "severity", "message", "line", "column", "end_line",
                   "end_column", "field", "excerpt", "suggestion", "fixable", "fix", "details"}],
     "files": [{"path", "schema", "findings", "metrics"}],
     "summary": {"files", "findings", "by_severity", "by_rule", "metrics"}}

Lines and columns are 1-based and count characters; the end is exclusive (the column just after the span),
as in SARIF. Findings are sorted by path, line, column, rule. ``summary.metrics`` holds the corpus summaries
of the rules that ran (``Rule.summarize``), by name.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from lint import __version__
from lint.document import Document
from lint.rule import Rule, Severity, Violation

JSON_VERSION = 1
EXCERPT_LIMIT = 120


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    rule: str
    category: str
    severity: Severity
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    field: str | None
    excerpt: str
    suggestion: str | None
    fix: dict[str, Any] | None
    details: dict[str, Any]

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """The inverse of to_dict (for cached and merged results)."""
        fields = {name: data[name] for name in cls.__slots__ if name != "severity"}
        return cls(severity=Severity(data["severity"]), **fields)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.rule)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity.value,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "field": self.field,
            "excerpt": self.excerpt,
            "suggestion": self.suggestion,
            "fixable": self.fixable,
            "fix": self.fix,
            "details": self.details,
        }


def excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_LIMIT else text[: EXCERPT_LIMIT - 1] + "…"


def make_finding(doc: Document, rule: type[Rule], severity: Severity, violation: Violation) -> Finding:
    """Locate a rule's violation in the document: lines, columns, front-matter field and excerpt."""
    length = len(doc.text)
    start = max(0, min(violation.start, length))
    end = max(start, min(violation.end, length))
    begin = doc.lines.position(start)
    finish = doc.lines.position(end)
    fix = None
    if violation.fix is not None:
        edits = []
        for edit in violation.fix.edits:
            edit_start, edit_end = doc.lines.position(edit.start), doc.lines.position(edit.end)
            edits.append({"line": edit_start.line, "column": edit_start.column, "end_line": edit_end.line,
                          "end_column": edit_end.column, "content": edit.text})
        fix = {"description": violation.fix.description, "safe": violation.fix.safe, "edits": edits}
    return Finding(
        path=doc.path,
        rule=rule.id,
        category=rule.category.value,
        severity=severity,
        message=violation.message,
        line=begin.line,
        column=begin.column,
        end_line=finish.line,
        end_column=finish.column,
        field=doc.field_at(start),
        excerpt=excerpt(doc.text[start:end]),
        suggestion=violation.suggestion,
        fix=fix,
        details=violation.details,
    )


@dataclass
class FileResult:
    path: str
    schema: str | None = None
    findings: list[Finding] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    fixes: Counter[str] = field(default_factory=Counter)  # fixes applied by --fix (or shown by --diff), by rule
    diff: str = ""  # with --diff: the fixes as a unified diff
    fix_error: str | None = None  # why --fix did not write the file
    digest: str | None = None  # content hash of the bytes checked, for the result cache
    stamp: tuple[int, int] | None = None  # (mtime_ns, size) before the file was read

    @property
    def fixed(self) -> int:
        return sum(self.fixes.values())

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "schema": self.schema, "findings": len(self.findings),
                "metrics": self.metrics}


@dataclass
class RunResult:
    files: list[FileResult] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # skipped paths, notes for stderr
    rules: list[type[Rule]] = field(default_factory=list)  # every rule that ran on some file

    def metric_summaries(self) -> dict[str, Any]:
        """What the rules that ran make of all files' metrics (``Rule.summarize``), by name."""
        file_metrics = {f.path: f.metrics for f in sorted(self.files, key=lambda f: f.path)}
        summaries: dict[str, Any] = {}
        for rule in self.rules:
            summaries.update(rule.summarize(file_metrics))
        return summaries

    @property
    def findings(self) -> list[Finding]:
        return sorted((f for file in self.files for f in file.findings), key=Finding.sort_key)

    def to_dict(self) -> dict[str, Any]:
        findings = self.findings
        by_severity = Counter(f.severity.value for f in findings)
        return {
            "version": JSON_VERSION,
            "tool": {"name": "contentlint", "version": __version__},
            "findings": [f.to_dict() for f in findings],
            "files": [f.to_dict() for f in sorted(self.files, key=lambda f: f.path)],
            "summary": {
                "files": len(self.files),
                "findings": len(findings),
                "by_severity": {level.value: by_severity.get(level.value, 0) for level in Severity},
                "by_rule": dict(sorted(Counter(f.rule for f in findings).items())),
                "metrics": self.metric_summaries(),
            },
        }


def merge_results(results: list[dict[str, Any]]) -> RunResult:
    """One result from the JSON results of several shards (identical to a run over all their files)."""
    from lint.registry import all_rules

    merged = RunResult()
    findings: dict[str, list[Finding]] = {}
    summaries: set[str] = set()
    for data in results:
        if data.get("version") != JSON_VERSION:
            raise ValueError(f"result version {data.get('version')!r}, expected {JSON_VERSION}")
        summaries.update(data["summary"].get("metrics", {}))
        for item in data["findings"]:
            findings.setdefault(item["path"], []).append(Finding.from_dict(item))
    for data in results:
        for file in data["files"]:
            merged.files.append(FileResult(file["path"], file["schema"], findings.get(file["path"], []),
                                           file["metrics"]))
    # the rules whose corpus summaries the shards carried summarise the merged files again
    merged.rules = [rule for rule in all_rules().values() if set(rule.summarize({})) & summaries]
    return merged
