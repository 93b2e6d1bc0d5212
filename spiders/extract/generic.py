"""The last extraction layer: trafilatura's generic main-content detection, for pages whose site
selectors and structured metadata both came up empty (typically after a site redesign)."""

from __future__ import annotations

from warehouse.record import Block

from .text import clean_text, is_boilerplate


def generic_body(html: str, url: str) -> list[Block]:
    """Body paragraphs by trafilatura. Its ``deduplicate`` option stays off: it remembers text across
    calls, so in a crawl it would drop the second article of a site as "seen before"."""
    import trafilatura

    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=False, include_images=False
    )
    if not text:
        return []
    paragraphs = (clean_text(line) for line in text.splitlines())
    return [Block("paragraph", line) for line in paragraphs if line and not is_boilerplate(line)]
