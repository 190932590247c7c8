"""The client app's weight: every shell file, raw and gzipped, against the 50 KB budget.

Usage: python bench/pwa.py [--lighthouse]
With --lighthouse and the `lighthouse` npm tool on PATH, also serves the app on loopback
with demo data and records Lighthouse's category scores for the Today screen (Debian's
Chromium via CHROME_PATH).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PWA = ROOT / "pwa"
BUDGET = 50 * 1024
SHELL_SUFFIXES = {".html", ".css", ".js", ".webmanifest"}


def sizes() -> list[tuple[str, int, int]]:
    rows = []
    for path in sorted(PWA.rglob("*")):
        if path.is_file() and path.suffix in SHELL_SUFFIXES:
            data = path.read_bytes()
            rows.append((path.relative_to(PWA).as_posix(), len(data), len(gzip.compress(data, 9))))
    return rows


def lighthouse() -> dict | None:
    tool = shutil.which("lighthouse")
    if tool is None:
        print("lighthouse is not installed (npm install -g lighthouse); scores skipped")
        return None
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "SECRET_KEY": "b" * 40,
            "PUBLIC_URL": "http://127.0.0.1:5077",
            "CHROME_PATH": "/usr/bin/chromium",
        }
        flask = [sys.executable, "-m", "flask", "--app", "server"]
        subprocess.run(
            [*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True
        )
        demo = json.loads(
            subprocess.run(
                [*flask, "demo", "--json"],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        server = subprocess.Popen(
            [*flask, "run", "-p", "5077"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(50):
                try:
                    urllib.request.urlopen("http://127.0.0.1:5077/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            report = Path(folder) / "report.json"
            flags = " ".join(
                [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ]
            )
            subprocess.run(
                [
                    tool,
                    demo["enroll_url"],
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
            categories = json.loads(report.read_text())["categories"]
            return {
                name: round(c["score"] * 100)
                for name, c in categories.items()
                if c["score"] is not None
            }
        finally:
            server.terminate()
            server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lighthouse", action="store_true")
    args = parser.parse_args()
    rows = sizes()
    print("| file | bytes | gzip bytes |\n|---|---:|---:|")
    for name, raw, packed in rows:
        print(f"| {name} | {raw} | {packed} |")
    total_raw, total_gz = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"| **total ({len(rows)} files)** | {total_raw} | {total_gz} |")
    verdict = "within" if total_gz <= BUDGET else "OVER"
    print(f"\nShell: {total_gz / 1024:.1f} KB gzipped, {verdict} the {BUDGET // 1024} KB budget.")
    if args.lighthouse:
        scores = lighthouse()
        if scores:
            print("Lighthouse (mobile):", ", ".join(f"{k} {v}" for k, v in scores.items()))


if __name__ == "__main__":
    main()
