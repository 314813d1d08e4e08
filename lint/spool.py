"""The findings spool: a run's results wait in temporary files, not in memory, until the reports read them.

Each file's findings go in as their JSON contract lines, once, as the file is done (fresh or from the result
cache), with its metrics, and a small record of the rest of its result (path, schema, the tally of its
findings, fixes) in a second file, read back in one pass when the run is over; the reports read the findings
back file by file in path order. While the files are checked, the run's memory then grows only by an entry's
bounds in arrays per file, not with the number of findings, which can be millions on a large corpus, nor with
a result object per file.
"""

from __future__ import annotations

import tempfile
from array import array
from collections.abc import Iterator

# bytes written and read per system call: entries are written in turn and mostly read in turn (the reports
# read the files in path order, which is the order a run lists and finishes them)
BUFFER = 1 << 20


class Spool:
    def __init__(self) -> None:
        # unlinked at once: gone when the last result holding them is, even after a crash
        self._file = tempfile.TemporaryFile("w+b", buffering=BUFFER)  # noqa: SIM115 (lives as long as the results)
        self._records = tempfile.TemporaryFile("w+b", buffering=BUFFER)  # noqa: SIM115
        # entries lie one after the other: entry n's findings run from bounds[2n] to bounds[2n + 1], its
        # metrics from there to bounds[2n + 2]; its record from record_bounds[n] to record_bounds[n + 1]
        self._bounds = array("Q", [0])
        self._record_bounds = array("Q", [0])
        # whether each file's position is its end, where the next entry goes (a seek would flush its buffer)
        self._appending = self._appending_records = True

    def __len__(self) -> int:
        """The number of entries."""
        return len(self._record_bounds) - 1

    def add(self, findings: str | bytes, metrics: str, record: bytes) -> int:
        """Keep a file's findings (text, or text already encoded as UTF-8), metrics and record; return their
        entry's number."""
        data = findings if isinstance(findings, bytes) else findings.encode("utf-8", "surrogatepass")
        metrics_data = metrics.encode("utf-8", "surrogatepass")
        end = self._bounds[-1]
        if not self._appending:
            self._file.seek(end)
            self._appending = True
        self._file.write(data)
        self._file.write(metrics_data)
        self._bounds.extend((end + len(data), end + len(data) + len(metrics_data)))
        if not self._appending_records:
            self._records.seek(self._record_bounds[-1])
            self._appending_records = True
        self._records.write(record)
        self._record_bounds.append(self._record_bounds[-1] + len(record))
        return len(self) - 1

    def read(self, entry: int) -> str:
        """The findings."""
        return self._read(2 * entry)

    def read_metrics(self, entry: int) -> str:
        return self._read(2 * entry + 1)

    def _read(self, part: int) -> str:
        start = self._bounds[part]
        self._file.seek(start)
        self._appending = False
        data: bytes = self._file.read(self._bounds[part + 1] - start)
        return data.decode("utf-8", "surrogatepass")

    def records(self, first: int = 0) -> Iterator[bytes]:
        """The records of the entries from ``first`` on, in order: one buffered pass over their file (to be
        taken whole before the next ``add``)."""
        bounds = self._record_bounds
        self._records.seek(bounds[first])
        self._appending_records = False
        for entry in range(first, len(self)):
            record: bytes = self._records.read(bounds[entry + 1] - bounds[entry])
            yield record
