"""The language server, driven over stdio with real LSP JSON-RPC messages, against `contentlint check`.

Positions are compared after converting the CLI's 1-based line and character column into LSP's 0-based line
and UTF-16 code units, with a conversion written here independently of lint/lsp.py.
"""

from __future__ import annotations

import json
import queue
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from lint.lsp import ContentLintServer, OpenDocument, Positions, uri_to_path
from lint.result import Finding
from lint.rule import Severity

from .articles import article
from .conftest import FIXTURES, REPO, run_cli, write

WAIT = 60.0  # seconds before a missing message fails the test (a guard against hanging, not a timing check)


class Client:
    """A minimal LSP client: Content-Length framing over the server's stdin/stdout."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "lint", "lsp", *args], cwd=REPO,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.pending: list[dict[str, Any]] = []
        self.server_requests: list[dict[str, Any]] = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.inbox.put(None)
                    return
                if not line.strip():
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None
            self.inbox.put(json.loads(stream.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any] | None) -> Any:
        self.next_id += 1
        ident = self.next_id
        self.send({"id": ident, "method": method, "params": params})
        reply = self.wait_for(lambda m: m.get("id") == ident and "method" not in m)
        assert "error" not in reply, reply
        return reply["result"]

    def wait_for(self, matches: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        for index, message in enumerate(self.pending):
            if matches(message):
                return self.pending.pop(index)
        while True:
            try:
                message = self.inbox.get(timeout=WAIT)
            except queue.Empty:
                pytest.fail(f"no expected message from the server; stderr: {self._stderr()}")
            if message is None:
                pytest.fail(f"the server stopped; stderr: {self._stderr()}")
            if "method" in message and "id" in message:  # a request from the server: accept it
                self.server_requests.append(message)
                self.send({"id": message["id"], "result": None})
            if matches(message):
                return message
            self.pending.append(message)

    def diagnostics(self, uri: str, version: int | None = None,
                    where: Callable[[list[dict[str, Any]]], bool] = lambda d: True) -> list[dict[str, Any]]:
        message = self.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                and m["params"]["uri"] == uri
                                and (version is None or m["params"].get("version") == version)
                                and where(m["params"]["diagnostics"]))
        diagnostics: list[dict[str, Any]] = message["params"]["diagnostics"]
        return diagnostics

    def initialize(self, root: Path, **capabilities: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.request("initialize", {
            "processId": None, "rootUri": root.as_uri(), "capabilities": capabilities,
            "workspaceFolders": [{"uri": root.as_uri(), "name": "site"}],
            "initializationOptions": capabilities.pop("initializationOptions", None)})
        self.notify("initialized", {})
        return result

    def open(self, path: Path, text: str, version: int = 1, language: str = "markdown") -> str:
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language,
                                                              "version": version, "text": text}})
        return uri

    def change(self, uri: str, text: str, version: int) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})

    def shutdown(self) -> int:
        self.request("shutdown", None)
        self.notify("exit", {})
        return self.process.wait(timeout=WAIT)

    def _stderr(self) -> str:
        if self.process.poll() is None:
            self.process.kill()
        assert self.process.stderr is not None
        return self.process.stderr.read().decode("utf-8", "replace")[-3000:]


@pytest.fixture
def client() -> Iterator[Client]:
    started = Client()
    yield started
    if started.process.poll() is None:
        started.process.kill()
        started.process.wait()


def lsp_position(text: str, line: int, column: int) -> tuple[int, int]:
    """The CLI's (line, column) as LSP's (line, UTF-16 character): find the character offset with the CLI's
    line rule (lines end at \\n), then count LSP lines (\\r\\n, \\n or \\r) and UTF-16 units before it."""
    offset = sum(len(part) for part in text.split("\n")[: line - 1]) + (line - 1) + column - 1
    before = text[:offset]
    lsp_line = len(re.findall(r"\r\n|\r|\n", before))
    line_start = max((m.end() for m in re.finditer(r"\r\n|\r|\n", before)), default=0)
    return lsp_line, len(before[line_start:].encode("utf-16-le")) // 2


def editor_text(path: Path) -> str:
    """What an editor holds after opening the file as UTF-8: invalid bytes as U+FFFD, BOM dropped."""
    return path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The seeds, plus documents whose findings sit after astral characters, on CRLF and on lone-CR lines."""
    root = tmp_path / "site"
    root.mkdir()
    for seed in (p for p in FIXTURES.glob("*.*") if p.is_file()):
        shutil.copy(seed, root / seed.name)
    emoji = article(960201, "what-is-anemia", title="What is anemia?").replace(
        "article_title: What is anemia?", "article_title: 🩸 What is anemia? 🩸").replace(
        "anemia, red blood cells, iron, fatigue", "🩸 anemia, 🩸 red blood cells, , 🩸 anemia")
    write(root, "what-is-anemia.md", emoji)
    write(root, "notes-crlf.txt", b"First line \xf0\x9f\xa9\xb8\r\nSecond \xf0\x9f\xa9\xb8 don\x92t\r\n")
    write(root, "notes-cr.txt", b"Old Mac line\rnext \xf0\x9f\xa9\xb8 line\x92\n")
    (root / ".git").mkdir()
    return root


QUIET = 'select = ["schema", "encoding", "lint"]\n'


@pytest.fixture
def quiet_site(site: Path) -> Path:
    """The site checked with the schema and encoding rules only: the tests below build clean articles and
    expect no other finding, whatever prose rules exist."""
    write(site, "contentlint.toml", QUIET)
    return site


def cli_findings(root: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, list[dict[str, Any]]]:
    code, out, err = run_cli(["check", str(root), "--root", str(root), "--format", "json", "--no-cache",
                              "--jobs", "1"], capsys)
    assert code == 1, err
    grouped: dict[str, list[dict[str, Any]]] = {}
    for finding in json.loads(out)["findings"]:
        grouped.setdefault(finding["path"], []).append(finding)
    return grouped


def test_diagnostics_match_the_cli_positions(site: Path, client: Client,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    expected_by_path = cli_findings(site, capsys)
    client.initialize(site)
    compared: list[str] = []
    for path in sorted(site.iterdir()):
        if path.is_dir():
            continue
        text = editor_text(path)
        uri = client.open(path, text, language="markdown" if path.suffix == ".md" else "plaintext")
        got = sorted((d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"],
                      d["range"]["end"]["line"], d["range"]["end"]["character"], d["severity"])
                     for d in client.diagnostics(uri, version=1))
        raw_text = path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
        expected = sorted((f["rule"], *lsp_position(raw_text, f["line"], f["column"]),
                           *lsp_position(raw_text, f["end_line"], f["end_column"]),
                           {"error": 1, "warning": 2, "info": 3}[f["severity"]])
                          for f in expected_by_path.get(path.name, []))
        assert got == expected, path.name
        compared.extend(item[0] for item in expected)
    for rule, count in (("encoding/invalid-utf8", 2), ("schema/keywords", 2), ("schema/title-mismatch", 1),
                        ("schema/description-length", 2)):
        assert compared.count(rule) == count, rule
    # the astral characters did move the UTF-16 columns away from the character columns
    mismatch = next(f for f in expected_by_path["what-is-anemia.md"] if f["rule"] == "schema/title-mismatch")
    end = lsp_position(editor_text(site / "what-is-anemia.md"), mismatch["end_line"], mismatch["end_column"])
    assert end[1] == mismatch["end_column"] + 1  # 1-based to 0-based (-1), two emoji of two units each (+2)
    assert client.shutdown() == 0


def test_changes_save_and_close(quiet_site: Path, client: Client) -> None:
    client.initialize(quiet_site)
    path = quiet_site / "what-is-anemia.md"
    clean = article(960201, "what-is-anemia")
    uri = client.open(path, clean)
    assert client.diagnostics(uri, version=1) == []
    client.change(uri, clean.replace("author: QuickTakes\n", "auther: QuickTakes\n"), version=2)
    codes = [d["code"] for d in client.diagnostics(uri, version=2)]
    assert sorted(codes) == ["schema/missing-field", "schema/unknown-key"]
    client.change(uri, clean, version=3)
    assert client.diagnostics(uri, version=3) == []
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri},
                                           "text": clean.replace("id: 960201", "id: -1")})
    [diagnostic] = client.diagnostics(uri)
    assert diagnostic["code"] == "schema/invalid-value" and diagnostic["range"]["start"] == {"line": 2, "character": 4}
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri) == []


def test_rapid_changes_end_with_the_latest_text(quiet_site: Path, client: Client) -> None:
    client.initialize(quiet_site)
    clean = article(960201, "what-is-anemia")
    uri = client.open(quiet_site / "what-is-anemia.md", clean)
    client.diagnostics(uri, version=1)
    for version in range(2, 7):  # typing fast: each version holds a different bad id
        client.change(uri, clean.replace("id: 960201", f"id: -{version}"), version=version)
    [final] = client.diagnostics(uri, version=6)
    assert final["code"] == "schema/invalid-value" and "-6" in final["message"]
    client.change(uri, clean, version=7)
    assert client.diagnostics(uri, version=7) == []


def test_the_corpus_index_follows_open_buffers(quiet_site: Path, client: Client) -> None:
    client.initialize(quiet_site)
    first = quiet_site / "what-is-anemia.md"
    second = write(quiet_site, "what-causes-anemia.md",
                   article(960202, "what-causes-anemia", title="What causes anemia?"))
    first_uri = client.open(first, first.read_text())
    client.diagnostics(first_uri, version=1)
    second_uri = client.open(second, second.read_text())
    assert client.diagnostics(second_uri, version=1) == []
    client.change(second_uri, second.read_text().replace("id: 960202", "id: 960201"), version=2)  # unsaved
    assert [d["code"] for d in client.diagnostics(second_uri, version=2)] == ["schema/duplicate-id"]
    rechecked = client.diagnostics(first_uri, where=lambda ds: any(d["code"] == "schema/duplicate-id" for d in ds))
    assert "what-causes-anemia.md" in next(d["message"] for d in rechecked if d["code"] == "schema/duplicate-id")
    client.notify("textDocument/didClose", {"textDocument": {"uri": second_uri}})  # back to the file on disk
    client.diagnostics(first_uri, where=lambda ds: not any(d["code"] == "schema/duplicate-id" for d in ds))


def test_files_changed_on_disk_update_the_corpus_and_the_configuration(quiet_site: Path, client: Client) -> None:
    client.initialize(quiet_site, workspace={"didChangeWatchedFiles": {"dynamicRegistration": True}})
    uri = client.open(quiet_site / "what-is-anemia.md", article(960201, "what-is-anemia"))
    assert client.diagnostics(uri, version=1) == []
    [registration] = client.server_requests[0]["params"]["registrations"]
    assert registration["method"] == "workspace/didChangeWatchedFiles"
    assert {"globPattern": "**/*.md"} in registration["registerOptions"]["watchers"]
    other = write(quiet_site, "what-causes-anemia.md",
                  article(960201, "what-causes-anemia", title="What causes anemia?"))
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": other.as_uri(), "type": 1}]})
    assert [d["code"] for d in client.diagnostics(uri)] == ["schema/duplicate-id"]
    config = write(quiet_site, "contentlint.toml", QUIET + 'ignore = ["schema/duplicate-id"]\n')
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 1}]})
    assert client.diagnostics(uri) == []


def test_quick_fixes(quiet_site: Path) -> None:
    for unsafe, expected_actions in ((False, 0), (True, 1)):
        client = Client()
        try:
            client.initialize(quiet_site, initializationOptions={"unsafeFixes": unsafe})
            path = quiet_site / "what-is-anemia.md"
            text = article(960201, "what-is-anemia").replace("questions/what-is-anemia", "questions/anemia")
            uri = client.open(path, text)
            [diagnostic] = client.diagnostics(uri, version=1)
            assert diagnostic["code"] == "schema/url-mismatch"
            actions = client.request("textDocument/codeAction", {
                "textDocument": {"uri": uri}, "range": diagnostic["range"],
                "context": {"diagnostics": [diagnostic]}})
            assert len(actions) == expected_actions
            if actions:
                [edit] = actions[0]["edit"]["changes"][uri]
                fixed = apply(text, edit)
                assert fixed == article(960201, "what-is-anemia")
                assert "unsafe" in actions[0]["title"] and actions[0]["isPreferred"] is False
            assert client.shutdown() == 0
        finally:
            client.process.kill()


def test_safe_fixes_are_the_cli_fixes(tmp_path: Path, client: Client, capsys: pytest.CaptureFixture[str]) -> None:
    case = FIXTURES / "rules/links/title-mismatch/fail"
    editor_root, cli_root = tmp_path / "editor", tmp_path / "cli"
    for root in (editor_root, cli_root):
        shutil.copytree(case, root)
        write(root, "contentlint.toml", 'select = ["links/title-mismatch"]\n')
    name = "why-does-the-body-need-folate.md"
    run_cli(["check", str(cli_root), "--root", str(cli_root), "--fix", "--no-cache", "--jobs", "1"], capsys)
    client.initialize(editor_root)
    text = (editor_root / name).read_text()
    uri = client.open(editor_root / name, text)
    diagnostics = client.diagnostics(uri, version=1)
    assert len(diagnostics) == 3 and {d["code"] for d in diagnostics} == {"links/title-mismatch"}
    fixed = text
    for diagnostic in reversed(diagnostics):  # from the end, so earlier ranges stay valid
        [action] = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic], "only": ["quickfix"]}})
        assert action["kind"] == "quickfix" and action["isPreferred"] is True
        for edit in action["edit"]["changes"][uri]:
            fixed = apply(fixed, edit)
    assert fixed == (cli_root / name).read_text() != text
    [fix_all] = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": diagnostics[0]["range"],
        "context": {"diagnostics": [], "only": ["source.fixAll"]}})
    assert apply(text, fix_all["edit"]["changes"][uri][0]) == fixed


def apply(text: str, edit: dict[str, Any]) -> str:
    positions = Positions(text)
    start = positions.offset(types.Position(**edit["range"]["start"]))
    end = positions.offset(types.Position(**edit["range"]["end"]))
    return text[:start] + edit["newText"] + text[end:]


def test_bad_documents_get_a_diagnostic_and_the_server_carries_on(quiet_site: Path, tmp_path: Path,
                                                                  client: Client) -> None:
    client.initialize(quiet_site)
    outside = client.open(tmp_path / "elsewhere.md", "---\ntitle: x\n---\n")
    [notice] = client.diagnostics(outside)
    assert "outside the content root" in notice["message"]
    untitled = "untitled:Untitled-1"
    client.notify("textDocument/didOpen", {"textDocument": {"uri": untitled, "languageId": "markdown",
                                                            "version": 1, "text": "# draft\n"}})
    assert "save this document" in client.diagnostics(untitled)[0]["message"]
    huge = client.open(quiet_site / "huge.md", "x" * 20_000_000)
    [too_large] = client.diagnostics(huge)
    assert too_large["code"] == "lint/too-large" and "20,000,000 bytes" in too_large["message"]
    binary = client.open(quiet_site / "binary.txt", "a\x00b", language="plaintext")
    assert client.diagnostics(binary)[0]["code"] == "lint/binary-file"
    client.notify("textDocument/didChange", {"textDocument": {"uri": "file:///never/opened.md", "version": 2},
                                             "contentChanges": [{"text": "x"}]})
    after = client.open(quiet_site / "what-is-anemia.md", article(960201, "what-is-anemia"), version=7)
    assert client.diagnostics(after, version=7) == []  # still alive and answering
    assert client.shutdown() == 0


def test_a_uri_that_climbs_out_of_the_root_is_outside_it(quiet_site: Path, tmp_path: Path, client: Client) -> None:
    write(tmp_path, "elsewhere/contentlint.toml", 'select = ["boilerplate"]\n')  # must never be read
    client.initialize(quiet_site)
    uri = quiet_site.as_uri() + "/../elsewhere/page.md"
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                            "text": "Iron &amp; folate\n"}})
    [notice] = client.diagnostics(uri)
    assert "outside the content root" in notice["message"]


def test_malformed_json_rpc_is_survived_and_an_impossible_length_stops_with_a_message(quiet_site: Path,
                                                                                       client: Client) -> None:
    client.initialize(quiet_site)
    assert client.process.stdin is not None
    client.process.stdin.write(b"Content-Length: 9\r\n\r\n{not json")  # invalid JSON: reported, then carried on
    client.send({"id": 50, "method": "contentlint/unknown", "params": {}})
    assert client.wait_for(lambda m: m.get("id") == 50)["error"]["code"] == -32601  # method not found
    page = client.open(quiet_site / "page.md", "no front matter\n", version=2)
    assert [d["code"] for d in client.diagnostics(page, version=2)] == ["schema/missing-front-matter"]
    # past what Python can index: it stopped the server with a traceback (OverflowError)
    client.process.stdin.write(b"Content-Length: 99999999999999999999999\r\n\r\n")
    client.process.stdin.flush()
    client.process.wait(timeout=WAIT)
    assert client.process.stderr is not None
    err = client.process.stderr.read().decode()
    assert "over the limit" in err and "OverflowError" not in err and "internal error" not in err


def test_every_request_is_answered_and_the_server_carries_on(quiet_site: Path, client: Client) -> None:
    """pygls dropped a request it could not read (a traceback on stderr, no reply) and every request after
    shutdown: the client waited for ever on those ids."""
    client.initialize(quiet_site)
    page = client.open(quiet_site / "page.md", "no front matter\n")
    client.diagnostics(page)
    document = {"textDocument": {"uri": page}}
    bad: list[tuple[Any, str, Any, int]] = [
        (60, "textDocument/codeAction", document, -32602),  # no range, no context
        (61, "textDocument/codeAction", [1, 2], -32602),  # params that are no object
        ("sixty-two", "textDocument/codeAction", {**document, "range": "everything", "context": {}}, -32602),
        ({"not": "an id"}, "textDocument/codeAction", document, -32600),
        (63, 12, {}, -32600),  # a method that is no string
    ]
    for ident, method, params, code in bad:
        client.send({"id": ident, "method": method, "params": params})
        expected = ident if isinstance(ident, int | str) else None
        reply = client.wait_for(lambda m, expected=expected: "method" not in m and m.get("id") == expected)
        assert reply["error"]["code"] == code, (ident, reply)
    raw: list[tuple[Any, Any]] = [  # messages that are no JSON-RPC 2.0 request object
        ({"jsonrpc": "1.0", "id": 65, "method": "shutdown"}, 65),
        ({"id": 66, "method": "shutdown"}, 66),
        ([], None),
        ("shutdown", None),
    ]
    assert client.process.stdin is not None
    for body, expected in raw:
        encoded = json.dumps(body).encode()
        client.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(encoded) + encoded)
        client.process.stdin.flush()
        reply = client.wait_for(lambda m, expected=expected: "method" not in m and m.get("id") == expected)
        assert reply["error"]["code"] == -32600, (body, reply)
    client.notify("textDocument/didChange", {"textDocument": {"uri": page}})  # a bad notification: no reply due
    client.change(page, "still no front matter\n", version=2)
    assert [d["code"] for d in client.diagnostics(page, version=2)] == ["schema/missing-front-matter"]
    client.request("shutdown", None)
    client.send({"id": 64, "method": "textDocument/codeAction", "params": {**document, "range": {
        "start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}}})
    assert client.wait_for(lambda m: m.get("id") == 64)["error"]["code"] == -32600  # after shutdown, as LSP asks
    client.notify("exit", {})
    assert client.process.wait(timeout=WAIT) == 0


def server_buffer(client: Client, uri: str, version: int) -> str:
    """The server's copy of a buffer with a zero-width space inside a word, once checked at this version: its
    "fix all" action rewrites the whole buffer, without the zero-width space."""
    client.diagnostics(uri, version=version)
    start = {"line": 0, "character": 0}
    [fix_all] = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": {"start": start, "end": start},
        "context": {"diagnostics": [], "only": ["source.fixAll"]}})
    [edit] = fix_all["edit"]["changes"][uri]
    text: str = edit["newText"]
    return text


def test_incremental_changes_never_corrupt_the_buffer(quiet_site: Path, client: Client) -> None:
    """A range that ends before it starts is read with its ends swapped (it kept the text between them
    twice); positions past a line or the document clamp to its end; a position inside a surrogate pair
    never splits the character."""
    client.initialize(quiet_site)
    uri = client.open(quiet_site / "notes.txt", "abc🩸d\nsecond line\nwo\u200brd\n", language="plaintext")
    steps: list[tuple[tuple[int, int], tuple[int, int], str, str]] = [
        ((1, 3), (0, 1), "X", "aXond line\nword\n"),  # reversed
        ((0, 100), (0, 200), "!", "aXond line!\nword\n"),  # past the line's end
        ((7, 0), (9, 4), "tail🩸b", "aXond line!\nword\ntail🩸b"),  # past the document's end
        ((2, 6), (2, 5), "", "aXond line!\nword\ntail🩸b"),  # reversed, one end inside the surrogate pair
        ((2, 5), (2, 5), "Y", "aXond line!\nword\ntail🩸Yb"),  # an insertion inside the pair goes after it
        ((2, 3), (2, 5), "", "aXond line!\nword\ntaiYb"),  # a deletion of half of it deletes all of it
    ]
    for version, (start, end, text, expected) in enumerate(steps, start=2):
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [
            {"range": {"start": {"line": start[0], "character": start[1]},
                       "end": {"line": end[0], "character": end[1]}}, "text": text}]})
        assert server_buffer(client, uri, version) == expected, (start, end, text)
    assert client.shutdown() == 0


def test_excluded_and_foreign_files_get_no_diagnostics(quiet_site: Path, client: Client) -> None:
    write(quiet_site, "contentlint.toml", QUIET + 'extend-exclude = ["drafts/"]\n')
    client.initialize(quiet_site)
    draft = client.open(write(quiet_site, "drafts/x.md", "no front matter\n"), "no front matter\n")
    assert client.diagnostics(draft) == []
    script = client.open(quiet_site / "tool.py", "print('x')\n", language="python")
    assert client.diagnostics(script) == []
    page = client.open(quiet_site / "page.md", "no front matter\n")
    assert [d["code"] for d in client.diagnostics(page)] == ["schema/missing-front-matter"]


def test_negotiated_utf32_positions(site: Path, client: Client) -> None:
    result = client.initialize(site, general={"positionEncodings": ["utf-32", "utf-16"]})
    assert result["capabilities"]["positionEncoding"] == "utf-32"
    uri = client.open(site / "what-is-anemia.md", (site / "what-is-anemia.md").read_text())
    mismatch = next(d for d in client.diagnostics(uri) if d["code"] == "schema/title-mismatch")
    line = (site / "what-is-anemia.md").read_text().split("\n")[mismatch["range"]["start"]["line"]]
    assert mismatch["range"]["end"]["character"] == len(line)  # code points: the line's length in characters


# --- in-process checks of the conversions and of safe fixes ---------------------------------------------------


def test_positions_round_trip_in_every_encoding() -> None:
    text = "a🩸b\r\nc\rd\né🩸"
    for encoding, column in (("utf-16", 4), ("utf-8", 6), ("utf-32", 3)):
        positions = Positions(text, encoding)
        assert (positions.position(3).line, positions.position(3).character) == (0, column)  # before "b"
        for offset in range(len(text) + 1):
            if text[offset - 1 : offset + 1] == "\r\n":
                continue  # between \r and \n is not a position a client can name
            assert positions.offset(positions.position(offset)) == offset
    assert Positions(text).position(len(text)).line == 3


def test_uri_to_path() -> None:
    assert uri_to_path("file:///tmp/my%20notes/caf%C3%A9.md") == Path("/tmp/my notes/café.md")
    assert uri_to_path("untitled:Untitled-1") is None
    assert uri_to_path("file:///site/drafts/../../etc/passwd.md") == Path("/etc/passwd.md")


def test_safe_fixes_become_quick_fixes_and_fix_all() -> None:
    text = "🩸 teh word and teh other\n"
    findings = [Finding("a.txt", "grammar/typo", "grammar", Severity.WARNING, "typo", 1, column, 1, column + 3,
                        None, "teh", "the", {"description": "replace with 'the'", "safe": True, "edits": [
                            {"line": 1, "column": column, "end_line": 1, "end_column": column + 3,
                             "content": "the"}]}, {}) for column in (3, 16)]
    server = ContentLintServer()
    document = OpenDocument("file:///a.txt", text, "plaintext")
    diagnostics = server._diagnostics(document, findings, "utf-16")
    assert diagnostics[0].range.start == types.Position(line=0, character=3)  # the emoji is two UTF-16 units
    positions = Positions(text)
    [quick] = server._quick_fixes(document, positions, diagnostics[1].range)
    assert quick.edit is not None and quick.edit.changes is not None
    [edit] = quick.edit.changes["file:///a.txt"]
    assert (edit.range.start.character, edit.new_text, quick.is_preferred) == (16, "the", True)
    [fix_all] = server._fix_all(document, positions)
    assert fix_all.edit is not None and fix_all.edit.changes is not None
    [whole] = fix_all.edit.changes["file:///a.txt"]
    assert whole.new_text == "🩸 the word and the other\n" and fix_all.title == "contentlint: apply 2 safe fixes"
