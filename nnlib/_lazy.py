"""Modules loaded on first use, so ``import nnlib`` stays light (numpy only)."""

from __future__ import annotations

import importlib
import importlib.util


def submodule_loader(package, aliases=None):
    """A module ``__getattr__`` (PEP 562) for ``package``: ``package.<name>`` imports the
    submodule ``<name>`` on first use; ``aliases`` maps other names to ``"module"`` (a
    submodule's path) or ``("module", "attribute")``."""
    aliases = dict(aliases or {})

    def __getattr__(name):
        target = aliases.get(name)
        if isinstance(target, tuple):
            module, attribute = target
            return getattr(importlib.import_module(f".{module}", package), attribute)
        if target is not None:
            return importlib.import_module(f".{target}", package)
        if not name.startswith("_") and importlib.util.find_spec(f"{package}.{name}"):
            return importlib.import_module(f".{name}", package)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
