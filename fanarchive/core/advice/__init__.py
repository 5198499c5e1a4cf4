"""Rating and warning advice read from a work's text (see analyse.py)."""

from fanarchive.core.advice.analyse import Advice, ArchiveWarning, Finding, Rating, analyse

__all__ = ["Advice", "ArchiveWarning", "Finding", "Rating", "analyse"]
