"""JavaScript and JSON data literals read without running anything: a small tokenizer takes
what a literal may hold (unquoted keys, single or double quotes, trailing commas, comments,
``var tasks =`` / ``export default`` / ``module.exports =`` before it) and refuses anything
else (a call, an operator, a variable, a ``${}`` template) with the line, bounded in depth and
in the number of values. Strict JSON goes through the standard library first.
"""

from __future__ import annotations

import json
import re

#: Deepest nesting of objects and lists read, and most values in one literal.
MAX_DEPTH = 40
MAX_VALUES = 200_000

class Refused(Exception):
    """What the literal holds that is not data, at a line of the file."""

    def __init__(self, line: int, problem: str):
        super().__init__(problem)
        self.line = line
        self.problem = problem


# --- tokens -------------------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<space>[ \t\r\n\ufeff\u00a0\u3000]+)
  | (?P<comment>//[^\n]*|/\*.*?\*/|<!--|-->)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\$]|\\.|\$(?!\{))*`)
  | (?P<number>-?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))
  | (?P<name>[A-Za-z_$\u4e00-\u9fff][\w$\u4e00-\u9fff]*)
  | (?P<punct>[{}\[\]:,;=.()])
""", re.X | re.S)

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0", "\n": ""}


def _tokens(code: str) -> list[tuple[str, str, int]]:
    """(kind, text, line) of every token; anything a literal cannot hold is refused."""
    out, pos, line = [], 0, 1
    while pos < len(code):
        m = _TOKEN.match(code, pos)
        if m is None:
            ch = code[pos]
            if code.startswith("${", pos) or ch == "`":
                raise Refused(line, "a template string with ${…} is code, not data")
            if ch in "\"'":
                raise Refused(line, "a string that is never closed on its line")
            if code.startswith("/*", pos):
                raise Refused(line, "a comment that is never closed")
            raise Refused(line, f"{ch!r} is not part of a data literal (only objects, lists, strings, numbers)")
        kind = m.lastgroup
        if kind not in ("space", "comment"):
            out.append((kind, m.group(), line))
        line += m.group().count("\n")
        pos = m.end()
    return out


def _string(raw: str, line: int) -> str:
    body, out, k = raw[1:-1], [], 0
    if "\\" not in body:
        return body
    while k < len(body):
        ch = body[k]
        if ch != "\\":
            out.append(ch)
            k += 1
            continue
        nxt = body[k + 1]
        if nxt == "u":
            hexa = body[k + 2:k + 6] if body[k + 2:k + 3] != "{" else body[k + 3:body.find("}", k)]
            try:
                out.append(chr(int(hexa, 16)))
            except ValueError:
                raise Refused(line, f"bad escape \\u{hexa[:4]} in a string") from None
            k += 2 + (len(hexa) + 2 if body[k + 2:k + 3] == "{" else 4)
            continue
        if nxt == "x":
            try:
                out.append(chr(int(body[k + 2:k + 4], 16)))
            except ValueError:
                raise Refused(line, "bad escape \\x in a string") from None
            k += 4
            continue
        out.append(_ESCAPES.get(nxt, nxt))
        k += 2
    return "".join(out)


# --- values -------------------------------------------------------------------------------------

class _Reader:
    """Recursive descent over the tokens of one literal, bounded in depth and size."""

    def __init__(self, tokens: list[tuple[str, str, int]]):
        self.tokens = tokens
        self.k = 0
        self.values = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.k] if self.k < len(self.tokens) else ("end", "", self.tokens[-1][2] if self.tokens else 1)

    def take(self, text: str) -> None:
        kind, got, line = self.peek()
        if got != text or kind not in ("punct",):
            raise Refused(line, f"expected {text!r}, found {_shown(kind, got)}")
        self.k += 1

    def value(self, depth: int = 0):
        kind, text, line = self.peek()
        if depth > MAX_DEPTH:
            raise Refused(line, f"nested more than {MAX_DEPTH} levels deep: refused")
        self.values += 1
        if self.values > MAX_VALUES:
            raise Refused(line, f"more than {MAX_VALUES} values: refused")
        self.k += 1
        if kind == "string":
            return _string(text, line)
        if kind == "number":
            number = float(int(text, 16)) if text.lower().startswith(("0x", "-0x")) else float(text)
            return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
        if kind == "name" and text in ("true", "false"):
            return text == "true"
        if kind == "name" and text in ("null", "undefined"):
            return None
        if text == "{":
            return self._object(depth)
        if text == "[":
            return self._list(depth)
        self.k -= 1
        if kind == "name" and self.k + 1 < len(self.tokens) and self.tokens[self.k + 1][1] == "(":
            raise Refused(line, f"a function call ({text}(…)) is code, not data: refused")
        if kind == "name":
            raise Refused(line, f"{text!r} names a variable or code, not data: refused")
        raise Refused(line, f"expected a value, found {_shown(kind, text)}")

    def _object(self, depth: int) -> dict:
        out: dict = {}
        while self.peek()[1] != "}":
            kind, text, line = self.peek()
            if kind == "string":
                key = _string(text, line)
            elif kind in ("name", "number"):
                key = text
            else:
                raise Refused(line, f"expected a key, found {_shown(kind, text)}")
            self.k += 1
            self.take(":")
            out[key] = self.value(depth + 1)
            if self.peek()[1] != "}":
                self.take(",")
        self.k += 1
        return out

    def _list(self, depth: int) -> list:
        out: list = []
        while self.peek()[1] != "]":
            if self.peek()[1] == ",":  # an elision ([a,,b]) holds nothing
                self.k += 1
                continue
            out.append(self.value(depth + 1))
            if self.peek()[1] != "]":
                self.take(",")
        self.k += 1
        return out


def _shown(kind: str, text: str) -> str:
    return "the end of the file" if kind == "end" else repr(text)


def parse_literals(code: str) -> list:
    """The data of a JSON document or of a script made only of literals, each maybe assigned
    (``var tasks = [...]``, ``export default {...}``, ``window.plan = {...};``).

    >>> parse_literals("var tasks = [{title: '建馆', owner: ['市科协',],}, ] // 注释")
    [[{'title': '建馆', 'owner': ['市科协']}]]

    Raises:
        Refused: at the line of the first thing that is not data.
    """
    try:  # strict JSON, the common case, read by the standard library (no line numbers needed)
        data = json.loads(code)
    except (ValueError, RecursionError):
        pass
    else:
        if _within_bounds(data):
            return [data]
    tokens = _tokens(code)
    reader = _Reader(tokens)
    found = []
    while reader.k < len(tokens):
        if reader.peek()[1] == ";":
            reader.k += 1
            continue
        reader.k = _declared(tokens, reader.k)
        found.append(reader.value())
        kind, text, line = reader.peek()
        if kind != "end" and text != ";" and line == tokens[reader.k - 1][2]:
            raise Refused(line, f"expected ';' or a new line after the literal, found {_shown(kind, text)}")
    if not found:
        raise Refused(1, "no object or list literal found")
    return found


def _within_bounds(data) -> bool:
    """No deeper than MAX_DEPTH, no more than MAX_VALUES values (else the tokenizer says where)."""
    stack, values = [(data, 0)], 0
    while stack:
        value, depth = stack.pop()
        values += 1
        if depth > MAX_DEPTH or values > MAX_VALUES:
            return False
        if isinstance(value, dict):
            stack += [(v, depth + 1) for v in value.values()]
        elif isinstance(value, list):
            stack += [(v, depth + 1) for v in value]
    return True


def _declared(tokens: list[tuple[str, str, int]], k: int) -> int:
    """Where the value of a statement starts: after ``var x =``, ``a.b =``, ``export default``,
    or at ``k`` (what follows must then be a value)."""
    words = [t[1] if t[0] in ("name", "punct") else "" for t in tokens[k:k + 8]]
    if words[:1] in (["var"], ["let"], ["const"]) and len(words) > 2 and words[2] == "=" \
            and tokens[k + 1][0] == "name":
        return k + 3
    if words[:2] == ["export", "default"]:
        return k + 2
    j = k
    while j - k < len(words) and tokens[j][0] == "name" and words[j - k] not in ("true", "false", "null"):
        j += 1
        if j - k < len(words) and words[j - k] == ".":
            j += 1
            continue
        break
    return j + 1 if j > k and j - k < len(words) and words[j - k] == "=" else k
