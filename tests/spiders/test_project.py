"""The Scrapy project as operators use it: ``scrapy list``, production settings, the source registry,
and the text normalisation contract with the warehouse record."""

from __future__ import annotations

import json
from typing import Any

import pytest
from lxml import etree

from spiders.extract.text import clean_text
from spiders.registry import source_info, source_names
from testkit.fixtures import SITES
from testkit.processes import run_python
from warehouse.record import normalize_text


def scrapy(*arguments: str, env: dict[str, str] | None = None) -> str:
    completed = run_python(["-m", "scrapy", *arguments], env)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.strip()


def test_scrapy_lists_every_registered_source_and_the_generic_spider() -> None:
    assert scrapy("list").split() == sorted([*source_names(), "generic"])
    assert "baoquocte" in source_names()
    assert source_info("baoquocte").domain == "baoquocte.vn"
    with pytest.raises(KeyError, match="available sources: baoquocte"):
        source_info("no_such_source")


def project_settings(env: dict[str, str]) -> dict[str, Any]:
    """The settings ``scrapy crawl`` would use, resolved in a fresh process with ``env``."""
    program = (
        "import json; from scrapy.utils.project import get_project_settings; "
        "print(json.dumps(get_project_settings().copy_to_dict(), default=str))"
    )
    completed = run_python(["-c", program], {"SCRAPY_SETTINGS_MODULE": "spiders.settings", **env})
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_production_politeness_settings() -> None:
    live = project_settings({"NEWS_MIRROR_URL": "", "NEWS_USER_AGENT": ""})
    assert live["ROBOTSTXT_OBEY"] is True
    assert live["AUTOTHROTTLE_ENABLED"] is True
    assert live["DOWNLOAD_DELAY"] >= 1.0
    assert live["CONCURRENT_REQUESTS_PER_DOMAIN"] <= 2
    assert live["DOWNLOAD_MAXSIZE"] == 5 * 1024 * 1024
    assert 0 < live["DOWNLOAD_TIMEOUT"] <= 60
    assert live["RETRY_TIMES"] >= 2 and live["NEWS_RETRY_BACKOFF_BASE"] >= 1.0
    assert live["HTTPCACHE_ENABLED"] is False
    assert live["USER_AGENT"].startswith("news-ingest/")
    custom = "ExampleNewsroomBot/2.0 (+https://example.org/bot)"
    mirrored = project_settings({"NEWS_MIRROR_URL": "http://127.0.0.1:9", "NEWS_USER_AGENT": custom})
    assert mirrored["USER_AGENT"] == custom
    assert mirrored["ROBOTSTXT_OBEY"] is True, "the mirror is crawled exactly like the live site"
    assert mirrored["DOWNLOAD_DELAY"] == 0.0 and mirrored["AUTOTHROTTLE_ENABLED"] is True


def test_clean_text_is_exactly_the_record_normalisation() -> None:
    samples = [
        " a\u00a0b\u2009c\u200bd\ufeffe\u3000f\u1680g \t\n h",
        "Thu\u0309 tu\u031bo\u031b\u0300ng",
        "",
        "\u200b",
    ]
    for page in SITES.rglob("*.html"):
        samples.extend(etree.HTML(page.read_text(encoding="utf-8")).itertext())
    assert len(samples) > 1000
    for sample in samples:
        assert clean_text(sample) == normalize_text(sample), repr(sample)
