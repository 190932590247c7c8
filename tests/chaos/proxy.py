"""A loopback HTTP proxy between the devices and the server that injects network faults.

Each request is forwarded, or with probability `fault_rate` suffers one fault, picked evenly:

- drop_request: the server never sees it; the device's connection closes without a reply.
- drop_reply: the server handles it (and commits), the device's connection closes unanswered.
- duplicate: sent to the server twice at once; the device gets one of the replies.
- delay: held back for up to a second, then forwarded; the device waits for its reply.
- reorder: the device sees a failure at once; the request reaches the server up to 2 s later,
  typically after the device's retry and later syncs, and its reply goes nowhere.

Faults can be switched off (`faults_on = False`) for the final flush; `drain()` waits for the
reordered requests still on their way.
"""

from __future__ import annotations

import http.client
import random
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .servers import HOST

KINDS = ("drop_request", "drop_reply", "duplicate", "delay", "reorder")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


class FaultyProxy:
    def __init__(self, upstream_port: int, fault_rate: float, seed: int) -> None:
        self.upstream_port = upstream_port
        self.fault_rate = fault_rate
        self.faults_on = True
        self.faults: Counter[str] = Counter({kind: 0 for kind in KINDS})
        self.requests = 0
        self.cut = 0  # forwarded requests the server never answered (killed or down)
        self.gave_up = 0  # replies that came after the phone had stopped waiting
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._late: list[threading.Thread] = []
        self.errors: list[str] = []  # the proxy's own failures, e.g. a device that hung up
        self._http = _Server((HOST, 0), _Handler)
        self._http.proxy = self
        self.port = self._http.server_address[1]
        self._serving = threading.Thread(target=self._http.serve_forever, name="proxy")

    def __enter__(self) -> FaultyProxy:
        self._serving.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._http.shutdown()
        self._serving.join()
        self.drain()
        self._http.server_close()

    def drain(self) -> None:
        """Wait until every reordered request has reached the server (or failed to)."""
        while True:
            with self._lock:
                late, self._late = self._late, []
            if not late:
                return
            for thread in late:
                thread.join()

    def handle(self, exchange: _Handler) -> None:
        length = int(exchange.headers.get("Content-Length") or 0)
        body = exchange.rfile.read(length) if length else None
        headers = {
            name: value
            for name, value in exchange.headers.items()
            if name.lower() in ("authorization", "content-type", "if-none-match")
        }
        request = (exchange.command, exchange.path, body, headers)
        kind, pause = self._pick()
        if kind == "drop_request":
            return
        if kind == "reorder":
            self._deliver_late(request, pause)
            return
        if kind == "delay":
            time.sleep(pause)
        reply = self._forward_twice(request) if kind == "duplicate" else self._forward(request)
        if reply is None or kind == "drop_reply":
            return
        status, reply_headers, data = reply
        try:
            exchange.send_response(status)
            for name, value in reply_headers:
                if name.lower() not in HOP_BY_HOP:
                    exchange.send_header(name, value)
            exchange.send_header("Content-Length", str(len(data)))
            exchange.send_header("Connection", "close")
            exchange.end_headers()
            exchange.wfile.write(data)
        except OSError:  # the phone gave up waiting: to it, a lost reply like any other
            with self._lock:
                self.gave_up += 1

    def _pick(self) -> tuple[str | None, float]:
        with self._lock:
            self.requests += 1
            if not self.faults_on or self._rng.random() >= self.fault_rate:
                return None, 0.0
            kind = self._rng.choice(KINDS)
            self.faults[kind] += 1
            return kind, self._rng.uniform(0.05, 1.0 if kind == "delay" else 2.0)

    def _forward(self, request) -> tuple[int, list, bytes] | None:
        method, path, body, headers = request
        conn = http.client.HTTPConnection(HOST, self.upstream_port, timeout=120)
        try:
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        except (OSError, http.client.HTTPException):
            with self._lock:
                self.cut += 1
            return None
        finally:
            conn.close()

    def _forward_twice(self, request) -> tuple[int, list, bytes] | None:
        replies = [None, None]

        def send(index):
            replies[index] = self._forward(request)

        copies = [threading.Thread(target=send, args=(i,)) for i in range(2)]
        for copy in copies:
            copy.start()
        for copy in copies:
            copy.join()
        return replies[0] or replies[1]

    def _deliver_late(self, request, pause: float) -> None:
        def deliver():
            time.sleep(pause)
            self._forward(request)

        thread = threading.Thread(target=deliver, name="late request")
        with self._lock:
            self._late.append(thread)
        thread.start()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, _request, _client_address) -> None:
        error = sys.exc_info()[1]
        with self.proxy._lock:
            self.proxy.errors.append(f"{type(error).__name__}: {error}")


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.proxy.handle(self)

    do_POST = do_PUT = do_DELETE = do_GET

    def log_message(self, *_args) -> None:  # one line per request is only noise here
        pass
