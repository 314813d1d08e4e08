"""File discovery: which files under the content root are linted, by include globs and gitignore-style excludes.

Nothing outside the content root is read: symlinks that leave it are skipped with a message, and directory
symlinks are never followed (so a symlink loop cannot trap the walk).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pathspec

from lint.config import Settings, config_for_directory, glob_match


@dataclass(frozen=True, slots=True)
class SourceFile:
    abspath: Path
    relpath: str  # relative to the content root, forward slashes


@dataclass
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # skipped paths, told to the user on stderr


@lru_cache(maxsize=64)
def _exclude_spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _gitignore_patterns(root: Path) -> tuple[str, ...]:
    try:
        return tuple((root / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines())
    except OSError:
        return ()


class Discoverer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._gitignore = _gitignore_patterns(root)

    def settings_for(self, directory: Path) -> Settings:
        return config_for_directory(directory, self.root).settings

    def _excluded(self, relpath: str, settings: Settings, is_dir: bool) -> bool:
        patterns = [*settings.exclude, *settings.extend_exclude]
        if settings.respect_gitignore:
            patterns.extend(self._gitignore)
        return _exclude_spec(tuple(patterns)).match_file(relpath + ("/" if is_dir else ""))

    def discover(self, paths: list[Path]) -> Discovery:
        result = Discovery()
        seen: set[Path] = set()
        for given in paths:
            absolute = Path(os.path.abspath(given))
            if not absolute.is_relative_to(self.root):
                result.messages.append(f"{given}: outside the content root {self.root}; skipped")
                continue
            if absolute.is_symlink() or absolute.is_file():
                self._add_file(absolute, result, seen, explicit=True)
            elif absolute.is_dir():
                self._walk(absolute, result, seen)
            else:
                result.messages.append(f"{given}: no such file or directory")
        result.files.sort(key=lambda f: f.relpath)
        return result

    def _relpath(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _add_file(self, path: Path, result: Discovery, seen: set[Path], explicit: bool) -> None:
        relpath = self._relpath(path)
        settings = self.settings_for(path.parent)
        if self._excluded(relpath, settings, is_dir=False):
            return
        if not explicit and not any(glob_match(relpath, pattern) for pattern in settings.include):
            return
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                result.messages.append(f"{relpath}: broken or looping symlink; skipped")
                return
            if not target.is_relative_to(self.root.resolve()):
                result.messages.append(f"{relpath}: symlink to a file outside the content root; skipped")
                return
            if not target.is_file():
                return
        if path in seen:
            return
        seen.add(path)
        result.files.append(SourceFile(path, relpath))

    def _walk(self, top: Path, result: Discovery, seen: set[Path]) -> None:
        for dirpath, dirnames, filenames in os.walk(top, followlinks=False, onerror=None):
            directory = Path(dirpath)
            settings = self.settings_for(directory)
            kept = []
            for name in sorted(dirnames):
                child = directory / name
                if child.is_symlink():
                    continue  # never followed: keeps the walk inside the root and out of loops
                if not self._excluded(self._relpath(child), settings, is_dir=True):
                    kept.append(name)
            dirnames[:] = kept
            for name in filenames:
                self._add_file(directory / name, result, seen, explicit=False)
