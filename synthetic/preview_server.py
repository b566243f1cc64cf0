"""A local web server shaped like Telegram's channel preview, for the offline demo and the tests.

Serves ``/s/<channel>`` (newest 20 posts) and ``/s/<channel>?before=<id>``; a channel without a public
preview redirects to ``/<channel>`` as t.me does. Faults can be scheduled per path (a 429 with
``Retry-After``, a 500, a truncated body) to exercise the crawler's retries. Binds to 127.0.0.1 only.
"""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from qatysu.synthetic.telegram_render import RenderedPost, render_channel_page

PAGE_SIZE = 20


@dataclass
class Channel:
    handle: str
    posts: list[RenderedPost]
    title: str | None = None
    description: str | None = None
    subscribers: int | None = None
    public_preview: bool = True
    # the name in data-post, when the channel was renamed after being registered under ``handle``
    current_name: str | None = None


@dataclass
class Fault:
    """A response served instead of the page: ``status`` (with ``retry_after``), a ``truncate`` body, or the page
    with ``replace`` = (old, new) applied to its HTML (a message real pages sometimes carry, such as an empty date)."""

    status: int = 200
    retry_after: str | None = None
    truncate: bool = False
    replace: tuple[str, str] | None = None


@dataclass
class PreviewSite:
    channels: dict[str, Channel]
    faults: dict[str, deque[Fault]] = field(default_factory=lambda: defaultdict(deque))
    requests: list[str] = field(default_factory=list)
    # discussion widget pages (``/<channel>/<id>?embed=1&discussion=1``) by "<channel>/<id>"
    discussions: dict[str, str] = field(default_factory=dict)

    def schedule(self, path: str, faults: Iterable[Fault]) -> None:
        self.faults[path].extend(faults)

    def page(self, handle: str, before: int | None) -> str:
        channel = self.channels[handle]
        posts = sorted(channel.posts, key=lambda p: p.post_id)
        if before is not None:
            posts = [p for p in posts if p.post_id < before]
        shown = posts[-PAGE_SIZE:]
        older = shown[0].post_id if shown and len(posts) > len(shown) else None
        return render_channel_page(
            channel.current_name or handle, shown, title=channel.title, description=channel.description,
            subscribers=channel.subscribers, before=older,
        )


def _handler(site: PreviewSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test and demo output quiet
            pass

        def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            url = urlparse(self.path)
            site.requests.append(self.path)
            if url.path == "/robots.txt":
                return self._send(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"})
            parts = [p for p in url.path.split("/") if p]
            if len(parts) == 2 and "discussion=1" in url.query and "/".join(parts) in site.discussions:
                body = site.discussions["/".join(parts)].encode()
                return self._send(200, body, {"Content-Type": "text/html; charset=utf-8"})
            if len(parts) == 1 and parts[0] in site.channels:
                return self._send(200, b"<html><body>Preview unavailable</body></html>", {"Content-Type": "text/html"})
            if len(parts) != 2 or parts[0] != "s" or parts[1] not in site.channels:
                return self._send(404, b"not found")
            handle = parts[1]
            if not site.channels[handle].public_preview:
                return self._send(302, b"", {"Location": f"/{handle}"})
            fault = site.faults[self.path].popleft() if site.faults.get(self.path) else None
            if fault and fault.status != 200:
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                return self._send(fault.status, b"try later", headers)
            before = parse_qs(url.query).get("before", [None])[0]
            body = site.page(handle, int(before) if before else None).encode()
            if fault and fault.truncate:
                body = body[: len(body) // 2]
            if fault and fault.replace:
                body = body.replace(*(s.encode() for s in fault.replace))
            self._send(200, body, {"Content-Type": "text/html; charset=utf-8"})

    return Handler


class PreviewServer:
    """Serves a :class:`PreviewSite` on 127.0.0.1 in a background thread (``with PreviewServer(site) as url:``)."""

    def __init__(self, site: PreviewSite, port: int = 0):
        self.site = site
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(site))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> str:
        self.thread.start()
        return self.url

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
