"""/api/v1: gift-exchange assignments."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["challenges"])
