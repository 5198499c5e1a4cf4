"""The one exception importers raise: a message a person can act on, naming the file.

Also `validation_text`: a service's ValidationError as the one line that the import
and migration reports show.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ImportFailed(Exception):
    """A file could not be imported. `str()` names the file and, where known, the line."""

    def __init__(self, name: str, reason: str, *, line: int | None = None) -> None:
        self.name = name
        self.reason = reason
        self.line = line
        where = f"{name}, line {line}" if line else name
        super().__init__(f"{where}: {reason}")

    def __reduce__(self) -> tuple[type[ImportFailed], tuple[str, str], dict[str, int | None]]:
        # Picklable (a batch parses in a second process): rebuilt from its own fields.
        return (self.__class__, (self.name, self.reason), {"line": self.line})

    @property
    def location(self) -> str:
        return f"{self.name}:{self.line}" if self.line else self.name


def validation_text(error: ValidationError) -> str:
    """All the messages of a ValidationError (with fields or without), as one line."""
    if hasattr(error, "error_dict"):
        return " ".join(m for messages in error.message_dict.values() for m in messages)
    return " ".join(error.messages)
