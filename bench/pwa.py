"""The client app's weight: its files, and what a phone downloads on a first and a repeat visit.

Usage: python bench/pwa.py [--visits] [--lighthouse] [--root DIR]
Always: the shell as the server sends it (the page, the stylesheet, the modules, the catalogs
and the manifest the worker precaches, and sw.js), each answer's body as gzip and as brotli; then
the shell a phone gets in each language the app speaks (the files above, of the catalogs those
the measured tree's worker keeps for that language: its sw/shell.js neededFiles), and the
largest of those against the 50 KB budget (gzip, the bigger); and, for information, every
source file of pwa/ raw and gzipped. With
--visits, serves the app with gunicorn on loopback with demo data, opens the demo client's
enrollment link in Debian's Chromium (Playwright) and counts, from gunicorn's access log, the
requests and the body bytes sent on the first visit (until the service worker is active) and on
a repeat visit online (a reload, the worker in charge). With --lighthouse, also Lighthouse's
mobile scores and CLS on the Today screen of a phone already enrolled (the budgets' case) and on
the Today screen another demo client's link lands on (a first visit). --root measures another
checkout of the app (an older commit) with this script's budgets, for before-and-after figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHELL_SUFFIXES = {".html", ".css", ".js", ".webmanifest"}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [  # as tests/browser/conftest.py
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The budgets, each checked where it is measured.
SHELL_GZIP_BYTES = 50 * 1024
FIRST_VISIT_REQUESTS = 60  # the page, its script, the stylesheet, the worker, a catalog, the API...
FIRST_VISIT_BYTES = 80 * 1024  # bodies as sent: the shell compressed, the plan, the icons
REPEAT_VISIT_REQUESTS = 5  # the worker's update check and the app's sync
LIGHTHOUSE_PERFORMANCE = 98
LIGHTHOUSE_CLS = 0.0
# The access log: the body's length as gunicorn counted it and as the Content-Length said (a
# file sent with sendfile() is counted by the latter only).
ACCESS_FORMAT = '"%(m)s %(U)s %(H)s" %(s)s %(b)s %({content-length}o)s'
ACCESS_LINE = re.compile(
    r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) (?P<sent>\S+) (?P<length>\S+)'
)
SETTLED = 2.5  # seconds without a new request: the visit is over
# Run in the measured checkout (--root): each shell URL's body as served, plain, gzip, brotli.
AS_SERVED = """
import json
from server import create_app
from server.phone.app_shell import shell
client = create_app().test_client()
entries = [e for e in shell().precache if not e["url"].startswith("/icons/")]
rows = []
for entry in [*entries, {"url": "/sw.js"}]:
    url, sizes = entry["url"], []
    for encoding in ("identity", "gzip", "br"):
        with client.get(url, headers={"Accept-Encoding": encoding}) as answer:
            assert answer.status_code == 200, url
            sizes.append(len(answer.get_data()))
    rows.append([url.partition("?")[0], *sizes, entry.get("language")])
print(json.dumps(rows))
"""
# Run with node in the measured checkout: the shell files its worker keeps for a phone in a
# language (an older worker without neededFiles keeps them all).
NEEDED = """
const [shell, files, language] = process.argv.slice(1);
const { neededFiles = (all) => all } = await import(shell);
console.log(JSON.stringify(neededFiles(JSON.parse(files), [language]).map((f) => f.url)));
"""


def sizes(pwa: Path) -> list[tuple[str, int, int]]:
    rows = []
    for path in sorted(pwa.rglob("*")):
        if path.is_file() and path.suffix in SHELL_SUFFIXES:
            data = path.read_bytes()
            rows.append((path.relative_to(pwa).as_posix(), len(data), len(gzip.compress(data, 9))))
    return rows


def as_served(root: Path) -> list[tuple[str, int, int, int, str | None]]:
    """(URL path, plain, gzip, brotli body bytes, a catalog's language) of each shell file."""
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "SECRET_KEY": "b" * 40,
            "PYTHONPATH": str(root),
        }
        result = subprocess.run(
            [sys.executable, "-c", AS_SERVED],
            env=env,
            cwd=root,
            check=True,
            capture_output=True,
            text=True,
        )
    return [tuple(row) for row in json.loads(result.stdout.splitlines()[-1])]


def per_language(root: Path, served: list[tuple]) -> dict[str, list[int]]:
    """For each language the app speaks (or "all", before it spoke more than one): the total
    (plain, gzip, brotli) body bytes of the shell a phone in that language gets."""
    files = [{"url": row[0], **({"language": row[4]} if row[4] else {})} for row in served]
    languages = sorted({row[4] for row in served if row[4]}) or ["all"]
    shell_module = (root / "pwa" / "js" / "sw" / "shell.js").as_uri()
    totals = {}
    for language in languages:
        result = subprocess.run(
            [
                "node",
                "--input-type=module",
                "-e",
                NEEDED,
                shell_module,
                json.dumps(files),
                language,
            ],
            cwd=root,
            check=True,
            capture_output=True,
            text=True,
        )
        needed = set(json.loads(result.stdout)) | {"/sw.js"}  # the worker, outside its own list
        rows = [row for row in served if row[0] in needed]
        totals[language] = [sum(row[i] for row in rows) for i in (1, 2, 3)] + [len(rows)]
    return totals


def verdict(name: str, figure: float, limit: float, at_least: bool = False) -> bool:
    ok = figure >= limit if at_least else figure <= limit
    sign = ">=" if at_least else "<="
    print(f"  {'PASS' if ok else 'FAIL'}  {name}: {figure:g} (budget {sign} {limit:g})")
    return ok


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served_app(root: Path):
    """gunicorn serving `root`'s app with demo data; yields (env, base URL, access log path)."""
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "SECRET_KEY": "b" * 40,
            "PUBLIC_URL": url,
            "CHROME_PATH": CHROMIUM,
            "PYTHONPATH": str(root),
        }
        flask = [sys.executable, "-m", "flask", "--app", "server"]
        subprocess.run(
            [*flask, "db", "upgrade"], env=env, cwd=root, check=True, capture_output=True
        )
        log = Path(folder) / "access.log"
        gunicorn = [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", url[7:]]
        gunicorn += ["--access-logformat", ACCESS_FORMAT]
        with log.open("w") as out:
            server = subprocess.Popen(
                [*gunicorn, "server:create_app()"], env=env, cwd=root, stdout=out, stderr=out
            )
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{url}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            yield env, url, log, flask
        finally:
            server.terminate()
            server.wait(timeout=20)


def demo_link(env: dict, root: Path, flask: list[str]) -> str:
    result = subprocess.run(
        [*flask, "demo", "--json"], env=env, cwd=root, check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout)["enroll_url"]


def requests_since(log: Path, start: int) -> list[tuple[str, int, int]]:
    """(path, status, body bytes) of each GET/POST logged after byte `start` of the log."""
    with log.open() as lines:
        lines.seek(start)
        found = [ACCESS_LINE.search(line) for line in lines]
    return [(m["path"], int(m["status"]), body_bytes(m)) for m in found if m]


def body_bytes(line: re.Match) -> int:
    return max(0 if line[name] == "-" else int(line[name]) for name in ("sent", "length"))


def settle(log: Path, start: int) -> list[tuple[str, int, int]]:
    """The requests since `start` once none has come for SETTLED seconds."""
    seen, quiet_since = -1, time.monotonic()
    while True:
        found = requests_since(log, start)
        if len(found) != seen:
            seen, quiet_since = len(found), time.monotonic()
        elif time.monotonic() - quiet_since >= SETTLED:
            return found
        time.sleep(0.1)


def visits(env: dict, url: str, log: Path, root: Path, flask: list[str]) -> dict:
    from playwright.sync_api import sync_playwright

    link = demo_link(env, root, flask)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(service_workers="allow", locale="en-GB")
        page = context.new_page()
        start = log.stat().st_size
        page.goto(link)
        page.get_by_role("heading", level=1, name="Today").wait_for(timeout=30000)
        page.wait_for_function(
            "async () => (await navigator.serviceWorker.ready).active.state === 'activated'"
            " && navigator.serviceWorker.controller !== null",
            timeout=30000,
        )
        first = settle(log, start)
        start = log.stat().st_size
        page.reload()
        page.get_by_role("heading", level=1, name="Today").wait_for(timeout=30000)
        repeat = settle(log, start)
        browser.close()
    downloads = Counter(path for path, status, _ in first if status == 200)
    return {
        "first_requests": len(first),
        "first_bytes": sum(size for *_, size in first),
        "first_twice": sorted(path for path, count in downloads.items() if count > 1),
        "repeat_requests": len(repeat),
        "repeat_paths": [f"{path} {status}" for path, status, _ in repeat],
    }


def lighthouse(env: dict, root: Path, flask: list[str], keep: Path | None) -> dict | None:
    tool = shutil.which("lighthouse")
    if tool is None:
        print("lighthouse is not installed (npm install -g lighthouse); scores skipped")
        return None
    link = demo_link(env, root, flask)  # a fresh client: the link enrolls, then shows Today
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
        subprocess.run(
            [
                tool,
                link,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                f"--chrome-flags={flags}",
                "--form-factor=mobile",
                "--screenEmulation.mobile",
                "--only-categories=performance,accessibility,best-practices",
            ],
            env=env,
            check=True,
            timeout=300,
        )
        result = json.loads(report.read_text())
        if keep:
            shutil.copy(report, keep)
    return _scores(result)


def lighthouse_enrolled(url: str, env: dict, root: Path, flask: list[str], keep: Path | None):
    """Lighthouse on the Today screen of a phone that is already enrolled: a returning visit,
    the app's everyday case. Chromium runs with a profile of its own and a debugging port; the
    demo link is opened there first (Playwright over CDP), and Lighthouse then loads the app in
    the same browser without resetting its storage, so the plan, the service worker and its
    precache are what a client's phone has."""
    from playwright.sync_api import expect, sync_playwright

    tool = shutil.which("lighthouse")
    if tool is None:
        print("lighthouse is not installed (npm install -g lighthouse); scores skipped")
        return None
    link = demo_link(env, root, flask)
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        chromium = subprocess.Popen(
            [
                CHROMIUM,
                "--headless=new",
                *CHROMIUM_ARGS,
                f"--remote-debugging-port={port}",
                f"--user-data-dir={folder}/profile",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            with sync_playwright() as playwright:
                for _ in range(100):
                    try:
                        browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
                        break
                    except Exception:  # not listening yet
                        time.sleep(0.2)
                page = browser.contexts[0].new_page()
                page.goto(link)
                expect(page.get_by_role("status")).to_have_text("Up to date", timeout=30000)
                page.wait_for_function("() => navigator.serviceWorker.controller !== null")
                page.close()
            report = Path(folder) / "report.json"
            subprocess.run(
                [
                    tool,
                    f"{url}/",
                    f"--port={port}",
                    "--disable-storage-reset",
                    "--quiet",
                    "--output=json",
                    f"--output-path={report}",
                    "--form-factor=mobile",
                    "--screenEmulation.mobile",
                    "--only-categories=performance,accessibility,best-practices",
                ],
                env=env,
                check=True,
                timeout=300,
            )
            result = json.loads(report.read_text())
            if keep:
                shutil.copy(report, keep)
        finally:
            chromium.terminate()
            chromium.wait(timeout=20)
    return _scores(result)


def _scores(result: dict) -> dict:
    scores = {
        name: round(category["score"] * 100)
        for name, category in result["categories"].items()
        if category["score"] is not None
    }
    scores["cls"] = round(result["audits"]["cumulative-layout-shift"]["numericValue"], 3)
    scores["final_url"] = result.get("finalDisplayedUrl") or result.get("finalUrl")
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visits", action="store_true")
    parser.add_argument("--lighthouse", action="store_true")
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--report", type=Path, help="Keep Lighthouse's JSON report here.")
    args = parser.parse_args()
    root = args.root.resolve()
    rows = sizes(root / "pwa")
    print("Source files (information):\n| file | bytes | gzip bytes |\n|---|---:|---:|")
    for name, raw, packed in rows:
        print(f"| {name} | {raw} | {packed} |")
    total_raw, total_gz = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"| **total ({len(rows)} files)** | {total_raw} | {total_gz} |\n")
    served = as_served(root)
    print("As served:\n| URL | bytes | gzip bytes | brotli bytes |\n|---|---:|---:|---:|")
    for row in served:
        print("| {} | {} | {} | {} |".format(*row[:4]))
    totals = [sum(row[i] for row in served) for i in (1, 2, 3)]
    print("| **total ({} answers)** | {} | {} | {} |\n".format(len(served), *totals))
    # The budget is for what one phone gets: its language's shell, the largest of them.
    shells = per_language(root, served)
    print("The shell a phone gets, by its language:")
    print("| language | answers | bytes | gzip bytes | brotli bytes |\n|---|---:|---:|---:|---:|")
    for language, (raw, packed, brotli, count) in shells.items():
        print(f"| {language} | {count} | {raw} | {packed} | {brotli} |")
    largest = max(shells, key=lambda language: shells[language][1])
    passed = [
        verdict(
            f"shell as served, largest language ({largest}), gzip bytes",
            shells[largest][1],
            SHELL_GZIP_BYTES,
        )
    ]
    if args.visits or args.lighthouse:
        with served_app(root) as (env, url, log, flask):
            if args.visits:
                figures = visits(env, url, log, root, flask)
                print(
                    f"First visit: {figures['first_requests']} requests, "
                    f"{figures['first_bytes']} body bytes; bodies sent twice: "
                    f"{len(figures['first_twice'])} {figures['first_twice']}"
                )
                print(
                    f"Repeat visit: {figures['repeat_requests']} requests: "
                    f"{', '.join(figures['repeat_paths'])}"
                )
                passed += [
                    verdict(
                        "first visit requests", figures["first_requests"], FIRST_VISIT_REQUESTS
                    ),
                    verdict("first visit body bytes", figures["first_bytes"], FIRST_VISIT_BYTES),
                    verdict("files sent twice", len(figures["first_twice"]), 0),
                    verdict(
                        "repeat visit requests", figures["repeat_requests"], REPEAT_VISIT_REQUESTS
                    ),
                ]
            if args.lighthouse:
                runs = {
                    "enrolled Today (a returning visit)": lighthouse_enrolled(
                        url, env, root, flask, args.report
                    ),
                    "enrollment link (a first visit)": lighthouse(env, root, flask, None),
                }
                for name, scores in runs.items():
                    if scores is None:
                        continue
                    print(f"Lighthouse (mobile), {name}:")
                    print("  " + ", ".join(f"{k} {v}" for k, v in scores.items()))
                # The budgets are for the enrolled Today screen, the everyday visit.
                if scores := runs["enrolled Today (a returning visit)"]:
                    passed += [
                        verdict(
                            "Lighthouse performance, enrolled Today",
                            scores["performance"],
                            LIGHTHOUSE_PERFORMANCE,
                            at_least=True,
                        ),
                        verdict("Lighthouse CLS, enrolled Today", scores["cls"], LIGHTHOUSE_CLS),
                    ]
    print(f"\n{sum(passed)} of {len(passed)} budgets met.")


if __name__ == "__main__":
    main()
