"""A local mirror of the news sites for tests and demos: a threaded HTTP server on 127.0.0.1 serving
``tests/fixtures/sites/<host>/<path>`` at ``<base>/<host>/<path>`` for every edition host of every
registered source, plus generated articles and test hooks for bad input. Point a crawl at it with
``NEWS_MIRROR_URL=<base>``.

    python -m testkit.mirror --port 8088 --synthetic 250

Test hooks (under any host, registered or not, e.g. ``https://baoquocte.vn/__mirror__/status/410/x-1.html``):
    __mirror__/status/<code>/...         that HTTP status
    __mirror__/slow/<seconds>/...        waits, then serves a small article (for timeouts)
    __mirror__/huge/<megabytes>/...      an article page of that size (for the size cap)
    __mirror__/stream/<megabytes>/...    the same without Content-Length
    __mirror__/charset/<name>/<path>     the fixture <path> declared as charset <name> in the HTTP header
                                         (``none``: no charset anywhere)
    __mirror__/redirect/<path>           301 to the fixture <path>
    __mirror__/consent/<path>            302 to a cookie-consent / login page (200, no article)
    __mirror__/page/<name>/...           the page registered as <name> (``serve_mirror(pages=...)``):
                                         any status, headers and bytes ("{mirror}" in a header value
                                         becomes the mirror's base URL)

``MirrorServer.down`` (an Event): while set, every connection is dropped without an answer, as when
the site goes down mid-crawl.
"""

from __future__ import annotations

import argparse
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from spiders.registry import all_hosts
from spiders.source import ArticleContent, Source

from . import synthetic_pages
from .fixtures import SITES

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".vnp": "text/html; charset=utf-8",
    ".amp": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/rss+xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
HOOK_PREFIX = "__mirror__/"
_META_CHARSET = re.compile(rb"<meta charset=\"utf-8\">", re.IGNORECASE)
_HUGE_PARAGRAPH = (
    "<p>" + "Đoạn văn rất dài được lặp lại để kiểm tra giới hạn kích thước trang. " * 20 + "</p>\n"
).encode()


@dataclass(frozen=True, slots=True)
class MirrorPage:
    """A response served as is under ``__mirror__/page/<name>/``: bad input for tests and campaigns."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()


class MirrorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        port: int,
        synthetic_articles: int,
        access_log: list[str] | None,
        pages: dict[str, MirrorPage] | None = None,
    ):
        super().__init__(("127.0.0.1", port), MirrorHandler)
        self.access_log = access_log
        self.pages = pages or {}
        self.down = threading.Event()
        self.hosts = frozenset(all_hosts())
        now = datetime.now(UTC)
        self.synthetic: dict[str, tuple[Source, list[ArticleContent]]] = {}
        for source in synthetic_pages.synthetic_sources() if synthetic_articles else ():
            articles = synthetic_pages.generate(synthetic_articles, now, source=source)
            self.synthetic[source.editions[0].host] = (source, articles)
        self.synthetic_by_path = {
            (host, synthetic_pages.path_of(article)): article
            for host, (_, articles) in self.synthetic.items()
            for article in articles
        }

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class MirrorHandler(BaseHTTPRequestHandler):
    server: MirrorServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        host, _, path = parts.path.lstrip("/").partition("/")
        if self.server.access_log is not None:
            self.server.access_log.append(f"{host}/{path}" + (f"?{parts.query}" if parts.query else ""))
        if self.server.down.is_set():
            self.close_connection = True
            return
        try:
            if path.startswith(HOOK_PREFIX):
                self.serve_hook(host, path[len(HOOK_PREFIX) :])
            else:
                self.serve_site(host, path)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def serve_site(self, host: str, path: str) -> None:
        if host not in self.server.hosts:
            self.send_body(HTTPStatus.NOT_FOUND, b"<html><body>host not served by the mirror</body></html>")
            return
        if host in self.server.synthetic and self.serve_synthetic(host, path):
            return
        file = find_site_file(host, path)
        if file is None:
            self.send_body(HTTPStatus.NOT_FOUND, b"<html><body><h1>404 Not Found</h1></body></html>")
            return
        body = file.read_bytes()
        if host in self.server.synthetic:
            source, articles = self.server.synthetic[host]
            feeds = {feed.strip("/") for feed in source.editions[0].feeds}
            if path.strip("/") in feeds:
                items = synthetic_pages.rss_items(articles).encode()
                body = re.sub(rb"(\s*)</channel>", lambda m: b"\n" + items + m.group(0), body, count=1)
        self.send_body(HTTPStatus.OK, body, CONTENT_TYPES.get(file.suffix, "application/octet-stream"))

    def serve_synthetic(self, host: str, path: str) -> bool:
        source, articles = self.server.synthetic[host]
        category = synthetic_pages.SYNTHETIC_CATEGORY
        article = self.server.synthetic_by_path.get((host, path))
        if article is not None:
            page = synthetic_pages.article_page(source, article)
            self.send_body(HTTPStatus.OK, page.encode(), CONTENT_TYPES[".html"])
            return True
        feed_path = source.listing.feed_path.format(category=category).lstrip("/")
        if source.listing.feed_path and path.rstrip("/") == feed_path.rstrip("/"):
            self.send_body(
                HTTPStatus.OK, synthetic_pages.rss_feed(source, articles).encode(), CONTENT_TYPES[".xml"]
            )
            return True
        for page_number in range(1, synthetic_pages.listing_pages(articles) + 1):
            if path.rstrip("/") == synthetic_pages.listing_path(source, page_number).rstrip("/"):
                listing = synthetic_pages.listing_page(source, articles, page_number)
                if listing is None:
                    return False
                self.send_body(HTTPStatus.OK, listing.encode(), CONTENT_TYPES[".html"])
                return True
        return False

    def serve_hook(self, host: str, hook: str) -> None:
        name, _, rest = hook.partition("/")
        argument, _, target = rest.partition("/")
        if name == "status" and argument.isdigit():
            status = int(argument)
            self.send_body(status, f"<html><body><h1>{status}</h1></body></html>".encode())
        elif name == "slow":
            time.sleep(float(argument))
            self.send_body(HTTPStatus.OK, _small_article(f"Bài viết chậm {argument} giây").encode())
        elif name in ("huge", "stream"):
            self.send_huge(int(float(argument) * 1024 * 1024), declare_length=name == "huge")
        elif name == "charset" and (file := find_site_file(host, target)) is not None:
            body = file.read_bytes()
            if argument == "none":
                self.send_body(HTTPStatus.OK, _META_CHARSET.sub(b"", body), "text/html")
            else:
                self.send_body(HTTPStatus.OK, body, f"text/html; charset={argument}")
        elif name == "consent":
            self.send_response(HTTPStatus.FOUND)
            location = f"{self.server.base_url}/{host}/{HOOK_PREFIX}consent-page/?continue={rest}"
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif name == "consent-page":
            self.send_body(HTTPStatus.OK, _CONSENT_PAGE.encode())
        elif name == "page" and argument in self.server.pages:
            page = self.server.pages[argument]
            self.send_response(page.status)
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(page.body)))
            for header, value in page.headers:
                self.send_header(header, value.replace("{mirror}", self.server.base_url))
            self.end_headers()
            self.wfile.write(page.body)
        elif name == "redirect":
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", f"{self.server.base_url}/{host}/{rest}")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_body(HTTPStatus.NOT_FOUND, b"<html><body>unknown mirror hook</body></html>")

    def send_body(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_huge(self, size: int, declare_length: bool) -> None:
        """A page of ``size`` bytes, with its length announced up front or (``stream``) only known when
        the server closes the connection, as many dynamic sites send pages."""
        head = _small_article("Trang rất lớn").split("</p>", 1)[0].encode() + b"</p>\n"
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if declare_length:
            self.send_header("Content-Length", str(size))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(head)
        sent = len(head)
        while sent < size:
            chunk = _HUGE_PARAGRAPH[: size - sent]
            self.wfile.write(chunk)
            sent += len(chunk)


def find_site_file(host: str, path: str) -> Path | None:
    """The fixture file for ``<host>/<path>``: directories serve ``index.html`` or ``index.xml``, and an
    extensionless path may name ``<path>.xml`` (category RSS feeds)."""
    if not re.fullmatch(r"[a-z0-9.-]+", host):
        return None
    root = (SITES / host).resolve()
    path = path.split("?", 1)[0]
    if path == "" or path.endswith("/"):
        candidates = [path + "index.html", path + "index.xml"]
    else:
        candidates = [path, path + "/index.html", path + "/index.xml", path + ".xml", path + ".html"]
    for candidate in candidates:
        file = (root / candidate).resolve()
        if file.is_file() and file.is_relative_to(root):
            return file
    return None


_CONSENT_PAGE = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Đăng nhập</title></head>
<body><form action="/consent" method="post"><h1>Chúng tôi tôn trọng quyền riêng tư của bạn</h1>
<p>Trang web sử dụng cookie. Vui lòng chấp nhận hoặc đăng nhập để tiếp tục đọc bài viết.</p>
<button>Chấp nhận</button></form></body></html>"""


def _small_article(title: str) -> str:
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head><body>
<h1 class="article-detail-title">{title}</h1><div class="article-date">26/11/2026 10:00</div>
<div class="__MASTERCMS_CONTENT"><p>{title}: nội dung thử nghiệm của máy chủ gương.</p></div></body></html>"""


@contextmanager
def serve_mirror(
    port: int = 0,
    synthetic_articles: int = 0,
    access_log: list[str] | None = None,
    pages: dict[str, MirrorPage] | None = None,
) -> Iterator[str]:
    """Run the mirror in a background thread; yields its base URL (``http://127.0.0.1:<port>``). Every
    requested ``<host>/<path>`` is appended to ``access_log`` when one is given."""
    with running_mirror(port, synthetic_articles, access_log, pages) as server:
        yield server.base_url


@contextmanager
def running_mirror(
    port: int = 0,
    synthetic_articles: int = 0,
    access_log: list[str] | None = None,
    pages: dict[str, MirrorPage] | None = None,
) -> Iterator[MirrorServer]:
    """``serve_mirror``, yielding the server itself (to take it down with ``server.down.set()``)."""
    server = MirrorServer(port, synthetic_articles, access_log, pages)
    thread = threading.Thread(target=server.serve_forever, name="news-mirror", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the recorded news sites on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8088, help="TCP port (0 picks a free one); default 8088")
    parser.add_argument(
        "--synthetic",
        type=int,
        default=0,
        metavar="N",
        help="also serve N generated articles per source that renders them",
    )
    arguments = parser.parse_args()
    with serve_mirror(arguments.port, arguments.synthetic) as base_url:
        print(f"Mirror serving {SITES} at {base_url}; crawl it with: NEWS_MIRROR_URL={base_url}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("Mirror stopped.")


if __name__ == "__main__":
    main()
