"""Property-based tests: for arbitrary bytes and arbitrary front matter, the whole pipeline holds its promises.

No exception escapes any rule (a rule that fails would show as lint/rule-error), every finding lies inside
the file, and every output format renders the result (the JSON one matching its contract).
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint import registry
from lint.config import Settings
from lint.corpus import CorpusEntry, CorpusIndex
from lint.discovery import Exclusions, SourceFile, gitignore_spec
from lint.document import Document
from lint.reporters import REPORTERS, ReportContext
from lint.result import FileResult, RunResult, _MetricsByPath
from lint.runner import Plan, check_document

CONTRACT = json.loads((Path(__file__).parent / "result.schema.json").read_text())
# Rules that need a server or the network are left out; everything else runs on every example.
RULES = tuple(rule for rule in registry.all_rules().values() if rule.category.value != "grammar")
PLAN = Plan(Settings(), RULES)

text_values = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)
keys = st.sampled_from(["_schema", "id", "date", "title", "article_title", "question", "answer", "subject",
                        "file_name", "url", "seo", "related_article1", "related_article3", "x"])
scalars = st.one_of(text_values, st.integers(-5, 10**12), st.floats(allow_nan=True), st.booleans(), st.none(),
                    st.dates())
values: st.SearchStrategy[Any] = st.recursive(
    scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12)
front_matters = st.dictionaries(keys, values, max_size=12)
styles = st.sampled_from([None, "'", '"', "|", ">"])


def _lint(raw: bytes) -> tuple[Document, RunResult]:
    doc = Document.from_bytes("what-is-anemia.md", raw)
    corpus = CorpusIndex()
    if doc.data:
        corpus.add(CorpusEntry.from_data(doc.path, doc.data))
    findings, _ = check_document(doc, PLAN, corpus)
    return doc, RunResult(files=[FileResult("what-is-anemia.md", findings=findings)])


def _check_invariants(doc: Document, result: RunResult) -> None:
    data = result.to_dict()
    context = ReportContext(root=Path("/nonexistent"), rules=registry.all_rules())
    for render, _ in REPORTERS.values():
        out = io.StringIO()
        render(data, out, context)
        if render is REPORTERS["json"][0]:
            written = json.loads(out.getvalue())
            jsonschema.validate(written, CONTRACT)
            assert written == data
    lines = doc.text.split("\n")
    for finding in data["findings"]:
        assert finding["rule"] != "lint/rule-error", finding["message"]
        assert 1 <= finding["line"] <= finding["end_line"] <= len(lines)
        assert 1 <= finding["column"] <= len(lines[finding["line"] - 1]) + 1
        assert 1 <= finding["end_column"] <= len(lines[finding["end_line"] - 1]) + 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(raw: bytes) -> None:
    _check_invariants(*_lint(raw))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matters, styles, text_values, st.sampled_from(["\n", "\r\n"]))
def test_arbitrary_front_matter(data: dict[str, Any], style: str | None, body: str, newline: str) -> None:
    dumped = yaml.safe_dump(data, default_style=style, allow_unicode=True, sort_keys=False)
    text = f"---\n{dumped}---\n{body}\n".replace("\n", newline)
    _check_invariants(*_lint(text.encode("utf-8", "surrogatepass")))


path_parts = st.sampled_from(["a", "b", "build", ".git", "node_modules", "x.md", "x.tmp", "déjà", "*", "keep"])
glob_patterns = st.builds(lambda lead, parts, trail: lead + "/".join(parts) + trail, st.sampled_from(["", "/", "**/"]),
                          st.lists(path_parts, min_size=1, max_size=3), st.sampled_from(["", "/", "/**", "*"]))


@given(st.lists(glob_patterns, max_size=6), st.lists(path_parts, min_size=1, max_size=4), st.booleans())
def test_joined_exclude_patterns_match_as_pathspec_does(patterns: list[str], parts: list[str], is_dir: bool) -> None:
    """Exclusions joins negation-free patterns into one regex: it must decide every path as pathspec does."""
    relpath = "/".join(parts) + ("/" if is_dir else "")
    expected = gitignore_spec(patterns).match_file(relpath)
    assert Exclusions(tuple(patterns)).match_file(relpath) == expected
    with_negation = (*patterns, "!keep")
    assert Exclusions(with_negation).match_file(relpath) == gitignore_spec(with_negation).match_file(relpath)


@given(st.lists(path_parts, max_size=3), st.lists(path_parts, min_size=1, max_size=3))
def test_a_source_file_location_is_its_root_joined_with_its_relative_path(root: list[str], parts: list[str]) -> None:
    """SourceFile keeps its root and relative path and joins them when asked (by hand: os.path.join is slow)."""
    top = "/" + "/".join(root)
    relpath = "/".join(parts)
    assert SourceFile(top, relpath).location == os.path.join(top, relpath)


@given(st.dictionaries(st.text(max_size=6), st.dictionaries(st.sampled_from("ab"), st.integers()), max_size=8),
       st.text(max_size=6))
def test_metrics_by_path_is_the_mapping_of_each_files_metrics(metrics: dict[str, dict[str, int]], other: str) -> None:
    files = sorted((FileResult(path, metrics=value) for path, value in metrics.items()), key=lambda f: f.path)
    by_path = _MetricsByPath(files)
    assert dict(by_path) == metrics and dict(by_path.items()) == metrics and len(by_path) == len(metrics)
    assert (other in by_path) == (other in metrics)
    assert by_path.get(other) == metrics.get(other)
