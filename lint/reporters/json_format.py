"""The JSON report: the result contract itself (see lint.result).

Written one finding and one file per line: readable in a diff and in a pager, and encoded by the json
module's C encoder (``indent`` would force its pure-Python one, many times slower on 100,000 findings).
Findings and files arrive already encoded (lint.result.Records) and are copied as they are.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

from lint.result import Records

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
        if isinstance(value, Records):
            _write_array(out, (text.replace("\n", ",\n    ") for text in value.json_lines()))
        elif isinstance(value, list):
            _write_array(out, (_dumps(item) for item in value))
        else:
            out.write(_dumps(value))
        out.write(",\n" if position < len(keys) - 1 else "\n")
    out.write("}\n")


def _write_array(out: TextIO, pieces: Iterator[str]) -> None:
    """A JSON array written piece by piece (one file's findings, or one item), one item per line."""
    separator = "[\n    "
    for piece in pieces:
        out.write(separator)
        out.write(piece)
        separator = ",\n    "
    out.write("[]" if separator.startswith("[") else "\n  ]")
