"""/api/v1: prompt-meme prompts and claims."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["challenges"])
