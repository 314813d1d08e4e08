"""The baseline: the findings a corpus already had, recorded so that only new findings fail a run.

``contentlint baseline`` writes ``.contentlint-baseline.json`` in the content root; ``contentlint check`` then
hides the findings it records. A finding is recorded by a fingerprint, not by its line: the rule, the
front-matter field, and the text of the span with a little of its line around it, whitespace-normalised. So
lines inserted above a finding, a paragraph moved elsewhere in the file, or the file renamed (as git sees it,
or with the same content) keep the finding baselined, while an edit of the flagged text itself makes it new.
Identical fingerprints in one file are counted, so a second copy of a known defect is still reported.

The file is sorted and indented so that it diffs well in review. One that cannot be trusted (not JSON, another
format version, unknown rules, malformed entries) is an error naming the problem, never a silent "no baseline"
(every known finding would fail the run) nor a silent "everything is known".
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lint import registry
from lint.config import ConfigError
from lint.document import decode
from lint.positions import LineIndex
from lint.result import Finding, RunResult

BASELINE_NAME = ".contentlint-baseline.json"
FORMAT_VERSION = 1  # bump when the file layout or the fingerprint changes: older files must be rebuilt
CONTEXT_CHARS = 32  # characters of the span's own line(s) taken on each side into the fingerprint
EXCERPT_CHARS = 80
REBUILD_HINT = ("rebuild it with `contentlint baseline` (records the current findings) or run "
                "`contentlint check --no-baseline`")
COMMENT = ("Known contentlint findings, hidden by `contentlint check`. Update with `contentlint baseline --update` "
           "(drops fixed findings) or rebuild with `contentlint baseline`; do not edit by hand.")

Key = tuple[str, str]  # (rule id, fingerprint)


class BaselineError(ConfigError):
    """A baseline file that cannot be used; the CLI prints it and exits with code 2."""


def _normalise(text: str) -> str:
    return " ".join(text.split())


@dataclass
class SourceText:
    """A file's decoded text with its line index, read once for all its findings."""

    text: str
    lines: LineIndex = field(init=False)

    def __post_init__(self) -> None:
        self.lines = LineIndex(self.text)

    @property
    def content_hash(self) -> str:
        """Identifies a file's content whatever its name and line endings: a renamed file keeps it."""
        normalised = self.text.replace("\r\n", "\n")
        return hashlib.sha256(normalised.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class TextReader:
    """Reads the files findings point at, only inside the content root and only up to a size limit."""

    def __init__(self, root: Path, max_size: int) -> None:
        self.root = root.resolve()
        self.max_size = max_size
        self._last: tuple[str, SourceText | None] | None = None  # files are visited one after the other

    def get(self, relpath: str) -> SourceText | None:
        if self._last is None or self._last[0] != relpath:
            self._last = (relpath, self._read(relpath))
        return self._last[1]

    def _read(self, relpath: str) -> SourceText | None:
        if relpath.startswith("/") or ".." in relpath.split("/"):
            return None
        path = self.root / relpath
        try:  # discovery never enters directory symlinks; a file symlink must stay inside the root
            if path.is_symlink() and not path.resolve().is_relative_to(self.root):
                return None
            if path.stat().st_size > self.max_size:
                return None
            return SourceText(decode(path.read_bytes())[0])
        except OSError:
            return None


def _is_file(path: Path) -> bool:
    """Whether a path the baseline names is a file; a name no file system takes (too long) is none (Path.is_file
    raised OSError on it, ending the run)."""
    return os.path.isfile(path)


def fingerprint(finding: Finding, source: SourceText | None) -> str:
    """What identifies a finding across unrelated edits: rule, field, the span's text and its near context on
    its own line(s). Not the line number, not the message (messages may quote line numbers)."""
    span, before, after = _span_and_context(finding, source)
    payload = "\x1f".join((finding.rule, finding.field or "", _normalise(span), _normalise(before), _normalise(after)))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _span_and_context(finding: Finding, source: SourceText | None) -> tuple[str, str, str]:
    if source is None:  # the file is gone or too large: the excerpt is all there is
        return finding.excerpt, "", ""
    lines, text = source.lines, source.text
    start = lines.offset(finding.line, finding.column)
    end = max(start, lines.offset(finding.end_line, finding.end_column))
    line_start = lines.line_starts[min(finding.line, lines.line_count) - 1]
    last = min(finding.end_line, lines.line_count)
    line_end = lines.line_starts[last] - 1 if last < lines.line_count else len(text)
    before = text[max(line_start, start - CONTEXT_CHARS) : start]
    after = text[end : max(end, min(line_end, end + CONTEXT_CHARS))]
    return text[start:end], before, after


# --- the file ---------------------------------------------------------------------------------------------


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    rule: str
    fingerprint: str = Field(pattern=r"^[0-9a-f]{16}$")
    count: int = Field(ge=1)
    excerpt: str = ""


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    content: str = Field(pattern=r"^[0-9a-f]{16}$")
    findings: list[_Entry] = Field(min_length=1)


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    version: int
    comment: str = ""
    files: dict[str, _File]


@dataclass
class FileBaseline:
    """One file's known findings: how many of each (rule, fingerprint), and an excerpt for reviewers."""

    content: str
    counts: Counter[Key] = field(default_factory=Counter)
    excerpts: dict[Key, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Baseline:
    files: dict[str, FileBaseline] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(f.total for f in self.files.values())

    def dumps(self) -> str:
        """The file's text: paths sorted, entries sorted by rule and fingerprint, so it diffs well."""
        files = {}
        for path in sorted(self.files):
            entry = self.files[path]
            if not entry.counts:
                continue
            files[path] = {"content": entry.content, "findings": [
                {"rule": rule, "fingerprint": print_, "count": count, "excerpt": entry.excerpts.get((rule, print_), "")}
                for (rule, print_), count in sorted(entry.counts.items())]}
        document = {"version": FORMAT_VERSION, "comment": COMMENT, "files": files}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    def write(self, path: Path) -> None:
        """Write atomically: a run interrupted half-way leaves the previous baseline, not half of one."""
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(self.dumps(), encoding="utf-8")
        os.replace(temporary, path)


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON keeps the last of two equal keys; a baseline with one (a bad merge) is not to be trusted."""
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"key {key!r} appears twice in one object")
        seen.add(key)
    return dict(pairs)


def load(path: Path) -> Baseline | None:
    """The baseline in ``path``, None when there is no such file; BaselineError when it cannot be trusted."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_refuse_duplicates)
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error}") from error
    except ValueError as error:
        raise BaselineError(f"{path}: the baseline is not valid JSON ({error}; a merge conflict?); "
                            f"{REBUILD_HINT}") from error
    if not isinstance(data, dict) or "version" not in data:
        raise BaselineError(f"{path}: not a contentlint baseline (no 'version'); {REBUILD_HINT}")
    if data["version"] != FORMAT_VERSION:
        raise BaselineError(f"{path}: baseline format version {data['version']!r}, but this contentlint reads "
                            f"version {FORMAT_VERSION} (fingerprints differ between versions); {REBUILD_HINT}")
    try:
        document = _Document.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(p) for p in item['loc'])}: {item['msg']}"
                             for item in error.errors()[:5])
        raise BaselineError(f"{path}: malformed baseline (edited by hand?): {problems}; {REBUILD_HINT}") from error
    return _from_document(path, document)


def _from_document(path: Path, document: _Document) -> Baseline:
    known = registry.all_rules()
    baseline = Baseline()
    for relpath, file in document.files.items():
        if relpath.startswith("/") or "\\" in relpath or ".." in relpath.split("/") or not relpath:
            raise BaselineError(f"{path}: '{relpath}' is not a path relative to the content root; {REBUILD_HINT}")
        entry = FileBaseline(file.content)
        for item in file.findings:
            if item.rule not in known:
                raise BaselineError(f"{path}: {relpath}: unknown rule '{item.rule}' (renamed or removed in this "
                                    f"contentlint?); {REBUILD_HINT}")
            key = (item.rule, item.fingerprint)
            if key in entry.counts:
                raise BaselineError(f"{path}: {relpath}: {item.rule} {item.fingerprint} is listed twice; "
                                    f"{REBUILD_HINT}")
            entry.counts[key] = item.count
            entry.excerpts[key] = item.excerpt
        baseline.files[relpath] = entry
    return baseline


# --- matching findings against the baseline ------------------------------------------------------------------


@dataclass
class Outcome:
    """What matching a run against the baseline found."""

    new: dict[str, list[Finding]] = field(default_factory=dict)  # by path: findings the baseline does not hold
    matched: dict[str, FileBaseline] = field(default_factory=dict)  # by current path: the entries still seen
    baselined: int = 0
    stale: int = 0  # recorded findings of the checked files that no longer occur
    renamed: dict[str, str] = field(default_factory=dict)  # current path -> path in the baseline


RenameSource = Callable[[], dict[str, str]]  # new path -> old path, computed only when needed (git is slow)


class Matcher:
    """Matches each checked file's findings against the baseline, following renamed files."""

    def __init__(self, baseline: Baseline, reader: TextReader, renames: RenameSource) -> None:
        self.baseline = baseline
        self.reader = reader
        self._renames_source = renames
        self._renames: dict[str, str] | None = None
        self._gone: set[str] | None = None  # baseline files no longer on disk and not yet claimed by a rename

    def match(self, findings: dict[str, list[Finding]], checked: Iterable[str]) -> Outcome:
        outcome = Outcome()
        checked = set(checked)
        for path in sorted(checked):
            known = self._source_for(path, bool(findings.get(path)))
            if known is not None and known != path:
                outcome.renamed[path] = known
            self._match_file(path, findings.get(path, []), known, outcome)
        return outcome

    def _match_file(self, path: str, findings: list[Finding], known: str | None, outcome: Outcome) -> None:
        recorded = self.baseline.files.get(known) if known else None
        if not findings:  # nothing to match, and no need to read the file
            outcome.stale += recorded.total if recorded else 0
            return
        remaining = Counter(recorded.counts) if recorded else Counter()
        source = self.reader.get(path)
        kept = FileBaseline(source.content_hash if source else (recorded.content if recorded else "0" * 16))
        for finding in sorted(findings, key=Finding.sort_key):
            key = (finding.rule, fingerprint(finding, source))
            if remaining[key] > 0:
                remaining[key] -= 1
                kept.counts[key] += 1
                kept.excerpts[key] = (recorded.excerpts.get(key) if recorded else None) or _excerpt(finding)
                outcome.baselined += 1
            else:
                outcome.new.setdefault(path, []).append(finding)
        outcome.stale += sum(remaining.values())
        if kept.counts:
            outcome.matched[path] = kept

    def _source_for(self, path: str, has_findings: bool) -> str | None:
        """The baseline path holding this file's findings: its own, or the one it was renamed from."""
        if path in self.baseline.files:
            return path
        if not has_findings:
            return None
        gone = self.orphans()
        if not gone:
            return None
        if self._renames is None:
            self._renames = self._renames_source()
        old = self._renames.get(path)
        if old not in gone:
            source = self.reader.get(path)
            digest = source.content_hash if source else None
            old = next((p for p in sorted(gone) if self.baseline.files[p].content == digest), None)
        if old is not None:
            gone.discard(old)
        return old

    def orphans(self) -> set[str]:
        """Baseline files that no longer exist and that no checked file was renamed from (looked up once:
        a run with thousands of new findings must not stat the baseline's files for each of them)."""
        if self._gone is None:
            self._gone = {p for p in self.baseline.files if not _is_file(self.reader.root / p)}
        return self._gone


def findings_by_path(result: RunResult) -> dict[str, list[Finding]]:
    return {file.path: list(file.findings) for file in result.files if file.count}


def record(findings: dict[str, list[Finding]], reader: TextReader) -> Baseline:
    """A baseline holding every given finding."""
    baseline = Baseline()
    for path, items in findings.items():
        source = reader.get(path)
        entry = FileBaseline(source.content_hash if source else "0" * 16)
        for finding in items:
            key = (finding.rule, fingerprint(finding, source))
            entry.counts[key] += 1
            entry.excerpts.setdefault(key, _excerpt(finding))
        baseline.files[path] = entry
    return baseline


def _excerpt(finding: Finding) -> str:
    return _normalise(finding.excerpt)[:EXCERPT_CHARS]


# --- what the commands do ------------------------------------------------------------------------------------


def hide_known(result: RunResult, baseline: Baseline, matcher: Matcher) -> Outcome:
    """``check``: drop the findings the baseline holds from the run's result, and say how many."""
    outcome = matcher.match(findings_by_path(result), [file.path for file in result.files])
    for file in result.files:
        file.findings = outcome.new.get(file.path, [])
    return outcome


def updated(baseline: Baseline, result: RunResult, matcher: Matcher) -> tuple[Baseline, int, int]:
    """``baseline --update``: keep only recorded findings that still occur (following renames), never add one.
    Returns the new baseline, how many recorded findings were dropped and how many new ones were left out."""
    checked = {file.path for file in result.files}
    outcome = matcher.match(findings_by_path(result), checked)
    moved = set(outcome.renamed.values())
    gone = matcher.orphans()
    kept = Baseline({path: entry for path, entry in baseline.files.items()
                     if path not in checked and path not in moved and path not in gone})
    kept.files.update(outcome.matched)
    left_out = sum(len(items) for items in outcome.new.values())
    return kept, baseline.total - kept.total, left_out


def rebuilt(existing: Baseline | None, result: RunResult, reader: TextReader, everything: bool) -> Baseline:
    """``baseline``: record every current finding. With explicit paths (``everything`` False) only the checked
    files' entries are replaced; those of other files that still exist are kept."""
    fresh = record(findings_by_path(result), reader)
    if existing is None or everything:
        return fresh
    checked = {file.path for file in result.files}
    merged = Baseline({path: entry for path, entry in existing.files.items()
                       if path not in checked and _is_file(reader.root / path)})
    merged.files.update(fresh.files)
    return merged
