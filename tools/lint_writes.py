"""Fail when application code writes models outside the services.

Writes go through services (`*services.py`, and the few modules a service is split
into, listed in ALLOWED). This finds, by the syntax tree, calls of a model's writing
methods elsewhere: `.save(`, `.delete(`, `.objects.create(` and the other manager
writers, and `.update(` / `.delete(` on a queryset chain (`.objects...`, `.filter(...)`).
Tests, migrations and this tool are not application code. Exit 1 with a line per write.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Modules that are services under another name: each says why in its docstring.
ALLOWED = {
    "fanarchive/engagement/notices.py",  # the inbox's one way in (`notify`)
    "fanarchive/core/cleaning.py",  # the data migrations' cleaning of stored text
}
# Background tasks are services run later (`*tasks.py`); the eFiction migration's stages
# are the migration's services (`formats/efiction/`), writing its own bookkeeping.
ALLOWED_SUFFIXES = ("services.py", "tasks.py")
ALLOWED_FOLDERS = ("fanarchive/formats/efiction/",)
MANAGER_WRITERS = {"create", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
QUERYSET_STARTS = {"filter", "exclude", "all", "select_for_update", "objects", "_default_manager"}


def application_files() -> list[Path]:
    files = []
    for path in sorted((ROOT / "fanarchive").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        parts = set(path.parts)
        if {"tests", "migrations"} & parts or relative in ALLOWED:
            continue
        if path.name.endswith(ALLOWED_SUFFIXES) or relative.startswith(ALLOWED_FOLDERS):
            continue
        files.append(path)
    return files


def _chain(node: ast.AST) -> list[str]:
    """The attribute and call names of an expression like `Work.objects.filter(...).x`."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names
        else:
            return names


def _is_write(method: str, receiver: list[str]) -> bool:
    on_queryset = bool(QUERYSET_STARTS & set(receiver))
    if method == "save":
        return not {"session", "form", "store"} & set(receiver)  # those are not models
    if method in MANAGER_WRITERS or method == "update":
        return on_queryset
    return method == "delete" and bool(receiver)


def writes_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        method = node.func.attr
        receiver = _chain(node.func.value)
        if receiver == ["router"]:  # the API's `@router.delete(...)`, not a write
            continue
        if _is_write(method, receiver):
            where = path.relative_to(ROOT).as_posix()
            found.append(f"{where}:{node.lineno}: .{method}() outside the services")
    return found


def report(problems: list[str], summary: str) -> int:
    """Print each problem and, if any, the count with `summary`; the exit status."""
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} {summary}")
        return 1
    return 0


def main() -> int:
    problems = [line for path in application_files() for line in writes_in(path)]
    return report(problems, "model writes outside the services: call a service instead.")


if __name__ == "__main__":
    sys.exit(main())
