"""The JSON report: the result contract itself (see lint.result).

Written one finding and one file per line: readable in a diff and in a pager, and encoded by the json
module's C encoder (``indent`` would force its pure-Python one, many times slower on 100,000 findings).
Findings arrive already encoded (lint.result.FindingRecords) and are copied as they are.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from lint.result import FindingRecords

if TYPE_CHECKING:
    from lint.reporters import ReportContext


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def render(result: dict[str, Any], out: TextIO, context: ReportContext) -> None:
    out.write("{\n")
    keys = list(result)
    for position, key in enumerate(keys):
        value = result[key]
        out.write(f"  {_dumps(key)}: ")
        if isinstance(value, FindingRecords | list):
            lines = value.lines if isinstance(value, FindingRecords) else [_dumps(item) for item in value]
            out.write("[\n    " + ",\n    ".join(lines) + "\n  ]" if lines else "[]")
        else:
            out.write(_dumps(value))
        out.write(",\n" if position < len(keys) - 1 else "\n")
    out.write("}\n")
