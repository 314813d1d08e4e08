"""The findings spool: a run's findings wait in a temporary file, not in memory, until the reports read them.

Each file's findings go in as their JSON contract lines, once, as the file is done (fresh or from the result
cache); the reports read them back file by file in path order. The run's memory then grows with the number
of files (a few dozen bytes each: an entry's number, and its bounds in an array), not with the number of
findings, which can be millions on a large corpus.
"""

from __future__ import annotations

import tempfile
from array import array


class Spool:
    def __init__(self) -> None:
        # unlinked at once: gone when the last result holding it is, even after a crash
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the results)
        # entries lie one after the other: entry n's findings run from bounds[2n] to bounds[2n + 1], its
        # metrics from there to bounds[2n + 2]
        self._bounds = array("Q", [0])

    def add(self, findings: str | bytes, metrics: str) -> int:
        """Keep a file's findings (text, or text already encoded as UTF-8) and metrics; return their entry's
        number."""
        data = findings if isinstance(findings, bytes) else findings.encode("utf-8", "surrogatepass")
        metrics_data = metrics.encode("utf-8", "surrogatepass")
        end = self._bounds[-1]
        self._file.seek(end)
        self._file.write(data)
        self._file.write(metrics_data)
        self._bounds.extend((end + len(data), end + len(data) + len(metrics_data)))
        return len(self._bounds) // 2 - 1

    def read(self, entry: int) -> str:
        """The findings."""
        return self._read(self._bounds[2 * entry], self._bounds[2 * entry + 1])

    def read_metrics(self, entry: int) -> str:
        return self._read(self._bounds[2 * entry + 1], self._bounds[2 * entry + 2])

    def _read(self, start: int, end: int) -> str:
        self._file.seek(start)
        return self._file.read(end - start).decode("utf-8", "surrogatepass")
