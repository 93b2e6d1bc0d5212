"""Run parameters become crawl requests, or a PermanentError that says what is wrong."""

from datetime import date

import pytest

from pipeline.crawl import CrawlRequest
from pipeline.errors import PermanentError
from pipeline.plan import run_options

AVAILABLE = ["baoquocte", "vnexpress"]


def test_no_params_crawl_every_source_without_limits():
    options = run_options({}, AVAILABLE)
    assert options.sources == ("baoquocte", "vnexpress")
    assert (options.since, options.until, options.max_articles) == (None, None, None)
    assert not options.dry_run and not options.force_retranslate


def test_form_values_become_one_request_per_source():
    options = run_options(
        {"sources": ["vnexpress"], "since": "2026-11-01", "until": "2026-11-27", "max_articles": 7},
        AVAILABLE,
    )
    (request,) = options.crawl_requests("manual__2026-11-28T00:00:00+00:00")
    assert request == CrawlRequest(
        source="vnexpress",
        run_key="manual__2026-11-28T00:00:00+00:00",
        since=date(2026, 11, 1),
        until=date(2026, 11, 27),
        max_articles=7,
    )
    assert CrawlRequest.from_dict(request.as_dict()) == request


def test_the_deployment_cap_applies_when_the_form_leaves_it_empty():
    assert run_options({"max_articles": None}, AVAILABLE, default_max_articles=20).max_articles == 20
    assert run_options({"max_articles": 3}, AVAILABLE, default_max_articles=20).max_articles == 3


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sources": ["nosuch"]}, "unknown source"),
        ({"since": "2026-11-28", "until": "2026-11-01"}, "after until"),
        ({"since": "last week"}, "must be a date"),
        ({"max_articles": -1}, "positive whole number"),
    ],
)
def test_bad_params_are_permanent_errors(params, message):
    with pytest.raises(PermanentError, match=message):
        run_options(params, AVAILABLE)
