"""The one exception importers raise: a message a person can act on, naming the file."""

from __future__ import annotations


class ImportFailed(Exception):
    """A file could not be imported. `str()` names the file and, where known, the line."""

    def __init__(self, name: str, reason: str, *, line: int | None = None) -> None:
        self.name = name
        self.reason = reason
        self.line = line
        where = f"{name}, line {line}" if line else name
        super().__init__(f"{where}: {reason}")

    def __reduce__(self) -> tuple:
        # Picklable (a batch parses in a second process): rebuilt from its own fields.
        return (self.__class__, (self.name, self.reason), {"line": self.line})

    @property
    def location(self) -> str:
        return f"{self.name}:{self.line}" if self.line else self.name
