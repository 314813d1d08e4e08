"""A LanguageTool client: the /v2 HTTP protocol, its offsets, and where a server comes from.

LanguageTool's server takes a form-encoded POST on ``/v2/check`` (``text``, ``language``, ``disabledRules``,
``disabledCategories``, ...) and answers JSON whose ``matches`` carry ``offset``/``length`` counted in Java
``String`` indices, that is UTF-16 code units. Python counts code points, so every offset is converted
(``Utf16Index``): an emoji or other non-BMP character before a match would otherwise shift it by one.

Servers come from, in order: URLs (configuration or ``CONTENTLINT_LANGUAGETOOL_URL``; several servers share the
requests, see ``ServerPool``); a LanguageTool that
language-tool-python already keeps on disk (``LTP_JAR_DIR_PATH``, else its download folder ``LTP_PATH``,
default ``~/.cache/language_tool_python``), started here with Java on a free loopback port. Nothing is ever
downloaded: language-tool-python's own download is never triggered.
"""

from __future__ import annotations

import atexit
import bisect
import contextlib
import itertools
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import requests

URL_ENV = "CONTENTLINT_LANGUAGETOOL_URL"
JAR_DIR_ENV = "LTP_JAR_DIR_PATH"  # language-tool-python's settings, honoured as it documents them
DOWNLOAD_DIR_ENV = "LTP_PATH"
JAR_NAMES = ("languagetool-server.jar", "languagetool.jar")
SERVER_CLASS = "org.languagetool.server.HTTPServer"
SPELLING_ISSUE = "misspelling"
SPELLING_RULES = ("MORFOLOGIK_RULE", "HUNSPELL_RULE", "SPELLER_RULE")  # LanguageTool's dictionary rules


class BackendError(Exception):
    """A request LanguageTool did not answer usefully. ``fatal``: the server is gone (refused, timed out)
    and asking it again would only cost more time."""

    def __init__(self, message: str, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal


@dataclass(frozen=True, slots=True)
class LTMatch:
    """One LanguageTool match, located by code-point offsets into the text that was checked."""

    offset: int
    length: int
    message: str
    rule_id: str
    category: str
    issue_type: str
    replacements: tuple[str, ...] = ()

    @property
    def is_spelling(self) -> bool:
        """A dictionary lookup that failed (not EN_A_VS_AN, which LanguageTool also files as a misspelling)."""
        typo = self.category == "TYPOS" and self.issue_type == SPELLING_ISSUE
        return typo or self.rule_id.startswith(SPELLING_RULES)

    def to_json(self) -> list[Any]:
        return [self.offset, self.length, self.message, self.rule_id, self.category, self.issue_type,
                list(self.replacements)]

    @classmethod
    def from_json(cls, item: list[Any]) -> LTMatch:
        offset, length, message, rule_id, category, issue_type, replacements = item
        return cls(int(offset), int(length), str(message), str(rule_id), str(category), str(issue_type),
                   tuple(str(r) for r in replacements))


class Utf16Index:
    """Converts UTF-16 code-unit offsets (LanguageTool's) into code-point offsets (Python's)."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self._starts: list[int] | None = None  # UTF-16 offset of each character, only when they differ
        if any(ord(char) > 0xFFFF for char in text):
            starts, unit = [], 0
            for char in text:
                starts.append(unit)
                unit += 2 if ord(char) > 0xFFFF else 1
            self._starts = starts
            self.units = unit
        else:
            self.units = self.length

    def start(self, unit: int) -> int:
        """The character holding this code unit."""
        if self._starts is None:
            return unit
        return bisect.bisect_right(self._starts, unit) - 1

    def end(self, unit: int) -> int:
        """The character boundary at or after this code unit (an end inside a surrogate pair rounds up)."""
        if self._starts is None:
            return unit
        return bisect.bisect_left(self._starts, unit) if unit < self.units else self.length


def parse_matches(payload: Any, text: str) -> tuple[list[LTMatch], int]:
    """The matches of a /v2/check answer, in code points; also how many matches fell outside the text.

    Raises BackendError when the answer is not LanguageTool's JSON shape."""
    if not isinstance(payload, dict) or not isinstance(payload.get("matches"), list):
        raise BackendError("the answer has no 'matches' list: not a LanguageTool /v2/check response")
    index = Utf16Index(text)
    found: list[LTMatch] = []
    outside = 0
    for raw in payload["matches"]:
        try:
            offset, length = int(raw["offset"]), int(raw["length"])
            rule = raw.get("rule") or {}
            category = rule.get("category") or {}
            replacements = tuple(str(r["value"]) for r in raw.get("replacements") or [] if "value" in r)
            message = str(raw.get("message") or raw.get("shortMessage") or rule.get("description") or "")
            rule_id = str(rule.get("id") or "UNKNOWN")
            category_id, issue_type = str(category.get("id") or ""), str(rule.get("issueType") or "")
        except (KeyError, TypeError, ValueError, AttributeError):
            raise BackendError("a match in the answer lacks its offset, length or rule") from None
        if offset < 0 or length < 0 or offset + length > index.units:
            outside += 1
            continue
        start, end = index.start(offset), index.end(offset + length)
        found.append(LTMatch(start, end - start, message, rule_id, category_id, issue_type, replacements))
    return found, outside


@dataclass(frozen=True)
class RequestOptions:
    """What every /v2/check request carries besides the text."""

    language: str = "en-US"
    disabled_rules: tuple[str, ...] = ()
    disabled_categories: tuple[str, ...] = ()
    enabled_rules: tuple[str, ...] = ()
    mother_tongue: str | None = None
    level: str = "default"

    def form(self, text: str) -> dict[str, str]:
        form = {"text": text, "language": self.language}
        if self.disabled_rules:
            form["disabledRules"] = ",".join(self.disabled_rules)
        if self.disabled_categories:
            form["disabledCategories"] = ",".join(self.disabled_categories)
        if self.enabled_rules:
            form["enabledRules"] = ",".join(self.enabled_rules)
        if self.mother_tongue:
            form["motherTongue"] = self.mother_tongue
        if self.level != "default":
            form["level"] = self.level
        return form


class Client:
    """Talks to one LanguageTool server. Thread-safe: each thread keeps its own keep-alive session."""

    def __init__(self, base_url: str, connect_timeout: float, read_timeout: float) -> None:
        self.base_url = normalise_url(base_url)
        self.timeout = (connect_timeout, read_timeout)
        self._local = threading.local()

    def _session(self) -> requests.Session:
        import requests  # imported when first needed: most runs never talk to LanguageTool

        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.trust_env = False  # a proxy from the environment must not sit between us and the server
            self._local.session = session
        return session

    def _request(self, method: str, path: str, form: dict[str, str] | None = None,
                 timeout: tuple[float, float] | None = None) -> Any:
        import requests

        url = f"{self.base_url}/v2/{path}"
        timeout = timeout or self.timeout
        try:
            response = self._session().request(method, url, data=form, timeout=timeout)
        except requests.ConnectionError as error:
            reason = "timed out" if isinstance(error, requests.ConnectTimeout) else "could not connect"
            raise BackendError(f"{url}: {reason}", fatal=True) from None
        except requests.Timeout:
            raise BackendError(f"{url}: no answer within {timeout[1]:g} s", fatal=True) from None
        except requests.RequestException as error:
            raise BackendError(f"{url}: {error}", fatal=True) from None
        if response.status_code != 200:
            first_line = response.text.strip().splitlines()[0][:200] if response.text.strip() else ""
            raise BackendError(f"{url}: HTTP {response.status_code} {first_line}".rstrip())
        try:
            return response.json()
        except (json.JSONDecodeError, ValueError):
            raise BackendError(f"{url}: the answer is not JSON") from None

    def languages(self) -> set[str]:
        """The language codes the server knows (both ``en`` and ``en-US`` forms). A server answers this at
        once, so it is also the probe: it waits no longer than the connect timeout for the answer too."""
        payload = self._request("GET", "languages", timeout=(self.timeout[0], self.timeout[0]))
        if not isinstance(payload, list):
            raise BackendError(f"{self.base_url}/v2/languages: not a LanguageTool language list")
        return {str(item[key]) for item in payload if isinstance(item, dict)
                for key in ("code", "longCode") if key in item}

    def check(self, text: str, options: RequestOptions) -> tuple[list[LTMatch], int]:
        return parse_matches(self._request("POST", "check", options.form(text)), text)


class ServerPool:
    """Several LanguageTool servers used as one: requests go round the servers that answer; one that stops
    answering is left out for the rest of the run and its request is sent to the next. A large corpus then
    scales with the servers a CI provides, as its files scale with the machines of a shard matrix."""

    def __init__(self, clients: list[Client]) -> None:
        self.clients = clients
        self.base_url = ", ".join(client.base_url for client in clients)
        self._turn = itertools.count()
        self._down: set[int] = set()
        self._lock = threading.Lock()

    def _next(self) -> tuple[int, Client]:
        with self._lock:
            live = [index for index in range(len(self.clients)) if index not in self._down]
            if not live:
                raise BackendError(f"none of the LanguageTool servers answers ({self.base_url})", fatal=True)
            index = live[next(self._turn) % len(live)]
            return index, self.clients[index]

    def check(self, text: str, options: RequestOptions) -> tuple[list[LTMatch], int]:
        while True:
            index, client = self._next()
            try:
                return client.check(text, options)
            except BackendError as error:
                if not error.fatal or len(self.clients) == 1:
                    raise
                with self._lock:
                    self._down.add(index)


def server_urls(configured: str | None) -> list[str]:
    """The servers named in the environment or the configuration: one URL, or several separated by commas or
    spaces; repeated names count once."""
    urls = [normalise_url(url) for url in re.split(r"[,\s]+", configured or "") if url.strip()]
    return list(dict.fromkeys(urls))


def normalise_url(url: str) -> str:
    """``http://host:8081``, ``.../v2`` and ``.../v2/`` all name the same server."""
    url = url.strip().rstrip("/")
    return url[: -len("/v2")] if url.endswith("/v2") else url


# --- a LanguageTool already on disk, started here --------------------------------------------------


def installed_server() -> tuple[str, list[str]] | None:
    """Where a LanguageTool is already on disk and the command template that starts its server (``{port}``
    stands for the port), or None. Looks where language-tool-python looks; never downloads."""
    java = find_java()
    if java is None:
        return None
    jar_dir = os.environ.get(JAR_DIR_ENV)
    if jar_dir:
        for name in JAR_NAMES:
            if (Path(jar_dir) / name).is_file():
                return jar_dir, [java, "-cp", str(Path(jar_dir) / name), SERVER_CLASS, "-p", "{port}"]
        return None
    download_dir = Path(os.environ.get(DOWNLOAD_DIR_ENV) or Path.home() / ".cache" / "language_tool_python")
    if not download_dir.is_dir():  # checked first: language-tool-python would create the folder
        return None
    from language_tool_python.download_lt import LocalLanguageTool
    from language_tool_python.exceptions import LanguageToolError

    try:
        installed = LocalLanguageTool.get_latest_installed_version()
        if installed is None:
            return None
        command: list[str] = installed.get_server_cmd(port=0)
    except (OSError, ValueError, LanguageToolError):  # no jar in the folder: not usable
        return None
    return str(installed.get_directory_path()), [*command[:-1], "{port}"]


class LocalServer:
    """A LanguageTool server process started from disk on a free loopback port, stopped at exit."""

    def __init__(self, where: str, command: list[str]) -> None:
        self.where = where
        self.port = _free_port()
        self.command = [part.replace("{port}", str(self.port)) for part in command]
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, startup_timeout: float) -> None:
        """Start the server and wait until it answers /v2/languages. Raises BackendError if it does not."""
        try:
            self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as error:
            raise BackendError(f"cannot start LanguageTool ({self.where}): {error}") from None
        atexit.register(self.stop)
        probe = Client(self.url, 1.0, 2.0)
        deadline = time.monotonic() + startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BackendError(f"LanguageTool ({self.where}) exited with code {self.process.returncode}")
            with contextlib.suppress(BackendError):
                probe.languages()
                return
            time.sleep(0.2)
        self.stop()
        raise BackendError(f"LanguageTool ({self.where}) did not answer within {startup_timeout:g} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def find_java() -> str | None:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    return shutil.which("java")
