"""Servers that start in milliseconds, for killing hundreds of times: each is a fork of one app.

Run as `python -m tests.chaos.zygote` with the server's environment (servers.server_env).
The app is made once (imports, config, protocols); each `spawn` line on standard input forks
a child that serves it with werkzeug's threaded server on a new loopback port, in a process
group of its own (so it can be killed whole), and answers `PID PORT`. `wait PID`
reaps a child (killed by the caller) and answers `exited PID`. End of input: every child
still running is killed, then the zygote exits.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
from contextlib import suppress

from werkzeug.serving import make_server

from server import create_app
from server.extensions import db

HOST = "127.0.0.1"


def serve(app, engines, listener: socket.socket) -> None:
    """In the child: drop the parent's connections, then serve until killed."""
    os.setpgid(0, 0)  # the parent does it too: whichever runs first, the group exists
    for engine in engines:
        engine.dispose(close=False)  # the parent's pooled connections are not ours to use
    port = listener.getsockname()[1]
    make_server(HOST, port, app, threaded=True, fd=listener.fileno()).serve_forever()


def main() -> None:
    app = create_app()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    with app.app_context():
        engines = list(db.engines.values())
    for engine in engines:
        engine.dispose()  # nothing open across a fork
    children: set[int] = set()
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "spawn":
            listener = socket.socket()
            listener.bind((HOST, 0))
            listener.listen(128)  # bound before the fork: clients can connect at once
            pid = os.fork()
            if pid == 0:
                try:
                    serve(app, engines, listener)
                finally:
                    os._exit(1)
            with suppress(PermissionError):  # EACCES if the child got there first
                os.setpgid(pid, pid)
            port = listener.getsockname()[1]
            listener.close()
            children.add(pid)
            print(pid, port, flush=True)
        elif command == "wait":
            pid = int(argument)
            os.waitpid(pid, 0)
            children.discard(pid)
            print("exited", pid, flush=True)
    for pid in children:
        with suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        with suppress(ChildProcessError):
            os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
