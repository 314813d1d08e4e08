"""Changed lines from git, for pull-request runs: ``contentlint check --diff-base origin/main``.

The change is what ``git diff`` shows between the merge base of REF and HEAD and the working tree (so
uncommitted edits count, and untracked files count as wholly new). When the merge base is unknown, as on a
shallow clone that fetched only the tip of REF, the diff is taken against REF itself and a note says so.
Only files under the content root are considered; paths are relative to it (``git diff --relative``).

A finding is kept when one of its lines was added or modified, when a deletion happened right next to it,
or when it is about the whole document (it starts at line 1, column 1, where the engine places document-level
findings such as a missing field or front matter). Corpus-wide rules still read the whole corpus: only the
reporting is narrowed, not what the rules see.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from lint.config import ConfigError
from lint.result import Finding, RunResult

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


class DiffError(ConfigError):
    """REF is not a commit, git is missing, or the root is not in a repository: exit 2 with the reason."""


@dataclass
class ChangeSet:
    """The lines a change touched, by path relative to the content root; None means the whole file."""

    ref: str
    base: str  # the commit the working tree is compared with
    lines: dict[str, set[int] | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def touches(self, finding: Finding) -> bool:
        if finding.path not in self.lines:
            return False
        touched = self.lines[finding.path]
        if touched is None or (finding.line == 1 and finding.column == 1):
            return True
        last = finding.end_line - 1 if finding.end_column == 1 and finding.end_line > finding.line else finding.end_line
        return any(line in touched for line in range(finding.line, last + 1))

    def narrow(self, result: RunResult) -> int:
        """Drop the findings on untouched lines from a run's result; returns how many were dropped."""
        dropped = 0
        for file in result.files:
            kept = [finding for finding in file.findings if self.touches(finding)]
            dropped += len(file.findings) - len(kept)
            file.findings = kept
        return dropped


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    try:
        completed = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=root, capture_output=True,
                                   check=False)
    except OSError as error:
        raise DiffError(f"cannot run git: {error}") from error
    if check and completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip() or f"exit code {completed.returncode}"
        raise DiffError(f"git {' '.join(args[:2])} failed: {message}")
    return completed


def changes_since(root: Path, ref: str) -> ChangeSet:
    """The changed lines between REF (its merge base with HEAD) and the working tree."""
    if not ref or ref.startswith("-"):
        raise DiffError(f"--diff-base {ref!r}: expected a branch, tag or commit such as origin/main")
    if _git(root, "rev-parse", "--show-toplevel", check=False).returncode != 0:
        raise DiffError(f"--diff-base needs a git repository; {root} is not inside one")
    resolved = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    if resolved.returncode != 0:
        shallow = _git(root, "rev-parse", "--is-shallow-repository", check=False).stdout.strip() == b"true"
        hint = (" This clone is shallow: fetch the base first, e.g. `git fetch --depth=50 origin main`."
                if shallow else " Fetch it first (e.g. `git fetch origin main`) or check the name.")
        raise DiffError(f"--diff-base: '{ref}' is not a commit in this repository.{hint}")
    target = resolved.stdout.decode().strip()
    changes = ChangeSet(ref, target)
    merge_base = _git(root, "merge-base", target, "HEAD", check=False)
    if merge_base.returncode == 0:
        changes.base = merge_base.stdout.decode().strip()
    else:
        changes.notes.append(f"no merge base of {ref} and HEAD (a shallow clone?): comparing with {ref} itself; "
                             f"fetch more history (git fetch --deepen=100) for an exact pull-request diff")
    diff = _git(root, "diff", "--no-color", "--no-ext-diff", "--find-renames", "--relative", "-U0",
                changes.base, "--")
    changes.lines.update(parse_diff(diff.stdout.decode("utf-8", "surrogateescape")))
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z")
    for path in untracked.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if path:
            changes.lines[path] = None
    return changes


def parse_diff(text: str) -> dict[str, set[int] | None]:
    """New-side line numbers touched per file, from ``git diff -U0`` output. New files count whole; a pure
    deletion touches the lines on either side of it; deleted files are left out."""
    files: dict[str, set[int] | None] = {}
    current: set[int] | None = None
    new_file = False
    for line in text.splitlines():
        if line.startswith("diff --git "):
            current, new_file = None, False
        elif line.startswith("new file mode"):
            new_file = True
        elif line.startswith("rename to "):
            current = files.setdefault(_unquote(line[len("rename to "):]), set())
        elif line.startswith("+++ "):
            target = line[4:]
            if target == "/dev/null":
                current = None
                continue
            path = _unquote(target)[2:]  # strip "b/"
            files[path] = None if new_file else files.get(path) or set()
            current = files[path]
        elif current is not None and (match := _HUNK.match(line)):
            start, count = int(match.group(1)), int(match.group(2) or "1")
            if count:
                current.update(range(start, start + count))
            else:
                current.update((max(start, 1), start + 1))
    return files


def _unquote(path: str) -> str:
    """git's C-style quoting of unusual paths ("a\\tb.md", octal bytes for non-UTF-8 names)."""
    if not (path.startswith('"') and path.endswith('"')):
        return path
    data = bytearray()
    body = path[1:-1]
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            following = body[index + 1]
            if following in "01234567":
                data.append(int(body[index + 1 : index + 4], 8))
                index += 4
                continue
            data.append(_ESCAPES.get(following, ord(following)))
            index += 2
            continue
        data.extend(char.encode("utf-8"))
        index += 1
    return data.decode("utf-8", "surrogateescape")


def renames_since_baseline(root: Path, baseline: Path) -> dict[str, str]:
    """Files git sees as renamed since the baseline file was last committed (new path -> old path), relative
    to the content root; empty when git cannot tell (no repository, nothing committed)."""
    try:
        last = _git(root, "log", "-1", "--format=%H", "--", str(baseline), check=False).stdout.decode().strip()
        since = last or "HEAD"
        diff = _git(root, "diff", "--find-renames", "--name-status", "-z", "--relative", since, "--", check=False)
    except DiffError:
        return {}
    if diff.returncode != 0:
        return {}
    fields = diff.stdout.decode("utf-8", "surrogateescape").split("\0")
    renames: dict[str, str] = {}
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index]
        if status[:1] in ("R", "C"):
            renames[fields[index + 2]] = fields[index + 1]
            index += 3
        else:
            index += 2
    return renames
