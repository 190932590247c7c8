"""The client app's JavaScript and CSS without what only a reader needs: comments, indentation,
blank lines and the spaces that separate nothing. The source keeps them; the phone downloads less.

Only comments and whitespace between tokens go; nothing is renamed or rewritten. Line breaks
stay (a line break can end a statement in JavaScript, so removing one could change what the
code means), and strings, template literals and regular expressions are copied as they are.
Telling a regular expression from a division is what makes this a tokenizer rather than a
regex: a `/` starts one where a value cannot end before it (after an operator, an opening
bracket, `return`, a block's `}`, an `if (...)`...). What it would misread is code nobody
writes: a keyword used as a property name before a division (`a.in / 2`). The tests check
that every served module parses and that the JavaScript tests pass on the slimmed code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# After these words a `/` starts a regular expression; after any other name, it divides.
KEYWORDS_BEFORE_AN_EXPRESSION = frozenset(
    {"await", "case", "delete", "do", "else", "extends", "in", "instanceof", "new", "of"}
    | {"return", "throw", "typeof", "void", "yield"}
)
CONDITIONS = frozenset({"if", "while", "for", "with"})
NAME = re.compile(r"[\w$#\u0080-\uffff]+")
SPACE = re.compile(r"[ \t\f\v\u00a0\ufeff]+")


@dataclass(frozen=True)
class Token:
    kind: str  # name, punct, string, template, regex, newline, space, comment
    text: str


def js_tokens(source: str) -> list[Token]:
    """The source cut into tokens; joined again, they give back the source exactly."""
    tokens: list[Token] = []
    at, end = 0, len(source)
    braces: list[bool] = []  # one per open `{`: True where it is a template's `${`
    # One per open `(`: True where it holds a statement's condition (`if (...)`), after which
    # comes a statement, not a value: `if (x) /re/.test(y)`.
    parens: list[bool] = []
    statement_follows = False  # the last `)` closed such a condition
    significant: Token | None = None  # the last token that is not space, newline or comment

    def regex_may_start() -> bool:
        if significant is None:
            return True
        if significant.kind == "name":
            return significant.text in KEYWORDS_BEFORE_AN_EXPRESSION
        if significant.kind == "punct" and significant.text == ")":
            return statement_follows
        if significant.kind == "punct":
            # After `}`, a block's end: an object literal is never divided.
            return significant.text not in ("]", "++", "--")
        return False  # after a string, a template or a regular expression: a division

    while at < end:
        char = source[at]
        if char in "\r\n\u2028\u2029":
            token = Token("newline", char)
        elif match := SPACE.match(source, at):
            token = Token("space", match[0])
        elif source.startswith("//", at):
            stop = _line_end(source, at)
            token = Token("comment", source[at:stop])
        elif source.startswith("/*", at):
            stop = source.find("*/", at + 2)
            if stop < 0:
                raise ValueError(f"unterminated comment at {at}")
            token = Token("comment", source[at : stop + 2])
        elif char in "'\"":
            token = Token("string", source[at : _string_end(source, at)])
        elif char == "`" or (char == "}" and braces and braces[-1]):
            if char == "}":
                braces.pop()
            stop, opens_expression = _template_end(source, at)
            if opens_expression:
                braces.append(True)
            token = Token("template", source[at:stop])
        elif char == "/" and regex_may_start():
            token = Token("regex", source[at : _regex_end(source, at)])
        elif match := NAME.match(source, at):
            token = Token("name", match[0])
        else:
            text = source[at : at + 2] if source[at : at + 2] in ("++", "--") else char
            if text == "(":
                parens.append(significant is not None and significant.text in CONDITIONS)
            elif text == ")":
                statement_follows = parens.pop() if parens else False
            elif text == "{":
                braces.append(False)
            elif text == "}" and braces:
                braces.pop()
            token = Token("punct", text)
        tokens.append(token)
        at += len(token.text)
        if token.kind not in ("space", "newline", "comment"):
            significant = token
    return tokens


def _line_end(source: str, at: int) -> int:
    match = re.compile(r"[\r\n\u2028\u2029]").search(source, at)
    return match.start() if match else len(source)


def _string_end(source: str, at: int) -> int:
    quote, at = source[at], at + 1
    while at < len(source):
        if source[at] == "\\":
            at += 2
        elif source[at] == quote:
            return at + 1
        elif source[at] in "\r\n":
            break
        else:
            at += 1
    raise ValueError(f"unterminated string at {at}")


def _template_end(source: str, at: int) -> tuple[int, bool]:
    """Where a template's text (from its opening ` or the `}` that closes an expression in it)
    ends: after the closing ` (False) or after the `${` of its next expression (True)."""
    at += 1
    while at < len(source):
        if source[at] == "\\":
            at += 2
        elif source[at] == "`":
            return at + 1, False
        elif source.startswith("${", at):
            return at + 2, True
        else:
            at += 1
    raise ValueError(f"unterminated template literal at {at}")


def _regex_end(source: str, at: int) -> int:
    at, in_class = at + 1, False
    while at < len(source) and source[at] not in "\r\n":
        char = source[at]
        if char == "\\":
            at += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "/" and not in_class:
            flags = NAME.match(source, at + 1)
            return at + 1 + (len(flags[0]) if flags else 0)
        at += 1
    raise ValueError(f"unterminated regular expression at {at}")


def slim_js(source: str) -> str:
    """The module without comments, indentation, blank lines, or spaces that separate nothing."""
    return _joined(js_tokens(source))


def _joined(tokens: list[Token]) -> str:
    out: list[str] = []
    line_start = True  # nothing but space written since the last line break
    space = False  # a space (or a comment) was met since the last token written
    previous: Token | None = None  # the last token written
    for token in tokens:
        if token.kind == "newline" or (token.kind == "comment" and "\n" in token.text):
            if not line_start:
                out.append("\n")
            line_start, space = True, False
        elif token.kind in ("space", "comment"):
            space = True
        else:
            if space and not line_start and _needs_space(previous, token):
                out.append(" ")
            out.append(token.text)
            line_start, space, previous = False, False, token
    return "".join(out) + ("\n" if out and not line_start else "")


def _needs_space(before: Token | None, after: Token) -> bool:
    """Whether two tokens written side by side would read as something else: two words as one
    (`return x`), a regular expression's flags (`/a/ in x`), an operator or a comment (`a + +b`,
    `a / /b/`), a number's decimal point (`1 .toString()`)."""
    if before is None:
        return False
    if NAME.fullmatch(before.text[-1]) and NAME.fullmatch(after.text[0]):
        return True
    if before.kind == "regex" and NAME.fullmatch(after.text[0]):
        return True
    if before.text[-1] + after.text[0] in ("++", "--", "//", "/*", "<!", "->"):
        return True
    return before.kind == "name" and before.text[0].isdigit() and after.text[0] == "."


CSS_TOKEN = re.compile(
    r"""(?P<comment>/\*.*?\*/)|(?P<string>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')"""
    r"""|(?P<space>\s+)|(?P<other>[^\s"'/]+|/)""",
    re.DOTALL,
)
# No space is needed on either side of these in CSS (outside strings; `+` and `-` keep theirs,
# which calc() needs, and so do `>`, `~` and `:` for selectors such as `a :hover`).
CSS_TIGHT = set("{};,")


def slim_css(source: str) -> str:
    """The stylesheet without comments and without the space CSS does not need."""
    out: list[str] = []
    space = False
    at = 0
    for match in CSS_TOKEN.finditer(source):
        if match.start() != at:
            raise ValueError(f"unreadable CSS at {at}")
        at = match.end()
        if match["comment"] or match["space"]:
            space = True
            continue
        text = match[0]
        if space and out and out[-1][-1] not in CSS_TIGHT and text[0] not in CSS_TIGHT:
            out.append(" ")
        out.append(text)
        space = False
    if at != len(source):
        raise ValueError(f"unterminated comment or string in CSS at {at}")
    return "".join(out) + "\n"
