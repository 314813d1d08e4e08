"""Related-article link rules: the seed's five dead links, fixes that change only the value, bad input, and
urls that try to leave the content root."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lint.document import Document
from rules import links as rules_links
from rules.links import URL_SHAPE, external_urls, normalised_url, url_problems

from .conftest import FIXTURES, lint_json, run_cli, write

SEED = "how-does-organ-infiltration-present-in-leukemia.md"
RULES = FIXTURES / "rules" / "links"


def _of(result: dict[str, Any], rule: str, path: str | None = None) -> list[dict[str, Any]]:
    return [f for f in result["findings"] if f["rule"] == rule and (path is None or f["path"] == path)]


def test_seed_001_has_five_missing_targets_at_its_five_urls(capsys: pytest.CaptureFixture[str]) -> None:
    _, result = lint_json(FIXTURES, capsys, "--select", "links/missing-target")
    found = _of(result, "links/missing-target", SEED)
    assert [(f["line"], f["column"], f["field"]) for f in found] == [
        (31, 10, "related_article1.url"), (37, 10, "related_article2.url"), (43, 10, "related_article3.url"),
        (49, 10, "related_article4.url"), (55, 10, "related_article5.url")]
    assert found[1]["excerpt"] == "/learn/health-studies/questions/how-is-thrombocytopenia-diagnosed-and-treated"


def test_missing_target_suggests_the_renamed_article(capsys: pytest.CaptureFixture[str]) -> None:
    _, result = lint_json(RULES / "missing-target" / "fail", capsys, "--select", "links/missing-target")
    first, second, _ = _of(result, "links/missing-target")
    assert first["suggestion"] == "/learn/health-studies/questions/how-is-iron-deficiency-treated"
    assert first["details"]["nearest"]["path"] == "how-is-iron-deficiency-treated.md"
    assert second["suggestion"] is None  # nothing close: no guess


def test_a_link_to_an_article_without_a_url_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "a.md", "---\nid: 1\ntitle: A\nrelated_article1:\n  id: 2\n  url: /b\n---\nA.\n")
    write(tmp_path, "b.md", "---\nid: 2\ntitle: B\n---\nB.\n")
    _, result = lint_json(tmp_path, capsys, "--select", "links/id-mismatch")
    assert [f["message"] for f in _of(result, "links/id-mismatch")] == [
        "related_article1: no article has the url /b, but id 2 is b.md (which has no url)"]


def test_an_ambiguous_target_names_a_few_claimants_and_counts_them_all(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for number in range(30):
        write(tmp_path, f"a{number:02}.md", "---\nid: 7\nurl: /same\nrelated_article1:\n  id: 7\n  url: /same\n---\n")
    _, result = lint_json(tmp_path, capsys, "--select", "links/ambiguous-target")
    details = [f["details"] for f in result["findings"]]
    assert len(details) == 30
    assert details[0] == {"url": "/same", "claimants": [f"a{n:02}.md" for n in range(20)], "claimant_count": 30}


def _copy(case: str, tmp_path: Path) -> Path:
    root = tmp_path / case
    shutil.copytree(RULES / case / "fail", root)
    return root


def test_title_fix_rewrites_only_the_text_and_keeps_each_style(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _copy("title-mismatch", tmp_path)
    path = root / "why-does-the-body-need-folate.md"
    before = path.read_text(encoding="utf-8")
    run_cli(["check", str(root), "--root", str(root), "--select", "links/title-mismatch", "--fix"], capsys)
    after = path.read_text(encoding="utf-8")
    assert after == (before
                     .replace("        What is thalassaemia?", "        What is thalassemia?")
                     .replace("        Why do we need\n        vitamin B12?", "        What does vitamin B12 do?")
                     .replace("    title: 'Sickle cell: what is it?'", "    title: 'What is sickle cell disease?'"))
    _, result = lint_json(root, capsys, "--select", "links")
    assert result["findings"] == []


def test_subject_fix_and_unsafe_id_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _copy("subject-mismatch", tmp_path)
    run_cli(["check", str(root), "--root", str(root), "--select", "links/subject-mismatch", "--fix"], capsys)
    assert "    subject: Health Studies\n    url: /learn/health-studies/questions/what-is-sickle-cell-disease" in (
        root / "what-is-thalassemia.md").read_text(encoding="utf-8")

    root = _copy("id-mismatch", tmp_path)
    path = root / "what-is-sickle-cell-disease.md"
    before = path.read_text(encoding="utf-8")
    run_cli(["check", str(root), "--root", str(root), "--select", "links/id-mismatch", "--fix"], capsys)
    assert path.read_text(encoding="utf-8") == before  # not certain which side is wrong: unsafe only
    run_cli(["check", str(root), "--root", str(root), "--select", "links/id-mismatch", "--fix", "--unsafe-fixes"],
            capsys)
    _, result = lint_json(root, capsys, "--select", "links")
    assert result["findings"] == []


@pytest.mark.parametrize(("title", "kept"), [
    ("title: >\n        Old title\n", "title: >\n        New: title\n"),
    ("title: |-\n        Old title\n", "title: |-\n        New: title\n"),
    ('title: "Old title"\n', 'title: "New: title"\n'),
    ("title: Old title\n", 'title: "New: title"\n'),  # a plain value cannot hold ': ', so it is quoted
])
def test_title_fix_keeps_block_and_quoted_styles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, kept: str
) -> None:
    write(tmp_path, "target.md", "---\nid: 930101\ntitle: 'New: title'\nsubject: S\nurl: /learn/s/questions/target\n"
                                 "---\n")
    text = ("---\nid: 930102\ntitle: Source\nsubject: S\nurl: /learn/s/questions/source\nrelated_article1:\n"
            f"    id: 930101\n    {title}    subject: S\n    url: /learn/s/questions/target\n---\nbody\n")
    path = write(tmp_path, "source.md", text)
    run_cli(["check", str(tmp_path), "--root", str(tmp_path), "--select", "links/title-mismatch", "--fix"], capsys)
    assert path.read_text(encoding="utf-8") == text.replace(title, kept)


BAD_LINKS = """related_article1: /learn/s/questions/a-string-not-a-mapping
related_article2: [1, 2]
related_article3:
related_article4:
    id: '930202'
    title: Target
related_article5:
    id: [1, 2]
    url: 12
    title: {a: b}
related_article6:
    id: 99999999999999999999999999
    url: /learn/s/questions/target
related_article7:
    id: true
    url:
"""


def test_bad_links_never_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "target.md", "---\nid: 930202\ntitle: Target\nsubject: S\nurl: /learn/s/questions/target\n---\n")
    write(tmp_path, "twin.md", "---\nid: 930202\ntitle: Twin\nsubject: S\nurl: /learn/s/questions/twin\n---\n")
    write(tmp_path, "source.md", "---\nid: 930201\nurl: /learn/s/questions/source\n" + BAD_LINKS + "---\n")
    code, out, err = run_cli(["check", str(tmp_path), "--root", str(tmp_path), "--select", "links", "--extend-select",
                              "links/orphan", "--format", "json"], capsys)
    assert "Traceback" not in err
    result = json.loads(out)
    assert not [f for f in result["findings"] if f["rule"].startswith("lint/")]
    source = [(f["rule"], f["field"]) for f in result["findings"] if f["path"] == "source.md"]
    # The string id '930202' is the integer id 930202, claimed by two articles: said, not guessed.
    assert ("links/ambiguous-target", "related_article4.id") in source
    assert not [rule for rule, field in source if field == "related_article4.title"]
    assert code == 1


def test_a_related_key_numbered_past_pythons_digit_limit_is_a_gap_not_a_rule_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Only an explicit YAML key can be this long; int() refuses over 4,300 digits, which failed nine rules.
    huge, padded = "related_article" + "7" * 5000, "related_article" + "0" * 5000 + "2"
    link = ": {id: 930402, url: /learn/s/questions/b, title: B, subject: S}\n"
    write(tmp_path, "a.md", "---\nid: 930401\nurl: /learn/s/questions/a\nrelated_article1:\n  id: 930402\n"
          f"  url: /learn/s/questions/b\n? {huge}\n{link}? {padded}\n{link}---\nA.\n")
    write(tmp_path, "b.md", "---\nid: 930402\ntitle: B\nsubject: S\nurl: /learn/s/questions/b\n---\nB.\n")
    _, result = lint_json(tmp_path, capsys, "--select", "links")
    assert not [f for f in result["findings"] if f["rule"].startswith("lint/")]
    gaps = _of(result, "links/numbering-gap")
    assert [(f["line"], f["column"], f["message"]) for f in gaps] == [(7, 3, f"{huge} follows {padded}")]


def test_ambiguous_url_gets_no_title_or_id_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    _, result = lint_json(RULES / "ambiguous-target" / "fail", capsys, "--select", "links")
    assert {f["rule"] for f in result["findings"]} == {"links/ambiguous-target"}
    assert result["findings"][0]["details"]["claimants"] == ["what-is-thalassemia-minor.md", "what-is-thalassemia.md"]
    assert result["findings"][0]["details"]["claimant_count"] == 2


def test_orphan_is_off_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    _, result = lint_json(RULES / "orphan" / "fail", capsys)
    assert _of(result, "links/orphan") == []


def test_urls_that_climb_out_of_the_root_are_findings_not_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = write(tmp_path, "secret.md", "---\nid: 930301\nurl: /learn/s/questions/secret\n---\n")
    root = tmp_path / "content"
    write(root, "source.md", "---\nid: 930302\nurl: /learn/s/questions/source\nrelated_article1:\n"
                             "    id: 930303\n    url: ../secret.md\nrelated_article2:\n    id: 930304\n"
                             "    url: ../../../../etc/passwd\n---\n")
    opened: list[str] = []

    def audit(event: str, args: tuple[Any, ...]) -> None:
        if event == "open" and isinstance(args[0], (str, os.PathLike)):
            opened.append(os.fspath(args[0]))

    sys.addaudithook(audit)  # hooks cannot be removed; this one only appends to a list of this test
    _, result = lint_json(root, capsys, "--select", "links")
    hook_active = list(opened)
    opened.append("")  # later opens land in a list nobody reads
    rules = sorted((f["rule"], f["line"]) for f in result["findings"])
    assert rules == [("links/malformed-url", 6), ("links/malformed-url", 9),
                     ("links/missing-target", 6), ("links/missing-target", 9)]
    assert any(p.endswith("source.md") for p in hook_active)  # the hook sees the files contentlint reads
    assert not [p for p in hook_active if "passwd" in p or Path(p).resolve() == secret.resolve()]


@pytest.mark.parametrize(("url", "problems", "suggestion"), [
    ("/learn/health-studies/questions/What-Is-Anemia", ["has uppercase letters"],
     "/learn/health-studies/questions/what-is-anemia"),
    ("/learn/health-studies/questions/what-is-anemia/", ["ends with a slash"],
     "/learn/health-studies/questions/what-is-anemia"),
    ("/learn/health-studies/questions/what-is-anemia?utm=x#top", ["has a query string", "has a fragment"],
     "/learn/health-studies/questions/what-is-anemia"),
    ("//evil.example/learn/a/questions/b", ["is an absolute URL, not a path on this site"], None),
    ("..\\..\\Windows", ["has '.' or '..' segments (a path must not leave the site's content)",
                         "has uppercase letters", "is relative (does not start with /)"], None),
])
def test_malformed_url_explains_each_problem(url: str, problems: list[str], suggestion: str | None) -> None:
    assert url_problems(url) == problems
    normal = normalised_url(url)
    assert (normal if URL_SHAPE.fullmatch(normal) else None) == suggestion


# --- external links, against a local server (loopback only, allowed by the option) ---------------------


class _Site(http.server.BaseHTTPRequestHandler):
    requests: list[tuple[str, str]] = []
    in_flight = 0
    most_in_flight = 0
    lock = threading.Lock()

    def _answer(self) -> None:
        cls = type(self)
        with cls.lock:
            cls.requests.append((self.command, self.path))
            cls.in_flight += 1
            cls.most_in_flight = max(cls.most_in_flight, cls.in_flight)
        try:
            if self.path.startswith("/busy/"):
                time.sleep(0.3)
            if self.path == "/slow":
                time.sleep(1.0)
            status = {"/missing": 404, "/gone": 410, "/moved": 301, "/broken-server": 500}.get(self.path, 200)
            if self.path == "/head-refused" and self.command == "HEAD":
                status = 405
            self.send_response(status)
            if status == 301:
                self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        except OSError:
            pass  # the client gave up (timeout)
        finally:
            with cls.lock:
                cls.in_flight -= 1

    do_HEAD = do_GET = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    _Site.requests, _Site.in_flight, _Site.most_in_flight = [], 0, 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _external(root: Path, capsys: pytest.CaptureFixture[str], use_cache: bool = False,
              **options: object) -> dict[str, str]:
    settings = "".join(f"{key} = {json.dumps(value)}\n" for key, value in options.items())
    write(root, "contentlint.toml", f'[rules."links/external-url"]\n{settings}')
    _, result = lint_json(root, capsys, "--select", "links/external-url", use_cache=use_cache)
    return {f["details"]["url"]: f["message"] for f in result["findings"]}


def test_external_links_are_checked_when_loopback_is_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CONTENTLINT_NO_CACHE", raising=False)
    monkeypatch.setenv("CONTENTLINT_CACHE_DIR", str(tmp_path / "cache"))
    paths = ["/ok", "/missing", "/gone", "/moved", "/head-refused", "/slow", "/broken-server"]
    write(tmp_path / "root", "a.md", "---\nanswer: >-\n    Sources: " + ", ".join(site + p for p in paths)
          + ".\n---\nMore at <" + site + "/missing>.\n")
    found = _external(tmp_path / "root", capsys, use_cache=True, **{"allow-private": True, "timeout": 0.3})
    assert set(found) == {site + "/missing", site + "/gone", site + "/slow", site + "/broken-server"}
    assert "HTTP 404" in found[site + "/missing"] and "no answer within 0.3 s" in found[site + "/slow"]
    assert ("GET", "/head-refused") in _Site.requests  # HEAD refused with 405: asked again with GET
    assert _Site.requests.count(("HEAD", "/ok")) == 2  # once itself, once at the end of /moved's redirect
    assert _Site.requests.count(("HEAD", "/missing")) == 1  # one request for two mentions

    rules_links._CHECKERS.clear()  # a new run: definite answers come from the disk cache
    _Site.requests = []
    assert _external(tmp_path / "root", capsys, use_cache=True, **{"allow-private": True, "timeout": 0.3}) == found
    assert sorted({path for _, path in _Site.requests}) == ["/broken-server", "/slow"]  # transient: asked again


def test_per_host_limit_and_concurrency(tmp_path: Path, capsys: pytest.CaptureFixture[str], site: str) -> None:
    write(tmp_path / "limited", "a.md", " ".join(f"{site}/busy/{n}" for n in range(6)) + "\n")
    assert _external(tmp_path / "limited", capsys, **{"allow-private": True, "per-host-limit": 2}) == {}
    assert len(_Site.requests) == 6 and _Site.most_in_flight <= 2
    _Site.most_in_flight = 0
    rules_links._CHECKERS.clear()  # a new run
    write(tmp_path / "free", "a.md", " ".join(f"{site}/busy/{n}?free" for n in range(6)) + "\n")
    _external(tmp_path / "free", capsys, **{"allow-private": True, "per-host-limit": 6})
    assert _Site.most_in_flight > 1


def test_loopback_is_never_contacted_unless_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], site: str
) -> None:
    write(tmp_path, "a.md", f"See {site}/ok and http://localhost:1/x and http://[::1]:1/y and http://[::1].\n")
    found = _external(tmp_path, capsys)
    assert len(found) == 4 and all("private or loopback" in message for message in found.values())
    assert _Site.requests == []


def test_external_urls_are_found_in_prose_fields_and_body_with_exact_spans() -> None:
    text = ("---\ntitle: T\nanswer: >-\n    See https://example.org/a_(b) and (https://example.org/c).\\n\\n"
            "Then http://example.org/d\nurl: https://example.org/not-prose\n---\n[x](https://example.org/e), "
            "<https://example.org/f>.\n")
    doc = Document.from_bytes("a.md", text.encode())
    urls = [(url, text[start:end]) for url, start, end in external_urls(doc)]
    assert [url for url, _ in urls] == ["https://example.org/a_(b", "https://example.org/c",
                                        "http://example.org/d", "https://example.org/e", "https://example.org/f"]
    assert all(url == excerpt for url, excerpt in urls)
