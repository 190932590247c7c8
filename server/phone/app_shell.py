"""The client app's files from pwa/: the shell, and sw.js stamped with its version and file list.

The version is a hash of everything in pwa/, so any change to the app makes browsers install
a new service worker; nobody bumps a number by hand.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, send_from_directory

PWA_DIR = Path(__file__).resolve().parents[2] / "pwa"
ASSET_FOLDERS = ("js", "icons")
# Paths the app draws itself: each gets the shell page, and the service worker (given them as
# __ROUTES__) answers them offline. The page has a screen for each but /enroll.
ROUTES = ("/", "/enroll", "/avoid", "/progress", "/settings")

bp = Blueprint("pwa", __name__)


@dataclass(frozen=True)
class Shell:
    version: str
    files: tuple[str, ...]  # what the service worker precaches, as URL paths


@cache
def shell(directory: Path = PWA_DIR) -> Shell:
    digest = hashlib.sha256()
    files = []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        relative = path.relative_to(directory).as_posix()
        digest.update(relative.encode() + b"\0" + path.read_bytes())
        if relative not in ("sw.js", "index.html"):
            files.append("/" + relative)
    return Shell(version=digest.hexdigest()[:12], files=("/", *files))


def _no_cache(response: Response) -> Response:
    # The service worker holds the versioned copy; the browser should always revalidate.
    response.headers["Cache-Control"] = "no-cache"
    return response


def index():
    return _no_cache(send_from_directory(PWA_DIR, "index.html"))


for route in ROUTES:
    bp.get(route)(index)


@bp.get("/sw.js")
def service_worker():
    current = shell()
    source = (PWA_DIR / "sw.js").read_text(encoding="utf-8")
    source = source.replace("__APP_VERSION__", current.version)
    source = source.replace("__PRECACHE__", json.dumps(list(current.files)))
    source = source.replace("__ROUTES__", json.dumps(list(ROUTES)))
    response = Response(source, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    return _no_cache(response)


@bp.get("/app.css")
def stylesheet():
    return _no_cache(send_from_directory(PWA_DIR, "app.css"))


@bp.get("/manifest.webmanifest")
def manifest():
    response = send_from_directory(
        PWA_DIR, "manifest.webmanifest", mimetype="application/manifest+json"
    )
    return _no_cache(response)


# Only the asset folders: a catch-all would answer 405 to a POST to any unknown /api path.
@bp.get(f"/<any({', '.join(ASSET_FOLDERS)}):folder>/<path:name>")
def asset(folder: str, name: str):
    return _no_cache(send_from_directory(PWA_DIR / folder, name))
