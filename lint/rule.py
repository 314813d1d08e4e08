"""What a rule is: its metadata, what it reports (violations with fixes), and the context it checks in.

A rule is a small class with an ``id`` (``category/name``), a category, a default severity, a docstring
(what it does, why it matters, an example) and a ``check`` method that yields Violations located by file
character offsets. The engine turns them into Findings with lines, columns, fields and excerpts.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from lint.corpus import CorpusIndex
    from lint.document import Document


OptionsT = TypeVar("OptionsT", bound=BaseModel)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class Category(StrEnum):
    SCHEMA = "schema"
    ENCODING = "encoding"
    PARAPHRASE = "paraphrase"
    READABILITY = "readability"
    LINKS = "links"
    BOILERPLATE = "boilerplate"
    GRAMMAR = "grammar"
    FRESHNESS = "freshness"
    LINT = "lint"  # the engine's own findings: unreadable files, suppressions, time and size budgets


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace file characters [start, end) with text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A repair for a violation. Only safe fixes are applied by ``--fix``; unsafe ones need ``--unsafe-fixes``."""

    edits: tuple[Edit, ...]
    description: str
    safe: bool = True


@dataclass(slots=True)
class Violation:
    """What a rule reports: a span of file characters, a message, and optionally a suggestion and a fix."""

    start: int
    end: int
    message: str
    suggestion: str | None = None
    fix: Fix | None = None
    details: dict[str, Any] = field(default_factory=dict)


class NoOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass(slots=True)
class CheckContext:
    """What a rule can see besides the document: its options and, for corpus rules, the corpus index."""

    options: BaseModel
    corpus: CorpusIndex | None = None
    settings: dict[str, Any] = field(default_factory=dict)  # file-level settings a rule may read
    metrics: dict[str, Any] = field(default_factory=dict)  # the file's metrics (files[].metrics in JSON)
    scoped: set[str] = field(default_factory=set)  # the file's rules whose findings depend on their cache scope

    def options_as(self, kind: type[OptionsT]) -> OptionsT:
        """The rule's options as its own ``Options`` model, typed for the rule's code."""
        if not isinstance(self.options, kind):  # the runner validates each rule's options with its own model
            raise TypeError(f"options are {type(self.options).__name__}, expected {kind.__name__}")
        return self.options

    def depends_on_scope(self, rule: type[Rule]) -> None:
        """Tell the result cache that this file's findings of ``rule`` depend on what ``rule.cache_scope`` names
        (the day, for a date's age): the file's cached result is then reused only while that stays the same.
        Files whose rules never say so stay cached whatever the scope (a page without dates, say)."""
        self.scoped.add(rule.id)

    def index(self) -> CorpusIndex:
        if self.corpus is None:  # pragma: no cover - the runner builds it for every rule that asks
            raise RuntimeError("this rule needs the corpus index; set needs_corpus = True")
        return self.corpus


class Rule:
    """Base class of all rules. Subclasses set the class attributes and implement ``check``."""

    id: ClassVar[str]
    category: ClassVar[Category]
    severity: ClassVar[Severity]
    enabled_by_default: ClassVar[bool] = True
    needs_corpus: ClassVar[bool] = False
    fixable: ClassVar[bool] = False
    cacheable: ClassVar[bool] = True  # False when findings depend on the outside world (e.g. web requests)
    Options: ClassVar[type[BaseModel]] = NoOptions

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        raise NotImplementedError

    @classmethod
    def summarize(cls, file_metrics: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
        """Corpus summaries of the metrics this rule records, by name: they go to ``summary.metrics.<name>``.

        Called once per run for each rule that ran, with every file's ``metrics`` by path (a distribution of
        scores, the worst files...). Most rules record no metrics and keep this default.
        """
        return {}

    @classmethod
    def cache_scope(cls, options: BaseModel) -> str:
        """What this rule's findings may depend on besides the file, its settings and (for corpus rules) the
        corpus, as text: a date's age depends on the day. Asked once a run; a file's cached result is bound to
        it only where the rule said so while checking the file (``CheckContext.depends_on_scope``). Most rules:
        nothing."""
        return ""

    @classmethod
    def name(cls) -> str:
        return cls.id.split("/", 1)[1]

    @classmethod
    def documentation(cls) -> str:
        return inspect.getdoc(cls) or ""

    @classmethod
    def summary(cls) -> str:
        """The first line of the documentation."""
        return cls.documentation().split("\n", 1)[0]
