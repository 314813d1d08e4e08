"""The findings spool: a run's findings wait in a temporary file, not in memory, until the reports read them.

Each file's findings go in as their JSON contract lines, once, as the file is done (fresh or from the result
cache); the reports read them back file by file in path order. The run's memory then grows with the number
of files (a few hundred bytes each), not with the number of findings, which can be millions on a large corpus.
"""

from __future__ import annotations

import tempfile
from typing import NamedTuple


class SpoolRef(NamedTuple):
    """Where one file's findings, then its metrics, lie in the spool."""

    spool: Spool
    offset: int
    size: int  # of the findings
    metrics_size: int


class Spool:
    def __init__(self) -> None:
        # unlinked at once: gone when the last result holding it is, even after a crash
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the results)
        self._end = 0

    def add(self, findings: str | bytes, metrics: str) -> SpoolRef:
        """Keep a file's findings (text, or text already encoded as UTF-8) and metrics."""
        data = findings if isinstance(findings, bytes) else findings.encode("utf-8", "surrogatepass")
        metrics_data = metrics.encode("utf-8", "surrogatepass")
        self._file.seek(self._end)
        self._file.write(data)
        self._file.write(metrics_data)
        ref = SpoolRef(self, self._end, len(data), len(metrics_data))
        self._end += len(data) + len(metrics_data)
        return ref

    def read(self, ref: SpoolRef) -> str:
        """The findings."""
        self._file.seek(ref.offset)
        return self._file.read(ref.size).decode("utf-8", "surrogatepass")

    def read_metrics(self, ref: SpoolRef) -> str:
        self._file.seek(ref.offset + ref.size)
        return self._file.read(ref.metrics_size).decode("utf-8", "surrogatepass")
