"""The network boundary: a download handler that can serve every request from the local mirror, and
exponential backoff between retries (Scrapy's own RetryMiddleware retries immediately)."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.asyncio import sleep


def mirror_url(crawler: Crawler) -> str:
    return (crawler.settings.get("NEWS_MIRROR_URL") or os.environ.get("NEWS_MIRROR_URL", "")).rstrip("/")


class MirrorAwareDownloadHandler(BaseDownloadHandler):
    """With ``NEWS_MIRROR_URL`` set, fetches ``https://<host>/<path>`` from ``<mirror>/<host>/<path>`` and
    returns the response under the ORIGINAL URL. Because the rewrite happens below every middleware,
    robots.txt, allowed domains, redirects, retries and canonical URLs behave exactly as on the live
    site. Without the setting it is Scrapy's HTTP/1.1 handler, unchanged."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.mirror = mirror_url(crawler)
        self.mirror_host = urlsplit(self.mirror).netloc
        self.http = HTTP11DownloadHandler.from_crawler(crawler)

    async def download_request(self, request: Request) -> Response:
        original = urlsplit(request.url)
        if not self.mirror or original.netloc == self.mirror_host:
            return await self.http.download_request(request)
        mirrored = f"{self.mirror}/{original.hostname}{original.path or '/'}"
        if original.query:
            mirrored += f"?{original.query}"
        response = await self.http.download_request(request.replace(url=mirrored))
        location = response.headers.get("Location")
        if location:
            response.headers["Location"] = self._unmirror(location.decode("latin-1"))
        return response.replace(url=request.url)

    def _unmirror(self, location: str) -> str:
        for prefix in (self.mirror, urlsplit(self.mirror).path):
            if prefix and location.startswith(prefix + "/"):
                host, _, path = location[len(prefix) + 1 :].partition("/")
                return f"https://{host}/{path}"
        return location

    async def close(self) -> None:
        await self.http.close()


class RetryBackoffMiddleware:
    """Delays the n-th retry of a request by ``base * 2**(n-1)`` seconds, at most ``max`` seconds.
    Sits after RetryMiddleware's ``retry_times`` bookkeeping, before the download slot."""

    def __init__(self, base: float, maximum: float):
        self.base = base
        self.maximum = maximum

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryBackoffMiddleware:
        settings = crawler.settings
        return cls(settings.getfloat("NEWS_RETRY_BACKOFF_BASE"), settings.getfloat("NEWS_RETRY_BACKOFF_MAX"))

    def delay(self, retry_times: int) -> float:
        """Seconds to wait before a request's ``retry_times``-th retry (0: first attempt, no wait)."""
        return min(self.maximum, self.base * 2 ** (retry_times - 1)) if retry_times > 0 else 0.0

    async def process_request(self, request: Request) -> None:
        delay = self.delay(request.meta.get("retry_times", 0))
        if delay:
            await sleep(delay)
