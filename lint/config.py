"""Configuration: ``[tool.contentlint]`` in pyproject.toml or a ``contentlint.toml``; the nearest one wins.

As in Ruff, each file is checked with the configuration closest to it: the first directory, walking up from
the file, that holds a ``contentlint.toml`` (or a ``.contentlint.toml``) or a ``pyproject.toml`` with a
``[tool.contentlint]`` table. Configurations are not merged; a nested one replaces its parent.
"""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from lint import registry
from lint.document import ProseOptions
from lint.rule import Severity

CONFIG_FILES = ("contentlint.toml", ".contentlint.toml", "pyproject.toml")
DEFAULT_EXCLUDE = [
    ".git/", ".hg/", ".svn/", ".venv/", "venv/", "node_modules/", "__pycache__/", ".tox/", ".mypy_cache/",
    ".pytest_cache/", ".ruff_cache/", ".contentlint_cache/", "build/", "dist/",
]


class ConfigError(Exception):
    """A configuration that cannot be used: the CLI prints it and exits with code 2."""


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class Settings(BaseModel):
    """Everything ``[tool.contentlint]`` can set. Keys are written in kebab-case, as in Ruff."""

    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True, frozen=True)

    paths: list[str] = Field(default_factory=list, description="What `contentlint check` lints by default.")
    include: list[str] = Field(default_factory=lambda: ["**/*.md", "**/*.markdown", "**/*.txt"])
    exclude: list[str] = Field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    extend_exclude: list[str] = Field(default_factory=list)
    respect_gitignore: bool = True
    select: list[str] = Field(default_factory=list)
    extend_select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    fail_level: Severity = Severity.WARNING
    severity: dict[str, Severity] = Field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)
    front_matter_required: dict[str, bool] = Field(
        default_factory=lambda: {"**/*.md": True, "**/*.markdown": True, "**/*.txt": False}
    )
    prose_fields: list[str] = Field(default_factory=lambda: list(ProseOptions().fields))
    paragraph_escape: bool = True
    schemas: dict[str, str] = Field(default_factory=dict)
    max_file_size: int = 5_000_000
    cache_dir: str = ".contentlint_cache"  # relative to the content root
    # seconds per file (0: no limit); infinity or past a day overflowed the interval timer with a traceback
    timeout: float = Field(default=10.0, allow_inf_nan=False, le=86_400)
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)

    def __hash__(self) -> int:  # settings are loaded once per config file; identity is enough for caches
        return id(self)

    @field_validator("select", "extend_select", "ignore")
    @classmethod
    def _known_selectors(cls, selectors: list[str]) -> list[str]:
        unknown = [s for s in selectors if not registry.is_valid_selector(s)]
        if unknown:
            raise ValueError(f"unknown rule or category: {', '.join(unknown)} (see `contentlint rules`)")
        return selectors

    @field_validator("severity", "rules")
    @classmethod
    def _known_rules(cls, mapping: dict[str, Any]) -> dict[str, Any]:
        rules = registry.all_rules()
        unknown = [key for key in mapping if key not in rules]
        if unknown:
            raise ValueError(f"unknown rule: {', '.join(unknown)} (see `contentlint rules`)")
        return mapping

    @field_validator("schemas")
    @classmethod
    def _loadable_schemas(cls, mapping: dict[str, str]) -> dict[str, str]:
        from lint.schema import SchemaLoadError, load_model

        for reference in mapping.values():
            try:
                load_model(reference)
            except SchemaLoadError as error:
                raise ValueError(str(error)) from error
        return mapping

    @field_validator("exclude", "extend_exclude")
    @classmethod
    def _compilable_patterns(cls, patterns: list[str]) -> list[str]:
        from lint.discovery import pattern_error

        for pattern in patterns:
            if (error := pattern_error(pattern)) is not None:
                raise ValueError(f"invalid pattern {pattern!r}: {error}")
        return patterns

    @field_validator("per_file_ignores")
    @classmethod
    def _known_ignores(cls, mapping: dict[str, list[str]]) -> dict[str, list[str]]:
        for selectors in mapping.values():
            cls._known_selectors(selectors)
        return mapping

    def rule_options(self, rule_id: str) -> BaseModel:
        """A rule's options, validated once per configuration (rules read them, never change them)."""
        return _rule_options(self, rule_id)

    def prose_options(self) -> ProseOptions:
        return ProseOptions(tuple(self.prose_fields), self.paragraph_escape)

    def requires_front_matter(self, relpath: str) -> bool:
        required = False
        for pattern, value in self.front_matter_required.items():
            if glob_match(relpath, pattern):
                required = value
        return required

    def ignored_for(self, relpath: str) -> list[str]:
        return [s for pattern, selectors in self.per_file_ignores.items() if glob_match(relpath, pattern)
                for s in selectors]


@lru_cache(maxsize=4096)
def _rule_options(settings: Settings, rule_id: str) -> BaseModel:
    rule = registry.all_rules()[rule_id]
    return rule.Options.model_validate(settings.rules.get(rule_id, {}))


def glob_match(relpath: str, pattern: str) -> bool:
    """Glob match in which ``**/`` also matches no directory at all (``**/*.md`` matches ``a.md``)."""
    if fnmatch(relpath, pattern):
        return True
    return pattern.startswith("**/") and fnmatch(relpath, pattern[3:])


class ConfigSource(BaseModel):
    """A loaded configuration and where it came from."""

    model_config = ConfigDict(frozen=True)

    path: Path | None  # None: the built-in defaults
    directory: Path
    settings: Settings


def read_config_file(path: Path) -> Settings | None:
    """The settings in one file, or None when a pyproject.toml has no [tool.contentlint] table."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the configuration: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error
    if path.name == "pyproject.toml":
        tool = document.get("tool")  # `tool = "x"` is no table: no [tool.contentlint] either
        table = tool.get("contentlint") if isinstance(tool, dict) else None
        if table is None:
            return None
    else:
        table = document
    try:
        settings = Settings.model_validate(table)
        for rule_id in settings.rules:
            settings.rule_options(rule_id)
    except ValidationError as error:
        raise ConfigError(f"{path}: invalid configuration:\n{_describe(error)}") from error
    return settings


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown setting"
        lines.append(f"  {where}: {message}")
    return "\n".join(lines)


@lru_cache(maxsize=4096)
def config_for_directory(directory: Path, root: Path) -> ConfigSource:
    """The configuration that applies to files in a directory: the nearest one, walking up to the root."""
    for candidate_dir in (directory, *directory.parents):
        if not candidate_dir.is_relative_to(root):
            break
        for name in CONFIG_FILES:
            candidate = candidate_dir / name
            if candidate.is_file():
                settings = read_config_file(candidate)
                if settings is not None:
                    return ConfigSource(path=candidate, directory=candidate_dir, settings=settings)
    return ConfigSource(path=None, directory=root, settings=Settings())


def find_root(start: Path) -> Path:
    """The content root for a path: the nearest directory with a configuration file or a .git, else start."""
    start = start if start.is_dir() else start.parent
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
        for name in CONFIG_FILES:
            file = candidate / name
            if file.is_file() and (name != "pyproject.toml" or read_config_file(file) is not None):
                return candidate
    return start
