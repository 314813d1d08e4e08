"""Front-matter schema rules: the YAML parses, matches its ``_schema`` model, and agrees with itself."""

from __future__ import annotations

import bisect
import difflib
import json
import re
from collections.abc import Iterator
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from lint import schema
from lint.document import Document
from lint.frontmatter import FrontMatter
from lint.registry import register
from lint.rule import Category, CheckContext, Edit, Fix, Rule, Severity, Violation


class SchemaRule(Rule):
    category = Category.SCHEMA

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        fm = doc.front_matter
        if fm is None or fm.problem is not None or not fm.block.closed:
            return
        yield from self.check_front_matter(doc, fm, ctx)

    def check_front_matter(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        raise NotImplementedError


def value_span(fm: FrontMatter, path: str) -> tuple[int, int]:
    """The value of a field; for a field that is absent, the nearest present parent's key, else line 1."""
    node = fm.fields.get(path)
    if node is not None:
        if node.is_block_scalar and node.node.value:
            return node.mapped_value().offsets[0], node.value_end  # the text, not the '>-' indicator
        return node.value_start, max(node.value_end, node.value_start)
    while "." in path:
        path = path.rsplit(".", 1)[0]
        parent = fm.fields.get(path)
        if parent is not None:
            return parent.key_start, parent.key_end
    return 0, 3  # the opening fence


def replace_value(fm: FrontMatter, path: str, new_value: str, description: str) -> Fix:
    """A fix that sets a scalar field to a new text value, quoted only when YAML needs it."""
    start, end = value_span(fm, path)
    plain_ok = new_value.strip() == new_value and _reads_back(new_value)
    return Fix((Edit(start, end, new_value if plain_ok else json.dumps(new_value, ensure_ascii=False)),),
               description, safe=False)


def _reads_back(value: str) -> bool:
    try:
        return bool(yaml.safe_load(value) == value)
    except yaml.YAMLError:
        return False


def text_value(fm: FrontMatter, path: str) -> str | None:
    node = fm.fields.get(path)
    if node is None or not node.is_scalar:
        return None
    value = fm.data.get(path) if fm.data and "." not in path else node.node.value
    return value if isinstance(value, str) else None


def _validation(doc: Document, ctx: CheckContext) -> tuple[str, list[schema.SchemaProblem]] | None:
    """Validate once per document: (schema name, problems), or None when the schema is unknown."""
    def compute() -> tuple[str, list[schema.SchemaProblem]] | None:
        name = doc.data.get("_schema", "default")
        name = name if isinstance(name, str) else "default"
        try:
            model = schema.resolve(name, ctx.settings.get("schemas", {}))
        except schema.SchemaLoadError:
            return None
        if model is None:
            return None
        return name, schema.validate(model, doc.data)
    return doc.memo("schema.validation", compute)


@register
class InvalidYaml(Rule):
    """Reports front matter that is not valid YAML, at the line and column where YAML's parser stopped.

    **Why it matters:** the site's build reads the front matter; a parse error breaks the page (or the
    whole build), and every other front-matter check is blind until it is fixed.

    **Example:**

    ```yaml
    title: What is anemia?
      answer: indented too far
    ```

    Use instead: keys at the same indentation, and quote values that contain ``: ``.
    """

    id = "schema/invalid-yaml"
    category = Category.SCHEMA
    severity = Severity.ERROR

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        fm = doc.front_matter
        if fm is not None and fm.problem is not None and fm.block.closed:
            offset = fm.problem.offset
            yield Violation(offset, min(offset + 1, len(doc.text)), fm.problem.message)


@register
class UnclosedFrontMatter(Rule):
    """Reports front matter that opens with ``---`` but never closes.

    **Why it matters:** without the closing fence the whole article is read as YAML, so the page
    has no body and its fields cannot be trusted.

    **Example:** a file that starts with ``---`` and has no second ``---`` line.

    Use instead: close the front matter with a line holding only ``---``.
    """

    id = "schema/unclosed-front-matter"
    category = Category.SCHEMA
    severity = Severity.ERROR

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        fm = doc.front_matter
        if fm is not None and not fm.block.closed:
            yield Violation(0, 3, "front matter opened with '---' on line 1 is never closed; "
                                  "expected a line with only '---' after the last key")


@register
class MissingFrontMatter(Rule):
    """Reports a document without front matter where the configuration requires it.

    **Why it matters:** an article without its id, title and url cannot be published or linked.
    By default ``.md`` files need front matter and ``.txt`` pages do not (``front-matter-required``).

    **Example:** ``leukemia.md`` that starts directly with prose.
    """

    id = "schema/missing-front-matter"
    category = Category.SCHEMA
    severity = Severity.ERROR

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        if doc.front_matter is None and ctx.settings.get("requires_front_matter"):
            yield Violation(0, 0, "document has no front matter; expected a '---' fenced YAML block on line 1 "
                                  "(front-matter-required applies to this file)")


@register
class DuplicateKey(SchemaRule):
    """Reports a key that appears twice in the same front-matter mapping.

    **Why it matters:** YAML readers keep only the last value, silently dropping the first, so the
    published article is not the one the writer sees at the top.

    **Example:** two ``title:`` lines in one front matter.
    """

    id = "schema/duplicate-key"
    severity = Severity.ERROR

    def check_front_matter(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        for node in fm.duplicate_keys:
            first = fm.fields[node.path]
            line = doc.lines.position(first.key_start).line
            yield Violation(node.key_start, node.key_end,
                            f"key '{node.path}' is defined twice (first on line {line}); only this last value is kept")


@register
class UnknownSchema(SchemaRule):
    """Reports a ``_schema`` value that names no known schema model.

    **Why it matters:** the site renders a document by its schema; an unknown one is not published
    as intended, and contentlint cannot validate its fields.

    **Example:** ``_schema: defualt``. Known schemas: ``default`` and those registered under ``schemas``.
    """

    id = "schema/unknown-schema"
    severity = Severity.ERROR

    def check_front_matter(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        name = doc.data.get("_schema", "default")
        custom = ctx.settings.get("schemas", {})
        start, end = value_span(fm, "_schema")
        if not isinstance(name, str):
            yield Violation(start, end, f"_schema must be text naming a schema, found {name!r}")
            return
        try:
            model = schema.resolve(name, custom)
        except schema.SchemaLoadError as error:
            yield Violation(start, end, str(error))
            return
        if model is None:
            known = schema.known_schemas(custom)
            hint = difflib.get_close_matches(name, known, n=1)
            yield Violation(start, end, f"unknown schema '{name}'; known schemas: {', '.join(known)}",
                            suggestion=hint[0] if hint else None)


@register
class MissingField(SchemaRule):
    """Reports a field the document's schema requires but the front matter lacks.

    **Why it matters:** the page template reads these fields; a missing ``answer`` or ``url`` is an
    empty page or a broken link on the live site.

    **Example:** a ``default`` article without ``answer:``.
    """

    id = "schema/missing-field"
    severity = Severity.ERROR

    def check_front_matter(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        validation = _validation(doc, ctx)
        if validation is None:
            return
        name, problems = validation
        for problem in problems:
            if problem.kind == "missing":
                path = schema.field_path(problem.path)
                start, end = value_span(fm, path)
                yield Violation(start, end, f"required field '{path}' is missing (schema '{name}')")


@register
class InvalidValue(SchemaRule):
    """Reports a front-matter value of the wrong type or out of range for its schema.

    **Why it matters:** a non-numeric id, an impossible date or an empty answer breaks the page or
    the site's indexes.

    **Example:** ``date: 2025-02-30`` (no such day), ``id: -4``, ``answer: ""``.
    """

    id = "schema/invalid-value"
    severity = Severity.ERROR

    def check_front_matter(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        validation = _validation(doc, ctx)
        if validation is None:
            return
        _, problems = validation
        for problem in problems:
            if problem.kind == "invalid":
                path = schema.field_path(problem.path)
                start, end = value_span(fm, path)
                found = doc.text[start:end]
                expected = f"; expected {problem.expected}" if problem.expected else f": {problem.message}"
                yield Violation(start, end, f"invalid value for '{path}': {found[:60]!r}{expected}")


@register
class UnknownKey(SchemaRule):
    """Reports a front-matter key that the schema does not define, with a "did you mean" for near misses.

    **Why it matters:** a misspelt key (``aticle_title``) is ignored by the site, so the value the
    writer meant to set is never published, and the real field may be missing.

    **Example:** ``auther: QuickTakes`` -> did you mean ``author``?
    """

    id = "schema/unknown-key"
    severity = Severity.WARNING

    def check_front_matter(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        validation = _validation(doc, ctx)
        if validation is None:
            return
        name, problems = validation
        model = schema.resolve(name, ctx.settings.get("schemas", {}))
        for problem in problems:
            if problem.kind != "unknown":
                continue
            path = schema.field_path(problem.path)
            node = fm.fields.get(path)
            start, end = (node.key_start, node.key_end) if node else value_span(fm, path)
            candidates = _field_names(model, problem.path[:-1]) if model else []
            close = difflib.get_close_matches(str(problem.path[-1]), candidates, n=1, cutoff=0.75)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            yield Violation(start, end, f"unknown key '{path}' for schema '{name}'{hint}",
                            suggestion=close[0] if close else None)


def _field_names(model: type[BaseModel], parent: tuple[str | int, ...]) -> list[str]:
    for part in parent:
        nested: Any = None
        if isinstance(part, str):
            info = model.model_fields.get(part)
            nested = info.annotation if info else None
            if nested is None:
                patterns = getattr(model, "patterned_fields", {})
                nested = next((m for p, m in patterns.items() if re.fullmatch(p, part)), None)
        if not (isinstance(nested, type) and issubclass(nested, BaseModel)):
            return []
        model = nested
    return [info.alias or field for field, info in model.model_fields.items()]


@register
class FileNameMismatch(SchemaRule):
    """Reports a ``file_name`` that differs from the document's own file name.

    **Why it matters:** the site builds pages and redirects from ``file_name``; a mismatch after a
    rename publishes the page at the old address or not at all.

    **Example:** ``file_name: anemia-causes.md`` in ``what-causes-anemia.md``.
    """

    id = "schema/file-name-mismatch"
    severity = Severity.ERROR
    fixable = True

    def check_front_matter(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        value = text_value(fm, "file_name")
        if value is not None and value.strip() != doc.name:
            start, end = value_span(fm, "file_name")
            yield Violation(start, end, f"file_name is '{value}' but the file is named '{doc.name}'",
                            suggestion=doc.name,
                            fix=replace_value(fm, "file_name", doc.name, f"set file_name to '{doc.name}'"))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


@register
class UrlMismatch(SchemaRule):
    """Reports a ``url`` that is not ``/learn/<subject-slug>/questions/<file_name without extension>``.

    **Why it matters:** related-article links and the sitemap use the url; one that does not follow
    the subject and file name leads readers to a dead page.

    **Example:** subject ``Health Studies``, file_name ``what-is-anemia.md`` ->
    url ``/learn/health-studies/questions/what-is-anemia``.
    """

    id = "schema/url-mismatch"
    severity = Severity.ERROR
    fixable = True

    def check_front_matter(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        url, subject, file_name = (text_value(fm, k) for k in ("url", "subject", "file_name"))
        if url is None or subject is None or file_name is None:
            return
        stem = file_name.strip().rsplit(".", 1)[0]
        expected = f"/learn/{slugify(subject)}/questions/{stem}"
        if url.strip() != expected:
            start, end = value_span(fm, "url")
            yield Violation(start, end, f"url does not match subject and file_name; expected '{expected}'",
                            suggestion=expected, fix=replace_value(fm, "url", expected, f"set url to '{expected}'"))


@register
class TitleMismatch(SchemaRule):
    """Reports an ``article_title`` or ``question`` that differs from ``title``.

    **Why it matters:** in the Q&A format the three are the same sentence; when one is edited and the
    others are not, search results, the page heading and the question disagree.

    **Example:** ``title: What is anemia?`` with ``question: What causes anemia?``.
    """

    id = "schema/title-mismatch"
    severity = Severity.WARNING

    def check_front_matter(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        title = text_value(fm, "title")
        if title is None:
            return
        for other in ("article_title", "question"):
            value = text_value(fm, other)
            if value is not None and " ".join(value.split()) != " ".join(title.split()):
                start, end = value_span(fm, other)
                yield Violation(start, end, f"{other} differs from title ('{title}')", suggestion=title)


class DescriptionLengthOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=lambda n: n.replace("_", "-"),
                              populate_by_name=True)
    min_length: int = Field(50, ge=0)
    max_length: int = Field(160, ge=1)


@register
class DescriptionLength(SchemaRule):
    """Reports a ``seo.page_description`` outside 50-160 characters, the usual search-snippet range.

    **Why it matters:** search engines cut longer descriptions mid-sentence and replace very short ones
    with text of their own choosing.

    **Example:** a 270-character description is cut after about 160 characters in results.

    **Options:** ``min-length`` (50), ``max-length`` (160).
    """

    id = "schema/description-length"
    severity = Severity.WARNING
    Options = DescriptionLengthOptions

    def check_front_matter(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        options = ctx.options_as(DescriptionLengthOptions)
        value = text_value(fm, "seo.page_description")
        if value is None:
            return
        length = len(value.strip())
        if not options.min_length <= length <= options.max_length:
            start, end = value_span(fm, "seo.page_description")
            yield Violation(start, end, f"seo.page_description is {length} characters; "
                                        f"expected {options.min_length}-{options.max_length}")


@register
class Keywords(SchemaRule):
    """Reports ``seo.page_keywords`` that is not a clean comma-separated list: empty items or duplicates.

    **Why it matters:** duplicates and empty entries waste the keyword budget and show that the list
    was assembled carelessly (often by a bad merge).

    **Example:** ``leukemia, bone marrow, , Leukemia`` (an empty item and a duplicate).
    """

    id = "schema/keywords"
    severity = Severity.WARNING

    def check_front_matter(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        node = fm.fields.get("seo.page_keywords")
        if node is None or not node.is_scalar or not isinstance(node.node.value, str):
            return
        mapped = node.mapped_value()
        seen: dict[str, str] = {}
        for match in re.finditer(r"[^,]*", mapped.text):
            if match.start() > 0 and mapped.text[match.start() - 1] != ",":
                continue  # finditer also yields the empty match after each item
            item = match.group().strip()
            start, end = mapped.file_span(match.start(), match.end())
            if not item:
                yield Violation(start, end, "empty keyword in seo.page_keywords")
                continue
            key = " ".join(item.casefold().split())
            if key in seen:
                lead = len(match.group()) - len(match.group().lstrip())
                start, end = mapped.file_span(match.start() + lead, match.start() + lead + len(item))
                yield Violation(start, end, f"keyword '{item}' repeats '{seen[key]}'")
            else:
                seen[key] = item


@register
class DuplicateId(SchemaRule):
    """Reports an article ``id`` that another document of the corpus also uses.

    **Why it matters:** ids key the site's database and related-article links; two articles with
    one id overwrite each other or send readers to the wrong page.

    **Example:** ``id: 166289`` in two files.
    """

    id = "schema/duplicate-id"
    severity = Severity.ERROR
    needs_corpus = True

    def check_front_matter(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        value = doc.data.get("id")
        paths = ctx.index().paths_with_id(value)  # sorted by path: its own place is found by bisection
        position = bisect.bisect_left(paths, doc.path)
        count = len(paths) - (position < len(paths) and paths[position] == doc.path)
        if count:
            start, end = value_span(fm, "id")
            first = [p for p in paths[:4] if p != doc.path][:3]
            yield Violation(start, end, f"id {value} is also used by {', '.join(first)}{' ...' if count > 3 else ''}")


@register
class SubjectSpelling(SchemaRule):
    """Reports a ``subject`` spelled differently from the way most of the corpus spells it.

    **Why it matters:** the site groups articles by subject; "Health studies" and "Health Studies"
    become two subject pages, each with half the articles.

    **Example:** one article says ``Health studies`` while the rest say ``Health Studies``.
    """

    id = "schema/subject-spelling"
    severity = Severity.WARNING
    needs_corpus = True
    fixable = True

    def check_front_matter(self, doc: Document, fm: FrontMatter, ctx: CheckContext) -> Iterator[Violation]:
        subject = text_value(fm, "subject")
        if subject is None:
            return
        spellings = ctx.index().subject_spellings(subject)
        if len(spellings) < 2:
            return
        (usual, usual_count), *_ = sorted(spellings.items(), key=lambda item: (-item[1], item[0]))
        if subject != usual and spellings[subject] < usual_count:
            start, end = value_span(fm, "subject")
            yield Violation(start, end, f"subject '{subject}' is spelled '{usual}' {usual_count} times in the "
                                        f"corpus (subjects of articles and of their related links)",
                            suggestion=usual,
                            fix=replace_value(fm, "subject", usual, f"spell the subject '{usual}'"))
