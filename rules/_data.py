"""Reading the data files under rules/data: word and phrase lists, one entry a line, with # comments."""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path

DATA = Path(__file__).parent / "data"


def entries(path: Path | Traversable) -> list[str]:
    """The entries of a data file (most under ``DATA``): its lines, stripped, without blank lines and comments."""
    text = path.read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
