"""Scrapy settings for every news spider: production politeness by default. Setting ``NEWS_MIRROR_URL``
(as a Scrapy setting or in the environment) sends every request to the local mirror instead of the
live site and shortens the delays, so tests and demos run the same code path quickly. The environment
is read with ``warehouse.env``, as every area's settings are."""

from warehouse.env import EnvReader

_ENV = EnvReader()

BOT_NAME = "news_ingest"
SPIDER_MODULES = ["spiders.crawlers", "spiders.sources.generic"]
NEWSPIDER_MODULE = "spiders.sources"

NEWS_MIRROR_URL = _ENV.string("NEWS_MIRROR_URL", "")
NEWS_STATS_FILE = _ENV.string("NEWS_STATS_FILE", "")
NEWS_REJECTS_FILE = _ENV.string("NEWS_REJECTS_FILE", "")
NEWS_CRAWL_COUNTERS_FILE = _ENV.string("NEWS_CRAWL_COUNTERS_FILE", "")
NEWS_MAX_LISTING_PAGES = 5

USER_AGENT = _ENV.string(
    "NEWS_USER_AGENT", "news-ingest/0.1 (multilingual news archive crawler; polite, obeys robots.txt)"
)
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
NEWS_RETRY_BACKOFF_BASE = 2.0
NEWS_RETRY_BACKOFF_MAX = 60.0

HTTPCACHE_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
COOKIES_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

DOWNLOAD_HANDLERS = {
    "http": "spiders.downloader.MirrorAwareDownloadHandler",
    "https": "spiders.downloader.MirrorAwareDownloadHandler",
}
DOWNLOADER_MIDDLEWARES = {
    "spiders.downloader.RetryBackoffMiddleware": 560,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "spiders.downloader.SizeCappedCompressionMiddleware": 590,
    "spiders.downloader.RedirectGuardMiddleware": 610,
}
SPIDER_MIDDLEWARES = {
    "spiders.outcomes.ExtractionErrorMiddleware": 50,
}
REDIRECT_MAX_TIMES = 5
EXTENSIONS = {
    "spiders.crawl_counters.CrawlCounters": 900,
}
ITEM_PIPELINES = {
    "spiders.article_validation.ArticleValidationPipeline": 100,
}

if NEWS_MIRROR_URL:
    DOWNLOAD_DELAY = 0.0
    AUTOTHROTTLE_START_DELAY = 0.0
    AUTOTHROTTLE_MAX_DELAY = 0.5
    AUTOTHROTTLE_TARGET_CONCURRENCY = 8.0
    CONCURRENT_REQUESTS_PER_DOMAIN = 8
    NEWS_RETRY_BACKOFF_BASE = 0.1
    NEWS_RETRY_BACKOFF_MAX = 1.0
