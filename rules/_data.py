"""Reading the data files under rules/data: word and phrase lists, one entry a line, with # comments."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"


def entries(*parts: str) -> list[str]:
    """The entries of ``rules/data/<parts>``: its lines, stripped, without blank lines and comments."""
    text = DATA.joinpath(*parts).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
