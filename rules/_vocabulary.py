"""The domain vocabulary: words no spelling finding may be raised on.

Three sources: the medical word list (rules/data/medical-words.txt: diseases, anatomy, drugs, lab terms,
abbreviations), the document's own ``seo.page_keywords`` (the editors' own terms), and the ``words`` a
configuration adds. Words are compared case-insensitively, with curly apostrophes straightened; a possessive
``'s`` and each part of a hyphenated word are tried too (``imatinib's``, ``BCR-ABL-positive``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from lint.document import Document
from lint.tokens import words_of
from rules._data import DATA, entries

DATA_FILE = "medical-words.txt"


def fold(word: str) -> str:
    return word.replace("’", "'").replace("‘", "'").casefold()


@cache
def medical_words() -> frozenset[str]:
    """The medical word list, folded (public: other rule families may use it as vocabulary)."""
    return frozenset(map(fold, entries(DATA / DATA_FILE)))


def keyword_words(doc: Document) -> frozenset[str]:
    """The words of the document's ``seo.page_keywords`` (a comma-separated string or a list)."""
    seo = doc.data.get("seo")
    keywords: Any = seo.get("page_keywords") if isinstance(seo, dict) else None
    if isinstance(keywords, list):
        keywords = ", ".join(str(k) for k in keywords if isinstance(k, (str, int, float)))
    if not isinstance(keywords, str):
        return frozenset()
    return frozenset(fold(token.text) for token in words_of(keywords))


@dataclass(frozen=True)
class Vocabulary:
    shared: frozenset[str]  # the medical list, the same object for every document
    own: frozenset[str]  # the document's keywords and the configured words

    def _has(self, word: str) -> bool:
        return word in self.shared or word in self.own

    def knows(self, word: str) -> bool:
        folded = fold(word).strip("'")
        stem = folded.removesuffix("'s")
        if self._has(folded) or self._has(stem):
            return True
        parts = [part for part in stem.split("-") if part]
        return len(parts) > 1 and all(self._has(part) or part.isdigit() for part in parts)


def vocabulary(doc: Document, user_words: Iterable[str]) -> Vocabulary:
    """The medical list, the document's keywords and the configured words, shared by both grammar rules."""
    extra = tuple(user_words)

    def build() -> Vocabulary:
        return Vocabulary(medical_words(), keyword_words(doc) | {fold(w) for w in extra})

    return doc.memo(f"grammar.vocabulary:{hash(extra)}", build)
