"""Introspection for people and tools: which configuration applies to a file (``contentlint config PATH``) and
what every rule is (``contentlint rules --format json``).

"My configuration was ignored" is the most common question about a linter's configuration; the answer is here
in one command: the file the settings came from, the configuration files that were found but not used (and
why), each setting with whether it was set or is a default, whether the file is checked at all, and the rules
that apply to it with their effective severity and options.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TextIO

from lint import registry
from lint.config import CONFIG_FILES, ConfigError, Settings, config_for_directory, glob_match, read_config_file
from lint.discovery import Discoverer, SourceFile, gitignore_spec
from lint.rule import Rule
from lint.runner import RunOptions, plan_for


def rule_info(rule: type[Rule]) -> dict[str, Any]:
    """Everything a tool needs about a rule, its documentation and its options' JSON Schema included."""
    return {
        "id": rule.id,
        "name": rule.name(),
        "category": rule.category.value,
        "severity": rule.severity.value,
        "enabled_by_default": rule.enabled_by_default,
        "fixable": rule.fixable,
        "needs_corpus": rule.needs_corpus,
        "summary": rule.summary(),
        "documentation": rule.documentation(),
        "options": rule.Options.model_json_schema(by_alias=True),
    }


def describe(path: Path, root: Path) -> dict[str, Any]:
    """The effective configuration of one file (or directory) under the content root."""
    path = Path(os.path.abspath(path))
    if not path.is_relative_to(root):
        raise ConfigError(f"{path} is outside the content root {root} (set it with --root)")
    relpath = path.relative_to(root).as_posix() or "."
    directory = path if path.is_dir() else path.parent
    source = config_for_directory(directory, root)
    settings = source.settings
    report: dict[str, Any] = {
        "path": relpath,
        "root": str(root),
        "config": str(source.path) if source.path else None,
        "candidates": _candidates(directory, root, source.path),
        "settings": _settings(settings),
    }
    if not path.is_dir():
        report["checked"] = _checked(path, relpath, root, settings)
        plan = plan_for(SourceFile(str(root), relpath), root, RunOptions())
        report["front_matter_required"] = settings.requires_front_matter(relpath)
        report["per_file_ignores"] = settings.ignored_for(relpath)
        report["rules"] = [
            {"id": rule.id, "severity": settings.severity.get(rule.id, rule.severity).value,
             "options": settings.rule_options(rule.id).model_dump(mode="json", by_alias=True),
             "configured": rule.id in settings.rules or rule.id in settings.severity}
            for rule in plan.rules]
    return report


def _candidates(directory: Path, root: Path, used: Path | None) -> list[dict[str, str]]:
    """Every configuration file between the file and the root, nearest first, with what became of it."""
    found: list[dict[str, str]] = []
    passed_used = False
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if not folder.is_relative_to(root):
                if _has_settings(candidate):
                    found.append({"path": str(candidate), "status": f"not used: above the content root {root} "
                                                                    "(choose the root with --root)"})
                continue
            if candidate == used:
                status, passed_used = "used", True
            elif passed_used:
                status = "not used: a nearer configuration replaces it (configurations do not merge)"
            else:
                status = _unused_reason(candidate)
            found.append({"path": str(candidate), "status": status})
    return found


def _has_settings(candidate: Path) -> bool:
    try:
        return read_config_file(candidate) is not None
    except ConfigError:
        return True


def _unused_reason(candidate: Path) -> str:
    try:
        settings = read_config_file(candidate)
    except ConfigError as error:
        return f"not used: {error}"
    if settings is None:
        return "not used: no [tool.contentlint] table"
    return "not used: a file earlier in the search order of the same directory wins"


def _settings(settings: Settings) -> dict[str, dict[str, Any]]:
    values = settings.model_dump(mode="json", by_alias=True, exclude={"rules"})
    explicit = {name.replace("_", "-") for name in settings.model_fields_set}
    return {key: {"value": value, "source": "config" if key in explicit else "default"}
            for key, value in values.items()}


def _checked(path: Path, relpath: str, root: Path, settings: Settings) -> dict[str, Any]:
    """Whether ``contentlint check`` lints the file, and if not, the pattern that keeps it out."""
    exclusions = {"exclude": settings.exclude, "extend-exclude": settings.extend_exclude}
    if settings.respect_gitignore:
        exclusions[".gitignore"] = _gitignore(root)
    if path.exists() and not Discoverer(root).discover([path]).files:
        for origin, patterns in exclusions.items():
            for pattern in patterns:
                if gitignore_spec([pattern]).match_file(relpath):
                    return {"checked": False, "reason": f"excluded by '{pattern}' ({origin})"}
        return {"checked": False, "reason": "skipped by discovery (a symlink out of the root, or unreadable)"}
    if not any(glob_match(relpath, pattern) for pattern in settings.include):
        return {"checked": False, "reason": "matches no `include` pattern: checked only when named on the "
                                            "command line"}
    return {"checked": True, "reason": "matches `include` and no exclusion"}


def _gitignore(root: Path) -> list[str]:
    try:
        lines = (root / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def toml_value(value: Any) -> str:
    """A JSON-like value written as TOML, so the settings read as they would be written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)} = {toml_value(v)}"
                                for k, v in value.items()) + " }"
    return json.dumps(value)


def render_text(report: dict[str, Any], out: TextIO) -> None:
    out.write(f"{report['path']}\n")
    out.write(f"  content root:  {report['root']}\n")
    config = report["config"]
    out.write(f"  configuration: {config + (' [tool.contentlint]' if config.endswith('pyproject.toml') else '')}\n"
              if config else "  configuration: none found; built-in defaults\n")
    for candidate in report["candidates"]:
        if candidate["status"] != "used":
            out.write(f"  also found:    {candidate['path']}: {candidate['status']}\n")
    if "checked" in report:
        checked = report["checked"]
        out.write(f"  checked:       {'yes' if checked['checked'] else 'no'} ({checked['reason']})\n")
        out.write(f"  front matter:  {'required' if report['front_matter_required'] else 'optional'}\n")
        if report["per_file_ignores"]:
            out.write(f"  per-file-ignores: {', '.join(report['per_file_ignores'])}\n")
    out.write("\nsettings (# default: not set in the configuration)\n")
    width = max(len(key) for key in report["settings"])
    for key, item in report["settings"].items():
        note = "  # default" if item["source"] == "default" else ""
        out.write(f"  {key:<{width}} = {toml_value(item['value'])}{note}\n")
    if "rules" in report:
        out.write(f"\nrules for this file ({len(report['rules'])})\n")
        width = max((len(rule["id"]) for rule in report["rules"]), default=0)
        for rule in report["rules"]:
            options = ", ".join(f"{k} = {toml_value(v)}" for k, v in rule["options"].items())
            mark = "  # configured" if rule["configured"] else ""
            out.write(f"  {rule['id']:<{width}}  {rule['severity']:<7}  {options}{mark}".rstrip() + "\n")


def all_rules_info() -> list[dict[str, Any]]:
    return [rule_info(rule) for rule in registry.all_rules().values()]
