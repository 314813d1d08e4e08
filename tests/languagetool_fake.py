"""A stand-in LanguageTool server for the tests: LanguageTool's /v2 HTTP protocol on 127.0.0.1, a few rules.

It speaks the protocol as the real server does (languagetool-server's ApiV2 and RuleMatchesAsJsonSerializer):
``GET /v2/languages`` answers a JSON list of ``{"name", "code", "longCode"}``; ``POST /v2/check`` takes a
form-encoded body (``text``, ``language``, ``disabledRules``, ``disabledCategories``, ``enabledRules``,
``level``...) and answers ``{"software", "warnings", "language", "matches", "sentenceRanges"}`` with each
match's ``offset`` and ``length`` counted in UTF-16 code units, as Java strings count. Errors are plain
text with an HTTP status, as the real server sends them.

Its rules: EN_A_VS_AN ("a apple"), THEIR_IS ("their is"), WHITESPACE_RULE (two spaces) and a spelling rule
MORFOLOGIK_RULE_EN_US that does not know a handful of words (misspellings and medical terms alike, like
LanguageTool's general dictionary). ``mode`` makes it misbehave: "error" (HTTP 500), "malformed" (not
JSON), "outside" (a match past the end of the text), "hang" (/v2/check never answers until stopped),
"silent" (no endpoint answers).

It is also a pytest plugin (``-p tests.languagetool_fake`` in pyproject.toml): the shared rule-fixture tests
of grammar/languagetool run against it, since there is no LanguageTool to install here.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

LANGUAGES = [{"name": "English", "code": "en", "longCode": "en"},
             {"name": "English (US)", "code": "en", "longCode": "en-US"},
             {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
             {"name": "German (Germany)", "code": "de", "longCode": "de-DE"}]
SPELLING = {"recieve": ["receive"], "anemai": ["anemia", "anemic"], "thrombocytopenia": [],
            "pancytopenia": [], "imatinib": ["imitating"], "hepatomegaly": [], "splenomegaly": []}
A_VS_AN = re.compile(r"\b([Aa]) (?=[aeiouAEIOU]\w)")
THEIR_IS = re.compile(r"\b([Tt]heir) is\b")
DOUBLE_SPACE = re.compile(r"(?<=\S)  +(?=\S)")
WORD = re.compile(r"[A-Za-z]+")


def utf16(text: str, index: int) -> int:
    """Java's index of the character at Python index ``index``."""
    return len(text[:index].encode("utf-16-le")) // 2


class FakeLanguageTool:
    def __init__(self, mode: str = "ok", delay: float = 0.0, max_chars: int | None = None, port: int = 0) -> None:
        self.mode = mode
        self.delay = delay
        self.max_chars = max_chars
        self.checks: list[dict[str, str]] = []  # the form of every /v2/check request
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self.server.daemon_threads = True
        self.server.fake = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeLanguageTool:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    # --- the checking --------------------------------------------------------------------------------

    def matches(self, text: str, form: dict[str, str]) -> list[dict[str, Any]]:
        disabled = set(filter(None, form.get("disabledRules", "").split(",")))
        disabled_categories = set(filter(None, form.get("disabledCategories", "").split(",")))
        found = []
        for match in A_VS_AN.finditer(text):
            found.append(self._match(text, match.start(1), match.end(1), "EN_A_VS_AN", "MISC", "misspelling",
                                     "Use “an” instead of ‘a’ if the following word starts with a vowel sound, "
                                     "e.g. ‘an article’, ‘an hour’.", ["an" if match.group(1) == "a" else "An"]))
        for match in THEIR_IS.finditer(text):
            found.append(self._match(text, match.start(), match.end(), "THEIR_IS", "GRAMMAR", "grammar",
                                     "Did you mean “there is”?", ["there is"]))
        for match in DOUBLE_SPACE.finditer(text):
            found.append(self._match(text, match.start(), match.end(), "WHITESPACE_RULE", "TYPOGRAPHY",
                                     "whitespace", "Possible typo: you repeated a whitespace", [" "]))
        for match in WORD.finditer(text):
            if match.group().lower() in SPELLING:
                found.append(self._match(text, match.start(), match.end(), "MORFOLOGIK_RULE_EN_US", "TYPOS",
                                         "misspelling", "Possible spelling mistake found.",
                                         SPELLING[match.group().lower()]))
        if self.mode == "outside":
            past = self._match(text, len(text), len(text), "EN_A_VS_AN", "MISC", "misspelling", "past the end", [])
            past["offset"], past["length"] = utf16(text, len(text)) + 3, 5
            found.append(past)
        found = [m for m in found
                 if m["rule"]["id"] not in disabled and m["rule"]["category"]["id"] not in disabled_categories]
        return sorted(found, key=lambda m: m["offset"])

    def _match(self, text: str, start: int, end: int, rule_id: str, category: str, issue_type: str,
               message: str, replacements: list[str]) -> dict[str, Any]:
        context_start = max(0, start - 40)
        sentence_start = max(text.rfind(". ", 0, start) + 2, 0)
        sentence_end = text.find(". ", end)
        return {
            "message": message,
            "shortMessage": "",
            "replacements": [{"value": value} for value in replacements],
            "offset": utf16(text, start),
            "length": utf16(text, end) - utf16(text, start),
            "context": {"text": text[context_start : end + 40],
                        "offset": utf16(text, start) - utf16(text, context_start),
                        "length": utf16(text, end) - utf16(text, start)},
            "sentence": text[sentence_start : sentence_end + 1 if sentence_end >= 0 else len(text)].strip(),
            "type": {"typeName": "Other"},
            "rule": {"id": rule_id, "description": message, "issueType": issue_type,
                     "category": {"id": category, "name": category.title()}},
            "ignoreForIncompleteSentence": False,
            "contextForSureMatch": 0,
        }

    def answer(self, form: dict[str, str]) -> tuple[int, str, str]:
        """(status, content type, body) for a /v2/check request."""
        if "language" not in form:
            return 400, "text/plain", "Error: Missing 'language' parameter."
        if form["language"] not in {item["longCode"] for item in LANGUAGES}:
            return 400, "text/plain", f"Error: '{form['language']}' is not a language code known to LanguageTool."
        text = form.get("text", "")
        if self.max_chars is not None and len(text) > self.max_chars:
            return 413, "text/plain", f"Error: Your text exceeds the limit of {self.max_chars} characters."
        if self.mode == "error":
            return 500, "text/plain", "Error: Internal Error: java.lang.RuntimeException: boom"
        if self.mode == "malformed":
            return 200, "application/json", '{"software": {"name": "LanguageTool"}, "matches": [{"offs'
        body = {"software": {"name": "LanguageTool", "version": "6.4", "buildDate": "2024-03-28", "apiVersion": 1,
                             "premium": False, "status": ""},
                "warnings": {"incompleteResults": False},
                "language": {"name": "English (US)", "code": form["language"],
                             "detectedLanguage": {"name": "English (US)", "code": "en-US", "confidence": 0.99,
                                                  "source": "ngram"}},
                "matches": self.matches(text, form),
                "sentenceRanges": [[0, utf16(text, len(text))]]}
        return 200, "application/json", json.dumps(body)


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # keep the test output clean
        pass

    @property
    def fake(self) -> FakeLanguageTool:
        fake: FakeLanguageTool = self.server.fake  # type: ignore[attr-defined]
        return fake

    def do_GET(self) -> None:
        if self.fake.mode == "silent":
            self.fake.stopping.wait(30)
            return
        if urllib.parse.urlsplit(self.path).path == "/v2/languages":
            self._send(200, "application/json", json.dumps(LANGUAGES))
        else:
            self._send(404, "text/plain", "Error: unknown path")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        if urllib.parse.urlsplit(self.path).path != "/v2/check":
            self._send(404, "text/plain", "Error: unknown path")
            return
        if not (self.headers.get("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
            self._send(400, "text/plain", "Error: expected a form-encoded body")
            return
        form = {key: values[0] for key, values in urllib.parse.parse_qs(body, keep_blank_values=True).items()}
        fake = self.fake
        with fake.lock:
            fake.checks.append(form)
            fake.in_flight += 1
            fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
        try:
            if fake.mode in ("hang", "silent"):
                fake.stopping.wait(30)  # bounded: never longer than the test that started it
                return
            if fake.delay:
                time.sleep(fake.delay)
            answer = fake.answer(form)
        finally:
            # counted out before the answer is sent: once the client has it, it may send its next request at
            # once, before this thread would get to count this one out (a loaded machine saw 4 of a limit of 3)
            with fake.lock:
                fake.in_flight -= 1
        self._send(*answer)

    def _send(self, status: int, content_type: str, body: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


# --- the pytest plugin: the shared fixture tests of grammar/languagetool get this server ---------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    if "test_rule_fixtures" not in item.nodeid or "grammar/languagetool" not in item.nodeid:
        return (yield)
    from rules import grammar
    from rules._languagetool import URL_ENV

    saved = os.environ.get(URL_ENV)
    with FakeLanguageTool() as fake:
        os.environ[URL_ENV] = fake.url
        grammar.reset()
        try:
            return (yield)
        finally:
            grammar.reset()
            if saved is None:
                del os.environ[URL_ENV]
            else:
                os.environ[URL_ENV] = saved
