"""docs/guarantees.md names the test behind each promise: every test it names must exist."""

from __future__ import annotations

import re

from .conftest import REPO


def test_every_test_named_in_the_guarantees_exists() -> None:
    text = (REPO / "docs/guarantees.md").read_text(encoding="utf-8")
    module = None
    named = 0
    for match in re.finditer(r"`(tests/test_\w+\.py)?(?:::)?(test_\w+)?`", text):
        path, test = match.groups()
        if path:
            module = (REPO / path).read_text(encoding="utf-8")
        if test:
            assert module is not None and f"def {test}(" in module, test
            named += 1
    assert named >= 25
