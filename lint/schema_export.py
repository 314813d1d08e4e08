"""JSON Schema export of the front-matter schemas, for editors: ``contentlint schema [NAME] --format json-schema``.

The schema is generated from the same pydantic models the schema rules validate with, so the editor and the
linter cannot drift apart. Three things pydantic alone does not say are added: ``patterned_fields``
(``related_article1..N``) become ``patternProperties``; a model's ``$defs`` are namespaced per schema so
several can share one document; and with no NAME a single dispatching schema picks the model from
``_schema`` (a missing ``_schema`` means ``default``, as in the linter).

What JSON Schema cannot express stays with ``contentlint check``: YAML syntax and duplicate keys (the editor's
YAML parser reports those itself), corpus-wide rules (duplicate ids, subject spelling), consistency between
fields and with the file name (url, title, file_name), and YAML types the editor does not see (an unquoted
date and a quoted one are both strings to a YAML 1.2 editor).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from lint import schema

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def model_schema(model: type[BaseModel], prefix: str = "") -> dict[str, Any]:
    """One model as JSON Schema, its nested models under ``$defs`` named ``<prefix><Model>``."""
    template = f"#/$defs/{prefix}{{model}}"
    exported = model.model_json_schema(by_alias=True, ref_template=template)
    defs = {prefix + name: value for name, value in exported.pop("$defs", {}).items()}
    patterns = getattr(model, "patterned_fields", {})
    if patterns:
        exported["patternProperties"] = {}
        for pattern, nested in patterns.items():
            nested_schema = nested.model_json_schema(by_alias=True, ref_template=template)
            defs.update({prefix + name: value for name, value in nested_schema.pop("$defs", {}).items()})
            defs[prefix + nested.__name__] = nested_schema
            # pydantic matches the whole key (fullmatch); a JSON Schema pattern matches anywhere unless anchored.
            exported["patternProperties"][f"^(?:{pattern})$"] = {"$ref": f"#/$defs/{prefix}{nested.__name__}"}
    if defs:
        exported["$defs"] = defs
    return exported


def _admit_selector(exported: dict[str, Any], name: str) -> dict[str, Any]:
    """A model that does not declare ``_schema`` still accepts it naming the model: the linter removes the
    selector before validating, so an editor must not call it an unknown key."""
    properties = exported.setdefault("properties", {})
    properties.setdefault(schema.SELECTOR, {"const": name})
    return exported


def export(name: str, custom: dict[str, str]) -> dict[str, Any]:
    """The JSON Schema of one named front-matter schema (``default`` or one from ``schemas`` in the config)."""
    model = schema.resolve(name, custom)
    if model is None:
        known = ", ".join(schema.known_schemas(custom))
        raise KeyError(f"unknown schema '{name}'; known schemas: {known}")
    exported = _admit_selector(model_schema(model), name)
    exported.pop("title", None)
    return {"$schema": DIALECT, "title": f"contentlint front matter: {name} ({model.__name__})", **exported}


def export_all(custom: dict[str, str]) -> dict[str, Any]:
    """One schema for every front matter: ``_schema`` names the model, absent means ``default``."""
    defs: dict[str, Any] = {}
    branches: list[dict[str, Any]] = []
    names = schema.known_schemas(custom)
    for name in names:
        model = schema.resolve(name, custom)
        if model is None:  # pragma: no cover - known_schemas lists only resolvable names
            continue
        exported = _admit_selector(model_schema(model, prefix=f"{name}."), name)
        defs.update(exported.pop("$defs", {}))
        defs[name] = exported
        condition: dict[str, Any] = {"properties": {schema.SELECTOR: {"const": name}}, "required": [schema.SELECTOR]}
        if name == "default":
            condition = {"anyOf": [condition, {"not": {"required": [schema.SELECTOR]}}]}
        branches.append({"if": condition, "then": {"$ref": f"#/$defs/{name}"}})
    return {
        "$schema": DIALECT,
        "title": "contentlint front matter (any schema, chosen by _schema)",
        "type": "object",
        "properties": {schema.SELECTOR: {"enum": names, "description": "the front-matter schema of this document"}},
        "allOf": branches,
        "$defs": defs,
    }
