"""The reader's search syntax, parsed into a tree both backends compile.

words            all of them (AND is implied)
"a phrase"       these words in this order
a OR b           either
NOT a, -a        without
( ... )          grouping
title:word, title:"a phrase", creator:name   only in that field
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

FIELDS = ("title", "creator")
MAX_LENGTH = 500
_TOKEN = re.compile(
    r'\s*(?:(?P<open>\()|(?P<close>\))|(?P<field>\w+):(?=["\w])|(?P<minus>-)(?=["\w])'
    r'|"(?P<phrase>[^"]*)"|(?P<quote>")|(?P<word>[^\s()"]+))'
)
WORD = re.compile(r"\w+")


class QuerySyntaxError(ValueError):
    """A query we cannot understand; the message says what to change."""


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    field: str | None = None


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Term | And | Or | Not


@dataclass(frozen=True)
class Query:
    text: str
    root: Node

    def words(self) -> list[str]:
        found: list[str] = []
        _collect(self.root, found)
        return found


def _collect(node: Node, found: list[str]) -> None:
    if isinstance(node, Term):
        found.extend(node.words)
    elif isinstance(node, Not):
        pass
    else:
        for item in node.items:
            _collect(item, found)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            break
        position = match.end()
        kind = match.lastgroup or ""
        if kind == "quote":
            raise QuerySyntaxError(_('A quotation mark is not closed: add the closing ".'))
        tokens.append((kind, match.group(kind) or ""))
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.position = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def is_word(self, value: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "word" and token[1] == value

    def expression(self) -> Node | None:
        items = [self.conjunction()]
        while self.is_word("OR"):
            self.take()
            if self.peek() is None or self.peek() == ("close", ")"):
                raise QuerySyntaxError(_("OR needs something on both sides."))
            items.append(self.conjunction())
        present = [item for item in items if item is not None]
        if not present:
            return None
        if any(isinstance(item, Not) for item in present) and len(present) > 1:
            raise QuerySyntaxError(_("NOT cannot be one side of an OR: put it after the OR group."))
        return present[0] if len(present) == 1 else Or(tuple(present))

    def conjunction(self) -> Node | None:
        items: list[Node] = []
        while True:
            token = self.peek()
            if token is None or token[0] == "close" or self.is_word("OR"):
                break
            if self.is_word("AND"):
                self.take()
                continue
            item = self.unary()
            if item is not None:
                items.append(item)
        if not items:
            return None
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node | None:
        kind, value = self.take()
        if kind == "minus" or (kind == "word" and value == "NOT"):
            if self.peek() is None:
                raise QuerySyntaxError(_("NOT needs a word or phrase after it."))
            inner = self.unary()
            return Not(inner) if inner is not None else None
        if kind == "open":
            inner = self.expression()
            if self.peek() != ("close", ")"):
                raise QuerySyntaxError(_("A bracket is not closed: add the closing )."))
            self.take()
            return inner
        if kind == "field":
            name = value.lower()
            if name not in FIELDS:
                raise QuerySyntaxError(
                    _('"%(field)s:" is not a search field; use title: or creator:.')
                    % {"field": value}
                )
            if self.peek() is None:
                raise QuerySyntaxError(
                    _("%(field)s: needs a word or phrase after it.") % {"field": value}
                )
            kind, value = self.take()
            words = tuple(w.lower() for w in WORD.findall(value))
            return Term(words, name) if words else None
        if kind == "close":
            raise QuerySyntaxError(_("A closing bracket ) has no opening one."))
        words = tuple(w.lower() for w in WORD.findall(value))
        return Term(words) if words else None


def parse(text: str) -> Query:
    """The tree of a query, or QuerySyntaxError saying what to fix."""
    if len(text) > MAX_LENGTH:
        raise QuerySyntaxError(
            _("Searches can be at most %(max)d characters long.") % {"max": MAX_LENGTH}
        )
    parser = _Parser(_tokens(text))
    root = parser.expression()
    if parser.peek() is not None:
        raise QuerySyntaxError(_("A closing bracket ) has no opening one."))
    if root is None:
        raise QuerySyntaxError(_("There is nothing to search for: enter a word or a phrase."))
    if not _has_positive(root):
        raise QuerySyntaxError(_("Search for at least one word, not only for words to leave out."))
    _check_not(root)
    return Query(text=text, root=root)


def _has_positive(node: Node) -> bool:
    if isinstance(node, Term):
        return True
    if isinstance(node, Not):
        return False
    if isinstance(node, Or):
        return all(_has_positive(item) for item in node.items)
    return any(_has_positive(item) for item in node.items)


def _check_not(node: Node) -> None:
    if isinstance(node, Not):
        _check_not(node.item)
        if not _has_positive(node.item):
            raise QuerySyntaxError(_("NOT NOT is not needed: leave both out."))
    elif isinstance(node, And | Or):
        for item in node.items:
            if isinstance(node, Or) and isinstance(item, Not):
                raise QuerySyntaxError(
                    _("NOT cannot be one side of an OR: put it after the OR group.")
                )
            _check_not(item)
