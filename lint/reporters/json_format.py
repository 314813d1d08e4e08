"""The JSON report: the result contract itself (see lint.result)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from lint.reporters import ReportContext


def render(result: dict[str, Any], out: TextIO, context: ReportContext) -> None:
    json.dump(result, out, indent=2, ensure_ascii=False)
    out.write("\n")
