"""HTTP requests for links/external-url: to the address that was vetted, not to whatever the name resolves to a
moment later (a DNS answer that changes between the check and the request cannot send it to a private host)."""

from __future__ import annotations

import http.client
import socket
import ssl
import urllib.parse


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was vetted, not to whatever the name resolves to a moment later."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


def request(parts: urllib.parse.SplitResult, address: str, port: int, timeout: float) -> tuple[int, str | None]:
    """(status, Location header); status 0 for a network failure. HEAD first, GET when HEAD is refused."""
    kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    status, location = 0, None
    for method in ("HEAD", "GET"):
        connection = kind(parts.hostname or "", port, address, timeout)
        try:
            connection.request(method, target, headers={"User-Agent": "contentlint link check"})
            response = connection.getresponse()
            status, location = response.status, response.getheader("Location")
        except (OSError, http.client.HTTPException):
            return 0, None
        finally:
            connection.close()
        if status not in (405, 501):
            break
    return status, location

