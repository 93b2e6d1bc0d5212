"""URL canonicalisation: the same article reached through tracking parameters, a fragment, an AMP or a
mobile variant maps to one canonical URL, which is the warehouse's unique key."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMETERS: frozenset[str] = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "zarsrc",
        "zarsi",
        "ref",
        "ref_src",
        "cmpid",
        "amp",
        "outputtype",
        "print",
        "printable",
    }
)
# Parameters that select a rendering of the same article (?view=print, ?format=amp), not another one.
_VARIANT_PARAMETERS = frozenset({"view", "output", "format", "mode"})
_VARIANT_VALUES = frozenset({"print", "printable", "amp", "mobile"})
_TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_")
_VARIANT_SEGMENT = re.compile(r"(^|/)(amp|print)(/|$)")
_VARIANT_SUFFIX = re.compile(r"\.(amp|print)$")
_MOBILE_HOST_PREFIXES = ("m.", "mobile.", "amp.")


def canonicalize(url: str) -> str:
    """The canonical form of an article URL: https, lowercase host without ``m.``/``amp.``/``www.``
    variants, no AMP or print path segment or suffix, no trailing slash, no tracking or rendering
    parameters, sorted remaining parameters, no fragment."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    for prefix in _MOBILE_HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
            break
    if host.startswith("www.") and host.count(".") >= 2:
        host = host[4:]
    path = _VARIANT_SEGMENT.sub(r"\1", parts.path)
    path = _VARIANT_SUFFIX.sub("", path)
    path = re.sub("/{2,}", "/", path).rstrip("/") or "/"
    if not parts.query:
        return urlunsplit(("https", host, path, "", ""))
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name.lower() not in TRACKING_PARAMETERS
        and not name.lower().startswith(_TRACKING_PREFIXES)
        and not (name.lower() in _VARIANT_PARAMETERS and value.lower() in _VARIANT_VALUES)
    ]
    return urlunsplit(("https", host, path, urlencode(sorted(query)), ""))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
