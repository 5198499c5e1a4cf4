"""Per-language date formats (settings.FORMAT_MODULE_PATH), one module per language.

Templates write `|date:"DATE_FORMAT"` or `|date:"DATETIME_FORMAT"`, never a pattern with
month names, so each language shows dates its own way. Names a module leaves out come
from Django's own module for that language. docs/translating.md: adding a language.
"""
