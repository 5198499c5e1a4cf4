"""Work skins: the CSS a creator attaches to a work, checked against an allowlist.

Parsed with tinycss2 (already installed for WeasyPrint), which decodes escapes and drops
comments, so `\\75 rl(` is seen as `url(` and a comment cannot hide anything. Nothing is
copied through as text: the kept rules are written out anew from checked tokens, every
selector scoped under `#workskin` (the box around the work's text on its pages).
Anything refused is named (a sentence each, in the writer's language), and the caller
saves nothing until the writer fixes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tinycss2
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tinycss2 import ast

SCOPE = "#workskin"
SKIN_MAX_CHARS = 20_000
RULES_MAX = 200
PROBLEMS_SHOWN = 10

_BOX_SIDES = ["", "-top", "-right", "-bottom", "-left"]
ALLOWED_PROPERTIES = frozenset(
    {
        "color", "background-color", "opacity",
        "font", "font-family", "font-size", "font-style", "font-variant", "font-weight",
        "letter-spacing", "word-spacing", "line-height", "white-space",
        "text-align", "text-indent", "text-transform", "text-shadow", "vertical-align",
        "text-decoration", "text-decoration-line", "text-decoration-style",
        "text-decoration-color", "font-variant-caps",
        "display", "float", "clear", "width", "max-width", "min-width",
        "list-style-type", "list-style-position", "border-collapse", "border-spacing",
        "border-radius", "border-style", "border-width", "border-color",
        *(f"margin{side}" for side in _BOX_SIDES),
        *(f"padding{side}" for side in _BOX_SIDES),
        *(f"border{side}" for side in _BOX_SIDES),
    }
)  # fmt: skip
DISPLAY_VALUES = frozenset({"inline", "block", "inline-block", "none"})
# Widths in units relative to the text or its box, so a skin cannot stretch past it.
RELATIVE_UNITS = frozenset({"em", "rem", "ch", "ex", "%"})
WIDTH_PROPERTIES = frozenset({"width", "max-width", "min-width"})
COLOUR_FUNCTIONS = frozenset({"rgb", "rgba", "hsl", "hsla"})
# A selector is names, classes, ids, attribute tests and combinators: no escapes.
_SELECTOR = re.compile(r"^[A-Za-z0-9_\-.#:>+~*()\[\]=\"' ]+$")


@dataclass
class SkinResult:
    css: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _selector(prelude: list[ast.Node]) -> tuple[str | None, str]:
    text = " ".join(tinycss2.serialize(prelude).split())
    if not text:
        return None, _("Remove the rule without a selector.")
    scoped = []
    for part in text.split(","):
        part = part.strip()
        if not part or not _SELECTOR.match(part) or "::" in part or "\\" in part:
            return None, _(
                "Remove the selector “%(selector)s”: only names, classes, ids and combinators "
                "are allowed."
            ) % {"selector": text[:80]}
        if part == SCOPE or part.startswith((SCOPE + " ", SCOPE + ".", SCOPE + ":", SCOPE + ">")):
            scoped.append(part)
        else:
            scoped.append(f"{SCOPE} {part}")
    return ", ".join(scoped), ""


def _value_problem(name: str, tokens: list[ast.Node]) -> str:
    """Why this declaration's value is refused (a sentence naming the property `name`), or
    "" when it may stay."""
    named = {"property": name}
    for token in tokens:
        if isinstance(token, ast.WhitespaceToken):
            continue
        if isinstance(token, ast.URLToken):
            return _("In “%(property)s”, url() is not allowed.") % named
        if isinstance(token, ast.FunctionBlock):
            if token.lower_name not in COLOUR_FUNCTIONS:
                return _("In “%(property)s”, %(function)s() is not allowed.") % {
                    **named,
                    "function": token.lower_name,
                }
            problem = _value_problem(name, token.arguments)
            if problem:
                return problem
            continue
        if isinstance(token, ast.IdentToken):
            if name == "display" and token.lower_value not in DISPLAY_VALUES:
                return _("The value of display may only be inline, block, inline-block or none.")
            if token.lower_value in {"expression", "javascript"}:
                return _("In “%(property)s”, “%(value)s” is not allowed.") % {
                    **named,
                    "value": token.value,
                }
            continue
        if isinstance(token, ast.DimensionToken):
            if name in WIDTH_PROPERTIES and token.lower_unit not in RELATIVE_UNITS:
                return _("In “%(property)s”, widths must be in em, rem, ch, ex or %%.") % named
            if name.startswith("margin") and token.value < 0:
                return _negative_margin(name)
            continue
        if isinstance(token, ast.PercentageToken | ast.NumberToken):
            if name.startswith("margin") and token.value < 0:
                return _negative_margin(name)
            continue
        if isinstance(token, ast.HashToken):
            continue
        if isinstance(token, ast.StringToken):
            if re.search(r"[<>\\]", token.value):
                return _("In “%(property)s”, quoted text may not contain <, > or \\.") % named
            continue
        if isinstance(token, ast.LiteralToken) and token.value in {",", "/"}:
            continue
        return _("In “%(property)s”, “%(value)s” is not allowed.") % {
            **named,
            "value": tinycss2.serialize([token])[:20],
        }
    return ""


def _negative_margin(name: str) -> str:
    return _("In “%(property)s”, negative margins could move text out of the work.") % {
        "property": name
    }


def _declarations(rule: ast.QualifiedRule, problems: list[str]) -> list[str]:
    kept = []
    for item in tinycss2.parse_declaration_list(
        rule.content, skip_comments=True, skip_whitespace=True
    ):
        if isinstance(item, ast.ParseError):
            problems.append(
                _("A declaration could not be read (%(error)s).") % {"error": item.message}
            )
            continue
        if not isinstance(item, ast.Declaration):
            problems.append(_("Remove the nested rule: only property: value pairs are allowed."))
            continue
        name = item.lower_name
        if name not in ALLOWED_PROPERTIES:
            problems.append(
                _("Remove the property “%(property)s”: it is not on the list of allowed ones.")
                % {"property": name[:40]}
            )
            continue
        problem = _value_problem(name, item.value)
        if problem:
            problems.append(problem)
            continue
        value = " ".join(tinycss2.serialize(item.value).split())
        if not value:
            problems.append(_("“%(property)s” has no value.") % {"property": name})
            continue
        kept.append(f"  {name}: {value};")
    return kept


def skin_clean(css: str) -> SkinResult:
    """The skin as it will be served, and what was refused in it (empty when all is well)."""
    if len(css) > SKIN_MAX_CHARS:
        return SkinResult(
            "",
            [
                _("The skin is %(length)s characters long; the most is %(most)s.")
                % {"length": f"{len(css):,}", "most": f"{SKIN_MAX_CHARS:,}"}
            ],
        )
    problems: list[str] = []
    if re.search(r"</?\s*style|<!--|-->", css, re.IGNORECASE):
        problems.append(_("Remove the HTML (</style>, <!--) from the CSS."))
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    if len(rules) > RULES_MAX:
        return SkinResult(
            "",
            [
                _("The skin has %(count)s rules; the most is %(most)s.")
                % {"count": len(rules), "most": RULES_MAX}
            ],
        )
    out = []
    for rule in rules:
        if isinstance(rule, ast.AtRule):
            problems.append(
                _("Remove the @%(name)s rule: work skins have no @ rules.")
                % {"name": rule.lower_at_keyword[:30]}
            )
            continue
        if isinstance(rule, ast.ParseError):
            problems.append(_("Something is not CSS (%(error)s).") % {"error": rule.message})
            continue
        if not isinstance(rule, ast.QualifiedRule):
            continue
        selector, problem = _selector(rule.prelude)
        if selector is None:
            problems.append(problem)
            continue
        declarations = _declarations(rule, problems)
        if declarations:
            out.append(selector + " {\n" + "\n".join(declarations) + "\n}")
    cleaned = "\n".join(out) + ("\n" if out else "")
    # Belt and braces: what is written out never holds these, whatever the parser saw.
    if re.search(r"[<\\@]|url\(|expression", cleaned, re.IGNORECASE):
        return SkinResult("", [*problems, _("The skin has characters that are not allowed.")])
    return SkinResult(cleaned, problems)


def skin_problems_message(problems: list[str]) -> str:
    """One message of the first problems (each a sentence), and how many more there are."""
    shown = problems[:PROBLEMS_SHOWN]
    more = len(problems) - PROBLEMS_SHOWN
    if more > 0:
        shown.append(
            ngettext("And %(count)s more problem.", "And %(count)s more problems.", more)
            % {"count": more}
        )
    return _("The work skin was not saved: %(problems)s") % {"problems": " ".join(shown)}
