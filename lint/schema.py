"""Front-matter schemas (pydantic v2) and their validation into located problems.

``_schema`` in a document's front matter names its model; ``default`` is the Q&A article of the health site.
Users register more in configuration: ``schemas = { recipe = "mypackage.schemas:Recipe" }``.
A model may declare ``patterned_fields``: keys matching a regular expression, each validated by a nested
model (``related_article1``, ``related_article2``, ... are ``RelatedArticle``s).
"""

from __future__ import annotations

import datetime
import importlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

# Text with something in it. The JSON Schema pattern says what strip_whitespace + min_length mean, so that an
# editor validating against the exported schema also rejects a value of spaces (runtime validation unchanged).
NonEmpty = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), Field(json_schema_extra={"pattern": r"\S"})
]


class SchemaModel(BaseModel):
    """Base of front-matter models: unknown keys are reported, ``patterned_fields`` validated one by one."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)
    patterned_fields: ClassVar[dict[str, type[BaseModel]]] = {}


class Seo(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    title: NonEmpty
    page_description: NonEmpty
    page_keywords: NonEmpty


class RelatedArticle(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    id: Annotated[int, Field(gt=0)]
    title: NonEmpty
    subject: NonEmpty
    url: NonEmpty


class QAArticle(SchemaModel):
    """The health Q&A article: one question, its answer, SEO fields and numbered related articles."""

    schema_name: str = Field(alias="_schema")
    id: Annotated[int, Field(gt=0)]
    date: datetime.date
    title: NonEmpty
    article_title: NonEmpty
    date_format: NonEmpty
    post_on_text: str
    seo: Seo
    author: NonEmpty
    question: NonEmpty
    answer: NonEmpty
    subject: NonEmpty
    file_name: NonEmpty
    url: NonEmpty
    score: float
    audience: NonEmpty | None = None  # the reader profile readability targets (patient, professional, ...)
    patterned_fields: ClassVar[dict[str, type[BaseModel]]] = {r"related_article[1-9][0-9]*": RelatedArticle}


BUILTIN_SCHEMAS: dict[str, type[BaseModel]] = {"default": QAArticle}
SELECTOR = "_schema"


class SchemaLoadError(Exception):
    pass


@lru_cache(maxsize=64)
def load_model(reference: str) -> type[BaseModel]:
    module_name, _, class_name = reference.partition(":")
    if not module_name or not class_name:
        raise SchemaLoadError(f"schema reference {reference!r} must look like 'package.module:ClassName'")
    try:
        model = getattr(importlib.import_module(module_name), class_name)
    except Exception as error:  # a relative name ("..") raises TypeError; the user's module may raise anything
        raise SchemaLoadError(f"cannot load schema model {reference!r}: {error}") from error
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise SchemaLoadError(f"schema model {reference!r} is not a pydantic model")
    return model


def resolve(name: str, custom: dict[str, str]) -> type[BaseModel] | None:
    """The model for a ``_schema`` name, or None when no such schema is known."""
    if name in custom:
        return load_model(custom[name])
    return BUILTIN_SCHEMAS.get(name)


def known_schemas(custom: dict[str, str]) -> list[str]:
    return sorted({*BUILTIN_SCHEMAS, *custom})


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    """One way the data breaks the model: ``kind`` is missing, unknown or invalid."""

    kind: str
    path: tuple[str | int, ...]
    message: str
    expected: str | None = None


def field_path(parts: tuple[str | int, ...]) -> str:
    """("seo", "title") -> "seo.title"; ("tags", 0) -> "tags[0]"."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _expected(error: dict[str, Any]) -> str | None:
    descriptions = {
        "int_type": "a whole number", "greater_than": "a number greater than {gt}", "float_type": "a number",
        "string_type": "text", "string_too_short": "non-empty text", "date_type": "a date such as 2025-01-30",
        "date_from_datetime_parsing": "a real calendar date such as 2025-01-30",
        "model_type": "a mapping of keys to values", "dict_type": "a mapping of keys to values",
    }
    template = descriptions.get(error["type"])
    return template.format(**error.get("ctx", {})) if template else None


def validate(model: type[BaseModel], data: dict[str, Any]) -> list[SchemaProblem]:
    """Validate front-matter data against a model; every problem keeps the path of the field it is about."""
    patterns = {re.compile(p): m for p, m in getattr(model, "patterned_fields", {}).items()}
    declares_selector = any(f.alias == SELECTOR or name == SELECTOR for name, f in model.model_fields.items())
    if not declares_selector:
        data = {key: value for key, value in data.items() if key != SELECTOR}  # `_schema` picks the model
    plain: dict[str, Any] = {}
    problems: list[SchemaProblem] = []
    for key, value in data.items():
        nested = next((m for p, m in patterns.items() if isinstance(key, str) and p.fullmatch(key)), None)
        if nested is None:
            plain[key] = value
        else:
            problems.extend(_problems(nested, value, (key,)))
    problems.extend(_problems(model, plain, ()))
    return problems


def _problems(model: type[BaseModel], value: Any, prefix: tuple[str | int, ...]) -> list[SchemaProblem]:
    try:
        model.model_validate(value)
    except ValidationError as error:
        return [_problem(item, prefix) for item in error.errors(include_url=False)]
    return []


def _problem(item: Any, prefix: tuple[str | int, ...]) -> SchemaProblem:
    path = prefix + tuple(part for part in item["loc"] if isinstance(part, (str, int)))
    kind = {"missing": "missing", "extra_forbidden": "unknown"}.get(item["type"], "invalid")
    return SchemaProblem(kind, path, item["msg"], _expected(item))
