"""Fail when application code imports one of the project's modules inside a function.

An import inside a function hides a dependency from import-linter's layers and from a
reader, and usually dodges an import cycle that should be designed away (issue 14).
The exceptions: `AppConfig.ready()` (Django's place for what needs every app loaded),
and the modules listed in ALLOWED, each for the reason given. Tests and migrations are
not application code. Exit 1 with a line per import.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from lint_writes import ROOT, report  # this folder's sibling tool

ALLOWED = {
    # Only the running database's search backend is loaded.
    "fanarchive/discovery/search/__init__.py",
    # The tests' helpers build data through every layer, on demand.
    "fanarchive/core/testing.py",
}


def inline_imports(path: Path) -> list[str]:
    found = []
    for function in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if function.name == "ready":
            continue
        for node in ast.walk(function):
            modules = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            for module in modules:
                if module == "fanarchive" or module.startswith("fanarchive."):
                    found.append(f"{node.lineno}: {module} imported inside {function.name}()")
    return found


def main() -> int:
    failures = []
    for path in sorted((ROOT / "fanarchive").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if {"tests", "migrations"} & set(path.parts) or relative in ALLOWED:
            continue
        failures += [f"{relative}:{line}" for line in inline_imports(path)]
    return report(failures, "imports inside functions: import at the top of the module.")


if __name__ == "__main__":
    sys.exit(main())
