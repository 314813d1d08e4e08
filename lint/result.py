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

import json
import marshal
import sys
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import ItemsView, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, overload

from lint import __version__
from lint.document import Document
from lint.rule import Rule, Severity, Violation
from lint.spool import Spool

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


def encode_finding(finding: Finding) -> str:
    """A finding as one line of the JSON contract (also what the result cache stores)."""
    return json.dumps(finding.to_dict(), ensure_ascii=False)


def decode_finding(line: str) -> Finding:
    return Finding.from_dict(json.loads(line))


Kind = tuple[str, str]  # (rule, severity) of a finding
_KINDS: dict[Kind, Kind] = {}  # one shared tuple per kind: a file's kinds then cost a pointer each


def kind_of(rule: str, severity: str) -> Kind:
    key = (rule, severity)
    return _KINDS.setdefault(key, key)


NO_FIXES: Mapping[str, int] = {}  # shared by every result without fixes; typed read-only (and pickles)
_KIND_SETS: dict[tuple[Kind, ...], tuple[Kind, ...]] = {}  # a file's kinds, sorted: thousands of files share one
KIND_SETS_MAX = 100_000


def _shared_kinds(kinds: tuple[Kind, ...]) -> tuple[Kind, ...]:
    key = tuple(sorted(kinds))
    if len(_KIND_SETS) >= KIND_SETS_MAX:
        _KIND_SETS.clear()
    return _KIND_SETS.setdefault(key, key)


class FileResult:
    """One file's outcome. Its findings are held as Finding objects, or as the JSON contract lines they encode
    to (joined by newlines: a result from the cache or a worker process), or in the run's spool (lint.spool);
    they are decoded only if something reads ``findings``: the JSON report copies the lines as they are.
    Once spooled, ``metrics`` too is read back from the spool (a fresh dict on each read)."""

    __slots__ = (
        "_findings",
        "_kinds",
        "_metrics",
        "_metrics_text",
        "_spool",
        "_spool_entry",
        "_text",
        "diff",
        "digest",
        "fix_error",
        "fixes",
        "path",
        "schema",
        "scoped",
        "stamp",
    )

    def __init__(self, path: str, schema: str | None = None, findings: list[Finding] | None = None,
                 metrics: dict[str, Any] | None = None, *, metrics_text: str | None = None,
                 encoded: str | bytes | None = None,
                 kinds: tuple[Kind, ...] | None = None) -> None:
        self.path = path
        self.schema = schema
        self.fixes: Mapping[str, int] = NO_FIXES  # fixes applied by --fix (or shown by --diff), by rule
        self.diff = ""  # with --diff: the fixes as a unified diff
        self.fix_error: str | None = None  # why --fix did not write the file
        self.digest: str | None = None  # content hash of the bytes checked, for the result cache
        self.stamp: tuple[int, int] | None = None  # (mtime_ns, size) before the file was read
        self.scoped = False  # whether its findings depend on their rules' cache scope (Rule.cache_scope)
        self._findings = findings if findings is not None or encoded is not None else []
        self._text = encoded  # the findings' JSON lines in report order, joined by newlines (as UTF-8 from a cache)
        self._spool: Spool | None = None  # once spooled: the spool, and the number of the file's entry in it
        self._spool_entry = 0
        self._kinds = kinds  # each finding's (rule, severity), known without decoding
        self._metrics: dict[str, Any] | None = metrics if metrics is not None or metrics_text is not None else {}
        self._metrics_text = metrics_text  # the metrics as JSON (from a cache), not decoded unless read

    @property
    def findings(self) -> list[Finding]:
        if self._findings is None:
            self._findings = [decode_finding(line) for line in self.encoded()]
        return self._findings

    @findings.setter
    def findings(self, findings: list[Finding]) -> None:
        self._unspool()
        self._findings, self._text, self._kinds = findings, None, None

    @property
    def metrics(self) -> dict[str, Any]:
        """What the rules measured in the file (files[].metrics in JSON)."""
        if self._metrics is None:
            return json.loads(self.metrics_text())  # type: ignore[no-any-return]
        return self._metrics

    @metrics.setter
    def metrics(self, metrics: dict[str, Any]) -> None:
        self._unspool()
        self._metrics, self._metrics_text = metrics, None

    def metrics_text(self) -> str:
        """The metrics as JSON, as files[].metrics holds them."""
        if self._spool is not None:
            return self._spool.read_metrics(self._spool_entry)
        if self._metrics_text is None:
            return json.dumps(self._metrics, ensure_ascii=False)
        return self._metrics_text

    @property
    def count(self) -> int:
        return len(self.kinds())

    def encoded_text(self) -> str:
        """The findings as JSON contract lines in report order, joined by newlines."""
        if self._spool is not None:
            return self._spool.read(self._spool_entry)
        if isinstance(self._text, bytes):
            return self._text.decode("utf-8", "surrogatepass")
        if self._text is None:
            self._text = "\n".join(encode_finding(f) for f in sorted(self.findings, key=Finding.sort_key))
        return self._text

    def encoded(self) -> list[str]:
        text = self.encoded_text()
        return text.split("\n") if text else []

    def kinds(self) -> tuple[Kind, ...]:
        """Each finding's (rule, severity)."""
        if self._kinds is None:
            self._kinds = tuple(kind_of(f.rule, f.severity.value) for f in self.findings)
        return self._kinds

    def tally(self) -> Counter[Kind]:
        """How many findings of each (rule, severity)."""
        return Counter(self.kinds())

    def pack(self) -> None:
        """Keep the findings only in their encoded form (smaller to send between processes)."""
        self.encoded_text()
        self.kinds()
        self._findings = None

    def spool_to(self, spool: Spool) -> None:
        """Move the findings, metrics and the rest of the result into the run's spool (``from_record`` reads
        it all back, with values many files share held once)."""
        if self._spool is not spool:
            findings = self._text if isinstance(self._text, bytes) else self.encoded_text()
            tally = tuple(self.tally().items())  # a few kinds, where each finding's kind is thousands on some pages
            record = marshal.dumps((self.path, self.schema, tally, dict(self.fixes), self.diff, self.fix_error))
            self._spool, self._spool_entry = spool, spool.add(findings, self.metrics_text(), record)
            self._findings = self._text = self._metrics = self._metrics_text = None
        if isinstance(self.schema, str):
            self.schema = sys.intern(self.schema)
        self.digest = self.stamp = None  # only the result cache needed them, and it has stored them

    @classmethod
    def from_record(cls, spool: Spool, entry: int, record: bytes) -> FileResult:
        """The result ``spool_to`` put in entry ``entry`` of ``spool``, whose record is ``record`` (its findings
        and metrics stay in the spool until read)."""
        path, schema, tally, fixes, diff, fix_error = marshal.loads(record)
        kinds = tuple(kind_of(*kind) for kind, count in tally for _ in range(count))
        result = cls(path, sys.intern(schema) if schema is not None else None, kinds=_shared_kinds(kinds))
        result.fixes, result.diff, result.fix_error = fixes or NO_FIXES, diff, fix_error
        result._spool, result._spool_entry = spool, entry
        result._findings = result._metrics = None
        return result

    def _unspool(self) -> None:
        """Bring the findings and metrics back into memory (one of them is about to be replaced)."""
        if self._spool is not None:
            self._text, self._metrics_text = self.encoded_text(), self.metrics_text()
            self._spool = self._findings = self._metrics = None

    def __getstate__(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip(self.__slots__, state, strict=True):
            setattr(self, name, value)
        if self._kinds is not None:  # shared kind tuples again in this process
            self._kinds = tuple(kind_of(*kind) for kind in self._kinds)
        if not self.fixes:
            self.fixes = NO_FIXES

    @property
    def fixed(self) -> int:
        return sum(self.fixes.values())

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "schema": self.schema, "findings": self.count, "metrics": self.metrics}

    def record_json(self) -> str:
        """to_dict() as JSON, without decoding the metrics (json.dumps of to_dict() gives the same text)."""
        path, schema = (json.dumps(value, ensure_ascii=False) for value in (self.path, self.schema))
        return f'{{"path": {path}, "schema": {schema}, "findings": {self.count}, "metrics": {self.metrics_text()}}}'


class Records(Sequence[dict[str, Any]]):
    """An array of the contract made item by item as it is read, not held whole: its items on a large corpus
    would take more memory than everything else in the run. Equal to a list with equal items."""

    def item(self, index: int) -> dict[str, Any]:
        raise NotImplementedError

    def json_lines(self) -> Iterator[str]:
        """The items as JSON, each piece one or more items separated by newlines (what the JSON report writes)."""
        return (json.dumps(item, ensure_ascii=False) for item in self)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self.item(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("record index out of range")
        return self.item(index)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


class FileRecords(Records):
    """The contract's ``files`` array."""

    def __init__(self, files: list[FileResult]) -> None:
        self._files = files

    def __len__(self) -> int:
        return len(self._files)

    def item(self, index: int) -> dict[str, Any]:
        return self._files[index].to_dict()

    def json_lines(self) -> Iterator[str]:
        return (file.record_json() for file in self._files)


class FindingRecords(Records):
    """The contract's ``findings`` array over files sorted by path (each file's findings are sorted, and the
    sort key starts with the path, so together they are the sorted whole). The JSON report copies each
    file's encoded lines as they are (``json_lines``)."""

    def __init__(self, files: list[FileResult]) -> None:
        self._files = [f for f in files if f.count]
        self._starts = array("q", accumulate((f.count for f in self._files), initial=0))
        self._cached: tuple[int, list[str]] = (-1, [])  # the last file read by index

    def json_lines(self) -> Iterator[str]:
        """Each file's findings as JSON lines joined by newlines, in order."""
        return (file.encoded_text() for file in self._files)

    def __len__(self) -> int:
        return self._starts[-1]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for file in self._files:
            for line in file.encoded():
                yield json.loads(line)

    def item(self, index: int) -> dict[str, Any]:
        number = bisect_right(self._starts, index) - 1
        if self._cached[0] != number:
            self._cached = (number, self._files[number].encoded())
        return json.loads(self._cached[1][index - self._starts[number]])  # type: ignore[no-any-return]


class _MetricsByPath(Mapping[str, dict[str, Any]]):
    """Each file's metrics by path, read from the spool one file at a time (not all held at once), over the
    files sorted by path (found by bisection: a dictionary would be as large as the corpus)."""

    def __init__(self, files: list[FileResult]) -> None:
        self._files = files

    def __getitem__(self, path: str) -> dict[str, Any]:
        position = bisect_right(self._files, path, key=_path) - 1
        if position < 0 or self._files[position].path != path:
            raise KeyError(path)
        return self._files[position].metrics

    def __iter__(self) -> Iterator[str]:
        return map(_path, self._files)

    def __len__(self) -> int:
        return len(self._files)

    def items(self) -> _MetricItems:
        return _MetricItems(self)


class _MetricItems(ItemsView[str, dict[str, Any]]):
    """(path, metrics) in one pass over the files, not a lookup per path."""

    _mapping: _MetricsByPath

    def __iter__(self) -> Iterator[tuple[str, dict[str, Any]]]:
        return ((file.path, file.metrics) for file in self._mapping._files)


def _path(file: FileResult) -> str:
    return file.path


class RunResult:
    """A run's outcome: its files' results, the notes for stderr, the paths given that do not exist (the run
    is then a usage error) and every rule that ran on some file.

    A run adds its files' results with ``keep``: each goes into the run's spool (lint.spool) as it is done,
    so that while the files are checked the main process does not grow by a result object per file (about
    250 bytes each, with its kinds: 25 MB on a 100,000-file corpus, while the workers hold their memos). They
    are read back into ``files`` on first reading, when the reports are written.
    """

    def __init__(self, files: list[FileResult] | None = None, messages: list[str] | None = None,
                 missing: list[str] | None = None, rules: list[type[Rule]] | None = None) -> None:
        self._files = files if files is not None else []
        self.messages = messages if messages is not None else []
        self.missing = missing if missing is not None else []
        self.rules = rules if rules is not None else []
        self._spool: Spool | None = None
        self._kept = 0  # entries of the spool already read into _files

    @property
    def files(self) -> list[FileResult]:
        """The files' results: those added to the list directly, then those kept, in the order they were."""
        if self._spool is not None and self._kept < len(self._spool):
            spool = self._spool
            self._files.extend(FileResult.from_record(spool, entry, record)
                               for entry, record in enumerate(spool.records(self._kept), start=self._kept))
            self._kept = len(spool)
        return self._files

    def keep(self, file_result: FileResult) -> None:
        """Add a file's result, moved into the run's spool until read."""
        if self._spool is None:
            self._spool = Spool()
        file_result.spool_to(self._spool)

    def metric_summaries(self, files: list[FileResult]) -> dict[str, Any]:
        """What the rules that ran make of all files' metrics (``Rule.summarize``), by name; ``files``: this
        run's files sorted by path."""
        file_metrics = _MetricsByPath(files)
        summaries: dict[str, Any] = {}
        for rule in self.rules:
            summaries.update(rule.summarize(file_metrics))
        return summaries

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract. Findings are sorted by path first, so each file's sorted lines, taken in path
        order, are the sorted whole."""
        files = sorted(self.files, key=_path)
        tally: Counter[Kind] = Counter()
        for file in files:
            tally.update(file.kinds())
        by_severity: Counter[str] = Counter()
        by_rule: Counter[str] = Counter()
        for (rule, severity), count in tally.items():
            by_severity[severity] += count
            by_rule[rule] += count
        return {
            "version": JSON_VERSION,
            "tool": {"name": "contentlint", "version": __version__},
            "findings": FindingRecords(files),
            "files": FileRecords(files),
            "summary": {
                "files": len(self.files),
                "findings": by_severity.total(),
                "by_severity": {level.value: by_severity.get(level.value, 0) for level in Severity},
                "by_rule": dict(sorted(by_rule.items())),
                "metrics": self.metric_summaries(files),
            },
        }


_POSITIONS = frozenset(("line", "column", "end_line", "end_column"))
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "path": (str,), "rule": (str,), "category": (str,), "message": (str,), "excerpt": (str,),
    "field": (str, type(None)), "suggestion": (str, type(None)), "fix": (dict, type(None)), "details": (dict,)}


def _checked_finding(item: dict[str, Any]) -> dict[str, Any]:
    """A shard's finding with its fields' types checked. A shard comes from another machine: a position that is
    not a number stopped the sorting of the merged findings with a traceback, and an unchecked string would
    reach the reports as it is. (The severity is checked by Finding.from_dict.)"""
    for name in Finding.__slots__:
        value = item[name]
        if name in _POSITIONS and (value.__class__ is not int or value < 1):
            raise ValueError(f"a finding's {name!r} is {value!r}, not a positive integer")
        if name in _FIELD_TYPES and not isinstance(value, _FIELD_TYPES[name]):
            raise ValueError(f"a finding's {name!r} is {type(value).__name__}")
    return item


class ResultMerger:
    """The JSON results of several shards merged into one result, identical to a run over all their files.

    Shard by shard: each shard's files go into the merged result's spool (lint.spool) as the shard is added, so
    that a merge holds one shard's parsed JSON at a time, not every shard's and every finding as an object
    besides (four shards of 158,678 findings in all: 609 MB at the peak, held whole)."""

    def __init__(self) -> None:
        self.result = RunResult()
        self._summaries: set[str] = set()  # the names of the corpus summaries the shards carried

    def add(self, data: dict[str, Any]) -> None:
        """Add one shard's result. Raises ValueError, KeyError, TypeError or AttributeError, having added
        nothing of it, when it is not a contentlint JSON result."""
        if data.get("version") != JSON_VERSION:
            raise ValueError(f"result version {data.get('version')!r}, expected {JSON_VERSION}")
        summaries = data["summary"].get("metrics", {}).keys()
        findings: dict[str, list[Finding]] = {}
        for item in data["findings"]:
            findings.setdefault(item["path"], []).append(Finding.from_dict(_checked_finding(item)))
        files = [FileResult(file["path"], file["schema"], findings.get(file["path"], []), file["metrics"])
                 for file in data["files"]]
        self._summaries.update(summaries)
        for file in files:
            self.result.keep(file)

    def merged(self) -> RunResult:
        """The merged result, once every shard is added."""
        from lint.registry import all_rules

        # the rules whose corpus summaries the shards carried summarise the merged files again
        self.result.rules = [rule for rule in all_rules().values() if set(rule.summarize({})) & self._summaries]
        return self.result
