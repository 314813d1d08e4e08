"""Exact positions: offsets to lines and columns, and scalar values aligned with their YAML source."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from lint import frontmatter
from lint.document import Document
from lint.positions import LineIndex, MappedText, RunsBuilder
from lint.prose import expand_paragraph_escapes

from .conftest import FIXTURES

SEED_001 = FIXTURES / "how-does-organ-infiltration-present-in-leukemia.md"


def test_line_index_counts_characters_and_ignores_cr() -> None:
    index = LineIndex("ab\r\ncé\nz")
    assert index.position(0) == (1, 1) or index.position(0).line == 1
    assert (index.position(5).line, index.position(5).column) == (2, 2)  # "é" is one character
    assert (index.position(7).line, index.position(7).column) == (3, 1)
    assert index.line_text(1) == "ab"


def test_seed_001_mojibake_maps_to_line_21_column_256() -> None:
    doc = Document.from_bytes(SEED_001.name, SEED_001.read_bytes())
    answer = next(field for field in doc.prose if field.name == "answer")
    index = answer.text.text.index("â€™")
    position = doc.lines.position(answer.text.offsets[index])
    assert (position.line, position.column) == (21, 256)
    assert doc.field_at(answer.text.offsets[index]) == "answer"


def _fields(text: str) -> dict[str, frontmatter.FieldNode]:
    block = frontmatter.split(text)
    assert block is not None
    parsed = frontmatter.parse(text, block)
    assert parsed.problem is None
    return parsed.fields


def test_folded_scalar_value_maps_to_each_source_line() -> None:
    text = "---\nanswer: >-\n    first line\n    second wörd here\n---\n"
    node = _fields(text)["answer"]
    mapped = node.mapped_value()
    assert mapped.text == "first line second wörd here"
    offset = mapped.offsets[mapped.text.index("wörd")]
    doc = Document.from_bytes("a.md", text.encode())
    assert (doc.lines.position(offset).line, doc.lines.position(offset).column) == (4, 12)


def test_quoted_and_escaped_scalars_keep_positions() -> None:
    text = "---\na: 'it''s here'\nb: \"tab\\there \\u00e9x\"\n---\n"
    fields = _fields(text)
    a = fields["a"].mapped_value()
    assert a.text == "it's here"
    assert text[a.offsets[a.text.index("here")]:].startswith("here")
    b = fields["b"].mapped_value()
    assert b.text == "tab\there éx"
    assert text[b.offsets[b.text.index("x")]] == "x"
    assert text[b.offsets[b.text.index("é")]:].startswith("\\u00e9")


@settings(max_examples=150, deadline=None)
@given(
    value=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80),
    style=st.sampled_from([None, "'", '"', "|", ">"]),
    width=st.integers(min_value=10, max_value=60),
)
def test_every_value_character_maps_into_its_scalar(value: str, style: str | None, width: int) -> None:
    dumped = yaml.safe_dump({"key": value}, default_style=style, width=width, allow_unicode=True)
    text = "---\n" + dumped + "---\n"
    node = _fields(text)["key"]
    mapped = node.mapped_value()
    assert mapped.text == value
    assert len(mapped.offsets) == len(value)
    assert list(mapped.offsets) == sorted(mapped.offsets)
    for char, offset in zip(value, mapped.offsets, strict=True):
        assert node.value_start <= offset <= max(node.value_end, node.value_start)
        if char.isalnum() and node.node.style != '"':  # PyYAML may pick another style than asked
            assert text[offset] == char


@given(offsets=st.lists(st.integers(min_value=0, max_value=40), max_size=40), cut=st.tuples(
    st.integers(min_value=-45, max_value=45), st.integers(min_value=-45, max_value=45)))
def test_runs_hold_the_offsets_they_were_given(offsets: list[int], cut: tuple[int, int]) -> None:
    builder = RunsBuilder()
    builder.extend(offsets[:5])  # a list, then a range, then Runs: every kind a MappedText may hold
    builder.extend(range(50, 50 + len(offsets[5:10])))
    rest = RunsBuilder()
    rest.extend(offsets[10:])
    builder.extend(rest.build())
    expected = [*offsets[:5], *range(50, 50 + len(offsets[5:10])), *offsets[10:]]
    runs = builder.build()
    assert len(runs) == len(expected)
    assert list(runs) == expected
    assert [runs[i] for i in range(-len(expected), len(expected))] == expected + expected
    assert list(runs[cut[0] : cut[1]]) == expected[cut[0] : cut[1]]
    assert runs == expected
    assert len(runs.starts) <= len(expected)


@given(text=st.text(alphabet="ab\\n ", max_size=30), shift=st.integers(min_value=0, max_value=5))
def test_paragraph_escapes_become_line_breaks_mapped_to_their_backslash(text: str, shift: int) -> None:
    offsets = RunsBuilder.of([i + shift + (i > 10) for i in range(len(text))])  # a jump: two runs
    expanded = expand_paragraph_escapes(MappedText(text, offsets, len(text) + shift + 1))
    expected_text, expected_offsets, index = [], [], 0
    while index < len(text):  # the escapes as found from left to right, one by one
        escape = text.startswith("\\n", index)
        expected_text.append("\n" if escape else text[index])
        expected_offsets.append(offsets[index])
        index += 2 if escape else 1
    assert expanded.text == "".join(expected_text)
    assert list(expanded.offsets) == expected_offsets
