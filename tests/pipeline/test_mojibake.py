"""Mojibake is measured per source: the profile counts articles with it, the quality check warns."""

import json
from dataclasses import replace

import pytest

from pipeline.load import FeedProfile, LoadSummary, profile_feed
from pipeline.mojibake import looks_like_mojibake
from pipeline.quality import mojibake_check
from pipeline.settings import QualityThresholds
from tests.pipeline.feeds import article

VIETNAMESE = "Bài bị hủy vì thời tiết, Đà Nẵng đón ưu đãi mới; Việt Nam và Pháp hợp tác."


@pytest.mark.parametrize("codec", ["cp1252", "cp1258", "latin-1"])
def test_utf8_read_in_a_legacy_code_page_is_mojibake_and_real_text_is_not(codec):
    misread = VIETNAMESE.encode("utf-8").decode(codec, errors="replace")
    assert looks_like_mojibake(misread)
    assert not looks_like_mojibake(VIETNAMESE)
    assert not looks_like_mojibake("Café, naïve, São Paulo, Ã ngữ, «ngoặc», 10º, Tiếng Việt có dấu ngã: Ỹ ỹ")
    assert looks_like_mojibake("Nội dung có byte hỏng \ufffd ở giữa")


def test_the_quality_check_warns_on_any_mojibake_and_fails_above_its_threshold(tmp_path):
    feed = tmp_path / "feed.jsonl"
    garbled = VIETNAMESE.encode("utf-8").decode("cp1252", errors="replace")
    articles = [article(number) for number in range(19)] + [replace(article(19), title=garbled)]
    feed.write_text("".join(item.to_json() + "\n" for item in articles), encoding="utf-8")

    profile = profile_feed(feed, min_body_chars=10)

    assert (profile.records, profile.mojibake) == (20, 1)
    thresholds = QualityThresholds()
    assert _check(profile, thresholds).level == "warn"
    assert _check(FeedProfile(records=20, mojibake=3), thresholds).level == "fail"
    assert _check(FeedProfile(records=20, mojibake=0), thresholds).level == "ok"
    assert json.dumps(_check(profile, thresholds).value) == "0.05"


def _check(profile, thresholds):
    summary = LoadSummary("baoquocte", "run", False, {}, {}, profile, 0.0, 0.0, "", "")
    return mojibake_check(summary, thresholds)
