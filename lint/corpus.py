"""The corpus index: who is who across all documents of the content root, for cross-document rules.

It is built from the front matter alone (no prose work), from every file under the content root, even when
only a few files are checked: a pre-commit run on two staged files still knows every article's id and url.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from lint import frontmatter
from lint.document import decode

RELATED_PREFIX = "related_article"


@dataclass(frozen=True, slots=True)
class RelatedLink:
    field: str  # "related_article3"
    id: Any
    url: Any
    title: Any
    subject: Any


@dataclass(frozen=True, slots=True)
class CorpusEntry:
    path: str
    id: Any
    url: Any
    file_name: Any
    title: Any
    subject: Any
    related: tuple[RelatedLink, ...] = ()

    @classmethod
    def from_data(cls, path: str, data: dict[str, Any]) -> CorpusEntry:
        related = tuple(
            RelatedLink(key, value.get("id"), value.get("url"), value.get("title"), value.get("subject"))
            for key, value in data.items()
            if isinstance(key, str) and key.startswith(RELATED_PREFIX) and isinstance(value, dict)
        )
        return cls(path, data.get("id"), data.get("url"), data.get("file_name"), data.get("title"),
                   data.get("subject"), related)


def read_front_matter(raw: bytes) -> dict[str, Any] | None:
    """The front matter of a file as data, or None when it has none or it does not parse."""
    text, _, _ = decode(raw)
    block = frontmatter.split(text)
    if block is None or not block.closed:
        return None
    parsed = frontmatter.parse(text, block)
    return parsed.data if parsed.problem is None else None


@dataclass
class CorpusIndex:
    entries: dict[str, CorpusEntry] = field(default_factory=dict)  # by path

    def add(self, entry: CorpusEntry) -> None:
        self.entries[entry.path] = entry

    def update(self, path: str, data: dict[str, Any] | None) -> bool:
        """Replace one document's entry (None: it has no usable front matter any more), for a long-lived
        index such as the language server's. Returns whether the index changed."""
        entry = CorpusEntry.from_data(path, data) if data else None
        if entry == self.entries.get(path):
            return False
        if entry is None:
            del self.entries[path]
        else:
            self.entries[path] = entry
        for name, value in vars(type(self)).items():  # forget every answer computed from the old entries
            if isinstance(value, cached_property):
                self.__dict__.pop(name, None)
        return True

    @classmethod
    def build(cls, files: Iterable[tuple[str, Path]], max_size: int) -> CorpusIndex:
        index = cls()
        for relpath, abspath in files:
            try:
                if abspath.stat().st_size > max_size:
                    continue
                raw = abspath.read_bytes()
            except OSError:
                continue
            data = read_front_matter(raw)
            if data:
                index.add(CorpusEntry.from_data(relpath, data))
        return index

    @cached_property
    def digest(self) -> str:
        """A hash of everything the index holds: equal digests, equal answers to every corpus question."""
        hasher = hashlib.blake2b(digest_size=16)
        for path in sorted(self.entries):
            hasher.update(repr(self.entries[path]).encode("utf-8", "surrogatepass"))
        return hasher.hexdigest()

    @cached_property
    def _by_id(self) -> dict[Any, list[str]]:
        return self._group("id")

    @cached_property
    def _by_url(self) -> dict[Any, list[str]]:
        return self._group("url")

    @cached_property
    def _subjects(self) -> dict[str, Counter[str]]:
        groups: dict[str, Counter[str]] = defaultdict(Counter)
        for entry in self.entries.values():
            # Subjects cited by related links count too: they show how the corpus spells a subject.
            for subject in (entry.subject, *(link.subject for link in entry.related)):
                if isinstance(subject, str):
                    groups[_fold(subject)][subject] += 1
        return groups

    def _group(self, attribute: str) -> dict[Any, list[str]]:
        groups: dict[Any, list[str]] = defaultdict(list)
        for entry in self.entries.values():
            value = getattr(entry, attribute)
            if isinstance(value, (str, int)) and not isinstance(value, bool):
                groups[value].append(entry.path)
        return groups

    def paths_with_id(self, value: Any) -> list[str]:
        return self._by_id.get(value, []) if isinstance(value, (str, int)) else []

    def paths_with_url(self, value: Any) -> list[str]:
        return self._by_url.get(value, []) if isinstance(value, str) else []

    def subject_spellings(self, subject: str) -> Counter[str]:
        """How often each spelling of a subject occurs (as an article's subject or a link's), compared
        case- and space-insensitively."""
        return self._subjects.get(_fold(subject), Counter())


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())
