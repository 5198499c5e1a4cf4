"""/api/v1: challenges, tag sets and sign-ups."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["challenges"])
