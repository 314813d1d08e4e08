"""Related-article link rules: the related_articleN entries of an article's front matter."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lint.document import Document
from lint.frontmatter import FieldNode, FrontMatter
from lint.registry import register
from lint.rule import Category, CheckContext, Rule, Severity, Violation

RELATED_KEY = re.compile(r"related_article([0-9]+)")


def related_fields(fm: FrontMatter) -> list[tuple[int, FieldNode]]:
    """The related_articleN keys of a front matter, by number."""
    found = [(int(m.group(1)), node) for path, node in fm.fields.items() if (m := RELATED_KEY.fullmatch(path))]
    return sorted(found, key=lambda item: item[0])


class LinkRule(Rule):
    category = Category.LINKS

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        fm = doc.front_matter
        if fm is None or fm.problem is not None:
            return
        yield from self.check_links(doc, fm, ctx)

    def check_links(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        raise NotImplementedError


@register
class NumberingGap(LinkRule):
    """Reports related_articleN keys that do not count 1, 2, 3, ... without gaps.

    **Why it matters:** the page template walks related_article1, related_article2, ... and stops at
    the first missing number, so every link after a gap silently disappears from the page.

    **Example:** related_article1, related_article2, related_article4: related_article4 is never shown.
    Use instead: renumber it related_article3.
    """

    id = "links/numbering-gap"
    severity = Severity.ERROR

    def check_links(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        expected = 1
        for number, node in related_fields(fm):
            if number != expected:
                yield Violation(node.key_start, node.key_end,
                                f"related_article{number} follows related_article{expected - 1}"
                                if expected > 1 else f"related links start at related_article{number}",
                                suggestion=f"related_article{expected}",
                                details={"expected": f"related_article{expected}"})
            expected = number + 1
