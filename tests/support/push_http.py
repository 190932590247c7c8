"""The HTTP/1.1 side of the loopback push service: routing, body framing, closing connections."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol

# RFC 8030 §7.2: services need not take more; all the big ones answer 413 above it.
MAX_BODY = 4096


@dataclass(frozen=True)
class Reply:
    """The status, headers and reason (sent as the JSON body) that answer a push request."""

    status: int
    reason: str
    headers: dict[str, str] = field(default_factory=dict)


class PushHandler(Protocol):
    """What the server hands requests to; header names arrive in lower case."""

    def handle_push(self, subscription_id: str, headers: dict[str, str], body: bytes) -> Reply: ...

    def land(self, method: str, headers: dict[str, str], body: bytes) -> None: ...


class _Handler(BaseHTTPRequestHandler):
    """Routes `/push/<id>` to the service and records `/landed`; never redirects on its own."""

    # Keep-alive, so a benchmark measures pushes rather than TCP handshakes.
    protocol_version = "HTTP/1.1"
    # A reply's headers and body are written apart: with Nagle's algorithm the body would
    # wait for the client's delayed ACK, some 40 ms per kept-alive request.
    disable_nagle_algorithm = True
    server: LoopbackServer

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, add=True)

    def finish(self) -> None:
        super().finish()
        self.server.track(self.connection, add=False)

    def do_POST(self) -> None:
        body = self._body()
        if body is None:
            return
        if self.path == "/landed":
            self._landed(body)
        elif self.path.startswith("/push/"):
            subscription_id = self.path[len("/push/") :]
            reply = self.server.service.handle_push(subscription_id, self._headers(), body)
            self._send(reply.status, reply.headers, reply.reason)
        else:
            self._send(404, {}, "not found")

    def do_GET(self) -> None:
        if self.path == "/landed":
            self._landed(b"")
        else:
            self._send(405 if self.path.startswith("/push/") else 404, {}, "not here")

    def _headers(self) -> dict[str, str]:
        """The request headers with lower-case names, as HTTP treats them."""
        return {name.lower(): value for name, value in self.headers.items()}

    def _body(self) -> bytes | None:
        """The request body, or None once the request has been answered for its framing."""
        length = self.headers.get("Content-Length", "0").strip()
        # The connection closes after these replies: an unread body would be parsed as the
        # next request.
        if "chunked" in self.headers.get("Transfer-Encoding", "") or not length.isdigit():
            self.close_connection = True
            self._send(411, {}, "a Content-Length is required")
            return None
        if int(length) > 64 * MAX_BODY:
            self.close_connection = True
            self._send(413, {}, "body far too large")
            return None
        return self.rfile.read(int(length))

    def _landed(self, body: bytes) -> None:
        """Record a followed redirect and answer as if it were a push service accepting it."""
        self.server.service.land(self.command, self._headers(), body)
        self._send(201, {}, "landed")

    def _send(self, status: int, headers: dict[str, str], reason: str) -> None:
        """Answer with a small JSON error body, as autopush and FCM do."""
        body = json.dumps({"code": status, "message": reason}).encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet; tests read the service's records instead."""


class LoopbackServer(ThreadingHTTPServer):
    """The HTTP server, which remembers open connections so that stopping can close them."""

    daemon_threads = True
    # Not socketserver's 5: workers opening their connections at once would be reset.
    request_queue_size = 128

    def __init__(self, service: PushHandler) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.service = service
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def track(self, connection: socket.socket, add: bool) -> None:
        """Note a connection opening (add) or closing."""
        with self._connections_lock:
            (self._connections.add if add else self._connections.discard)(connection)

    def drop_connections(self) -> None:
        """Shut every open connection, which ends the handler threads waiting on them."""
        with self._connections_lock:
            for connection in self._connections:
                # OSError: the client has closed it already.
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
