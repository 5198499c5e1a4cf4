"""The fixed tag sets, in AO3's order. A data migration creates them."""

from __future__ import annotations

NOT_RATED = "Not Rated"
GENERAL = "General Audiences"
TEEN = "Teen And Up Audiences"
MATURE = "Mature"
EXPLICIT = "Explicit"
RATINGS = (NOT_RATED, GENERAL, TEEN, MATURE, EXPLICIT)
# The ratings behind AO3's "adult content" interstitial.
ADULT_RATINGS = frozenset({NOT_RATED, MATURE, EXPLICIT})

CHOSE_NOT_TO_WARN = "Creator Chose Not To Use Archive Warnings"
NO_WARNINGS = "No Archive Warnings Apply"
VIOLENCE = "Graphic Depictions Of Violence"
CHARACTER_DEATH = "Major Character Death"
NON_CON = "Rape/Non-Con"
UNDERAGE = "Underage Sex"
WARNINGS = (CHOSE_NOT_TO_WARN, NO_WARNINGS, VIOLENCE, CHARACTER_DEATH, NON_CON, UNDERAGE)

CATEGORIES = ("Gen", "F/M", "M/M", "F/F", "Multi", "Other")

# Short signs for the blurb's symbol squares; the full name is always given as text too.
RATING_SIGNS = {NOT_RATED: "NR", GENERAL: "G", TEEN: "T", MATURE: "M", EXPLICIT: "E"}
