"""Fuzz target (atheris) for the document loader and the position map.

For any bytes: decoding, front-matter splitting and parsing, prose extraction and tokenisation never raise,
and every position they produce lies inside the decoded text. Run: ``make fuzz`` (FUZZ_SECONDS, default 60).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from lint.document import Document
    from lint.tokens import sentences


def check(data: bytes) -> None:
    doc = Document.from_bytes("fuzz.md", data)
    length = len(doc.text)
    fm = doc.front_matter
    if fm is not None:
        assert 0 <= fm.block.start <= fm.block.end <= length
        if fm.problem is not None:
            assert 0 <= fm.problem.offset <= length
        for node in fm.fields.values():
            assert 0 <= node.key_start <= node.value_end <= length
            mapped = node.mapped_value()
            assert len(mapped.offsets) == len(mapped.text)
            assert all(0 <= offset < length for offset in mapped.offsets)
    for field in doc.prose:
        assert len(field.text.offsets) == len(field.text.text)
        assert all(0 <= offset < length for offset in field.text.offsets)
    for sentence in sentences(doc):
        start, end = sentence.file_span()
        assert 0 <= start <= end <= length
        position = doc.lines.position(start)
        assert 1 <= position.line <= doc.lines.line_count


def main() -> None:
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
