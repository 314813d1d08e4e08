"""The rule registry: rule ids to rule classes, and selection of rules by id or category."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from lint.rule import Category, Rule

RULE_PACKAGES = ("lint.engine_rules", "rules")

_REGISTRY: dict[str, type[Rule]] = {}
_loaded = False


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: make a rule known to the engine."""
    if "/" not in cls.id or cls.id.split("/", 1)[0] != cls.category.value:
        raise ValueError(f"rule id {cls.id!r} must be '<category>/<name>' with category {cls.category.value!r}")
    if cls.id in _REGISTRY and _REGISTRY[cls.id] is not cls:
        raise ValueError(f"rule id {cls.id!r} is registered twice")
    if not cls.__doc__:
        raise ValueError(f"rule {cls.id} has no documentation")
    _REGISTRY[cls.id] = cls
    return cls


def all_rules() -> dict[str, type[Rule]]:
    """Every known rule, by id, sorted. Importing the rule packages registers their rules."""
    global _loaded
    if not _loaded:
        for package in RULE_PACKAGES:
            importlib.import_module(package)
        _loaded = True
    return dict(sorted(_REGISTRY.items()))


def matches(rule_id: str, selector: str) -> bool:
    """A selector is ``ALL``, a category (``schema``), or a rule id (``schema/missing-field``)."""
    if selector == "ALL":
        return True
    return rule_id == selector or rule_id.split("/", 1)[0] == selector


def is_valid_selector(selector: str) -> bool:
    if selector == "ALL" or selector in {c.value for c in Category}:
        return True
    return selector in all_rules()


def select(
    selectors: Iterable[str], extend: Iterable[str], ignore: Iterable[str]
) -> list[type[Rule]]:
    """The rules a configuration turns on.

    With no ``select``, the default rules are on; ``extend-select`` adds to that (e.g. rules that are off by
    default). An explicit id wins over a category: ``ignore = ["links"]`` with ``select = ["links/orphan"]``
    keeps links/orphan. ``ALL`` and categories do not switch on rules that are off by default.
    """
    chosen_selectors = list(selectors)
    extend_selectors = list(extend)
    ignore_selectors = list(ignore)
    result = []
    for rule_id, cls in all_rules().items():
        if chosen_selectors:
            picked = _specificity(rule_id, chosen_selectors)
            if picked == 1 and not cls.enabled_by_default:
                picked = 0  # "ALL" or a category does not switch on rules that are off by default
        else:
            picked = 1 if cls.enabled_by_default else 0
        picked = max(picked, _specificity(rule_id, extend_selectors))
        dropped = _specificity(rule_id, ignore_selectors)
        if picked > dropped:  # at equal specificity, ignore wins
            result.append(cls)
    return result


def _specificity(rule_id: str, selectors: list[str]) -> int:
    """0: no selector matches; 1: ALL or a category; 2: the rule's own id. Higher wins between select/ignore."""
    best = 0
    for selector in selectors:
        if selector == rule_id:
            return 2
        if matches(rule_id, selector):
            best = 1
    return best
