"""The network boundary: a download handler that can serve every request from the local mirror,
exponential backoff between retries (Scrapy's own RetryMiddleware retries immediately), and the
middlewares that give oversized responses and bad redirects exceptions of their own, so each page ends
in the outcome that says what happened (``spiders.base.NewsSpider.article_failed``)."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.asyncio import sleep
from w3lib.url import safe_url_string

from warehouse.env import EnvReader

from .extract.urls import canonicalize


def mirror_url(crawler: Crawler) -> str:
    return (crawler.settings.get("NEWS_MIRROR_URL") or EnvReader().string("NEWS_MIRROR_URL", "")).rstrip("/")


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


class ResponseTooLargeError(IgnoreRequest):
    """The response grew past ``DOWNLOAD_MAXSIZE`` (while decompressing: a compression bomb)."""


class RedirectError(IgnoreRequest):
    """A redirect loop, or a chain longer than ``REDIRECT_MAX_TIMES``."""


class OffsiteRedirectError(IgnoreRequest):
    """A redirect to a host outside the spider's allowed domains."""


class RedirectDuplicateError(IgnoreRequest):
    """A redirect to a page this crawl already requested under its own URL (Scrapy's duplicate filter
    would otherwise drop it without a word)."""


class SizeCappedCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression, with a body that outgrows the size cap while decompressing reported as
    ``ResponseTooLargeError`` (Scrapy raises a bare ``IgnoreRequest``, indistinguishable from robots.txt)."""

    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        try:
            return super().process_response(request, response)
        except IgnoreRequest as error:
            if "DOWNLOAD_MAXSIZE" in str(error):
                raise ResponseTooLargeError(str(error)) from None
            raise


class RedirectGuardMiddleware:
    """Sees every 3xx response before Scrapy's RedirectMiddleware and stops the redirects that cannot end
    well with an exception of their own, so the page gets the right outcome: a loop or an over-long chain
    (``RedirectError``), a hop off the allowed domains (``OffsiteRedirectError``), a hop onto a page the
    crawl already requested (``RedirectDuplicateError``)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.max_redirects = crawler.settings.getint("REDIRECT_MAX_TIMES")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return response
        target = urljoin(request.url, safe_url_string(location.decode("latin-1")))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            raise RedirectError(f"redirect loop: {' -> '.join([*chain[chain.index(target) :], target])}")
        if len(chain) > self.max_redirects:
            raise RedirectError(f"more than {self.max_redirects} redirects from {chain[0]}")
        spider = self.crawler.spider
        allowed = list(getattr(spider, "allowed_domains", None) or [])
        host = (urlsplit(target).hostname or "").lower()
        if allowed and not any(host == domain or host.endswith("." + domain) for domain in allowed):
            raise OffsiteRedirectError(f"redirect from {request.url} to {host}, outside {allowed}")
        scheduled: set[str] = getattr(spider, "scheduled", set())
        canonical = canonicalize(target)
        if canonical in scheduled and canonical != canonicalize(request.url):
            raise RedirectDuplicateError(f"redirect to {canonical}, which this crawl requested already")
        return response
