"""A script as one file: the service worker (sw.js), or the page's module, with the modules it
imports, however deep, written in.

A browser installing or updating a worker fetches every module it imports, and Chromium
revalidates them even when the HTTP cache holds them for a year (`updateViaCache: "all"`
changes nothing), so each import cost a request on a first visit. One file costs one. The page
likewise: one request instead of one per module, and one compressed stream, which shrinks far
better than forty small ones (the modules share most of their words).

Each module becomes a function run once, in import order, whose result holds its exports; an
import becomes a `const` taken from that result. This keeps each module's own names to itself,
as in a module: two modules may both declare `today`. The one scope they share holds only the
variables that carry those results (`__module<path>`), so a module may not name anything
`__module...`, and two paths may not make the same variable (a_b.js and a/b.js). What it cannot
keep is refused with a ValueError when the server starts, rather than served wrong: `export
let`/`var` (an importer would see a copy, not the variable), a default or `*` export,
`import.meta` and `import()` (they would read the bundle's URL, not the module's), and a
top-level `await` (the function is not async).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping

from .slim import Token, js_tokens

OPENING, CLOSING = "([{", ")]}"
IGNORED = ("space", "newline", "comment")
CARRIER = "__module"  # how the variables carrying each module's exports begin


def inlined(path: str, modules: Mapping[str, str]) -> tuple[str, list[str]]:
    """The script at `path` with every module it imports written in, and those modules' paths.
    `modules` holds each module's source by URL path; imports name them relative to the
    importer or from /."""
    order: list[str] = []
    variables: dict[str, str] = {}  # a carrying variable -> its module
    exports: dict[str, dict[str, str]] = {}  # a module's public names -> its own
    bodies: dict[str, str] = {}

    def visit(module: str, importers: tuple[str, ...]) -> None:
        if module in importers:
            raise ValueError(f"import cycle in {path}: {' -> '.join((*importers, module))}")
        if module in bodies:
            return
        if module not in modules:
            raise ValueError(f"{importers[-1]} imports {module}, which is not in pwa/")
        bodies[module] = ""  # being visited
        if (other := variables.setdefault(_variable(module), module)) != module:
            raise ValueError(f"{other} and {module} would share the variable {_variable(module)}")
        body, names = _rewritten(
            module,
            modules[module],
            module == path,
            lambda target, wanted: _imported(module, target, wanted, (*importers, module)),
        )
        bodies[module], exports[module] = body, names
        order.append(module)

    def _imported(importer: str, target: str, wanted: list[str], chain) -> str:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(importer), target))
        visit(resolved, chain)
        missing = [name for name in wanted if name not in exports[resolved]]
        if missing:
            raise ValueError(f"{importer} imports {missing} that {resolved} does not export")
        return _variable(resolved)

    visit(path, ())
    parts = [
        f"const {_variable(module)}=(()=>{{\n{bodies[module]}"
        f"return{{{_object(exports[module])}}};\n}})();\n"
        for module in order[:-1]
    ]
    return "".join(parts) + bodies[path], order[:-1]


def _object(names: dict[str, str]) -> str:
    return ",".join(p if p == own else f"{p}:{own}" for p, own in sorted(names.items()))


def _variable(module: str) -> str:
    return CARRIER + re.sub(r"\W", "_", module.removesuffix(".js"))


def _rewritten(
    module: str, source: str, root: bool, variable_for: Callable[[str, list[str]], str]
) -> tuple[str, dict[str, str]]:
    """The module's source with its imports taken from variables and, unless it is the `root`
    (the script itself, still a module), its `export` words gone; and the names it exports."""
    tokens = js_tokens(source)
    out: list[str] = []
    exported: dict[str, str] = {}
    depth = 0
    at = 0

    def significant(start: int) -> int:
        while start < len(tokens) and tokens[start].kind in IGNORED:
            start += 1
        return start

    def refuse(what: str) -> ValueError:
        return ValueError(f"{module}: {what} cannot be written into one file")

    while at < len(tokens):
        token = tokens[at]
        if token.kind == "punct" and token.text in OPENING:
            depth += 1
        elif token.kind == "punct" and token.text in CLOSING:
            depth -= 1
        if token.kind == "name" and token.text.startswith(CARRIER):
            raise refuse(f"the name {token.text} (the bundle's own variables begin so)")
        if depth == 0 and not root and token.kind == "name" and token.text == "await":
            raise refuse("a top-level await")
        if token.kind == "name" and token.text == "import":
            after = significant(at + 1)
            if after < len(tokens) and tokens[after].text == "." and not root:
                raise refuse("import.meta")
            if after < len(tokens) and tokens[after].text == "(":
                # Its path would be read from the bundle's URL, not the module's.
                raise refuse("a dynamic import()")
            if depth == 0:
                at, statement = _import(tokens, at, variable_for, refuse)
                out.append(statement)
                continue
        if depth == 0 and not root and token.kind == "name" and token.text == "export":
            at = significant(at + 1)
            exported |= _declared(tokens, at, significant, refuse)
            if tokens[at].text == "{":  # `export { a, b as c };`: the names are declared already
                stop = significant(_closing(tokens, at) + 1)
                if stop < len(tokens) and tokens[stop].text == ";":
                    stop += 1
                at = stop
            continue
        out.append(token.text)
        at += 1
    return "".join(out), exported


def _import(tokens: list[Token], at: int, variable_for, refuse) -> tuple[int, str]:
    """(the index after the import statement at `at`, the statement that replaces it)."""
    clause: list[Token] = []
    at += 1
    while tokens[at].kind != "string":
        if tokens[at].kind not in IGNORED and tokens[at].text != "from":
            clause.append(tokens[at])
        at += 1
    target = tokens[at].text[1:-1]
    at += 1
    if at < len(tokens) and tokens[at].text == ";":
        at += 1
    texts = [token.text for token in clause]
    if not texts:  # `import "x";`: run for its effects only
        variable_for(target, [])
        return at, ""
    if texts[:2] == ["*", "as"] and len(texts) == 3:
        return at, f"const {texts[2]}={variable_for(target, [])};"
    if texts[0] != "{" or texts[-1] != "}":
        raise refuse("a default import")
    bindings, wanted = [], []
    for part in " ".join(texts[1:-1]).split(","):
        words = part.split()
        if not words:
            continue
        if len(words) == 3 and words[1] == "as":
            bindings.append(f"{words[0]}:{words[2]}")
        elif len(words) == 1:
            bindings.append(words[0])
        else:
            raise refuse(f"the import {part.strip()!r}")
        wanted.append(words[0])
    return at, f"const{{{','.join(bindings)}}}={variable_for(target, wanted)};"


def _declared(tokens: list[Token], at: int, significant, refuse) -> dict[str, str]:
    """The names an `export` at `at` makes public, each with the module's own name for it."""
    word = tokens[at].text
    if word == "async":
        at = significant(at + 1)
        word = tokens[at].text
    if word in ("function", "class", "const"):
        at = significant(at + 1)
        if tokens[at].text == "*":  # a generator
            at = significant(at + 1)
        if tokens[at].kind != "name":
            raise refuse("an exported destructuring")
        return {tokens[at].text: tokens[at].text}
    if word == "{":
        names = {}
        stop = _closing(tokens, at)
        after = significant(stop + 1)
        if after < len(tokens) and tokens[after].text == "from":
            raise refuse("a re-export")
        parts = "".join(token.text for token in tokens[at + 1 : stop]).split(",")
        for part in parts:
            words = part.split()
            if words:
                if len(words) not in (1, 3):
                    raise refuse(f"the export {part.strip()!r}")
                names[words[-1]] = words[0]
        return names
    raise refuse(f"`export {word}`")


def _closing(tokens: list[Token], at: int) -> int:
    depth = 0
    for index in range(at, len(tokens)):
        if tokens[index].text in OPENING:
            depth += 1
        elif tokens[index].text in CLOSING:
            depth -= 1
            if depth == 0:
                return index
    raise ValueError("unbalanced brackets")
