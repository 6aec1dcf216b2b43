"""A stand-in for the Internet: the upstream proxy every allowed request is sent on to.

Tests that could let something through (a bypass attempt, an odd spelling,
a browser's own background requests) start Guardian with
`--upstream-proxy http://127.0.0.1:<port of FakeInternet>`: whatever Guardian
allows ends here, on loopback, is recorded and answered with a small page,
and nothing ever leaves the computer (not even a DNS query: in upstream
mode mitmproxy hands the name to this proxy instead of resolving it).
A CONNECT is recorded and refused, so no tunnel is ever opened.

`FakeInternet.requests` is then the exact list of what the filter let out.
"""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass

OUTSIDE_PAGE = b"<!doctype html><html><body><h1>outside page</h1></body></html>"
MAX_HEAD = 256 * 1024


@dataclass(frozen=True)
class OutgoingRequest:
    method: str
    target: str
    host: str


class FakeInternet:
    def __init__(self) -> None:
        self.requests: list[OutgoingRequest] = []
        self.lock = threading.Lock()
        internet = self

        class Handler(socketserver.StreamRequestHandler):
            disable_nagle_algorithm = True

            def handle(self) -> None:
                while internet._serve_one(self):
                    pass

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _serve_one(self, handler: socketserver.StreamRequestHandler) -> bool:
        lines = []
        size = 0
        while True:
            line = handler.rfile.readline(MAX_HEAD)
            if not line:
                return False
            size += len(line)
            if line in (b"\r\n", b"\n") or size > MAX_HEAD:
                break
            lines.append(line.decode("latin-1").rstrip("\r\n"))
        if not lines:
            return False
        method, _, rest = lines[0].partition(" ")
        target = rest.rpartition(" ")[0] or rest
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        with self.lock:
            self.requests.append(OutgoingRequest(method, target, headers.get("host", "")))
        if method == "CONNECT":
            handler.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n"
                                b"Connection: close\r\n\r\n")
            return False
        length = int(headers.get("content-length", "0") or 0)
        if length:
            handler.rfile.read(length)
        handler.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
            + str(len(OUTSIDE_PAGE)).encode() + b"\r\n\r\n" + OUTSIDE_PAGE)
        return True

    def seen(self) -> list[OutgoingRequest]:
        with self.lock:
            return list(self.requests)

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()

    def __enter__(self) -> FakeInternet:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
