"""The README documents every rule, so `contentlint rules` and the README cannot drift apart."""

from __future__ import annotations

from lint import registry

from .conftest import REPO


def test_readme_lists_every_rule() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [rule_id for rule_id in registry.all_rules() if f"`{rule_id}`" not in readme]
    assert missing == []


def test_every_rule_documents_why_and_an_example() -> None:
    for rule in registry.all_rules().values():
        doc = rule.documentation()
        assert "**Why it matters:**" in doc, rule.id
        assert "**Example:**" in doc or "**Example**" in doc, rule.id
