"""The findings spool: a run's results wait in a temporary file, not in memory, until the reports read them.

Each file's findings go in as their JSON contract lines, once, as the file is done (fresh or from the result
cache), with its metrics and a small record of the rest of its result (path, schema, the kinds of its
findings, fixes); the reports read them back file by file in path order. While the files are checked, the
run's memory then grows only by an entry's bounds in an array per file, not with the number of findings,
which can be millions on a large corpus, nor with a result object per file.
"""

from __future__ import annotations

import tempfile
from array import array

_PARTS = 3  # an entry's findings, metrics and record


class Spool:
    def __init__(self) -> None:
        # unlinked at once: gone when the last result holding it is, even after a crash
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the results)
        # entries lie one after the other: entry n's findings run from bounds[3n] to bounds[3n + 1], its
        # metrics from there to bounds[3n + 2], its record from there to bounds[3n + 3]
        self._bounds = array("Q", [0])

    def __len__(self) -> int:
        """The number of entries."""
        return len(self._bounds) // _PARTS

    def add(self, findings: str | bytes, metrics: str, record: bytes = b"") -> int:
        """Keep a file's findings (text, or text already encoded as UTF-8), metrics and record; return their
        entry's number."""
        parts = (findings if isinstance(findings, bytes) else findings.encode("utf-8", "surrogatepass"),
                 metrics.encode("utf-8", "surrogatepass"), record)
        end = self._bounds[-1]
        self._file.seek(end)
        for part in parts:
            self._file.write(part)
            end += len(part)
            self._bounds.append(end)
        return len(self) - 1

    def read(self, entry: int) -> str:
        """The findings."""
        return self._read(_PARTS * entry).decode("utf-8", "surrogatepass")

    def read_metrics(self, entry: int) -> str:
        return self._read(_PARTS * entry + 1).decode("utf-8", "surrogatepass")

    def read_record(self, entry: int) -> bytes:
        return self._read(_PARTS * entry + 2)

    def _read(self, part: int) -> bytes:
        start = self._bounds[part]
        self._file.seek(start)
        return self._file.read(self._bounds[part + 1] - start)
