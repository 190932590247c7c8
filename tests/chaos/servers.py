"""The real server in subprocesses: a seeded database, gunicorn as the Procfile runs it, kills.

Every process is started in its own session (so its process group is its own to kill) and
is killed by group on the way out, whatever happened.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import secrets
import select
import signal
import socket
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from server import config

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def server_env(database_url: str) -> dict[str, str]:
    """The environment of a server on `database_url`, with nothing written to instance/."""
    env = {key: value for key, value in os.environ.items() if key not in config.VARIABLES}
    vapid_key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(32),
        VAPID_PRIVATE_KEY=vapid_key.decode(),
        LOG_LEVEL="WARNING",
        # Simulated phones sync weeks of taps in seconds, all from 127.0.0.1.
        RATE_LIMITS="off",
        PYTHONPATH=str(REPO),
    )
    env.pop("WEB_CONCURRENCY", None)
    return env


def seed(env: dict, clinics: int, clients: int, devices: int) -> list[dict]:
    """Migrate the database and add clients with enrollment codes (see seed.py)."""
    command = [sys.executable, "-m", "tests.chaos.seed", str(clinics), str(clients), str(devices)]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"seeding failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def request(port: int, method: str, path: str, body=None, token=None, timeout=60.0):
    """One HTTP request on a new connection; (status, parsed JSON or None). Raises OSError."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, None if body is None else json.dumps(body), headers)
        response = conn.getresponse()
        data = response.read()
    except http.client.HTTPException as error:  # a reply cut short is a lost reply
        raise ConnectionError(f"{type(error).__name__}: {error}") from error
    finally:
        conn.close()
    kind = response.getheader("Content-Type", "")
    return response.status, json.loads(data) if data and kind.startswith(
        "application/json"
    ) else None


def wait_ready(port: int, alive, seconds: float = 120.0) -> None:
    """Wait until /healthz answers on `port`; `alive()` False means the server died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError("the server exited at start-up; see its log")
        with suppress(OSError):
            if request(port, "GET", "/healthz", timeout=5)[0] == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer /healthz within {seconds:g} s")


def kill_group(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """Signal the process group `process` leads, then reap the leader."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class Gunicorn:
    """gunicorn as in the Procfile (`server:create_app()`, several workers) on loopback."""

    def __init__(self, env: dict, workers: int, log: Path) -> None:
        self.env, self.workers, self.log = env, workers, log
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start gunicorn and wait until a worker answers /healthz."""
        self._launch()
        wait_ready(self.port, lambda: self.process.poll() is None)

    def _launch(self) -> None:
        command = [sys.executable, "-m", "gunicorn", "--workers", str(self.workers)]
        command += ["--bind", f"{HOST}:{self.port}", "server:create_app()"]
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=self.env, stdout=out, stderr=out, start_new_session=True
            )

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        with suppress(OSError):
            return [int(pid) for pid in children.read_text().split()]
        return []

    def kill_worker(self, rng: random.Random) -> bool:
        """SIGKILL one worker at random (the master starts another); False if none was up."""
        pids = self.worker_pids()
        if not pids:
            return False
        try:
            os.kill(rng.choice(pids), signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True

    def restart(self) -> None:
        """SIGKILL the master and every worker at once, then start the server again.

        Waits only until the master has forked its workers (it listens before that): a
        /healthz probe would queue behind every phone's retry and can take minutes.
        """
        kill_group(self.process)
        self._launch()
        deadline = time.monotonic() + 120
        while not self.worker_pids():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start again; see {self.log}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            kill_group(self.process, signal.SIGTERM)

    def problems(self) -> list[str]:
        """Errors in the log, each with its traceback, other than the kills this run made."""
        lines = self.log.read_text().splitlines() if self.log.exists() else []
        found, block = [], None
        for line in lines:
            if block is not None and (line.startswith((" ", "Traceback")) or not line.strip()):
                block.append(line)
                continue
            if block is not None:  # the exception's own line ends its traceback
                found.append("\n".join([*block, line]))
                block = None
            elif ("[ERROR]" in line or " ERROR " in line) and "was sent SIGKILL" not in line:
                block = [line]
        return found + (["\n".join(block)] if block else [])

    def __enter__(self) -> Gunicorn:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


class Zygote:
    """Drives zygote.py: servers forked from one ready app, killed by process group."""

    def __init__(self, env: dict, log: Path) -> None:
        self.env, self.log = env, log
        self.alive: set[int] = set()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Zygote:
        command = [sys.executable, "-m", "tests.chaos.zygote"]
        with self.log.open("a") as err:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=err, text=True, start_new_session=True,
            )  # fmt: skip
        return self

    def _ask(self, line: str) -> list[str]:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        # One line per command, so nothing waits in the reader's buffer that select can't see.
        if not select.select([self.process.stdout], [], [], 120)[0]:
            raise RuntimeError(f"the zygote did not answer {line!r} within 120 s")
        answer = self.process.stdout.readline().split()
        if not answer:
            raise RuntimeError(f"the zygote exited; see {self.log}")
        return answer

    def spawn(self) -> tuple[int, int]:
        """Start a server; (its pid, which is also its process group, and its port)."""
        pid, port = map(int, self._ask("spawn"))
        self.alive.add(pid)
        return pid, port

    def kill(self, pid: int) -> None:
        """SIGKILL the server's whole process group and wait until it is gone."""
        with suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        self._ask(f"wait {pid}")
        self.alive.discard(pid)

    def __exit__(self, *_exc) -> None:
        for pid in self.alive:  # in groups of their own: killing the zygote's misses them
            with suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        with suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            kill_group(self.process)
        self.process.stdout.close()
