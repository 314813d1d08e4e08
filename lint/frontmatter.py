"""YAML front matter: splitting it from the body, parsing it safely, and locating every value in the file.

The front matter is parsed once with PyYAML's safe C loader into a node tree, which keeps the start and
end of every key and value. Scalar values are then aligned character by character with their source text,
so a finding inside a folded (``>-``) or quoted value points at the exact line and column of the file.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

import yaml

from lint.positions import MappedText, Runs, RunsBuilder

try:  # The C loader is an order of magnitude faster; fall back to the pure-Python one where libyaml is absent.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

FENCE = re.compile(r"---[ \t]*\r?$", re.M)
CLOSING_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
# A closing fence after a line break: the pattern starts with a literal, so the regex engine skips the YAML to
# each line break at C speed (with "^" it tries every character).
_CLOSING_FENCE_LINE = re.compile(f"\n({CLOSING_FENCE.pattern[1:]})", re.M)
SUPPRESSION_COMMENT = re.compile(r"#\s*contentlint:\s*disable(?:=(?P<rules>[\w/,\- ]+))?")

# Budgets that keep hostile YAML (alias bombs, deep nesting) from exhausting memory or the stack.
MAX_NODES = 100_000
MAX_DEPTH = 64


class _Loader(_BaseLoader):
    """Safe loader that keeps an impossible date such as 2025-02-30 as a string, for the schema to report."""


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


@dataclass(slots=True)
class FrontMatterBlock:
    """Where the fenced front matter sits in the file (character offsets)."""

    start: int  # first character of the YAML text, after the opening fence line
    end: int  # just after the YAML text, at the start of the closing fence line
    closed: bool
    body_start: int  # first character after the closing fence line


def split(text: str) -> FrontMatterBlock | None:
    """Find a ``---`` fenced front matter block at the very start of the text."""
    first = FENCE.match(text)
    if first is None:
        return None
    yaml_start = first.end() + 1 if first.end() < len(text) else first.end()
    closing = CLOSING_FENCE.match(text, yaml_start) or _CLOSING_FENCE_LINE.search(text, yaml_start)
    if closing is None:
        return FrontMatterBlock(yaml_start, len(text), closed=False, body_start=len(text))
    start, end = closing.span(closing.lastindex or 0)  # the fence line, without the line break before it
    body_start = end + 1 if end < len(text) else end
    return FrontMatterBlock(yaml_start, start, closed=True, body_start=body_start)


@dataclass(slots=True)
class FieldNode:
    """One key/value pair of the front matter, with the file offsets of both."""

    path: str  # dotted path: "answer", "seo.page_description", "related_article3.url"
    key_start: int
    key_end: int
    value_start: int
    value_end: int
    node: yaml.Node = field(repr=False)
    source: str = field(repr=False)
    _mapped: MappedText | None = field(default=None, repr=False)

    @property
    def is_scalar(self) -> bool:
        return isinstance(self.node, yaml.ScalarNode)

    @property
    def is_block_scalar(self) -> bool:
        """A ``|`` or ``>`` scalar, whose text starts on the line after its indicator."""
        return isinstance(self.node, yaml.ScalarNode) and self.node.style in ("|", ">")

    def mapped_value(self) -> MappedText:
        """The scalar's value, each character mapped to its file offset (computed on first use)."""
        if self._mapped is None:
            value = self.node.value if self.is_scalar else ""
            style = self.node.style if isinstance(self.node, yaml.ScalarNode) else None
            offsets = align_scalar(self.source, self.value_start, self.value_end, value, style)
            self._mapped = MappedText(value, offsets, self.value_end)
        return self._mapped


@dataclass(slots=True)
class YamlProblem:
    message: str
    offset: int


@dataclass(slots=True)
class FrontMatter:
    """Parsed front matter: the data, its fields with positions, and any problem met on the way."""

    block: FrontMatterBlock
    data: dict[str, Any] | None = None
    fields: dict[str, FieldNode] = field(default_factory=dict)
    duplicate_keys: list[FieldNode] = field(default_factory=list)
    problem: YamlProblem | None = None
    suppressions: dict[int, frozenset[str]] = field(default_factory=dict)  # 1-based line -> rule selectors
    _field_map: tuple[list[int], list[str | None]] | None = field(default=None, repr=False, init=False)

    def field_at(self, offset: int) -> str | None:
        """The innermost field whose key or value contains the offset (the shortest, the first of equals).

        Every finding asks: a scan of all fields each time made a front matter of 60,000 keys with as many
        findings take minutes, so the answer is read from a map of the text cut where a field starts or ends."""
        if self._field_map is None:
            self._field_map = _innermost_fields(list(self.fields.values()))
        bounds, paths = self._field_map
        segment = bisect_right(bounds, offset) - 1
        return paths[segment] if segment >= 0 else None


def _innermost_fields(nodes: list[FieldNode]) -> tuple[list[int], list[str | None]]:
    """The text cut at every field's start and end, and the innermost field of each piece, in one sweep: the
    fields that have started wait in a heap by (length, order); those that have ended leave it as they reach
    its top. (Fields nest like their YAML nodes, but an alias repeats its anchor's fields at the anchor's
    place, so no stricter shape is assumed.)"""
    ends = [max(node.value_end, node.key_end) for node in nodes]
    bounds = sorted({node.key_start for node in nodes}.union(ends))
    by_start = sorted(range(len(nodes)), key=lambda order: nodes[order].key_start)
    waiting: list[tuple[int, int]] = []  # (length, order)
    paths: list[str | None] = []
    next_start = 0
    for bound in bounds:
        while next_start < len(by_start) and nodes[by_start[next_start]].key_start <= bound:
            order = by_start[next_start]
            heapq.heappush(waiting, (nodes[order].value_end - nodes[order].key_start, order))
            next_start += 1
        while waiting and ends[waiting[0][1]] <= bound:
            heapq.heappop(waiting)
        paths.append(nodes[waiting[0][1]].path if waiting else None)
    return bounds, paths


def parse(text: str, block: FrontMatterBlock) -> FrontMatter:
    """Parse the YAML of a front matter block safely; problems become a YamlProblem, never an exception."""
    result = FrontMatter(block)
    result.suppressions = _suppression_comments(text, block)
    yaml_text = text[block.start : block.end]
    if not yaml_text.strip():
        result.data = {}
        return result
    loader = _Loader(yaml_text)
    try:
        root = loader.get_single_node()
        if root is None:
            result.data = {}
            return result
        if not isinstance(root, yaml.MappingNode):
            result.problem = YamlProblem(
                f"front matter must be a mapping of keys to values, found a {_kind(root)}",
                block.start + root.start_mark.index,
            )
            return result
        walker = _Walker(text, block.start, result)
        walker.walk_mapping(root, "", 0)
        try:
            data = _plain_data(loader, root)
        except _NotPlain:
            data = loader.construct_document(root)
        result.data = data if isinstance(data, dict) else {}
    except yaml.MarkedYAMLError as error:
        result.problem = _yaml_problem(error, block.start, text)
    except yaml.YAMLError as error:
        result.problem = YamlProblem(f"invalid YAML: {error}", block.start)
    except _TooComplex as error:
        result.problem = YamlProblem(str(error), block.start + error.offset)
    except RecursionError:
        result.problem = YamlProblem("front matter is nested too deeply to read", block.start)
    except ValueError as error:  # the constructor's, on a value it cannot build (an integer too long)
        result.problem = YamlProblem(f"invalid YAML value: {str(error).split(';')[0]}", block.start)
    finally:
        loader.dispose()
    if result.problem is not None:
        result.fields = {}
    return result


# What PyYAML was reading when it found the problem further on: a quotation or a bracket never closed, whose
# opening is where the fix goes ("did not find expected ',' or ']'" is reported on the next key's line)
_UNCLOSED = re.compile(r"while (?:scanning|parsing) (a quoted scalar|a flow sequence|a flow mapping)")
_UNCLOSED_NAMES = {"a quoted scalar": "a quoted value", "a flow sequence": "a [ list", "a flow mapping": "a { mapping"}


def _yaml_problem(error: yaml.MarkedYAMLError, start: int, text: str) -> YamlProblem:
    problem = error.problem or "invalid YAML"
    unclosed = _UNCLOSED.fullmatch(error.context or "")
    if unclosed and error.context_mark is not None and error.problem_mark is not None:
        line = text.count("\n", 0, start + error.problem_mark.index) + 1
        return YamlProblem(f"invalid YAML: {_UNCLOSED_NAMES[unclosed.group(1)]} starts here and is never closed "
                           f"({problem} on line {line})", start + error.context_mark.index)
    mark = error.problem_mark or error.context_mark
    context = f" ({error.context})" if error.context else ""
    return YamlProblem(f"invalid YAML: {problem}{context}", start + (mark.index if mark else 0))


NOT_READ = object()  # value_after's answer when the edited front matter no longer parses


def value_after(text: str, start: int, end: int, replacement: str, path: str) -> Any:
    """The value at a dotted field path once ``text[start:end]`` is replaced (None when the path is gone), or
    NOT_READ when the edited front matter no longer parses. A fix writing into YAML checks what it did with
    it: a character written there can end a quoted string or start a comment, a key or an anchor."""
    edited = text[:start] + replacement + text[end:]
    block = split(edited)
    if block is None:
        return NOT_READ
    parsed = parse(edited, block)
    if parsed.problem is not None or parsed.data is None:
        return NOT_READ
    found: Any = parsed.data
    for part in path.split("."):
        found = found.get(part) if isinstance(found, dict) else None
    return found


_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = f"{_TAG}str", f"{_TAG}map", f"{_TAG}seq"
# Scalar types whose constructors cannot fail on a value the resolver gave them (the timestamp one keeps an
# impossible date as a string; an integer too long for Python is a problem of the front matter): a document
# made of these, strings, mappings and lists is built directly.
_PLAIN_SCALARS = frozenset(f"{_TAG}{name}" for name in ("int", "float", "bool", "null", "timestamp"))


class _NotPlain(Exception):
    pass


def _plain_data(loader: _Loader, node: yaml.Node) -> Any:
    """What ``loader.construct_document(node)`` returns, built in one walk of the node tree, for front matter
    of plain strings, numbers, booleans, dates, mappings (with scalar keys, no ``<<`` merges) and lists: the
    safe constructor's own machinery (a generator per mapping, a state stack) costs several times more.
    Raises _NotPlain for anything else (tags, sets, merges, complex keys), which the constructor then builds,
    with its own errors. (An alias yields equal copies here, where the constructor shares one object.)"""
    kind, tag = type(node), node.tag
    if kind is yaml.ScalarNode:
        if tag == _STR:
            return node.value
        if tag in _PLAIN_SCALARS:
            try:
                return loader.construct_object(node, deep=True)
            except ValueError:  # Python reads no integer of more than 4,300 digits (sys.get_int_max_str_digits)
                raise _TooComplex(f"a number of {len(node.value):,} digits is too long to read; not parsed",
                                  node.start_mark.index) from None
    elif kind is yaml.MappingNode and tag == _MAP:
        data = {}
        for key, value in node.value:
            if type(key) is not yaml.ScalarNode or key.tag not in _PLAIN_KEYS:
                raise _NotPlain
            data[_plain_data(loader, key)] = _plain_data(loader, value)
        return data
    elif kind is yaml.SequenceNode and tag == _SEQ:
        return [_plain_data(loader, item) for item in node.value]
    raise _NotPlain


_PLAIN_KEYS = _PLAIN_SCALARS | {_STR}


class _TooComplex(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "list"
    if isinstance(node, yaml.ScalarNode):
        return "single value"
    return "mapping"


class _Walker:
    """Collects every key/value pair with its offsets, within a node and depth budget (alias bombs)."""

    def __init__(self, text: str, base: int, result: FrontMatter) -> None:
        self.text = text
        self.base = base
        self.result = result
        self.visited = 0

    def _count(self, node: yaml.Node, depth: int) -> None:
        self.visited += 1
        if self.visited > MAX_NODES:
            raise _TooComplex(
                f"front matter expands to more than {MAX_NODES:,} values (YAML alias expansion); not parsed",
                node.start_mark.index,
            )
        if depth > MAX_DEPTH:
            raise _TooComplex(f"front matter is nested deeper than {MAX_DEPTH} levels; not parsed",
                              node.start_mark.index)

    def walk_mapping(self, node: yaml.MappingNode, prefix: str, depth: int) -> None:
        self._count(node, depth)
        seen: set[str] = set()
        for key_node, value_node in node.value:
            self._count(value_node, depth + 1)
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            path = f"{prefix}{key}"
            info = FieldNode(
                path=path,
                key_start=self.base + key_node.start_mark.index,
                key_end=self.base + key_node.end_mark.index,
                value_start=self.base + value_node.start_mark.index,
                value_end=_trimmed_end(self.text, self.base + value_node.end_mark.index),
                node=value_node,
                source=self.text,
            )
            if path in seen:
                self.result.duplicate_keys.append(info)
            else:
                seen.add(path)
                self.result.fields[path] = info
            self._walk_value(value_node, path, depth + 1)

    def _walk_value(self, node: yaml.Node, path: str, depth: int) -> None:
        if isinstance(node, yaml.MappingNode):
            self.walk_mapping(node, path + ".", depth)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._count(item, depth + 1)
                self._walk_value(item, f"{path}[{index}]", depth + 1)


def _trimmed_end(text: str, end: int) -> int:
    """Block scalars end after their trailing line break; stop the value's span at the text instead."""
    while end > 0 and text[end - 1] in "\r\n":
        end -= 1
    return end


def _suppression_comments(text: str, block: FrontMatterBlock) -> dict[int, frozenset[str]]:
    """``# contentlint: disable=RULE`` comments, by the 1-based file line they stand on."""
    found: dict[int, frozenset[str]] = {}
    yaml_text = text[block.start : block.end]
    if "contentlint" not in yaml_text:
        return found
    first_line = text.count("\n", 0, block.start) + 1
    for number, line in enumerate(yaml_text.split("\n"), start=first_line):
        match = SUPPRESSION_COMMENT.search(line)
        if match:
            rules = match.group("rules")
            selectors = frozenset(r.strip() for r in rules.split(",") if r.strip()) if rules else frozenset()
            found[number] = selectors
    return found


_ESCAPE_LENGTHS = {"x": 4, "u": 6, "U": 10}


def _verbatim_run(source: str, p: int, end: int, value: str, index: int, style: str | None) -> int:
    """How many characters from value[index] on stand verbatim in source[p:end], where the step-by-step walk
    would match each one to itself; it stops before a backslash of a double-quoted scalar (an escape)."""
    limit = min(len(value) - index, end - p)
    if style == '"':
        backslash = source.find("\\", p, p + limit)
        if backslash != -1:
            limit = backslash - p
    if limit <= 0 or source[p] != value[index]:
        return 0
    line_end = source.find("\n", p, p + limit)  # try the rest of the source line first: usually it all matches
    guess = limit if line_end == -1 else line_end - p
    if guess and source.startswith(value[index : index + guess], p):
        return guess
    low, high = 1, guess  # source[p] matched; find the longest matching prefix by halving
    while low < high:
        middle = (low + high + 1) // 2
        if source.startswith(value[index : index + middle], p):
            low = middle
        else:
            high = middle - 1
    return low


def align_scalar(source: str, start: int, end: int, value: str, style: str | None) -> Runs:
    """File offset of each character of a scalar's value.

    YAML folds line breaks into spaces, strips indentation, doubles quotes and expands escapes, so the
    value is not a slice of the source. We walk value and source together: a character that appears in
    the source is matched; indentation, quotes and folded line breaks in the source are stepped over; an
    escape sequence maps to its backslash.
    """
    offsets = RunsBuilder()
    add = offsets.run
    p = start
    if style in ("|", ">"):
        header_end = source.find("\n", start, end)
        p = header_end + 1 if header_end != -1 else end
    elif style in ("'", '"'):
        p = start + 1
    last = max(start, end - 1)
    index, size = 0, len(value)
    while index < size:
        run = _verbatim_run(source, p, end, value, index, style)
        if run:  # a stretch copied as is (most of a value): one range instead of a step per character
            add(p, run)
            p += run
            index += run
            continue
        char = value[index]
        index += 1
        while p < end:
            here = source[p]
            if style == '"' and here == "\\":
                following = source[p + 1] if p + 1 < end else ""
                if following in "\r\n":  # escaped line break: joins lines, produces nothing
                    p += 2
                    while p < end and source[p] in " \t\r\n":
                        p += 1
                    continue
                add(p, 1)
                p += _ESCAPE_LENGTHS.get(following, 2)
                break
            if here == char:
                add(p, 1)
                p += 1
                break
            if char in " \n" and here in "\r\n":  # a folded line break
                add(p, 1)
                p += 2 if source.startswith("\r\n", p) else 1
                break
            if here in " \t\r\n'\"":
                p += 1
                continue
            add(p, 1)  # unexpected: keep the position, do not lose the character
            break
        else:
            add(min(p, last), 1)
    return offsets.build()
