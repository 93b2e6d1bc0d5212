"""Dates as news sites print them, in the site's own timezone, turned into timezone-aware UTC."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, tzinfo

_DAY_MONTH_YEAR = r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})"
_HOUR_MINUTE = r"(?P<hour>\d{1,2})[:h](?P<minute>\d{2})(?:\s*(?P<meridiem>[ap])\.?m\b\.?)?"
_DATE_THEN_TIME = re.compile(_DAY_MONTH_YEAR + r"\D{0,12}?" + _HOUR_MINUTE)
_TIME_THEN_DATE = re.compile(_HOUR_MINUTE + r"\D{0,12}?" + _DAY_MONTH_YEAR)
_DATE_ONLY = re.compile(_DAY_MONTH_YEAR)
_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTH_NAME_DATE = re.compile(
    r"(?P<month_name>" + "|".join(_MONTHS) + r")\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"
    r"(?:\D{0,12}?" + _HOUR_MINUTE + ")?",
    re.IGNORECASE,
)


def parse_site_datetime(text: str, site_timezone: tzinfo) -> datetime | None:
    """Parse ``dd/mm/yyyy HH:MM`` (or ``HH:MM | dd/mm/yyyy``, ``November 26, 2026 | 15:40``, a 12-hour
    ``4:40 pm``, or a bare date) printed in the site's timezone; returns UTC, or None when the text holds
    no valid date."""
    match = (
        _DATE_THEN_TIME.search(text)
        or _TIME_THEN_DATE.search(text)
        or _MONTH_NAME_DATE.search(text)
        or _DATE_ONLY.search(text)
    )
    if match is None:
        return None
    fields = match.groupdict()
    month = (
        _MONTHS.index(fields["month_name"].lower()) + 1 if fields.get("month_name") else int(fields["month"])
    )
    hour = int(fields.get("hour") or 0)
    if fields.get("meridiem") and 1 <= hour <= 12:
        hour = hour % 12 + (12 if fields["meridiem"].lower() == "p" else 0)
    try:
        local = datetime(
            int(fields["year"]),
            month,
            int(fields["day"]),
            hour,
            int(fields.get("minute") or 0),
            tzinfo=site_timezone,
        )
        return local.astimezone(UTC)
    except (ValueError, OverflowError):  # no such day, or a year that leaves 1..9999 in UTC
        return None


def parse_iso_datetime(text: str, site_timezone: tzinfo) -> datetime | None:
    """Parse an ISO 8601 timestamp (JSON-LD, OpenGraph); a missing offset means site time."""
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=site_timezone)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+07:00 is in year 0 in UTC
        return None


def parse_rfc822_datetime(text: str) -> datetime | None:
    """Parse an RSS ``pubDate``; None when it is not a valid RFC 822 date."""
    from email.utils import parsedate_to_datetime

    try:
        parsed = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        return None
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        return None


def parse_day(text: str) -> date:
    """A spider argument such as ``since=2026-11-20`` (ISO) or ``since=20/11/2026`` (site style)."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = _DATE_ONLY.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a date; write it as YYYY-MM-DD (for example 2026-11-20)")
    return date(int(match["year"]), int(match["month"]), int(match["day"]))
