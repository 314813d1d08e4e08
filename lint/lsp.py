"""The language server: ``contentlint lsp`` speaks LSP on standard input and output (with pygls).

Editors get the CLI's findings while the writer types: the same rules, configuration, positions and fixes,
because a buffer goes through the same runner (``lint_bytes``) as a file on disk. Diagnostics are published
on open, change and save of markdown and text documents (and of any file the configuration's ``include``
matches, unless it is excluded); safe fixes are offered as quick fixes and as one "fix all" source action
(unsafe ones too when the client sets ``initializationOptions.unsafeFixes``).

Positions: findings are located by character offsets; LSP wants 0-based lines split at ``\\r\\n``, ``\\n`` or
``\\r`` and columns counted in the negotiated unit (UTF-16 code units unless the client offers UTF-8 or
UTF-32), so each position is converted from the offset, never from the CLI's line and column numbers.

The corpus index of each content root is built once, on the first document that needs it, from the files
on disk; an open buffer's front matter replaces its file's entry on every change (and the disk version comes
back on close), and when an entry changes the other open documents are checked again.

A document outside the content root, not backed by a file, over ``max-file-size`` or that cannot be checked
gets a diagnostic saying so; the server never stops on bad input.
"""

from __future__ import annotations

import asyncio
import bisect
import functools
import logging
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.protocol.json_rpc import RPCMessage

from lint import __version__
from lint.config import CONFIG_FILES, config_for_directory, find_root, glob_match
from lint.corpus import CorpusEntry, CorpusIndex, read_entry
from lint.discovery import Discoverer, SourceFile
from lint.document import decode
from lint.positions import LineIndex
from lint.result import Finding
from lint.rule import Edit, Severity
from lint.runner import RunOptions, apply_edits, lint_bytes, plan_for

LANGUAGES = frozenset({"markdown", "plaintext"})
SOURCE = "contentlint"
FIX_ALL = "source.fixAll.contentlint"
DEBOUNCE = 0.15  # seconds of quiet after a change before the document is checked
WATCHED = ["**/*.md", "**/*.markdown", "**/*.txt", *(f"**/{name}" for name in CONFIG_FILES)]
_BREAK = re.compile(r"\r\n|\r|\n")
_CONTENT_LENGTH = re.compile(rb"Content-Length: (\d+)\r\n")  # the header as pygls reads it
MAX_MESSAGE = 2**28  # bytes of one JSON-RPC message (a buffer over max-file-size is still a message)
_SEVERITY = {Severity.ERROR: types.DiagnosticSeverity.Error, Severity.WARNING: types.DiagnosticSeverity.Warning,
             Severity.INFO: types.DiagnosticSeverity.Information}
log = logging.getLogger(__name__)


class Positions:
    """LSP positions in a text: 0-based lines split as LSP splits them, columns in the negotiated unit."""

    def __init__(self, text: str, encoding: str = types.PositionEncodingKind.Utf16) -> None:
        self.text = text
        self.encoding = str(encoding)
        self.starts = [0, *(match.end() for match in _BREAK.finditer(text))]

    def _units(self, chars: str) -> int:
        if self.encoding == types.PositionEncodingKind.Utf8:
            return len(chars.encode("utf-8", "surrogatepass"))
        if self.encoding == types.PositionEncodingKind.Utf32:
            return len(chars)
        return len(chars.encode("utf-16-le", "surrogatepass")) // 2

    def position(self, offset: int) -> types.Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        return types.Position(line=line, character=self._units(self.text[self.starts[line] : offset]))

    def offset(self, position: types.Position) -> int:
        """The character offset of an LSP position (clamped to its line, as the protocol asks)."""
        if position.line >= len(self.starts):
            return len(self.text)
        start = self.starts[position.line]
        end = self.starts[position.line + 1] if position.line + 1 < len(self.starts) else len(self.text)
        line = _BREAK.sub("", self.text[start:end])
        units = 0
        for index, char in enumerate(line):
            if units >= position.character:
                return start + index
            units += self._units(char)
        return start + len(line)

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))


def uri_to_path(uri: str) -> Path | None:
    """The file a ``file:`` URI names (percent-decoded, ``..`` resolved as the command line resolves a path);
    None for other schemes (``untitled:``, ``git:``). ``file:///root/../elsewhere/a.md`` is outside the root:
    taken as written, it passed for inside and the configuration beside it was read."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if re.match(r"/[A-Za-z]:", path):  # file:///C:/notes.md names C:/notes.md
        path = path[1:]
    return Path(os.path.normpath(path))


@dataclass
class OpenDocument:
    uri: str
    text: str
    language: str
    version: int | None = None
    findings: list[Finding] = field(default_factory=list)
    offsets: list[tuple[int, int]] = field(default_factory=list)  # each finding's span in the buffer
    fixes: list[list[Edit]] = field(default_factory=list)  # each finding's fix edits in buffer offsets

    @property
    def bom(self) -> int:
        """The engine drops a byte-order mark; the editor's buffer keeps it: one character of difference."""
        return 1 if self.text.startswith("\ufeff") else 0


@dataclass(frozen=True)
class Unreadable:
    """A message pygls could not read into its LSP type (invalid params, an id that is no id)."""

    error: JsonRpcException
    request: bool  # a request waits for an answer; a notification or a response does not
    request_id: int | str | None = None  # None: answered with id null, as JSON-RPC asks when there is no id


def _message_id(data: dict[str, Any]) -> int | str | None:
    ident = data.get("id")
    return ident if isinstance(ident, int | str) and not isinstance(ident, bool) else None


def _invalid_request(data: dict[str, Any]) -> str | None:
    """Why a request object is no JSON-RPC 2.0 request (None when it is one)."""
    if data.get("jsonrpc") != "2.0":
        return 'the request\'s "jsonrpc" is not "2.0"'
    if _message_id(data) is None:
        return "the request's id is not a string or an integer"
    if not isinstance(data["method"], str):
        return "the request's method is not a string"
    return None


class ContentLintProtocol(LanguageServerProtocol):
    """pygls's protocol, with every request answered and every incremental change well formed.

    pygls reads a message into its LSP type while the JSON is parsed; when that fails (a request with
    invalid params) it logs a traceback and drops the message; it drops a message that is no JSON-RPC 2.0
    object with a traceback too, and requests after ``shutdown`` with a warning: either way the client waits
    for ever on that request id. JSON-RPC asks for an error response to every request: -32602 for invalid
    params, -32603 if pygls could not read it otherwise, -32600 for a request that is no JSON-RPC 2.0 request
    (with id null when it has no id) and, as LSP asks, for a request after shutdown."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        # the parser calls this for every JSON object, innermost first; only the outermost one's result reaches
        # handle_message, so the answer waits for it (an unreadable inner object only fails its container)
        request = "jsonrpc" in data and "id" in data and "method" in data and "error" not in data
        if request and (problem := _invalid_request(data)):
            return Unreadable(JsonRpcInvalidRequest(problem), request, _message_id(data))
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            return Unreadable(error, request, _message_id(data))

    def handle_message(self, message: RPCMessage | Unreadable) -> None:
        if isinstance(message, dict) and "method" in message and "id" in message:  # no "jsonrpc": unread
            message = Unreadable(JsonRpcInvalidRequest('the request has no "jsonrpc"'), True, _message_id(message))
        elif not isinstance(message, Unreadable) and not hasattr(message, "jsonrpc"):  # a list, a number...
            message = Unreadable(JsonRpcInvalidRequest("the message is not a JSON-RPC object"),
                                 not isinstance(message, dict))
        if isinstance(message, Unreadable):
            log.warning("contentlint lsp: a message could not be read: %s", message.error.message)
            if message.request:
                self._send_response(message.request_id, None, message.error.to_response_error())  # type: ignore[arg-type]
            return
        method, ident = getattr(message, "method", None), getattr(message, "id", None)
        if self._shutdown and method is not None and method != types.EXIT and ident is not None:
            self._send_response(ident, None, JsonRpcInvalidRequest("the server is shutting down").to_response_error())
            return
        super().handle_message(message)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Any:
        """A range whose start comes after its end is read with its ends swapped, as the reference
        implementation (vscode-languageserver-textdocument) reads it: taken as written, the text between
        its ends was kept twice, in pygls's copy of the document and in ours."""
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                start, end = change.range.start, change.range.end
                if (start.line, start.character) > (end.line, end.character):
                    log.warning("contentlint lsp: a change's range ends before it starts; read as %s-%s",
                                end, start)
                    change.range = types.Range(start=end, end=start)
        yield from super().lsp_text_document__did_change(params)


class ContentLintServer(LanguageServer):
    def __init__(self, root: Path | None = None) -> None:
        super().__init__("contentlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full,
                         protocol_cls=ContentLintProtocol)
        self.fixed_root = root
        self.root: Path | None = root
        self.unsafe_fixes = False
        self.documents: dict[str, OpenDocument] = {}
        self.corpora: dict[Path, CorpusIndex] = {}
        # pygls marks handler functions with attributes, which bound methods refuse: register partials.
        handlers: list[tuple[str, Any, Callable[..., Any]]] = [
            (types.INITIALIZE, None, self.on_initialize),
            (types.INITIALIZED, None, self.on_initialized),
            (types.WORKSPACE_DID_CHANGE_WATCHED_FILES, None, self.on_watched_files),
            (types.TEXT_DOCUMENT_DID_OPEN, None, self.on_open),
            (types.TEXT_DOCUMENT_DID_CHANGE, None, self.on_change),
            (types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=True), self.on_save),
            (types.TEXT_DOCUMENT_DID_CLOSE, None, self.on_close),
            (types.TEXT_DOCUMENT_CODE_ACTION,
             types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]), self.on_code_action),
        ]
        for method, options, handler in handlers:
            self.feature(method, options)(functools.partial(handler))

    # --- protocol handlers ---------------------------------------------------------------------------------

    def on_initialize(self, params: types.InitializeParams) -> None:
        options = params.initialization_options
        self.unsafe_fixes = bool(isinstance(options, dict) and options.get("unsafeFixes"))
        if self.fixed_root is not None:
            return
        folders = [folder.uri for folder in params.workspace_folders or []]
        for uri in [*folders, params.root_uri or ""]:
            path = uri_to_path(uri) if uri else None
            if path is not None:
                self.root = find_root(path)
                return
        if params.root_path:
            self.root = find_root(Path(params.root_path))

    def on_initialized(self, params: types.InitializedParams) -> None:
        """Ask the client to report files changed on disk (git checkout, another editor): the corpus index
        and the configuration must follow them, not only the open buffers."""
        watched = self.client_capabilities.workspace and self.client_capabilities.workspace.did_change_watched_files
        if not (watched and watched.dynamic_registration):
            return
        watchers = [types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]
        self.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
            id="contentlint-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))

    def on_watched_files(self, params: types.DidChangeWatchedFilesParams) -> None:
        paths = [path for change in params.changes if (path := uri_to_path(change.uri)) is not None]
        if any(path.name in CONFIG_FILES for path in paths):
            config_for_directory.cache_clear()  # settings are cached per directory for the whole session
            self.corpora.clear()
            self._recheck_all()
            return
        open_paths = {uri_to_path(uri) for uri in self.documents}
        changed = False
        for path in paths:
            if path in open_paths:
                continue  # while a document is open, its buffer is the truth
            for root, corpus in self.corpora.items():
                if path.is_relative_to(root):
                    changed |= corpus.update(path.relative_to(root).as_posix(), _entry_on_disk(root, path))
        if changed:
            self._recheck_all()

    def on_open(self, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        self.documents[item.uri] = OpenDocument(item.uri, item.text, item.language_id, item.version)
        self.refresh(item.uri)

    async def on_change(self, params: types.DidChangeTextDocumentParams) -> None:
        document = self.documents.get(params.text_document.uri)
        if document is None:
            return
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                positions = Positions(document.text, self._encoding())
                start, end = positions.offset(change.range.start), positions.offset(change.range.end)
                document.text = document.text[:start] + change.text + document.text[end:]
            else:
                document.text = change.text
        version = document.version = params.text_document.version
        await asyncio.sleep(DEBOUNCE)  # while the writer types, check only the latest text
        if self.documents.get(document.uri) is document and document.version == version:
            self.refresh(document.uri)

    def on_save(self, params: types.DidSaveTextDocumentParams) -> None:
        document = self.documents.get(params.text_document.uri)
        if document is None:
            return
        if params.text is not None:
            document.text = params.text
        self.refresh(document.uri)

    def on_close(self, params: types.DidCloseTextDocumentParams) -> None:
        document = self.documents.pop(params.text_document.uri, None)
        self._publish(params.text_document.uri, [], None)
        path = uri_to_path(params.text_document.uri)
        if document is None or path is None:
            return
        root = self._root_for(path)
        corpus = self.corpora.get(root) if path.is_relative_to(root) else None
        # the file on disk is the truth again
        if corpus is not None and corpus.update(path.relative_to(root).as_posix(), _entry_on_disk(root, path)):
            self._recheck_others(root, params.text_document.uri)

    def on_code_action(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        document = self.documents.get(params.text_document.uri)
        if document is None:
            return []
        positions = Positions(document.text, self._encoding())
        wanted = params.context.only
        actions: list[types.CodeAction] = []
        if wanted is None or types.CodeActionKind.QuickFix in wanted:
            actions.extend(self._quick_fixes(document, positions, params.range))
        if wanted is None or any(FIX_ALL.startswith(kind) for kind in wanted):
            actions.extend(self._fix_all(document, positions))
        return actions

    # --- checking ----------------------------------------------------------------------------------------

    def refresh(self, uri: str) -> None:
        """Check one open document and publish its diagnostics; never raises."""
        document = self.documents[uri]
        try:
            diagnostics = self._check(document)
        except Exception as error:  # a bug must cost one document's diagnostics, not the editor's server
            log.exception("contentlint failed on %s", uri)
            document.findings, document.offsets, document.fixes = [], [], []
            diagnostics = [_notice(f"contentlint could not check this document: {type(error).__name__}: {error}",
                                   types.DiagnosticSeverity.Error)]
        self._publish(uri, diagnostics, document.version)

    def _check(self, document: OpenDocument) -> list[types.Diagnostic]:
        document.findings, document.offsets, document.fixes = [], [], []
        path = uri_to_path(document.uri)
        if path is None:
            return [_notice("contentlint checks files on disk: save this document under the content root to "
                            "check it")]
        root = self._root_for(path)
        if not path.is_relative_to(root):
            return [_notice(f"this file is outside the content root {root}; contentlint does not check it "
                            "(open its folder as the workspace, or start the server with --root)")]
        source = SourceFile(str(root), path.relative_to(root).as_posix())
        if not self._wanted(document, source, root):
            return []
        plan = plan_for(source, root, RunOptions())
        raw = _content(document, source.abspath, plan.settings.max_file_size)
        corpus = None
        if any(rule.needs_corpus for rule in plan.rules) and len(raw) <= plan.settings.max_file_size:
            corpus = self._corpus(root)
            if corpus.update(source.relpath, read_entry(source.relpath, raw)):
                self._recheck_others(root, document.uri)
        result = lint_bytes(source, raw, plan, corpus, RunOptions())
        return self._diagnostics(document, result.findings, self._encoding())

    def _wanted(self, document: OpenDocument, source: SourceFile, root: Path) -> bool:
        """Markdown and text documents, and whatever ``include`` matches, unless the configuration excludes
        the file (as ``contentlint check`` would skip it in a directory)."""
        settings = config_for_directory(source.abspath.parent, root).settings
        if document.language not in LANGUAGES and not any(glob_match(source.relpath, p) for p in settings.include):
            return False
        return not source.abspath.exists() or bool(Discoverer(root).discover([source.abspath]).files)

    def _diagnostics(self, document: OpenDocument, findings: list[Finding],
                     encoding: str) -> list[types.Diagnostic]:
        positions = Positions(document.text, encoding)
        lines = LineIndex(document.text[document.bom :])
        diagnostics = []
        for finding in sorted(findings, key=Finding.sort_key):
            start = lines.offset(finding.line, finding.column) + document.bom
            end = max(start, lines.offset(finding.end_line, finding.end_column) + document.bom)
            edits = [Edit(lines.offset(e["line"], e["column"]) + document.bom,
                          lines.offset(e["end_line"], e["end_column"]) + document.bom, e["content"])
                     for e in (finding.fix or {}).get("edits", [])]
            document.findings.append(finding)
            document.offsets.append((start, end))
            document.fixes.append(edits)
            diagnostics.append(_diagnostic(finding, positions.range(start, end)))
        return diagnostics

    def _corpus(self, root: Path) -> CorpusIndex:
        """The root's corpus index: built from disk once, with the open buffers' front matter on top."""
        if root not in self.corpora:
            files = Discoverer(root).discover([root]).files
            max_size = config_for_directory(root, root).settings.max_file_size
            corpus = CorpusIndex.build(((f.relpath, f.abspath) for f in files), max_size)
            for document in self.documents.values():
                path = uri_to_path(document.uri)
                if path is not None and path.is_relative_to(root) and len(document.text) <= max_size:
                    relpath = path.relative_to(root).as_posix()
                    corpus.update(relpath, read_entry(relpath, document.text.encode("utf-8", "replace")))
            self.corpora[root] = corpus
        return self.corpora[root]

    def _recheck_others(self, root: Path, changed_uri: str) -> None:
        for uri in list(self.documents):
            path = uri_to_path(uri)
            if uri != changed_uri and path is not None and path.is_relative_to(root):
                self.refresh(uri)

    def _recheck_all(self) -> None:
        for uri in list(self.documents):
            self.refresh(uri)

    def _root_for(self, path: Path) -> Path:
        return self.root if self.root is not None else find_root(path)

    def _encoding(self) -> str:
        return str(self.workspace.position_encoding or types.PositionEncodingKind.Utf16)

    def _publish(self, uri: str, diagnostics: list[types.Diagnostic], version: int | None) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    # --- fixes -------------------------------------------------------------------------------------------

    def _applicable(self, finding: Finding) -> bool:
        return finding.fix is not None and bool(finding.fix["safe"] or self.unsafe_fixes)

    def _quick_fixes(self, document: OpenDocument, positions: Positions,
                     wanted: types.Range) -> list[types.CodeAction]:
        first, last = positions.offset(wanted.start), positions.offset(wanted.end)
        actions = []
        for finding, (start, end), edits in zip(document.findings, document.offsets, document.fixes, strict=True):
            if not self._applicable(finding) or not (start <= last and first <= end):
                continue
            assert finding.fix is not None
            safe = bool(finding.fix["safe"])
            actions.append(types.CodeAction(
                title=f"{finding.fix['description']} ({finding.rule}{'' if safe else ', unsafe'})",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[_diagnostic(finding, positions.range(start, end))],
                is_preferred=safe,
                edit=types.WorkspaceEdit(changes={document.uri: [
                    types.TextEdit(range=positions.range(e.start, e.end), new_text=e.text) for e in edits]})))
        return actions

    def _fix_all(self, document: OpenDocument, positions: Positions) -> list[types.CodeAction]:
        fixes = [tuple(edits) for finding, edits in zip(document.findings, document.fixes, strict=True)
                 if finding.fix is not None and finding.fix["safe"]]
        if not fixes:
            return []
        text, taken = apply_edits(document.text, fixes)  # overlapping fixes wait for the next request
        applied = len(taken)
        return [types.CodeAction(
            title=f"contentlint: apply {applied} safe fix{'es' if applied != 1 else ''}", kind=FIX_ALL,
            edit=types.WorkspaceEdit(changes={document.uri: [
                types.TextEdit(range=positions.range(0, len(document.text)), new_text=text)]}))]


def _entry_on_disk(root: Path, path: Path) -> CorpusEntry | None:
    """A file's corpus entry as the index reads it: none when it is gone, too large or not linted."""
    try:
        if path.stat().st_size > config_for_directory(root, root).settings.max_file_size:
            return None
        if not Discoverer(root).discover([path]).files:
            return None
        relpath = path.relative_to(root).as_posix()
        return read_entry(relpath, path.read_bytes())
    except OSError:
        return None


def _content(document: OpenDocument, path: Path, max_size: int) -> bytes:
    """The bytes to check. The editor decoded the file, so invalid UTF-8 bytes arrive as U+FFFD; while the
    buffer still equals the file on disk, check the file's own bytes, so the editor shows the same
    `encoding/invalid-utf8` findings, at the same places, as the command line."""
    if "\ufffd" in document.text:
        try:
            raw = path.read_bytes() if path.stat().st_size <= max_size else b""
        except OSError:
            raw = b""
        if raw and decode(raw)[0] == document.text[document.bom :]:
            return raw
    return document.text.encode("utf-8", "replace")


def _diagnostic(finding: Finding, where: types.Range) -> types.Diagnostic:
    message = finding.message + (f" (suggestion: {finding.suggestion})" if finding.suggestion else "")
    data: dict[str, Any] = {"fixable": finding.fixable, "field": finding.field}
    return types.Diagnostic(range=where, message=message, severity=_SEVERITY[finding.severity], code=finding.rule,
                            source=SOURCE, data=data)


def _notice(message: str, severity: types.DiagnosticSeverity = types.DiagnosticSeverity.Warning) -> types.Diagnostic:
    start = types.Position(line=0, character=0)
    return types.Diagnostic(range=types.Range(start=start, end=start), message=message, severity=severity,
                            source=SOURCE)


class BoundedInput:
    """Standard input as pygls reads it, each announced message length checked before pygls reads the message.

    A Content-Length over MAX_MESSAGE is no editor's message, and the stream cannot be followed past it: read
    as announced it would be taken into memory whole (or, past what Python can index, stop the server with a
    traceback). The server says so on standard error and stops, as at the end of its input."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def readline(self) -> bytes:
        line = self._stream.readline()
        match = _CONTENT_LENGTH.fullmatch(line)
        if match and (len(match.group(1)) > len(str(MAX_MESSAGE)) or int(match.group(1)) > MAX_MESSAGE):
            print(f"contentlint lsp: a message of {match.group(1).decode()} bytes announced, over the limit of "
                  f"{MAX_MESSAGE:,}: the input cannot be followed; stopping", file=sys.stderr)
            return b""
        return line

    def read(self, size: int) -> bytes:
        return self._stream.read(size)


def serve(root: Path | None = None) -> None:
    """Run the server on standard input and output until the client says exit."""
    ContentLintServer(root).start_io(stdin=BoundedInput(sys.stdin.buffer))  # type: ignore[arg-type]
