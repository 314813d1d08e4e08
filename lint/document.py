"""The document model: a file's bytes decoded, its front matter split and parsed, and its prose extracted.

Rules never read files or parse YAML themselves; they get a Document and ask it for text, fields and prose,
each with a way back to file positions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from lint import frontmatter, prose
from lint.frontmatter import FrontMatter
from lint.positions import LineIndex, MappedText

T = TypeVar("T")

BOM = "\ufeff"
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]+")


@dataclass(frozen=True, slots=True)
class DecodeError:
    """A run of bytes that is not valid UTF-8, located in the decoded text and in the raw file."""

    offset: int  # character offset in Document.text, where each bad byte became one U+FFFD
    length: int
    byte_offset: int
    data: bytes


MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True, slots=True)
class ProseOptions:
    """How prose is extracted from a document (set per file by configuration)."""

    fields: tuple[str, ...] = ("title", "question", "answer", "seo.page_description")
    paragraph_escape: bool = True  # the literal two characters \n in front-matter values are paragraph breaks


@dataclass(slots=True)
class ProseField:
    """One stretch of prose: a front-matter field or the body, as text mapped back to file offsets."""

    name: str  # "answer", "seo.page_description", or "body"
    text: MappedText
    markdown: bool = False  # a markdown file's body: its paragraphs' lines are one paragraph (CommonMark)


def decode(raw: bytes) -> tuple[str, list[DecodeError], bool]:
    """Decode UTF-8 leniently: a BOM is dropped, each invalid byte becomes U+FFFD and is recorded."""
    has_bom = raw.startswith(b"\xef\xbb\xbf")
    body = raw[3:] if has_bom else raw
    try:
        return body.decode("utf-8"), [], has_bom
    except UnicodeDecodeError:
        pass
    escaped = body.decode("utf-8", errors="surrogateescape")
    errors: list[DecodeError] = []
    byte_offset_base = 3 if has_bom else 0
    consumed_chars = 0
    consumed_bytes = 0
    for match in _ESCAPED_BYTE.finditer(escaped):
        # Bytes before the match: re-encode the clean stretch to count its bytes.
        clean = escaped[consumed_chars : match.start()]
        consumed_bytes += len(clean.encode("utf-8"))
        data = bytes(ord(c) - 0xDC00 for c in match.group())
        errors.append(DecodeError(match.start(), len(data), byte_offset_base + consumed_bytes, data))
        consumed_bytes += len(data)
        consumed_chars = match.end()
    text = _ESCAPED_BYTE.sub(lambda m: "\ufffd" * len(m.group()), escaped)
    return text, errors, has_bom


@dataclass
class Document:
    """One file, ready for rules."""

    path: str  # relative to the content root, with forward slashes
    abspath: Path
    raw: bytes
    text: str
    decode_errors: list[DecodeError]
    has_bom: bool
    prose_options: ProseOptions = field(default_factory=ProseOptions)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_bytes(
        cls, path: str, raw: bytes, abspath: Path | None = None, prose_options: ProseOptions | None = None
    ) -> Document:
        text, errors, has_bom = decode(raw)
        return cls(
            path=path,
            abspath=abspath or Path(path),
            raw=raw,
            text=text,
            decode_errors=errors,
            has_bom=has_bom,
            prose_options=prose_options or ProseOptions(),
        )

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    @cached_property
    def front_matter(self) -> FrontMatter | None:
        """The parsed front matter, or None when the file does not start with a ``---`` fence."""
        block = frontmatter.split(self.text)
        return frontmatter.parse(self.text, block) if block else None

    @property
    def data(self) -> dict[str, Any]:
        """The front matter's values (empty when absent or unreadable)."""
        fm = self.front_matter
        return fm.data if fm and fm.data is not None else {}

    @cached_property
    def body(self) -> MappedText:
        """The text after the front matter (the whole text when there is none)."""
        fm = self.front_matter
        start = fm.block.body_start if fm else 0
        return MappedText.slice_of(self.text, start, len(self.text))

    @cached_property
    def prose(self) -> list[ProseField]:
        """The prose of the document, markup removed, each character mapped back to the file."""
        fields: list[ProseField] = []
        fm = self.front_matter
        if fm is not None:
            for name in self.prose_options.fields:
                node = fm.fields.get(name)
                if node is None or not node.is_scalar:
                    continue
                value = node.mapped_value()
                if self.prose_options.paragraph_escape:
                    value = prose.expand_paragraph_escapes(value)
                fields.append(ProseField(name, prose.strip_markup(value)))
        body = prose.strip_markup(self.body)
        if body.text.strip():
            fields.append(ProseField("body", body, markdown=self.path.lower().endswith(MARKDOWN_SUFFIXES)))
        return fields

    def field_at(self, offset: int) -> str | None:
        fm = self.front_matter
        if fm is None or not (fm.block.start <= offset < fm.block.end):
            return None
        return fm.field_at(offset)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """Compute a value once per document and share it between rules (tokens, sentences, scores)."""
        if key not in self._memo:
            self._memo[key] = compute()
        value: T = self._memo[key]
        return value
