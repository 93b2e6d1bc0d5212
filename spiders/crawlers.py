"""One Scrapy spider class per registered source (``scrapy list``, ``scrapy crawl <name>``), made from the
source's declaration: a source module declares no spider of its own unless it needs different discovery
(then ``Source.spider_base`` names a ``NewsSpider`` subclass in that module)."""

from __future__ import annotations

from .base import NewsSpider
from .registry import all_sources
from .source import Source


def spider_class(source: Source) -> type[NewsSpider]:
    base = source.spider_base or NewsSpider
    class_name = "".join(part.capitalize() for part in source.name.split("_")) + "Spider"
    return type(
        class_name,
        (base,),
        {
            "__module__": __name__,
            "__doc__": f"Crawls {source.display_name}: {', '.join(source.hosts)}.",
            "name": source.name,
            "spec": source,
            "allowed_domains": list(source.allowed_domains),
        },
    )


SPIDERS: dict[str, type[NewsSpider]] = {source.name: spider_class(source) for source in all_sources()}
globals().update({spider.__name__: spider for spider in SPIDERS.values()})
