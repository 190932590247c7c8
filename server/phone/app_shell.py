"""The client app's files from pwa/: the shell, and sw.js stamped with its version and file list.

The version is a hash of everything in pwa/, so any change to the app makes browsers install
a new service worker; nobody bumps a number by hand. The files are read, hashed and
compressed once (shell_files.py) and served from memory.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, request

from ..catalogs import app_pseudo_catalog
from ..languages import PSEUDO
from .shell_files import WORKER, ShellFile, as_json, precache_list, prepared, read

PWA_DIR = Path(__file__).resolve().parents[2] / "pwa"
ASSET_FOLDERS = ("js", "icons", "i18n")
# Paths the app draws itself: each gets the shell page, and the service worker (given them as
# __ROUTES__) answers them offline. The page has a screen for each but /enroll.
ROUTES = ("/", "/enroll", "/avoid", "/progress", "/settings")
# A URL with the file's hash in it never changes meaning: any cache may keep it for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
# Everything else the browser revalidates (a 304 when unchanged); the service worker holds
# the versioned copy the app runs on.
REVALIDATE = "no-cache"

bp = Blueprint("pwa", __name__)


@dataclass(frozen=True)
class Shell:
    version: str
    files: Mapping[str, ShellFile]  # by URL path, as served

    @property
    def precache(self) -> list[dict]:
        """What the service worker keeps: each URL with how its body's SHA-256 must begin."""
        return precache_list(self.files)

    @cached_property
    def worker(self) -> ShellFile:
        """sw.js as served: stamped with the version, the precache list and the routes, and
        compressed once (its modules are written in: it is the largest file of the shell)."""
        source = self.files[WORKER].body.decode("utf-8")
        source = source.replace("__APP_VERSION__", self.version)
        source = source.replace("__PRECACHE__", as_json(self.precache))
        source = source.replace("__ROUTES__", as_json(list(ROUTES)))
        return prepared(WORKER, source.encode("utf-8"))


@cache
def shell(directory: Path = PWA_DIR) -> Shell:
    files = read(directory)
    digest = hashlib.sha256()
    for path, file in sorted(files.items()):
        digest.update(path.encode() + b"\0" + file.sha256.encode())
    prepared_shell = Shell(version=digest.hexdigest()[:12], files=files)
    prepared_shell.worker  # noqa: B018 (compressed now, not while answering a request)
    return prepared_shell


def send(file: ShellFile) -> Response:
    """The file in the best encoding the browser takes, with a weak ETag (equal for each
    encoding of the same bytes) so a revalidation answers 304."""
    encoding = _encoding(file)
    body = file.encoded[encoding] if encoding else file.body
    response = Response(body, mimetype=file.mimetype)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    response.set_etag(file.sha256[:32], weak=True)
    versioned = file.versioned and request.args.get("v") == file.url.partition("?v=")[2]
    response.headers["Cache-Control"] = IMMUTABLE if versioned else REVALIDATE
    return response.make_conditional(request)


def _encoding(file: ShellFile) -> str | None:
    accepted = request.accept_encodings
    # Brotli first when the browser rates both alike: it is the smaller.
    offered = [name for name in ("br", "gzip") if name in file.encoded and accepted[name] > 0]
    return max(offered, key=lambda name: accepted[name], default=None)


def index():
    return send(shell().files["/index.html"])


for route in ROUTES:
    bp.get(route)(index)


@bp.get("/sw.js")
def service_worker():
    response = send(shell().worker)
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/app.css")
def stylesheet():
    return send(shell().files["/app.css"])


@bp.get("/manifest.webmanifest")
def manifest():
    return send(shell().files["/manifest.webmanifest"])


@bp.get(f"/i18n/{PSEUDO.code}.json")
def pseudo_catalog():
    """The app's pseudo-locale catalog, made from its English one: only with PSEUDO_LOCALE=on."""
    if not current_app.config["PSEUDO_LOCALE"]:
        abort(404)
    english = json.loads(shell().files["/i18n/en.json"].body)
    response = current_app.json.response(app_pseudo_catalog(english))
    response.headers["Cache-Control"] = REVALIDATE
    return response


# Only the asset folders: a catch-all would answer 405 to a POST to any unknown /api path.
@bp.get(f"/<any({', '.join(ASSET_FOLDERS)}):folder>/<path:name>")
def asset(folder: str, name: str):
    file = shell().files.get(f"/{folder}/{name}")
    if file is None:
        abort(404)
    return send(file)
