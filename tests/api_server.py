"""A JSON API server on 127.0.0.1 whose answers a test scripts with a function of the request."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


@dataclass
class ApiRequest:
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]


Route = Callable[[ApiRequest], tuple[int, object]]


@dataclass
class ApiServer:
    route: Route
    seen: list[ApiRequest] = field(default_factory=list)

    def __enter__(self) -> str:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _answer(self, params: dict[str, str]) -> None:
                url = urlparse(self.path)
                params = {**{k: v[0] for k, v in parse_qs(url.query).items()}, **params}
                request = ApiRequest(self.command, url.path, params, {k.lower(): v for k, v in self.headers.items()})
                server.seen.append(request)
                status, payload = server.route(request)
                body = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                self._answer({})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                form = parse_qs(self.rfile.read(length).decode())
                self._answer({k: v[0] for k, v in form.items()})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
