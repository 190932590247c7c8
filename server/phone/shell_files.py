"""The client app's files from pwa/, read once and prepared to be served from memory.

Every module and the stylesheet get a URL keyed by their content (`/js/page/app.js?v=<hash>`):
the server rewrites each module's imports, and the page's references to them, to those URLs,
so a browser may keep them for a year and an old file can never stand in for a new one. A
module's hash covers the URLs of what it imports, so a change anywhere reaches every file
that depends on it. Each compressible file is also compressed once here, not per request.

What is served is not the source as written: each module and the stylesheet lose their comments
and indentation (slim.py), and sw.js and the page's module script each have the modules they
import written into them (bundle.py): installing the worker is one request, and so is the
page's code, not one per module.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import mimetypes
import posixpath
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import brotli

from ..languages import SOURCE
from .bundle import inlined
from .slim import slim_css, slim_js

# Below this a compressed body saves less than its headers cost (Flask-Compress uses the same).
MIN_COMPRESS_SIZE = 500
COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/javascript",
    "application/json",
    "application/manifest+json",
}
MIMETYPES = {".js": "text/javascript", ".webmanifest": "application/manifest+json"}
# Files referred to by URLs with their hash in them: the modules, by imports the server
# rewrites, the stylesheet, by index.html, and the catalogs, by the page's list of them
# (CATALOG_LIST). Icons and the manifest keep fixed URLs (the installed app and notifications
# name them) and are revalidated instead.
VERSIONED_SUFFIXES = (".js", ".css", ".json")
# Where index.html takes the catalogs' URLs: the page asks for its language's by that URL, so
# a catalog is never revalidated either, and a new one can't hide behind an old copy.
CATALOG_LIST = "__CATALOGS__"
# Static `import ... from "x"`, `export ... from "x"`, bare `import "x"` and `import("x")`.
IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(["'])([./][^"']*)\2""")
PAGE_REFERENCE = re.compile(r"""(\b(?:src|href)=)(["'])(/[^"']*)\2""")
MODULE_SCRIPT = re.compile(r"""<script type="module" src="(/[^"]+)"></script>""")
WORKER = "/sw.js"
# A file's version in its URL, and in the precache list: the first 16 hex digits (64 bits) of
# its SHA-256, enough to tell any two versions of a file apart. The list is written into sw.js,
# which every install downloads: full hashes would add 1.5 KB of digits no compressor shrinks.
HASH_DIGITS = 16
# The app's catalogs, one per language, each complete (_complete_catalogs): the worker keeps the
# client's own, not all of them (sw/shell.js neededFiles).
CATALOG = re.compile(r"^/i18n/([\w-]+)\.json$")
SLIMMED = {".js": slim_js, ".css": slim_css}


@dataclass(frozen=True)
class ShellFile:
    path: str  # the URL path, e.g. /js/page/app.js
    body: bytes  # as served: imports already point at versioned URLs
    mimetype: str
    sha256: str
    encoded: dict[str, bytes] = field(default_factory=dict)  # "br" / "gzip" -> body
    # False for a module only sw.js or the page's script use: it is written into them, so the
    # phone needs no copy of its own (still served at its URL, for a reader).
    precached: bool = True

    @property
    def versioned(self) -> bool:
        # (Not sw.js: the browser fetches it by its fixed URL to check for a new version.)
        return self.path.endswith(VERSIONED_SUFFIXES) and self.path != WORKER

    @property
    def url(self) -> str:
        """The URL the page and the service worker use for this file."""
        return f"{self.path}?v={self.sha256[:HASH_DIGITS]}" if self.versioned else self.path


def read(directory: Path) -> dict[str, ShellFile]:
    """Every file in `directory` by URL path, sw.js and index.html as they are served."""
    sources = {
        "/" + path.relative_to(directory).as_posix(): _slimmed(path)
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }
    _complete_catalogs(sources)
    files: dict[str, ShellFile] = {}
    imports: dict[str, set[str]] = {}  # a module's path -> the paths it imports
    # The scripts served in one file each: the worker and the page's module script(s).
    bundled = {WORKER, *MODULE_SCRIPT.findall(sources["/index.html"].decode("utf-8"))}
    written_in: set[str] = set()  # the modules written into them

    def prepare(path: str, visiting: tuple[str, ...] = ()) -> ShellFile:
        if path in files:
            return files[path]
        if path in visiting:
            raise ValueError(f"import cycle in pwa/: {' -> '.join((*visiting, path))}")
        body = sources[path]
        if path in bundled:
            modules = {
                name: text.decode() for name, text in sources.items() if name.endswith(".js")
            }
            text, order = inlined(path, modules)
            written_in.update(order)
            body = text.encode()
        elif path.endswith(".js"):
            body = _rewrite(IMPORT, body, lambda target: _url(target, path, visiting))
        files[path] = prepared(path, body)
        return files[path]

    def _url(target: str, importer: str, visiting: tuple[str, ...]) -> str | None:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(importer), target))
        if resolved not in sources:
            return None
        imports.setdefault(importer, set()).add(resolved)
        return prepare(resolved, (*visiting, importer)).url

    for path in sources:
        if path != "/index.html":
            prepare(path)
    # The page last: it refers to the stylesheet and its script by their URLs.
    page = _rewrite(
        PAGE_REFERENCE,
        sources["/index.html"],
        lambda target: files[target].url if target in files else None,
    )
    catalogs = {m[1]: files[path].url for path in files if (m := CATALOG.match(path))}
    page = page.replace(CATALOG_LIST.encode(), html.escape(as_json(catalogs)).encode())
    files["/index.html"] = prepared("/index.html", page)
    for path in _bundled_only(files, imports, written_in):
        files[path] = replace(files[path], precached=False)
    return files


def _bundled_only(
    files: dict[str, ShellFile], imports: dict[str, set[str]], written_in
) -> set[str]:
    """The modules written into a bundled script that nothing else reaches: not the page, and
    not any module outside the bundles, by a static or a dynamic import."""
    page = files["/index.html"].body.decode()
    reached = {path for path in files if path.endswith(".js") and path != WORKER}
    reached -= set(written_in)
    reached |= {path for path in files if files[path].url in page}
    queue = list(reached)
    while queue:
        for path in imports.get(queue.pop(), ()):
            if path not in reached:
                reached.add(path)
                queue.append(path)
    return set(written_in) - reached


def _complete_catalogs(sources: dict[str, bytes]) -> None:
    """Each language's catalog as served has every key: any its file lacks comes from English.
    So a phone downloads its own catalog only, not English beneath it; English stands in only
    for a catalog the phone cannot have (sw/shell.js neededFiles, page/language.js). A catalog
    with every key (tests/js/i18n.test.mjs asks it) is served as it is written."""
    english_path = f"/i18n/{SOURCE}.json"
    if english_path not in sources:
        return
    english_texts = json.loads(sources[english_path])
    for path, body in sources.items():
        if CATALOG.match(path) and path != english_path:
            own = json.loads(body)
            lacking = {key: text for key, text in english_texts.items() if key not in own}
            if lacking:
                completed = {**own, **lacking}
                sources[path] = json.dumps(completed, ensure_ascii=False, indent=0).encode()


def _slimmed(path: Path) -> bytes:
    slim = SLIMMED.get(path.suffix)
    if slim is None:
        return path.read_bytes()
    return slim(path.read_text(encoding="utf-8")).encode("utf-8")


def _rewrite(pattern: re.Pattern, body: bytes, url_for) -> bytes:
    def replace(match: re.Match) -> str:
        prefix, quote, target = match.groups()
        url = url_for(target)
        return match.group(0) if url is None else f"{prefix}{quote}{url}{quote}"

    return pattern.sub(replace, body.decode("utf-8")).encode("utf-8")


def prepared(path: str, body: bytes) -> ShellFile:
    suffix = posixpath.splitext(path)[1]
    mimetype = MIMETYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    encoded = {}
    if mimetype in COMPRESSIBLE and len(body) >= MIN_COMPRESS_SIZE:
        encoded = {"br": brotli.compress(body, quality=11), "gzip": gzip.compress(body, 9, mtime=0)}
    return ShellFile(path, body, mimetype, hashlib.sha256(body).hexdigest(), encoded)


# The one icon the app shows without a network: beside the title and on a notification. The
# others serve installing the app and a home screen, which the browser fetches itself, online.
OFFLINE_ICONS = ("/icons/icon-192.png",)


def precache_list(files: dict[str, ShellFile], page_path: str = "/") -> list[dict]:
    """What the service worker keeps: each file's URL and how its body's SHA-256 must begin;
    a catalog also names its language."""
    entries = [{"url": page_path, "sha256": files["/index.html"].sha256[:HASH_DIGITS]}]
    for path, file in sorted(files.items()):
        if path in (WORKER, "/index.html") or not file.precached:
            continue
        if path.startswith("/icons/") and path not in OFFLINE_ICONS:
            continue
        entry = {"url": file.url, "sha256": file.sha256[:HASH_DIGITS]}
        if catalog := CATALOG.match(path):
            entry["language"] = catalog[1]
        entries.append(entry)
    return entries


def as_json(value) -> str:
    return json.dumps(value, separators=(",", ":"))
