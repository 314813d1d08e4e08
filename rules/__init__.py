"""contentlint's rules, one module per rule family. Importing this package registers them all.

Every module in this package is a rule family and is imported here, so a new family needs no registration
beyond its own ``@register`` decorators.
"""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    if not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")
