"""OData v3 ``$filter``: tokenizer, recursive-descent parser and row predicates."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# --------------------------------------------------------------------------------------------
# $filter: tokenizer and recursive-descent parser


class FilterError(ValueError):
    """A malformed or unsupported ``$filter`` (answered with HTTP 400)."""


_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<str>'(?:[^']|'')*')
  | (?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[LlMmDdFf]?(?![A-Za-z0-9_]))
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<comma>,)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)
_COMPARISONS = ("eq", "ne", "gt", "ge", "lt", "le")
_NOT_VALUE = object()


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    pos: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            if text[pos] == "'":
                raise FilterError(f"unterminated string literal at position {pos}")
            raise FilterError(f"unexpected character {text[pos]!r} at position {pos}")
        kind = m.lastgroup or ""
        if kind != "ws":
            tokens.append(_Token(kind, m.group(), pos))
        pos = m.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


Node = Callable[[Mapping[str, Any]], Any]


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _type_name(v: object) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "Edm.Boolean"
    if isinstance(v, str):
        return "Edm.String"
    if _is_number(v):
        return "Edm.Number"
    return type(v).__name__


def _compare(op: str, a: Any, b: Any) -> bool:
    if a is None or b is None:
        if op == "eq":
            return a is None and b is None
        if op == "ne":
            return not (a is None and b is None)
        return False
    same = (
        (_is_number(a) and _is_number(b))
        or (isinstance(a, str) and isinstance(b, str))
        or (isinstance(a, bool) and isinstance(b, bool))
    )
    if not same:
        raise FilterError(
            f"operator '{op}' incompatible with operand types '{_type_name(a)}' and "
            f"'{_type_name(b)}'"
        )
    if op == "eq":
        return a == b
    if op == "ne":
        return a != b
    if op == "gt":
        return a > b
    if op == "ge":
        return a >= b
    if op == "lt":
        return a < b
    return a <= b


def _want_str(fn: str, v: Any) -> str | None:
    if v is None or isinstance(v, str):
        return v
    raise FilterError(f"function '{fn}' expects a string argument, got '{_type_name(v)}'")


def _fn_startswith(a: Any, b: Any) -> bool:
    s, p = _want_str("startswith", a), _want_str("startswith", b)
    return s is not None and p is not None and s.startswith(p)


def _fn_endswith(a: Any, b: Any) -> bool:
    s, p = _want_str("endswith", a), _want_str("endswith", b)
    return s is not None and p is not None and s.endswith(p)


def _fn_substringof(a: Any, b: Any) -> bool:
    needle, hay = _want_str("substringof", a), _want_str("substringof", b)
    return needle is not None and hay is not None and needle in hay


def _fn_str(name: str, op: Callable[[str], Any]) -> Callable[[Any], Any]:
    def fn(a: Any) -> Any:
        s = _want_str(name, a)
        return None if s is None else op(s)

    return fn


_FUNCTIONS: dict[str, tuple[int, Callable[..., Any]]] = {
    "startswith": (2, _fn_startswith),
    "endswith": (2, _fn_endswith),
    "substringof": (2, _fn_substringof),
    "trim": (1, _fn_str("trim", str.strip)),
    "tolower": (1, _fn_str("tolower", str.lower)),
    "toupper": (1, _fn_str("toupper", str.upper)),
    "length": (1, _fn_str("length", len)),
}


class _FilterParser:
    """Recursive descent over OData v3 precedence: or < and < comparison < not < primary."""

    def __init__(self, text: str, columns: frozenset[str] | None) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.columns = columns

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def is_word(self, *words: str) -> bool:
        tok = self.peek()
        return tok.kind == "ident" and tok.text in words

    def expect(self, kind: str, what: str) -> _Token:
        tok = self.peek()
        if tok.kind != kind:
            found = "end of filter" if tok.kind == "end" else repr(tok.text)
            raise FilterError(f"expected {what} at position {tok.pos}, found {found}")
        return self.take()

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise FilterError("empty filter expression")
        node = self.parse_or()
        tok = self.peek()
        if tok.kind != "end":
            raise FilterError(f"unexpected {tok.text!r} at position {tok.pos}")
        return node

    def parse_or(self) -> Node:
        left = self.parse_and()
        while self.is_word("or"):
            self.take()
            right = self.parse_and()
            left = _binary_bool("or", left, right)
        return left

    def parse_and(self) -> Node:
        left = self.parse_comparison()
        while self.is_word("and"):
            self.take()
            right = self.parse_comparison()
            left = _binary_bool("and", left, right)
        return left

    def parse_comparison(self) -> Node:
        left = self.parse_unary()
        while self.is_word(*_COMPARISONS):
            op = self.take().text
            right = self.parse_unary()
            left = _comparison(op, left, right)
        return left

    def parse_unary(self) -> Node:
        if self.is_word("not"):
            self.take()
            operand = self.parse_unary()

            def not_(row: Mapping[str, Any]) -> Any:
                v = operand(row)
                if v is None:
                    return None
                if not isinstance(v, bool):
                    raise FilterError(f"'not' needs a boolean operand, got '{_type_name(v)}'")
                return not v

            return not_
        return self.parse_primary()

    def parse_primary(self) -> Node:
        tok = self.peek()
        if tok.kind == "lparen":
            self.take()
            node = self.parse_or()
            self.expect("rparen", "')'")
            return node
        if tok.kind == "str":
            self.take()
            value = tok.text[1:-1].replace("''", "'")
            return lambda row: value
        if tok.kind == "num":
            self.take()
            return _number_literal(tok)
        if tok.kind == "ident":
            self.take()
            if tok.text in ("null", "true", "false"):
                literal = {"null": None, "true": True, "false": False}[tok.text]
                return lambda row: literal
            if self.peek().kind == "lparen":
                return self.parse_call(tok)
            if tok.text in _COMPARISONS or tok.text in ("and", "or", "not"):
                raise FilterError(f"expected an operand at position {tok.pos}, found {tok.text!r}")
            if self.columns is not None and tok.text not in self.columns:
                raise FilterError(f"could not find a property named '{tok.text}'")
            key = tok.text
            return lambda row: row.get(key)
        found = "end of filter" if tok.kind == "end" else repr(tok.text)
        raise FilterError(f"expected an operand at position {tok.pos}, found {found}")

    def parse_call(self, name: _Token) -> Node:
        if name.text not in _FUNCTIONS:
            raise FilterError(f"unknown function '{name.text}' at position {name.pos}")
        arity, fn = _FUNCTIONS[name.text]
        self.expect("lparen", "'('")
        args: list[Node] = []
        if self.peek().kind != "rparen":
            args.append(self.parse_or())
            while self.peek().kind == "comma":
                self.take()
                args.append(self.parse_or())
        self.expect("rparen", "')' or ','")
        if len(args) != arity:
            raise FilterError(f"function '{name.text}' takes {arity} argument(s), got {len(args)}")
        return lambda row: fn(*(arg(row) for arg in args))


def _number_literal(tok: _Token) -> Node:
    text = tok.text.rstrip("LlMmDdFf")
    value: int | float = float(text) if any(c in text for c in ".eE") else int(text)
    return lambda row: value


def _binary_bool(op: str, left: Node, right: Node) -> Node:
    def check(v: Any) -> bool | None:
        if v is None or isinstance(v, bool):
            return v
        raise FilterError(f"'{op}' needs boolean operands, got '{_type_name(v)}'")

    if op == "and":
        return lambda row: bool(check(left(row))) and bool(check(right(row)))
    return lambda row: bool(check(left(row))) or bool(check(right(row)))


def _comparison(op: str, left: Node, right: Node) -> Node:
    return lambda row: _compare(op, left(row), right(row))


def compile_filter(
    text: str, columns: frozenset[str] | set[str] | None = None
) -> Callable[[Mapping[str, Any]], bool]:
    """Compile an OData v3 ``$filter`` into a row predicate.

    ``columns`` (if given) are the entity's property names; an unknown name raises
    :class:`FilterError`. Evaluation may also raise :class:`FilterError` on type mismatches.
    """
    node = _FilterParser(text, frozenset(columns) if columns is not None else None).parse()

    def predicate(row: Mapping[str, Any]) -> bool:
        v = node(row)
        if v is None or isinstance(v, bool):
            return bool(v)
        raise FilterError(f"the filter expression is not boolean (got '{_type_name(v)}')")

    return predicate
