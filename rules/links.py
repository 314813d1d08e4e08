"""Related-article link rules: the related_articleN entries of an article's front matter, checked against
each other, against the article itself and against the corpus index (does the target exist, is it the
article the link says it is).

Every finding points at the offending value (``related_article3.url``, the text of a ``>-`` title), and the
corpus is only ever consulted through the index: a url is looked up, never opened as a path.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import re
import socket
import sqlite3
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from lint import frontmatter
from lint.corpus import RELATED_KEY, CorpusEntry, CorpusIndex, Scalar, id_key, index_value
from lint.document import Document
from lint.frontmatter import FieldNode, FrontMatter
from lint.registry import register
from lint.rule import Category, CheckContext, Edit, Fix, Rule, Severity, Violation
from rules.schema import value_span

URL_SHAPE = re.compile(r"/learn/[a-z0-9]+(?:-[a-z0-9]+)*/questions/[a-z0-9]+(?:-[a-z0-9]+)*")
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


# More digits than any page counts links to. Python refuses int() on more than 4,300 digits (only an explicit
# YAML key, `? related_article000...`, can be that long), so such a number is never converted.
MAX_LINK_DIGITS = 18


def link_number(digits: str) -> int:
    """The number of a related_articleN key; one too long to be real counts as the largest (after every other
    link: a gap, as no page has that many links)."""
    significant = digits.lstrip("0") or "0"
    return int(significant) if len(significant) <= MAX_LINK_DIGITS else sys.maxsize


def related_fields(fm: FrontMatter) -> list[tuple[int, FieldNode]]:
    """The related_articleN keys of a front matter, by number."""
    found = [(link_number(m.group(1)), node) for path, node in fm.fields.items()
             if (m := RELATED_KEY.fullmatch(path))]
    return sorted(found, key=lambda item: item[0])


@dataclass(frozen=True, slots=True)
class Link:
    """One related_articleN mapping of the document being checked, with its values as the index keeps them."""

    key: str  # "related_article3"
    id: Scalar
    url: Scalar
    title: Scalar
    subject: Scalar

    def span(self, fm: FrontMatter, name: str) -> tuple[int, int]:
        """The value of one of the link's fields; the link's key when the field is absent."""
        return value_span(fm, f"{self.key}.{name}")

    def anchor(self, fm: FrontMatter) -> tuple[str, tuple[int, int]]:
        """Where a finding about the link's target goes: its url, else its id."""
        name = "url" if isinstance(self.url, str) and self.url else "id"
        return name, self.span(fm, name)

    def targets(self, index: CorpusIndex) -> tuple[str, ...]:
        return index.resolve(self.url, self.id)


def links_of(doc: Document, fm: FrontMatter) -> list[Link]:
    """The document's related links that are mappings (anything else is the schema rules' business)."""
    def compute() -> list[Link]:
        links = []
        for _, node in related_fields(fm):
            value = doc.data.get(node.path)
            if isinstance(value, dict):
                links.append(Link(node.path, *(index_value(value.get(name)) for name in ("id", "url", "title",
                                                                                          "subject"))))
        return links
    return doc.memo("links.related", compute)


def _quote(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


class LinkRule(Rule):
    category = Category.LINKS

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        fm = doc.front_matter
        if fm is None or fm.problem is not None or not fm.block.closed:
            return
        yield from self.check_links(doc, fm, ctx)

    def check_links(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        raise NotImplementedError


@register
class NumberingGap(LinkRule):
    """Reports related_articleN keys that do not count 1, 2, 3, ... without gaps.

    **Why it matters:** the page template walks related_article1, related_article2, ... and stops at
    the first missing number, so every link after a gap silently disappears from the page.

    **Example:** related_article1, related_article2, related_article4: related_article4 is never shown.
    Use instead: renumber it related_article3.
    """

    id = "links/numbering-gap"
    severity = Severity.ERROR

    def check_links(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        expected, previous = 1, ""
        for number, node in related_fields(fm):
            if number != expected:
                yield Violation(node.key_start, node.key_end,
                                f"{node.path} follows {previous}" if previous
                                else f"related links start at {node.path}",
                                suggestion=f"related_article{expected}",
                                details={"expected": f"related_article{expected}"})
            expected, previous = number + 1, node.path


@register
class MissingTarget(LinkRule):
    """Reports a related link whose url (and id) no article of the corpus has, with the nearest article.

    **Why it matters:** a related link to an article that was deleted or renamed is a dead end on the
    page: the reader clicks and lands on a 404.

    **Example:** ``url: /learn/health-studies/questions/what-causes-anaemia`` when the article is
    ``/learn/health-studies/questions/what-causes-anemia``. Use instead: the url of an existing article
    (the finding suggests the nearest one by url or title).
    """

    id = "links/missing-target"
    severity = Severity.ERROR
    needs_corpus = True

    def check_links(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        index = ctx.index()
        for link in links_of(doc, fm):
            has_url, key = isinstance(link.url, str) and link.url != "", id_key(link.id)
            if (not has_url and key is None) or index.paths_with_url(link.url) or index.paths_with_id(link.id):
                continue  # nothing to look up, or found (an id found under another url is links/id-mismatch)
            name, (start, end) = link.anchor(fm)
            what = f"url {link.url}" if has_url else f"id {link.id}"
            if has_url and key is not None:
                what += f" (nor the id {link.id})"
            message = f"{link.key}: no article has the {what}"
            nearest = index.nearest(link.url, link.title, exclude=doc.path)
            details: dict[str, Any] = {"url": link.url, "id": link.id}
            if nearest is None:
                yield Violation(start, end, message, details=details)
                continue
            details["nearest"] = {"path": nearest.path, "url": nearest.url, "title": nearest.title,
                                  "score": round(nearest.score, 3)}
            target = self._target(index.entries[nearest.path], name)
            yield Violation(start, end, f"{message}; nearest: {_quote(nearest.title)} ({nearest.url})",
                            suggestion=target, details=details)

    @staticmethod
    def _target(entry: CorpusEntry, name: str) -> str | None:
        value = entry.url if name == "url" else entry.id
        return None if value is None else str(value)


@register
class IdMismatch(LinkRule):
    """Reports a related link whose url and id name two different articles (or an article and nothing).

    **Why it matters:** the site may resolve a link by url in one place and by id in another; when they
    disagree, readers and the "related" widgets end up on different pages. An id that is found under
    another url usually means the target was renamed and the link kept the old url.

    **Example:** ``id: 166303`` with ``url: .../what-is-anemia`` when what-is-anemia has id 166290.
    Use instead: the id and url of the same article.
    """

    id = "links/id-mismatch"
    severity = Severity.ERROR
    needs_corpus = True
    fixable = True

    def check_links(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        index = ctx.index()
        for link in links_of(doc, fm):
            if not isinstance(link.url, str) or id_key(link.id) is None:
                continue
            by_url, by_id = index.paths_with_url(link.url), index.paths_with_id(link.id)
            if len(by_url) == 1:
                target = index.entries[by_url[0]]
                if id_key(target.id) is not None and id_key(target.id) != id_key(link.id):
                    yield self._wrong_id(doc, fm, link, target, by_id)
            elif not by_url and len(by_id) == 1:
                yield self._stale_url(doc, fm, link, index.entries[by_id[0]])

    def _wrong_id(self, doc: Document, fm: FrontMatter, link: Link, target: CorpusEntry,
                  by_id: Sequence[str]) -> Violation:
        start, end = link.span(fm, "id")
        elsewhere = f"; id {link.id} is {_listed(by_id)}" if by_id else ""
        return Violation(start, end, f"{link.key}.id is {link.id}, but {link.url} is the article with id "
                                     f"{target.id} ({target.path}){elsewhere}",
                         suggestion=str(target.id),
                         fix=rewrite_scalar(doc, fm, f"{link.key}.id", target.id,
                                            f"set the id to {target.id}", safe=False),
                         details={"link_id": link.id, "target_id": target.id, "target_path": target.path})

    def _stale_url(self, doc: Document, fm: FrontMatter, link: Link, target: CorpusEntry) -> Violation:
        start, end = link.span(fm, "url")
        fix = (rewrite_scalar(doc, fm, f"{link.key}.url", target.url, "point the url at the article with this id",
                              safe=False) if isinstance(target.url, str) else None)
        where = f"at {target.url} (renamed?)" if isinstance(target.url, str) else "(which has no url)"
        return Violation(start, end, f"{link.key}: no article has the url {link.url}, but id {link.id} is "
                                     f"{target.path} {where}",
                         suggestion=target.url if isinstance(target.url, str) else None, fix=fix,
                         details={"link_url": link.url, "target_url": target.url, "target_path": target.path})


def _listed(paths: Sequence[str]) -> str:
    """The first three of paths sorted by path (as the corpus index gives them), and "..." if there are more."""
    return ", ".join(paths[:3]) + (" ..." if len(paths) > 3 else "")


# claimants named in a finding's details: every article of a corpus sharing one url would list them all in each
# of their findings (5,000 such files made a 325 MB JSON report)
CLAIMANTS_LISTED = 20


@register
class AmbiguousTarget(LinkRule):
    """Reports a related link whose url (or, without a url, id) is claimed by more than one article.

    **Why it matters:** two articles with one url or id make the link's target a coin toss: the site
    opens one of them, and the title and subject checks cannot know which. contentlint does not guess.

    **Example:** two files both say ``url: /learn/health-studies/questions/what-is-anemia``.
    Use instead: give each article its own url and id (``schema/duplicate-id`` finds the duplicates).
    """

    id = "links/ambiguous-target"
    severity = Severity.WARNING
    needs_corpus = True

    def check_links(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        index = ctx.index()
        for link in links_of(doc, fm):
            by_url = index.paths_with_url(link.url)
            if len(by_url) > 1:
                name, claimants = "url", by_url
            elif not by_url and len(by_id := index.paths_with_id(link.id)) > 1:
                name, claimants = "id", by_id
            else:
                continue
            start, end = link.span(fm, name)
            value = link.url if name == "url" else link.id
            yield Violation(start, end, f"{link.key}: {len(claimants)} articles claim the {name} {value} "
                                        f"({_listed(claimants)}); which one this link opens is ambiguous",
                            details={name: value, "claimants": list(claimants[:CLAIMANTS_LISTED]),
                                     "claimant_count": len(claimants)})


class DriftRule(LinkRule):
    """A link field that must repeat its target's current value (title, subject), with a safe fix."""

    needs_corpus = True
    fixable = True
    field_name: str

    def check_links(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        index = ctx.index()
        name = self.field_name
        for link in links_of(doc, fm):
            targets = link.targets(index)
            if len(targets) != 1:
                continue  # missing or ambiguous: other rules say so
            target = index.entries[targets[0]]
            ours, theirs = getattr(link, name), getattr(target, name)
            if not (isinstance(ours, str) and isinstance(theirs, str)) or _same_text(ours, theirs):
                continue
            theirs = " ".join(theirs.split())
            start, end = link.span(fm, name)
            yield Violation(start, end, f"{link.key}.{name} is {_quote(' '.join(ours.split()))}, but the {name} of "
                                        f"{target.url or target.path} is {_quote(theirs)}",
                            suggestion=theirs,
                            fix=rewrite_scalar(doc, fm, f"{link.key}.{name}", theirs,
                                               f"use the target's current {name}"),
                            details={"link": ours, "target": theirs, "target_path": target.path})


def _same_text(a: str, b: str) -> bool:
    """Equal as a reader sees them: YAML folding and stray spaces aside."""
    return a.split() == b.split()


@register
class TitleMismatch(DriftRule):
    """Reports a related link whose title differs from the current title of the article it opens.

    **Why it matters:** the link's title is what the reader is promised; after an article is renamed,
    the stale title promises one article and opens another.

    **Example:** ``title: What causes anemia?`` linking to an article now titled
    ``What are the common causes of anemia?``. Use instead: the target's current title (``--fix``
    rewrites it and keeps the value's YAML style, such as a ``>-`` folded block).
    """

    id = "links/title-mismatch"
    severity = Severity.WARNING
    field_name = "title"


@register
class SubjectMismatch(DriftRule):
    """Reports a related link whose subject differs from the subject of the article it opens.

    **Why it matters:** the subject decides the section label shown with the link; a stale subject
    files the link under the wrong section.

    **Example:** ``subject: Health Studies`` linking to an article whose subject is ``Hematology``.
    Use instead: the target's subject (``--fix`` rewrites it).
    """

    id = "links/subject-mismatch"
    severity = Severity.WARNING
    field_name = "subject"


@register
class MalformedUrl(LinkRule):
    """Reports a related link url that is not a site-relative ``/learn/<subject>/questions/<slug>`` path.

    **Why it matters:** the site builds the link from the url as written; whitespace, uppercase, a
    trailing slash or a query string make a url that does not exist (or a duplicate page for search
    engines), an absolute url leaves the site, and a ``..`` segment points outside the content.

    **Example:** ``url: /learn/Health-Studies/questions/what-is-anemia/``.
    Use instead: ``/learn/health-studies/questions/what-is-anemia``.
    """

    id = "links/malformed-url"
    severity = Severity.ERROR

    def check_links(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        for link in links_of(doc, fm):
            if not isinstance(link.url, str) or not link.url or URL_SHAPE.fullmatch(link.url):
                continue
            problems = url_problems(link.url)
            candidate = normalised_url(link.url)
            usable = URL_SHAPE.fullmatch(candidate) is not None
            if not usable and "is not /learn/<subject>/questions/<slug>" not in problems:
                problems.append("is not /learn/<subject>/questions/<slug>")
            start, end = link.span(fm, "url")
            yield Violation(start, end, f"{link.key}.url {'; '.join(problems)}",
                            suggestion=candidate if usable else None, details={"problems": problems})


def url_problems(url: str) -> list[str]:
    """What is wrong with a url that does not have the site's shape, in words."""
    checks = (
        (SCHEME.match(url) is not None or url.startswith("//"), "is an absolute URL, not a path on this site"),
        (any(c.isspace() for c in url), "contains whitespace"),
        ("?" in url, "has a query string"),
        ("#" in url, "has a fragment"),
        ("\\" in url or any(part in (".", "..") for part in re.split(r"[/\\]", url)),
         "has '.' or '..' segments (a path must not leave the site's content)"),
        (url != url.lower(), "has uppercase letters"),
        (len(url) > 1 and url.endswith("/"), "ends with a slash"),
        (not url.startswith("/") and SCHEME.match(url) is None, "is relative (does not start with /)"),
    )
    found = [message for failed, message in checks if failed]
    return found or ["is not /learn/<subject>/questions/<slug>"]


def normalised_url(url: str) -> str:
    """The url with the mechanical problems removed: whitespace, query, fragment, case, trailing slash."""
    path = re.split(r"[?#]", url.strip(), maxsplit=1)[0]
    path = re.sub(r"\s+", "-", path.lower())
    return re.sub(r"/{2,}", "/", path).rstrip("/")


@register
class SelfLink(LinkRule):
    """Reports a related link to the article itself.

    **Why it matters:** a "related article" that reloads the page the reader is on wastes one of the few
    related slots and looks broken.

    **Example:** what-is-anemia.md listing ``url: /learn/health-studies/questions/what-is-anemia``.
    Use instead: a link to another article.
    """

    id = "links/self-link"
    severity = Severity.ERROR

    def check_links(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        own_url, own_id = doc.data.get("url"), id_key(doc.data.get("id"))
        for link in links_of(doc, fm):
            if isinstance(own_url, str) and link.url == own_url:
                start, end = link.span(fm, "url")
            elif own_id is not None and id_key(link.id) == own_id and not isinstance(link.url, str):
                start, end = link.span(fm, "id")
            else:
                continue
            yield Violation(start, end, f"{link.key} links to this article itself")


@register
class DuplicateLink(LinkRule):
    """Reports a related link that repeats an earlier one (same url, or same id).

    **Why it matters:** the page shows the same article twice among its few related links.

    **Example:** related_article2 and related_article4 both with
    ``url: /learn/health-studies/questions/what-causes-anemia``. Use instead: a different article.
    """

    id = "links/duplicate-link"
    severity = Severity.WARNING

    def check_links(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        by_url: dict[str, str] = {}
        by_id: dict[int | str, str] = {}
        for link in links_of(doc, fm):
            key = id_key(link.id)
            earlier, name = None, "url"
            if isinstance(link.url, str) and link.url in by_url:
                earlier = by_url[link.url]
            elif key is not None and key in by_id:
                earlier, name = by_id[key], "id"
            if isinstance(link.url, str):
                by_url.setdefault(link.url, link.key)
            if key is not None:
                by_id.setdefault(key, link.key)
            if earlier is not None:
                start, end = link.span(fm, name)
                yield Violation(start, end, f"{link.key} repeats {earlier} (same {name})",
                                details={"earlier": earlier})


@register
class Orphan(LinkRule):
    """Reports an article that no other article of the corpus links to.

    **Why it matters:** related links are how readers move between articles; an article nothing links
    to is reached only from search, and usually goes unmaintained.

    **Example:** what-is-anemia.md, when no related_articleN of any other article points at its url.
    Use instead: link to it from a few related articles.
    """

    id = "links/orphan"
    severity = Severity.INFO
    enabled_by_default = False
    needs_corpus = True

    def check_links(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        index = ctx.index()
        own_url, own_id = doc.data.get("url"), id_key(doc.data.get("id"))
        if doc.path not in index.entries or (not isinstance(own_url, str) and own_id is None):
            return
        if not index.has_inbound_links(doc.path):
            start, end = value_span(fm, "url" if isinstance(own_url, str) else "id")
            yield Violation(start, end, "no other article links to this article")


# --- fixes that keep the YAML style --------------------------------------------------------------------


def rewrite_scalar(doc: Document, fm: FrontMatter, path: str, value: Scalar, description: str,
                   safe: bool = True) -> Fix | None:
    """A fix that sets a scalar field to ``value``, changing no other byte of the file.

    The value keeps its style: a ``>-`` folded title keeps its indicator and indentation and only its
    text is replaced; a quoted value stays quoted the same way. The edited front matter is parsed again
    and the fix is offered only when the field then reads exactly ``value``; when the style cannot hold
    the value (a folded block cannot start with a space), a double-quoted value is tried instead.
    """
    node = fm.fields.get(path)
    if node is None or not node.is_scalar or value is None:
        return None
    for edit in _candidate_edits(node, value):
        if _reads_back(doc.text, edit, path, value):
            return Fix((edit,), description, safe=safe)
    return None


def _candidate_edits(node: FieldNode, value: str | int) -> Iterator[Edit]:
    text = value if isinstance(value, str) else str(value)
    scalar = node.node
    style = scalar.style if isinstance(scalar, yaml.ScalarNode) else None
    if style in (">", "|") and scalar.value:
        yield Edit(node.mapped_value().offsets[0], node.value_end, text)
    elif style == "'":
        yield Edit(node.value_start, node.value_end, "'" + text.replace("'", "''") + "'")
    elif not style:  # plain: None from the Python parser, "" from the C one
        yield Edit(node.value_start, node.value_end, text)
    if isinstance(value, str):
        yield Edit(node.value_start, node.value_end, json.dumps(value, ensure_ascii=False))


def _reads_back(text: str, edit: Edit, path: str, value: Scalar) -> bool:
    found = frontmatter.value_after(text, edit.start, edit.end, edit.text, path)
    if isinstance(found, str) and isinstance(value, str):
        found = found.rstrip("\n")  # a block scalar that keeps its final line break ('>' rather than '>-')
    return type(found) is type(value) and found == value


# --- external links in prose ---------------------------------------------------------------------------


class ExternalOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=lambda name: name.replace("_", "-"),
                              populate_by_name=True)

    timeout: float = Field(5.0, gt=0, description="seconds per request")
    max_concurrency: int = Field(8, ge=1, description="requests in flight at once")
    per_host_limit: int = Field(2, ge=1, description="requests in flight to one host")
    max_redirects: int = Field(5, ge=0)
    allow_private: bool = Field(False, description="also check hosts on private, loopback or link-local addresses")
    cache_ttl: float = Field(86_400.0, ge=0, description="seconds a definite answer stays cached on disk (0: never)")


@register
class ExternalUrl(LinkRule):
    """Reports an http(s) link in the prose that does not answer: 404, 410, no such host, timeout.

    **Why it matters:** a dead source link in a health article costs the reader the evidence behind a
    claim, and looks careless. Sites move pages all the time, so links rot silently.

    **Example:** ``see https://example.org/guidelines-2019`` answering 404. Use instead: the page's new
    address, or another source. Requests run concurrently, with a timeout and a per-host limit, and are
    cached (in the corpus cache directory); hosts on private or loopback addresses are never contacted
    unless ``allow-private`` is set.
    """

    id = "links/external-url"
    severity = Severity.WARNING
    enabled_by_default = False
    cacheable = False  # a page that answers today may be gone tomorrow: results come from its own cache
    Options = ExternalOptions

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        options = ctx.options_as(ExternalOptions)
        found = list(external_urls(doc))
        verdicts = _checker(ctx.settings.get("cache_dir")).check_all(sorted({url for url, _, _ in found}), options)
        for url, start, end in found:
            problem = verdicts.get(url)
            if problem is not None:
                yield Violation(start, end, f"external link {url}: {problem}", details={"url": url})


_URL_CHARS = r"[^\s<>\"'`\\)\[\]]"
HTTP_URL = re.compile(rf"https?://(?:\[[0-9A-Fa-f:.]+\]{_URL_CHARS}*|{_URL_CHARS}+)", re.IGNORECASE)


def external_urls(doc: Document) -> Iterator[tuple[str, int, int]]:
    """Each http(s) url in the prose fields and the body, with its file span (raw text: markup keeps urls)."""
    fm = doc.front_matter
    spans = []
    if fm is not None and fm.problem is None:
        spans = [(node.value_start, node.value_end) for name in doc.prose_options.fields
                 if (node := fm.fields.get(name)) is not None and node.is_scalar]
    spans.append((fm.block.body_start if fm is not None else 0, len(doc.text)))
    for start, end in spans:
        for match in HTTP_URL.finditer(doc.text, start, end):
            url = match.group().rstrip(".,;:!?*_")
            if "\\n" in url:  # the literal \n paragraph convention of the front matter ends a url
                url = url[: url.index("\\n")]
            yield url, match.start(), match.start() + len(url)


def _checker(cache_dir: Path | None) -> ExternalChecker:
    """The process's checker for a cache directory (which holds the answers of earlier runs)."""
    if cache_dir not in _CHECKERS:
        _CHECKERS[cache_dir] = ExternalChecker(cache_dir / "external-v1.sqlite" if cache_dir else None)
    return _CHECKERS[cache_dir]


_CHECKERS: dict[Path | None, ExternalChecker] = {}


def _http() -> ModuleType:
    """The HTTP client, imported only when external urls are checked (http.client and ssl cost every run
    40 ms of start-up otherwise)."""
    from rules import _http

    return _http


class _Refused(Exception):
    """A url the options forbid contacting (a private or loopback address)."""


class ExternalChecker:
    """Checks urls concurrently (per-host limits), remembers answers in memory and, when definite, on disk."""

    def __init__(self, cache_path: Path | None) -> None:
        self.cache_path = cache_path
        self.memory: dict[str, str | None] = {}
        self.lock = threading.Lock()
        self.hosts: dict[str, threading.BoundedSemaphore] = {}

    def check_all(self, urls: list[str], options: ExternalOptions) -> dict[str, str | None]:
        known = {url: self.memory[url] for url in urls if url in self.memory}
        todo = [url for url in urls if url not in known]
        if todo:
            known.update(self._load(todo, options.cache_ttl))
            todo = [url for url in todo if url not in known]
        if todo:
            with ThreadPoolExecutor(max_workers=min(options.max_concurrency, len(todo))) as pool:
                answers = dict(zip(todo, pool.map(lambda url: self._check(url, options), todo), strict=True))
            known.update({url: problem for url, (problem, _) in answers.items()})
            # A refusal depends on the options, not on the link: remembered nowhere.
            self.memory.update({url: problem for url, (problem, kind) in answers.items() if kind != "refused"})
            self._store({url: problem for url, (problem, kind) in answers.items() if kind == "definite"})
        return known

    def _check(self, url: str, options: ExternalOptions) -> tuple[str | None, str]:
        """(problem or None, kind): "definite" answers are cached on disk, "transient" ones for this run only."""
        for _ in range(options.max_redirects + 1):
            try:
                parts = urllib.parse.urlsplit(url)
                host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
            except ValueError:  # a bad port or IPv6 literal
                return "not a valid url", "definite"
            if parts.scheme not in ("http", "https") or not host:
                return "not an http(s) url", "definite"
            try:
                address = self._vetted_address(host, port, options.allow_private)
            except (socket.gaierror, UnicodeError, ValueError):
                return f"no such host ({host})", "transient"
            except _Refused as refusal:
                return str(refusal), "refused"
            with self._host_slot(host, options.per_host_limit):
                status, location = _http().request(parts, address, port, options.timeout)
            if status in (301, 302, 303, 307, 308) and location:
                url = urllib.parse.urljoin(url, location)
                continue
            if status == 0:
                return f"no answer within {options.timeout:g} s (timeout or connection refused)", "transient"
            if status < 400 or status == 429:  # 429: rate-limited, which says nothing about the page
                return None, "definite" if status < 400 else "transient"
            return f"the server answers HTTP {status}", "definite" if status in (404, 410) else "transient"
        return f"more than {options.max_redirects} redirects", "transient"

    @staticmethod
    def _vetted_address(host: str, port: int, allow_private: bool) -> str:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = [str(info[4][0]) for info in infos]
        if not allow_private:
            for address in addresses:
                ip = ipaddress.ip_address(address.split("%", 1)[0])
                if not ip.is_global or ip.is_multicast:
                    raise _Refused(f"not checked: {host} is a private or loopback address "
                                          f"({address}); set allow-private to check it")
        return addresses[0]

    @contextlib.contextmanager
    def _host_slot(self, host: str, limit: int) -> Iterator[None]:
        with self.lock:
            slot = self.hosts.setdefault(host, threading.BoundedSemaphore(limit))
        with slot:
            yield

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self.cache_path is None or not (create or self.cache_path.is_file()):
            return None
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.cache_path, timeout=1.0, isolation_level=None)
            db.execute("CREATE TABLE IF NOT EXISTS answers (url TEXT PRIMARY KEY, checked REAL, problem TEXT)")
            return db
        except (OSError, sqlite3.Error):
            return None

    def _load(self, urls: list[str], ttl: float) -> dict[str, str | None]:
        db = self._connect(create=False) if ttl > 0 else None
        if db is None:
            return {}
        with contextlib.closing(db):
            try:
                rows = [db.execute("SELECT problem FROM answers WHERE url = ? AND checked > ?",
                                   (url, time.time() - ttl)).fetchone() for url in urls]
            except sqlite3.Error:
                return {}
        return {url: row[0] if isinstance(row[0], str) else None for url, row in zip(urls, rows, strict=True)
                if row is not None}

    def _store(self, answers: dict[str, str | None]) -> None:
        db = self._connect(create=True) if answers else None
        if db is None:
            return
        with contextlib.closing(db), contextlib.suppress(sqlite3.Error):
            db.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)",
                           [(url, time.time(), problem) for url, problem in answers.items()])
