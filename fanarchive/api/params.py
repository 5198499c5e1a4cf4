"""The integers the API takes, bounded to what a database column holds.

Every id, count and page size is at most a signed 64-bit BIGINT, so a bigger one is a
422 naming the parameter or field, not an OverflowError deep in a query (SQLite cannot
bind one). Every integer of a path, a query or a body is one of these; a test over the
OpenAPI schema sends 2**64 to each of them.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

INT_MAX = 2**63 - 1

Id = Annotated[int, Field(ge=1, le=INT_MAX)]
Count = Annotated[int, Field(ge=0, le=INT_MAX)]
