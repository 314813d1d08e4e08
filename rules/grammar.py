"""Grammar and spelling rules: LanguageTool when a server is at hand; offline, a spelling check and the
commonest slips (a repeated word, "a" or "an" against the next word's sound, "its" for "it's").

The two spelling checks share one medical vocabulary (rules/_vocabulary.py). ``grammar/languagetool`` sends each
document's prose, paragraph by paragraph, to LanguageTool (rules/_languagetool.py) and keeps the answers in
a disk cache (rules/_ltcache.py); ``grammar/spelling`` checks words against pyspellchecker's English list
(rules/_spelling.py) and stays quiet on a document whose spelling LanguageTool has already checked, so no
word is reported twice; the offline grammar rules stay quiet on a document LanguageTool has read. They rely
on running after ``grammar/languagetool`` on the same document, which the engine guarantees by running a
file's rules in id order.

The backend is chosen once per process and remembered (the engine has no per-run hook): when there is
none, one line says so on standard error (through logging, once per run even with worker processes) and
the rule costs nothing more.
"""

from __future__ import annotations

import bisect
import itertools
import json
import logging
import multiprocessing
import os
import re
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from lint.document import Document, ProseField
from lint.registry import register
from lint.rule import Category, CheckContext, Edit, Fix, Rule, Severity, Violation
from lint.tokens import Sentence, Token, sentences, words_of
from rules import _articles, _spelling
from rules._data import DATA, entries
from rules._languagetool import (
    URL_ENV,
    BackendError,
    Client,
    LocalServer,
    LTMatch,
    RequestOptions,
    ServerPool,
    installed_server,
    server_urls,
)
from rules._ltcache import ResultCache, paragraph_key
from rules._vocabulary import Vocabulary, vocabulary
from rules.readability import function_words

log = logging.getLogger("contentlint.grammar")

LT_CHECKED_SPELLING = "grammar.languagetool-checked-spelling"  # Document.memo key set by grammar/languagetool
# and this one once LanguageTool has read all of a document's prose: the offline rules that read it are named to
# sort after grammar/languagetool, as the engine runs a file's rules in id order
LT_CHECKED = "grammar.languagetool-checked"
SPELLING_CATEGORY = "TYPOS"
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
SEPARATOR = "\n\n"
MAX_REPLACEMENTS = 5
# Rules that fight the house style: the `\n` paragraph convention and YAML folding leave line breaks and
# double spaces that are not typos; headings, list items and scraped menu lines have no final punctuation;
# quote and dash typography is a style choice (and the encoding rules' subject).
DEFAULT_DISABLED_RULES = ("WHITESPACE_RULE", "PUNCTUATION_PARAGRAPH_END", "EN_QUOTES", "DASH_RULE")


class _Kebab(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=lambda name: name.replace("_", "-"),
                              populate_by_name=True, frozen=True)


class LanguageToolOptions(_Kebab):
    server_url: str | list[str] | None = Field(
        None, description=f"LanguageTool server, or a list of servers to spread requests over; {URL_ENV} overrides it")
    language: str = "en-US"
    local: bool = True  # start a LanguageTool that language-tool-python already keeps on disk
    connect_timeout: float = Field(2.0, gt=0)
    timeout: float = Field(8.0, gt=0)  # seconds a document waits for its answers (keep below the file timeout)
    startup_timeout: float = Field(30.0, gt=0)
    concurrency: int = Field(4, ge=1, le=64)
    max_request_chars: int = Field(20_000, ge=200)
    disabled_rules: tuple[str, ...] = DEFAULT_DISABLED_RULES
    disabled_categories: tuple[str, ...] = ()
    enabled_rules: tuple[str, ...] = ()
    level: str = Field("default", pattern="^(default|picky)$")
    words: tuple[str, ...] = ()  # more words never to report as misspelled


class SpellingOptions(_Kebab):
    words: tuple[str, ...] = ()


# --- the backend, once per process ------------------------------------------------------------------


@dataclass
class Backend:
    """The LanguageTool this process talks to, or why there is none."""

    client: Client | ServerPool | None
    label: str  # the server, for messages and the cache fingerprint
    problem: str | None = None  # why it cannot be used (from the start, or since it stopped answering)
    reported: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def report_once(self, kind: str, message: str) -> None:
        """Log a problem the first time it happens in the run (one line per kind, not per file or worker)."""
        with self.lock:
            if kind in self.reported:
                return
            self.reported.add(kind)
        if _first_in_run(kind):
            log.warning("contentlint: %s", message)

    def fail(self, message: str) -> None:
        self.problem = message
        self.report_once("failed", f"grammar/languagetool stopped: {message}; the remaining files are not "
                                   "checked by LanguageTool (grammar/spelling checks their spelling)")


REPORT_KINDS = ("skipped", "failed", "request", "outside", "cache")
# One flag per kind of report, in memory shared with the worker processes a parallel run forks after this
# module is imported: the first process to report a kind tells the others. (Where workers are spawned
# instead, or shared memory is unavailable, each process reports once.)
try:
    _REPORTED_IN_RUN: Any = multiprocessing.Array("b", len(REPORT_KINDS))
except OSError:  # pragma: no cover - no shared memory on this system
    _REPORTED_IN_RUN = None


def _first_in_run(kind: str) -> bool:
    if _REPORTED_IN_RUN is None:
        return True
    index = REPORT_KINDS.index(kind)
    with _REPORTED_IN_RUN.get_lock():
        first = not _REPORTED_IN_RUN[index]
        _REPORTED_IN_RUN[index] = 1
    return bool(first)


_BACKENDS: dict[tuple[object, ...], Backend] = {}
_SERVERS: list[LocalServer] = []
_EXECUTOR: list[ThreadPoolExecutor] = []
_STATE_LOCK = threading.Lock()
ENABLE_HINT = (f"set {URL_ENV} (or server-url in the rule's options) to a LanguageTool server, or keep a "
               "LanguageTool where language-tool-python looks (LTP_PATH, LTP_JAR_DIR_PATH) with Java installed")


def reset() -> None:
    """Forget the backends chosen so far and stop the servers started here (a new run in the same process)."""
    with _STATE_LOCK:
        _BACKENDS.clear()
        if _REPORTED_IN_RUN is not None:
            _REPORTED_IN_RUN[:] = [0] * len(REPORT_KINDS)
        for server in _SERVERS:
            server.stop()
        _SERVERS.clear()


def backend_for(options: LanguageToolOptions) -> Backend:
    configured = options.server_url if isinstance(options.server_url, str) else " ".join(options.server_url or ())
    urls = tuple(server_urls(os.environ.get(URL_ENV) or configured))
    key = (urls, options.local, options.language, options.connect_timeout, options.timeout, options.startup_timeout)
    with _STATE_LOCK:
        if key not in _BACKENDS:
            _BACKENDS[key] = _resolve(urls, options)
        return _BACKENDS[key]


def _resolve(urls: tuple[str, ...], options: LanguageToolOptions) -> Backend:
    if urls:
        return _probe_all([Client(url, options.connect_timeout, options.timeout) for url in urls], options.language)
    found = installed_server() if options.local else None
    if found is None:
        backend = Backend(None, "", "no LanguageTool server configured and none installed")
    else:
        where, command = found
        server = LocalServer(where, command)
        try:
            server.start(options.startup_timeout)
        except BackendError as error:
            backend = Backend(None, where, str(error))
        else:
            _SERVERS.append(server)
            return _probe(Client(server.url, options.connect_timeout, options.timeout), where, options.language)
    backend.report_once("skipped", f"grammar/languagetool skipped: {backend.problem}; to enable it, {ENABLE_HINT}")
    return backend


def _probe_all(clients: list[Client], language: str) -> Backend:
    """The configured servers that answer and know the language, used together; or why none can be used."""
    if len(clients) == 1:
        return _probe(clients[0], clients[0].base_url, language)
    probes = [_probe(client, client.base_url, language, report=False) for client in clients]
    usable = [client for client, probe in zip(clients, probes, strict=True) if probe.problem is None]
    if not usable:
        backend = Backend(None, ", ".join(c.base_url for c in clients), "; ".join(str(p.problem) for p in probes))
        backend.report_once("skipped", f"grammar/languagetool skipped: {backend.problem}; to enable it, {ENABLE_HINT}")
        return backend
    pool = ServerPool(usable)
    backend = Backend(pool, pool.base_url)
    for probe in probes:
        if probe.problem is not None:
            backend.report_once("request", f"grammar/languagetool: {probe.problem}; the other servers are used")
    return backend


def _probe(client: Client, label: str, language: str, report: bool = True) -> Backend:
    try:
        known = client.languages()
    except BackendError as error:
        backend = Backend(None, label, f"no usable LanguageTool server ({error})")
    else:
        if language in known:
            return Backend(client, label)
        backend = Backend(None, label, f"the LanguageTool server at {label} does not know language '{language}'")
    if report:
        backend.report_once("skipped", f"grammar/languagetool skipped: {backend.problem}; to enable it, {ENABLE_HINT}")
    return backend


def _executor(workers: int) -> ThreadPoolExecutor:
    with _STATE_LOCK:
        if not _EXECUTOR or _EXECUTOR[0]._max_workers != workers:
            if _EXECUTOR:
                _EXECUTOR.pop().shutdown(wait=False)
            _EXECUTOR.append(ThreadPoolExecutor(workers, thread_name_prefix="languagetool"))
        return _EXECUTOR[0]


# --- paragraphs ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paragraph:
    field: ProseField
    start: int  # offset in the field's text
    text: str


def paragraphs(prose: ProseField, limit: int) -> list[Paragraph]:
    """The field's paragraphs (split at blank lines), long ones cut at line or sentence ends within limit."""
    text = prose.text.text
    found: list[Paragraph] = []
    start = 0
    for match in [*PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = start + len(chunk) - len(chunk.lstrip())
            found.extend(Paragraph(prose, lead + offset, piece) for offset, piece in _cut(stripped, limit))
        start = match.end() if match else len(text)
    return found


def _cut(text: str, limit: int) -> Iterator[tuple[int, str]]:
    """Pieces of at most limit characters, cut after a line break, a sentence end or a space if possible."""
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind("\n"), window.rfind(". "), window.rfind("? "), window.rfind("! "))
        if cut < limit // 2:
            cut = window.rfind(" ")
        end = start + (cut + 1 if cut > 0 else limit)
        yield start, text[start:end]
        start = end
    yield start, text[start:]


def _batches(texts: list[str], limit: int) -> list[list[str]]:
    """Pack paragraphs into requests of at most limit characters (paragraphs joined by a blank line)."""
    batches: list[list[str]] = []
    size = limit + 1
    for text in texts:
        if size + len(SEPARATOR) + len(text) > limit:
            batches.append([])
            size = -len(SEPARATOR)
        batches[-1].append(text)
        size += len(SEPARATOR) + len(text)
    return batches


def _split_answer(batch: list[str], matches: list[LTMatch]) -> dict[str, list[LTMatch]]:
    """Give each paragraph of a request the matches inside it, offsets relative to the paragraph."""
    starts, position = [], 0
    for text in batch:
        starts.append(position)
        position += len(text) + len(SEPARATOR)
    found: dict[str, list[LTMatch]] = {text: [] for text in batch}
    for match in matches:
        index = bisect.bisect_right(starts, match.offset) - 1
        text = batch[index]
        local = match.offset - starts[index]
        if local >= len(text):
            continue  # in the blank line between two paragraphs
        length = min(match.length, len(text) - local)
        found[text].append(LTMatch(local, length, match.message, match.rule_id, match.category,
                                   match.issue_type, match.replacements))
    return found


# --- the rules ----------------------------------------------------------------------------------------


_CACHES: dict[Path, ResultCache] = {}


def _cache_at(directory: Path | None) -> ResultCache | None:
    """The paragraph cache in the run's cache directory (none with --no-cache)."""
    if directory is None:
        return None
    with _STATE_LOCK:
        if directory not in _CACHES:
            _CACHES[directory] = ResultCache(directory)
        return _CACHES[directory]


def _replacement_fix(doc: Document, prose: ProseField, start: int, end: int, replacement: str) -> Fix | None:
    """An unsafe fix when the span is a plain stretch of the file (no markup or escape inside)."""
    file_start, file_end = prose.text.file_span(start, end)
    if doc.text[file_start:file_end] != prose.text.text[start:end]:
        return None
    return Fix((Edit(file_start, file_end, replacement),), f"replace with '{replacement}'", safe=False)


def _violation(doc: Document, prose: ProseField, start: int, end: int, message: str,
               replacements: list[str], details: dict[str, object]) -> Violation:
    file_start, file_end = prose.text.file_span(start, end)
    suggestion = replacements[0] if replacements else None
    fix = _replacement_fix(doc, prose, start, end, suggestion) if suggestion is not None else None
    return Violation(file_start, file_end, message, suggestion=suggestion, fix=fix,
                     details={**details, "replacements": replacements[:MAX_REPLACEMENTS]})


@register
class LanguageTool(Rule):
    """Reports grammar, usage and spelling problems that LanguageTool finds in the prose.

    Each paragraph of the title, question, answer, description and body goes to a LanguageTool server
    (``CONTENTLINT_LANGUAGETOOL_URL`` or ``server-url``; else a LanguageTool that language-tool-python keeps
    on disk, started locally). Each match becomes a finding at its exact position, with LanguageTool's
    message, its rule id in ``details.lt_rule`` and its replacements as the suggestion. Spelling matches on
    medical words (rules/data/medical-words.txt), the document's ``seo.page_keywords`` or the configured
    ``words`` are dropped. Answers are cached per paragraph, so unchanged paragraphs are never sent again.
    Without a server the rule is skipped with one line on standard error.

    **Why it matters:** "a apple", "their is" and misspelled words undermine a health article's
    credibility; LanguageTool is the grammar checker editors already trust.

    **Example:** "This is a apple." is reported with EN_A_VS_AN and the suggestion "an".
    """

    id = "grammar/languagetool"
    category = Category.GRAMMAR
    severity = Severity.WARNING
    fixable = True
    Options = LanguageToolOptions

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        options = ctx.options_as(LanguageToolOptions)
        if not doc.prose:
            return
        backend = backend_for(options)
        if backend.client is None or backend.problem is not None:
            return
        request = RequestOptions(options.language, options.disabled_rules, options.disabled_categories,
                                 options.enabled_rules, level=options.level)
        pieces = [p for prose in doc.prose for p in paragraphs(prose, options.max_request_chars)]
        cache = _cache_at(ctx.settings.get("cache_dir"))
        results = self._results(backend, request, [p.text for p in pieces], cache, options)
        vocab = vocabulary(doc, options.words)
        for piece in pieces:
            for match in results.get(piece.text, []):
                if not _known_spelling(match, piece.text, vocab):
                    yield self._finding(doc, piece, match)
        if all(p.text in results for p in pieces):
            doc.memo(LT_CHECKED, lambda: True)
        spelling_on = SPELLING_CATEGORY not in options.disabled_categories and not any(
            rule.startswith(("MORFOLOGIK_RULE", "HUNSPELL")) for rule in options.disabled_rules)
        if spelling_on and all(p.text in results for p in pieces):
            doc.memo(LT_CHECKED_SPELLING, lambda: True)

    def _results(self, backend: Backend, request: RequestOptions, texts: list[str], cache: ResultCache | None,
                 options: LanguageToolOptions) -> dict[str, list[LTMatch]]:
        """Each paragraph's matches: from the cache, else from the server (then cached)."""
        fingerprint = json.dumps([backend.label, request.form("")], sort_keys=True)
        keys = {text: paragraph_key(fingerprint, text) for text in texts}
        cached = cache.get_many(keys.values()) if cache else {}
        results = {text: cached[key] for text, key in keys.items() if key in cached}
        missing = [text for text in keys if text not in results]
        fresh = _fetch(backend, request, missing, options) if missing else {}
        if cache:
            cache.put_many({keys[text]: matches for text, matches in fresh.items()})
            if cache.broken:
                backend.report_once("cache", f"grammar/languagetool works without its cache: {cache.broken}")
        results.update(fresh)
        return results

    def _finding(self, doc: Document, piece: Paragraph, match: LTMatch) -> Violation:
        start = piece.start + match.offset
        return _violation(doc, piece.field, start, start + match.length, match.message, list(match.replacements),
                          {"lt_rule": match.rule_id, "lt_category": match.category, "issue_type": match.issue_type})


def _fetch(backend: Backend, request: RequestOptions, texts: list[str],
           options: LanguageToolOptions) -> dict[str, list[LTMatch]]:
    """Send the paragraphs in concurrent requests; paragraphs whose request failed are left out."""
    client = backend.client
    assert client is not None
    pool = _executor(options.concurrency)
    futures: dict[Future[tuple[list[LTMatch], int]], list[str]] = {
        pool.submit(client.check, SEPARATOR.join(batch), request): batch
        for batch in _batches(texts, options.max_request_chars)
    }
    done, pending = wait(futures, timeout=options.timeout + options.connect_timeout)
    results: dict[str, list[LTMatch]] = {}
    for future in done:
        try:
            matches, outside = future.result()
        except BackendError as error:
            if error.fatal:
                backend.fail(str(error))
            else:
                backend.report_once("request", f"grammar/languagetool: a request failed ({error}); its "
                                               "paragraphs are not checked (further failures are not reported)")
            continue
        if outside:
            backend.report_once("outside", f"grammar/languagetool: {backend.label} returned matches outside "
                                           "the text sent; they are ignored")
        results.update(_split_answer(futures[future], matches))
    for future in pending:
        future.cancel()
    if pending:  # queued behind this document's other requests (a silent server times out on its own)
        backend.report_once("request", f"grammar/languagetool: a document needed more than {options.timeout:g} s "
                                       "of LanguageTool time; its remaining paragraphs are not checked (raise "
                                       "timeout or concurrency; further cases are not reported)")
    return results


def _known_plural(candidate: _spelling.Candidate, vocab: Vocabulary) -> bool:
    """A regular plural of a known word, written in lower case ("erosions", "metaphyses"). A capitalised one (at
    a sentence's start) may be a name's possessive that lost its apostrophe ("Alzheimers disease")."""
    return candidate.token.text.islower() and any(_spelling.is_known(base) or vocab.knows(base)
                                                  for base in _spelling.plural_bases(candidate.lookup))


def _known_spelling(match: LTMatch, text: str, vocab: Vocabulary) -> bool:
    """A spelling match on words of the domain vocabulary."""
    if not match.is_spelling:
        return False
    words = words_of(text[match.offset : match.offset + match.length])
    return bool(words) and all(vocab.knows(word.text) for word in words)


@register
class Spelling(Rule):
    """Reports misspelled words without LanguageTool, from pyspellchecker's English dictionary.

    Ordinary lower-case words (and a sentence's capitalised first word) are looked up in pyspellchecker's
    English word list, in American or British spelling; medical words (rules/data/medical-words.txt), the
    document's ``seo.page_keywords`` and the configured ``words`` are accepted. Names, abbreviations, words
    with digits or non-English letters, web addresses and words with no known word one edit away (more
    likely a term the dictionary lacks than a typo) are left alone. Quiet on a document whose spelling
    ``grammar/languagetool`` has checked, so no word is reported twice.

    **Why it matters:** a misspelled word in a health article ("recieve", "anemai") reads as careless and
    can hide a term a patient will search for.

    **Example:** "Patients recieve treatment" is reported with the suggestion "receive"; "thrombocytopenia"
    and "imatinib" are not.
    """

    id = "grammar/spelling"
    category = Category.GRAMMAR
    severity = Severity.WARNING
    fixable = True
    Options = SpellingOptions

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        options = ctx.options_as(SpellingOptions)
        if doc.memo(LT_CHECKED_SPELLING, lambda: False):
            return
        vocab = vocabulary(doc, options.words)
        by_field: dict[int, list[tuple[Sentence, list[_spelling.Candidate], int]]] = {}
        addresses = {id(prose): _spelling.address_spans(prose.text.text) for prose in doc.prose}
        for sentence in sentences(doc):
            spans = addresses[id(sentence.field)]
            checked = _spelling.candidates(sentence, spans)
            unknown = [c for c in checked if not (vocab.knows(c.token.text) or vocab.knows(c.whole)
                                                  or _spelling.is_known(c.lookup)
                                                  or _known_plural(c, vocab))]
            foreign = _spelling.non_english_words(sentence)
            by_field.setdefault(id(sentence.field), []).append((sentence, unknown, len(checked) + foreign))
        for stretch in by_field.values():
            field_unknown = sum(len(unknown) + _spelling.non_english_words(s) for s, unknown, _ in stretch)
            if _spelling.looks_foreign(field_unknown, sum(total for _, _, total in stretch)):
                continue  # a field in another language, not a field of typos
            for sentence, unknown, total in stretch:
                if _spelling.looks_foreign(len(unknown) + _spelling.non_english_words(sentence), total):
                    continue
                for candidate in unknown:
                    found = _spelling.suggestions(candidate.lookup)
                    if found:
                        yield self._finding(doc, sentence.field, candidate.token, found)

    def _finding(self, doc: Document, prose: ProseField, token: Token, found: list[str]) -> Violation:
        if token.text[0].isupper():
            found = [word[0].upper() + word[1:] for word in found]
        return _violation(doc, prose, token.start, token.end, f"'{token.text}' may be misspelled", found,
                          {"word": token.text, "dictionary": "pyspellchecker"})


# --- offline grammar: the slips a rule can see without LanguageTool ----------------------------------------


@cache
def _doubled_on_purpose() -> frozenset[str]:
    return frozenset(entries(DATA / "grammar" / "repeated-words.txt"))


@cache
def _not_after_article() -> frozenset[str]:
    return frozenset(entries(DATA / "grammar" / "not-after-article.txt"))


def _plain_gap(text: str) -> bool:
    """Whether only white space stands between two words (no comma: "Well, well"; no line of its own)."""
    return text.isspace() and "\n\n" not in text


ENGLISH_MIN_WORDS = 4  # a sentence this long with no English function word but "a" or "an" is another language's


def _english(texts: tuple[str, ...]) -> bool:
    """Whether a sentence may be English: short, or holding an English function word other than "a" and "an"
    (French doubles "nous nous" and has "un an", Portuguese "a escola")."""
    if len(texts) < ENGLISH_MIN_WORDS:
        return True
    english = function_words()
    return any(w.lower() in english and w.lower() not in ("a", "an") for w in texts)


class OfflineGrammarRule(Rule):
    """A grammar rule that needs no LanguageTool: quiet on a document LanguageTool has read. By default it reads
    the document's English sentences one by one (``check_sentence``)."""

    category = Category.GRAMMAR
    severity = Severity.WARNING
    fixable = True

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        if not doc.memo(LT_CHECKED, lambda: False):
            yield from self.check_offline(doc)

    def check_offline(self, doc: Document) -> Iterator[Violation]:
        for sentence in sentences(doc):
            if _english(sentence.texts):
                yield from self.check_sentence(doc, sentence)

    def check_sentence(self, doc: Document, sentence: Sentence) -> Iterator[Violation]:
        raise NotImplementedError


@register
class RepeatedWord(OfflineGrammarRule):
    """Reports a word written twice in a row ("the the"), without LanguageTool.

    Words that English doubles on purpose (rules/data/grammar/repeated-words.txt: "had had", "that that",
    "is is") are left alone, and so are a repeated name ("Bora Bora"), a species ("Loa loa": only "The the",
    "It it" and other function words count at the start of a sentence) and words parted by punctuation
    ("well, well"). Quiet on a document that ``grammar/languagetool`` has read, which reports these itself.

    **Why it matters:** a doubled word is the commonest slip of editing ("the the", "and and"): the eye reads
    over it, readers notice it, and a spell checker cannot see it.

    **Example:** "Take the the tablets with water" is reported at "the the", with the fix "the".
    """

    id = "grammar/repeated-word"

    def check_sentence(self, doc: Document, sentence: Sentence) -> Iterator[Violation]:
        texts = sentence.texts
        for i in range(1, len(texts)):
            first, second = texts[i - 1], texts[i]
            if (first.lower() != second.lower() or not second.isalpha() or second[0].isupper()
                    or second.lower() in _doubled_on_purpose()
                    or (first[0].isupper() and (i > 1 or second not in function_words()))):
                continue  # (a capital then the same word in lower case: a species, "Loa loa")
            before, word = sentence.words[i - 1], sentence.words[i]
            if _plain_gap(sentence.field.text.text[before.end : word.start]):
                yield _violation(doc, sentence.field, before.start, word.end, f"'{first}' is repeated", [first],
                                 {"word": second})


@register
class WrongArticle(OfflineGrammarRule):
    """Reports "a" before a vowel sound and "an" before a consonant sound, without LanguageTool.

    The sound is the word's, not its letter's: "an hour", "a unit", "a one-time fee", "an MRI", "a CT scan",
    "an X-ray", "an 8-week course", "an 11-year-old". Words whose spelling does not tell come from the CMU
    Pronouncing Dictionary (rules/data/grammar/article-sounds.tsv); a word that may be said both ways ("herb",
    "historic", "1800") takes either, and a word the rule cannot sound out ("NASA", a rare word that starts
    with u or h) is not judged. A capital "A" inside a sentence is a letter ("hepatitis A and B"), and so is
    an "a" before "and", "or" or "of". Sentences that are mostly not English are skipped ("a escola"). Quiet
    on a document that ``grammar/languagetool`` has read, which reports these itself.

    **Why it matters:** "a hour" or "an unit" reads as a typo to every reader, and a spell checker passes it:
    each word is spelled right.

    **Example:** "Rest for a hour after an unit of blood" is reported twice: "a" (write "an": "hour" starts with
    a vowel sound) and "an" (write "a": "unit" starts with a consonant sound).
    """

    id = "grammar/wrong-article"

    def check_sentence(self, doc: Document, sentence: Sentence) -> Iterator[Violation]:
        texts = sentence.texts
        for i, article in enumerate(texts[:-1]):
            if article not in ("a", "an") and not (i == 0 and article in ("A", "An")):
                continue
            following = texts[i + 1]
            if following.lower() in _not_after_article():
                continue
            sound = _articles.first_sound(following)
            wanted = "an" if sound == _articles.VOWEL else "a" if sound == _articles.CONSONANT else None
            if wanted is None or article.lower() == wanted:
                continue
            token, word = sentence.words[i], sentence.words[i + 1]
            if not _article_gap(sentence.field.text.text[token.end : word.start]):
                continue
            written = wanted.capitalize() if article[0].isupper() else wanted
            heard = "a vowel" if sound == _articles.VOWEL else "a consonant"
            yield _violation(doc, sentence.field, token.start, token.end,
                             f"'{article}' before '{following}', which starts with {heard} sound: write "
                             f"'{written}'", [written], {"article": article, "word": following})


_ARTICLE_GAP = re.compile(r"[ \t\n(\[\"'“‘]+")  # "a (rare) disease", "an “inert” pill"


def _article_gap(text: str) -> bool:
    return _ARTICLE_GAP.fullmatch(text) is not None


@cache
def _its_words() -> dict[str, frozenset[str]]:
    """The sections of rules/data/grammar/possessive-its.txt: next, adjective, connector, adverb, noun, owner."""
    sections: dict[str, set[str]] = {}
    current: set[str] = set()
    for line in entries(DATA / "grammar" / "possessive-its.txt"):
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], set())
        else:
            current.add(line)
    return {name: frozenset(words) for name, words in sections.items()}


def _its_is_it_is(texts: tuple[str, ...], at: int) -> bool:
    """Whether the "its" at ``at`` can only be "it's": an article, "not" or "been" after it ("its a sign"), an
    adjective and the start of a clause ("its (very) important to"), where a possessive needs a noun, or "time
    to" with no verb of owning before it ("its time to see a doctor", not "it took its time to heal")."""
    words = _its_words()
    following = [t.lower() for t in texts[at + 1 : at + 5]]
    if following and following[0] in words["next"]:
        return True
    if (following[:1] and following[0] in words["noun"] and following[1:2] in (["to"], ["for"])
            and not (at and texts[at - 1].lower() in words["owner"])):
        return True
    while following and following[0] in words["adverb"]:
        following.pop(0)
    return len(following) >= 2 and following[0] in words["adjective"] and following[1] in words["connector"]


@register
class PossessiveIts(OfflineGrammarRule):
    """Reports "its" (the possessive) where "it's" (it is, it has) is meant, without LanguageTool.

    Only where the words after it leave no doubt (rules/data/grammar/possessive-its.txt): an article, "not",
    "no" or "been" ("its a sign", "its not clear", "its been shown"), or an adjective that starts a clause
    ("its important to", "its very likely that"). "Its important role" and "it took its time to heal" are
    possessives and stay quiet. Quiet on a document that ``grammar/languagetool`` has read.

    **Why it matters:** "its" for "it's" is among the commonest slips in published health pages (MedQuAD's NIH
    answers have a dozen: "Its important to", "Its the most"), and a spell checker passes it.

    **Example:** "Its important to drink water" is reported at "Its", with the fix "It's".
    """

    id = "grammar/possessive-its"

    def check_sentence(self, doc: Document, sentence: Sentence) -> Iterator[Violation]:
        texts = sentence.texts
        for i, word in enumerate(texts):
            if word in ("its", "Its") and _its_is_it_is(texts, i):
                token = sentence.words[i]
                written = "It's" if word == "Its" else "it's"
                yield _violation(doc, sentence.field, token.start, token.end,
                                 f"'{word}' is the possessive; '{written}' (it is, it has) is meant here",
                                 [written], {"word": word})


# A space before a comma or full stop that ends a clause ("surgery , radiation"): not a spaced ellipsis (". . ."),
# a decimal (" .5"), a file name (" .pdf") or a number (" ,000"); a comma or full stop doubled (",," or "..", not
# an ellipsis)
_PUNCTUATION_SLIP = re.compile(r"(?<=\w)(?P<space>[ \t]+)(?P<mark>[,.])(?![.,\w])(?! \.)(?=\s|$|[\"'”’)\]])"
                               r"|(?<![.,])(?P<double>(?P<once>[,.])(?P=once))(?![.,])")


@register
class PunctuationSpacing(OfflineGrammarRule):
    """Reports a space before a comma or full stop, and a comma or full stop written twice, without LanguageTool.

    A spaced ellipsis (". . ."), a decimal (" .5"), a file name (" .pdf") and an ellipsis ("...") are left alone.
    The fix removes the space or the second mark. Quiet on a document that ``grammar/languagetool`` has read.

    **Why it matters:** "surgery , radiation" and "treated.." are the marks of text pasted together or exported
    badly; they read as careless, and a comma cut loose from its word can wrap to the start of a line.

    **Example:** "Treatments include surgery , radiation and drugs.." is reported twice: at " ," (fix ",") and at
    ".." (fix ".").
    """

    id = "grammar/punctuation-spacing"

    def check_offline(self, doc: Document) -> Iterator[Violation]:
        for prose in doc.prose:  # any language's: no space stands before a comma or a full stop
            for match in _PUNCTUATION_SLIP.finditer(prose.text.text):
                mark = match.group("mark") or match.group("double")[0]
                message = (f"space before '{mark}'" if match.group("mark") else f"'{mark}' written twice")
                file_start, file_end = prose.text.file_span(*match.span())
                if doc.text[file_start:file_end] != match.group():
                    continue  # markup stood there ("at www.example.org."): the prose's gap, not the file's
                yield Violation(file_start, file_end, message, suggestion=mark,
                                fix=Fix((Edit(file_start, file_end, mark),), f"write '{mark}'"))


@dataclass(frozen=True, slots=True)
class WrongWordPattern:
    """A line of rules/data/grammar/wrong-words.txt: the words as written, which one to replace, and with what."""

    words: tuple[frozenset[str], ...]  # each position's alternatives, lower case
    replaced: int  # the position of the word written for another
    meant: str
    next_words: frozenset[str] | None  # the next word must be one of these ("#": a number); None: any
    not_next: frozenset[str]  # and must not be one of these


@cache
def _wrong_word_patterns() -> tuple[WrongWordPattern, ...]:
    patterns = []
    for line in entries(DATA / "grammar" / "wrong-words.txt"):
        written, _, rest = line.partition("=>")
        meant, _, condition = rest.partition(";")
        words = written.split()
        kind, _, listed = condition.partition(":")
        following = frozenset(listed.split())
        patterns.append(WrongWordPattern(
            tuple(frozenset(word.lstrip("*").split("|")) for word in words),
            next(i for i, word in enumerate(words) if word.startswith("*")), meant.strip(),
            following if kind.strip() == "next" else None, following if kind.strip() == "not next" else frozenset()))
    return tuple(patterns)


def _fits_next(pattern: WrongWordPattern, following: str | None) -> bool:
    word = following.lower() if following is not None else None
    if word is not None and word in pattern.not_next:
        return False
    return pattern.next_words is None or (word is not None and (
        word in pattern.next_words or ("#" in pattern.next_words and word[:1].isdigit())))


@register
class WrongWord(OfflineGrammarRule):
    """Reports a word written for another that sounds alike, where the words around it leave no doubt.

    The patterns are in rules/data/grammar/wrong-words.txt: "their is" (there is), "your not" (you're not),
    "could of" (could have; not "could of course"), "more then" before a number or an article ("more than 5").
    Words parted by punctuation ("more, then") are not read as one phrase. Quiet on a document that
    ``grammar/languagetool`` has read.

    **Why it matters:** a sound-alike swap is invisible to a spell checker (each word is a word) and reads as
    careless; "less then 5%" may even be read as a sequence.

    **Example:** "Their is no cure, but it could of been found earlier in less then a week" is reported three
    times: "Their" (write "There"), "of" (write "have") and "then" (write "than").
    """

    id = "grammar/wrong-word"

    def check_sentence(self, doc: Document, sentence: Sentence) -> Iterator[Violation]:
        texts = sentence.texts
        for pattern in _wrong_word_patterns():
            size = len(pattern.words)
            for i in range(len(texts) - size + 1):
                if not all(texts[i + k].lower() in pattern.words[k] for k in range(size)):
                    continue
                following = texts[i + size] if i + size < len(texts) else None
                tokens = sentence.words[i : i + size + (following is not None)]
                if not _fits_next(pattern, following) or not all(
                        _plain_gap(sentence.field.text.text[a.end : b.start]) for a, b in itertools.pairwise(tokens)):
                    continue
                token = tokens[pattern.replaced]
                written = pattern.meant.capitalize() if token.text[0].isupper() else pattern.meant
                yield _violation(doc, sentence.field, token.start, token.end,
                                 f"'{token.text}' is written for '{written}' here", [written], {"word": token.text})
