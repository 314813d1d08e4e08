"""Front matter data: the direct build of plain YAML gives what PyYAML's safe constructor gives."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from lint import frontmatter
from lint.document import Document

_SCALARS = st.one_of(st.text(max_size=12), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(),
                     st.dates(), st.sampled_from(["2025-02-30", "0x1F", "1_000", "1:30", ".inf", "~", "yes", "=",
                                                  "<<", "2024-01-01 10:00:00", "+12", "0o17", "-.5"]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(_SCALARS, inner, max_size=4)), max_leaves=12)


def _by_constructor(text: str) -> Any:
    loader = frontmatter._Loader(text)
    try:
        return loader.construct_document(loader.get_single_node())
    finally:
        loader.dispose()


def _parsed(text: str) -> Any:
    source = f"---\n{text}---\n"
    block = frontmatter.split(source)
    assert block is not None
    return frontmatter.parse(source, block)


@given(st.dictionaries(st.text(min_size=1, max_size=8), _VALUES, min_size=1, max_size=6))
def test_plain_front_matter_is_built_as_the_constructor_builds_it(data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    assert _parsed(text).data == _by_constructor(text)


@pytest.mark.parametrize("text", [
    "a: &x {b: 1}\nc: *x\n",  # an alias: equal copies
    "base: &b {x: 1}\nmore:\n  <<: *b\n  y: 2\n",  # a merge: the constructor's
    "a: !!set {x, y}\n",  # a set
    "date: 2025-02-30\nwhen: 2024-05-01\n",  # an impossible date stays a string
    "? [a, b]\n: complex key\n",  # unhashable key: the constructor's error
    "a: !!binary aGVsbG8=\n",
    "a: !custom x\n",  # unknown tag: the constructor's error
    "= : value key\n",
    "1: int key\nnull: null key\n",
])
def test_other_yaml_goes_through_the_constructor(text: str) -> None:
    parsed = _parsed(text)
    try:
        expected = _by_constructor(text)
    except yaml.YAMLError:
        assert parsed.problem is not None
        return
    assert parsed.problem is None
    assert parsed.data == expected


def _reference_split(text: str) -> frontmatter.FrontMatterBlock | None:
    """The split as first written: the closing fence searched with the "^" pattern from the YAML's start."""
    first = frontmatter.FENCE.match(text)
    if first is None:
        return None
    yaml_start = first.end() + 1 if first.end() < len(text) else first.end()
    closing = frontmatter.CLOSING_FENCE.search(text, yaml_start)
    if closing is None:
        return frontmatter.FrontMatterBlock(yaml_start, len(text), closed=False, body_start=len(text))
    body_start = closing.end() + 1 if closing.end() < len(text) else closing.end()
    return frontmatter.FrontMatterBlock(yaml_start, closing.start(), closed=True, body_start=body_start)


@given(st.lists(st.sampled_from(["---", "...", "\n", "\r\n", " ", "\t", "-", ".", "a: b", "x"]), max_size=14))
@example(["---", "\n", "---"])
@example(["---", "\n", "\n", "...", " ", "\r\n", "x"])
def test_split_finds_the_first_closing_fence_line(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert frontmatter.split(text) == _reference_split(text)


def _reference_field_at(fm: frontmatter.FrontMatter, offset: int) -> str | None:
    """field_at as first written: a scan of every field, keeping the shortest that holds the offset."""
    best: frontmatter.FieldNode | None = None
    for node in fm.fields.values():
        if node.key_start <= offset < max(node.value_end, node.key_end) and (
                best is None or node.value_end - node.key_start < best.value_end - best.key_start):
            best = node
    return best.path if best else None


_YAML_TEXTS = st.one_of(
    st.builds(lambda data, flow, width: yaml.safe_dump(data, default_flow_style=flow, width=width, allow_unicode=True),
              st.dictionaries(st.text(min_size=1, max_size=4), _VALUES, min_size=1, max_size=6),
              st.sampled_from([False, True, None]), st.sampled_from([12, 80])),
    st.sampled_from(["a: &n {f: 1, g: [2, 3]}\nb: *n\n",  # an alias repeats the anchor's fields at its place
                     "a: &n\n  f: |\n    t\n    u\n  g: x\nb:\n  c: *n\n  d: y\n",
                     "a: 1\na: {b: 2}\nc: [{d: 3}, {e: 4}]\n"]))


@given(_YAML_TEXTS)
def test_field_at_is_the_shortest_field_holding_the_offset(text: str) -> None:
    fm = _parsed(text)
    assert fm.problem is None
    assert [fm.field_at(offset) for offset in range(len(text) + 8)] == [
        _reference_field_at(fm, offset) for offset in range(len(text) + 8)]


@pytest.mark.parametrize(("text", "where", "message"), [
    ('---\ntitle: x\nauthor: "Dr. Lee\nsubject: Health\n---\n', (3, 9),
     "a quoted value starts here and is never closed (found unexpected end of stream on line 5)"),
    ("---\ntitle: x\ntags: [anemia, iron\nauthor: y\n---\n", (3, 7),
     "a [ list starts here and is never closed (did not find expected ',' or ']' on line 4)"),
    ("---\nseo: {title: x\nauthor: y\n---\n", (2, 6),
     "a { mapping starts here and is never closed (did not find expected ',' or '}' on line 3)"),
])
def test_an_unclosed_quotation_or_bracket_is_reported_where_it_opens(text: str, where: tuple[int, int],
                                                                      message: str) -> None:
    """PyYAML finds the problem where the front matter or the next key starts; the fix goes where it opened."""
    doc = Document.from_bytes("a.md", text.encode())
    problem = doc.front_matter.problem  # type: ignore[union-attr]
    assert problem is not None and problem.message == f"invalid YAML: {message}"
    position = doc.lines.position(problem.offset)
    assert (position.line, position.column) == where
