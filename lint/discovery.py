"""File discovery: which files under the content root are linted, by include globs and gitignore-style excludes.

Nothing outside the content root is read: symlinks that leave it are skipped with a message, and directory
symlinks are never followed (so a symlink loop cannot trap the walk).
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pathspec

from lint.config import Settings, config_for_directory


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to lint, named by its content root and its path under it. Its absolute path is made when asked
    for: a Path object, or even a string, per file adds up on a 100,000-file corpus."""

    root: str  # absolute; one string shared by every file of a run
    relpath: str  # relative to the content root, forward slashes

    @property
    def location(self) -> str:
        """The absolute path (os.path.join, done for every file of a corpus, would cost ten times more)."""
        return self.root + self.relpath if self.root.endswith("/") else f"{self.root}/{self.relpath}"

    @property
    def abspath(self) -> Path:
        return Path(self.location)

    def __fspath__(self) -> str:  # open() and os.stat() take the file itself
        return self.location


@dataclass
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # skipped paths, told to the user on stderr
    missing: list[str] = field(default_factory=list)  # paths given that do not exist (a usage error)


class Exclusions:
    """Gitignore-style exclude patterns. Without a negation (``!``) a path is excluded when any pattern
    matches it, so pathspec's per-pattern regexes are joined into one and matched once per path (a
    100,000-file walk otherwise spends most of its time trying each pattern in turn); with one, pathspec's
    last-match-wins rules decide."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self._spec = gitignore_spec(patterns)
        self._any: re.Pattern[str] | None = None
        if not any(pattern.include is False for pattern in self._spec.patterns):
            # pathspec names a group in each regex; the joined alternation may hold a name only once
            regexes = [pattern.regex.pattern for pattern in self._spec.patterns if pattern.include and pattern.regex]
            self._any = re.compile("|".join(f"(?:{regex.replace('(?P<ps_d>', '(?:')})" for regex in regexes) or "(?!)")

    def match_file(self, relpath: str) -> bool:
        if self._any is not None:
            return self._any.search(relpath) is not None
        return self._spec.match_file(relpath)


@lru_cache(maxsize=64)
def _exclude_spec(patterns: tuple[str, ...]) -> Exclusions:
    return Exclusions(patterns)


def gitignore_spec(patterns: Iterable[str]) -> pathspec.GitIgnoreSpec:
    """Patterns matched by Python's own regular expressions: pathspec would otherwise pick re2 or hyperscan
    when either happens to be installed, and those raise on a file name that is not UTF-8."""
    return pathspec.GitIgnoreSpec.from_lines(patterns, backend="simple")


@lru_cache(maxsize=64)
def _include_pattern(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for the include globs, with glob_match's rule that ``**/`` also matches no directory."""
    variants = [*patterns, *(p[3:] for p in patterns if p.startswith("**/"))]
    return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in variants) or "(?!)")


def pattern_error(pattern: str) -> str | None:
    """Why pathspec cannot compile a gitignore-style pattern (``[z-a]`` is no regular expression), or None."""
    try:
        gitignore_spec([pattern])
    except re.error as error:
        return error.msg  # without the position, which is in pathspec's translation, not in the pattern
    return None


def _gitignore_patterns(root: Path) -> tuple[str, ...]:
    """The root's .gitignore lines, less those pathspec cannot compile (as git, which lets ``[z-a]`` match
    nothing: one such line ended the whole run with a traceback)."""
    try:
        lines = (root / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ()
    return tuple(line for line in lines if pattern_error(line) is None)


class Discoverer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._root_text = str(root)  # shared by the files found
        self._gitignore = _gitignore_patterns(root)

    def settings_for(self, directory: Path) -> Settings:
        return config_for_directory(directory, self.root).settings

    def _exclusions(self, settings: Settings) -> Exclusions:
        patterns = [*settings.exclude, *settings.extend_exclude]
        if settings.respect_gitignore:
            patterns.extend(self._gitignore)
        return _exclude_spec(tuple(patterns))

    def discover(self, paths: list[Path]) -> Discovery:
        result = Discovery()
        seen: set[str] = set()  # relative paths already taken
        for given in paths:
            absolute = Path(os.path.abspath(given))
            if not absolute.is_relative_to(self.root):
                result.messages.append(f"{given}: outside the content root {self.root}; skipped")
                continue
            if absolute.is_symlink() or absolute.is_file():
                settings = self.settings_for(absolute.parent)
                if not self._exclusions(settings).match_file(self._relpath(absolute)):
                    self._add_file(str(absolute), self._relpath(absolute), absolute.is_symlink(), result, seen)
            elif absolute.is_dir():
                self._walk(absolute, result, seen)
            else:  # a pipe, socket or device exists but holds no text to read (a pipe would wait for a writer)
                problem = ("not a regular file or directory; not read" if absolute.exists()
                           else "no such file or directory")
                result.messages.append(f"{given}: {problem}")
                result.missing.append(str(given))
        result.files.sort(key=lambda f: f.relpath)
        return result

    def _relpath(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _add_file(self, location: str, relpath: str, is_symlink: bool, result: Discovery, seen: set[str]) -> None:
        if is_symlink:
            try:
                target = Path(location).resolve(strict=True)
            except (OSError, RuntimeError):
                result.messages.append(f"{relpath}: broken or looping symlink; skipped")
                return
            if not target.is_relative_to(self.root.resolve()):
                result.messages.append(f"{relpath}: symlink to a file outside the content root; skipped")
                return
            if not target.is_file():
                return
        if relpath in seen:
            return
        seen.add(relpath)
        result.files.append(SourceFile(self._root_text, relpath))

    def _walk(self, top: Path, result: Discovery, seen: set[str]) -> None:
        """Walk a directory tree with os.scandir, whose entries say what is a symlink or a directory without
        another system call per file (the walk of a 100,000-article corpus is mostly that)."""
        pending = [top]
        while pending:
            directory = pending.pop()
            prefix = "" if directory == self.root else self._relpath(directory) + "/"
            settings = self.settings_for(directory)
            excluded = self._exclusions(settings)
            included = _include_pattern(tuple(settings.include))
            try:
                entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
            except OSError:
                continue
            for entry in entries:
                relpath = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    # symlinked directories are never followed: keeps the walk inside the root and out of loops
                    if not excluded.match_file(relpath + "/"):
                        pending.append(directory / entry.name)
                elif ((entry.is_file(follow_symlinks=False) or (entry.is_symlink() and not entry.is_dir()))
                      and included.match(relpath) and not excluded.match_file(relpath)):
                    self._add_file(entry.path, relpath, entry.is_symlink(), result, seen)
