"""What real pages carry in and around an article's text that is not the text, true of every site:
related-article links and boxes, wire attributions, end-of-body bylines and bare photo-credit lines.
``peel_tail`` moves bylines to ``authors`` and attributions to ``attributions``; ``is_related_box``
tells the block collector and the image readers which elements are related-article boxes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from warehouse.record import Block

from .text import clean_text, raw_text, split_authors, split_caption_credit

RELATED_LABEL = re.compile(
    r"^\s*(?:>>|»|▶|►)?\s*(xem thêm|đọc thêm|tin liên quan|bài liên quan|tin cùng chuyên mục|"
    r"bài cùng chuyên mục|tin mới|read more|see also|related(?: news| articles| stories)?|more on this)\b",
    re.IGNORECASE,
)
RELATED_CLASS = re.compile(r"relat|lien-?quan|readmore|read-more|see-?also|xem-?them|doc-?them")
"""Searched in the lowercased class and id: a case-insensitive search costs the regex engine seven times
more, and every box of a body is tested."""

AGENCY_ALIASES: dict[str, str] = {  # news agencies and the major Vietnamese outlets, by alias
    alias: canonical
    for canonical, aliases in {
        "VNA": ("ttxvn", "vna", "thông tấn xã việt nam", "vietnam news agency", "ttxvn/vna", "vna/ttxvn"),
        "Xinhua": ("tân hoa xã", "thx", "xinhua", "tân hoa xã (xinhua)"),
        "Reuters": ("reuters",),
        "AFP": ("afp", "agence france-presse", "agence france presse"),
        "AP": ("ap", "associated press", "the associated press"),
        "Bloomberg": ("bloomberg",),
        "Kyodo": ("kyodo", "kyodo news"),
        "Yonhap": ("yonhap",),
        "TASS": ("tass",),
        "Sputnik": ("sputnik",),
        "RIA Novosti": ("ria novosti", "ria"),
        "CNN": ("cnn",),
        "BBC": ("bbc",),
        "NHK": ("nhk",),
        "Bernama": ("bernama",),
        "Antara": ("antara",),
        "EFE": ("efe",),
        "DPA": ("dpa",),
        "ANI": ("ani",),
        "Prensa Latina": ("prensa latina",),
        "VnExpress": ("vnexpress", "vnexpress.net", "vne"),
        "Tuổi Trẻ": ("tuổi trẻ", "tuổi trẻ online", "tto", "tuoitre.vn", "tuoi tre news", "tuoitre news"),
        "Thanh Niên": ("thanh niên", "thanhnien.vn", "tno"),
        "Nhân Dân": ("nhân dân", "nhandan.vn", "nhan dan"),
        "VietnamPlus": ("vietnamplus", "vietnam+", "vietnamplus.vn"),
        "VOV": ("vov", "vov.vn", "đài tiếng nói việt nam", "voice of vietnam"),
        "VTV": ("vtv", "vtv.vn", "đài truyền hình việt nam"),
        "Dân trí": ("dân trí", "dantri", "dantri.com.vn"),
        "Lao Động": ("lao động", "laodong.vn"),
        "Người Lao Động": ("người lao động", "nlđ", "nlđo", "nld.com.vn"),
        "Tiền Phong": ("tiền phong", "tienphong.vn"),
        "VietNamNet": ("vietnamnet", "vietnamnet.vn"),
        "Quân đội nhân dân": ("quân đội nhân dân", "qđnd", "qdnd.vn"),
        "Công an nhân dân": ("công an nhân dân", "cand", "cand.com.vn"),
        "Sài Gòn Giải Phóng": ("sài gòn giải phóng", "sggp", "sggp.org.vn"),
        "Pháp Luật TP.HCM": ("pháp luật tp.hcm", "plo", "plo.vn"),
        "Thế giới & Việt Nam": (
            "thế giới & việt nam",
            "thế giới và việt nam",
            "tg&vn",
            "tgvn",
            "baoquocte.vn",
        ),
    }.items()
    for alias in aliases
}
_ATTRIBUTION_LABEL = r"(?:theo|nguồn|source|sources|according to|tổng hợp từ|tổng hợp theo|via)"
_ATTRIBUTION_LINE = re.compile(
    rf"^\(?\s*{_ATTRIBUTION_LABEL}\s*:?\s+(?P<names>[^()]{{2,80}}?)\s*\)?\s*\.?$", re.IGNORECASE
)
_PARENTHESISED = re.compile(rf"^\(\s*{_ATTRIBUTION_LABEL}\b", re.IGNORECASE)
_DASH_AGENCY_LINE = re.compile(r"^[-–—]\s*(?P<names>[^-–—]{2,40}?)\s*\.?$")
_ATTRIBUTION_SUFFIX = re.compile(
    rf"\s*\(\s*{_ATTRIBUTION_LABEL}\s*:?\s+(?P<names>[^()]{{2,80}}?)\s*\)\s*\.?\s*$", re.IGNORECASE
)
_AGENCY_SUFFIX = re.compile(r"(?<=[.!?…\"”])\s*[-–—]\s*(?P<names>[^-–—.]{2,30}?)\s*\.?\s*$")
_NAME_SEPARATORS = re.compile(r"\s*(?:,|/|;|&|\+)\s*|\s+(?:và|and)\s+")
_ORGANISATION = re.compile(
    r"(^|\s)(báo|tạp chí|hãng|đài|cổng|kênh|thời báo|nhật báo|tuần báo|news|times|post|journal|"
    r"herald|tribune|press|agency|online|magazine|gazette|daily|channel|network|radio|tv)(\s|$)|\.(vn|com|net|org)\b",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"^[A-ZĐ][A-ZĐ0-9&+.]{1,9}$")
_ANONYMOUS_BYLINE = re.compile(
    r"^(p\.\s?v\.?|pv|nhóm pv|nhóm phóng viên|nhóm p\.v\.?|phóng viên|ctv|nhóm ctv|btv|nhóm tác giả)$",
    re.IGNORECASE,
)
PLACES = frozenset(
    name.casefold()
    for name in (
        "Hà Nội",
        "TP.HCM",
        "TP HCM",
        "TP. HCM",
        "TP Hồ Chí Minh",
        "TP. Hồ Chí Minh",
        "Thành phố Hồ Chí Minh",
        "Sài Gòn",
        "Đà Nẵng",
        "Hải Phòng",
        "Cần Thơ",
        "Huế",
        "Nha Trang",
        "Hanoi",
        "Ho Chi Minh City",
        "HCMC",
        "Da Nang",
    )
)
_PLACE_SUFFIX = re.compile(r"\s*(?:[-–—,]|\bfrom\b|\btừ\b)\s*(?P<place>[^-–—,]{2,30})$", re.IGNORECASE)
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][\wÀ-ỹ'’.-]*$")
MAX_BYLINE_CHARS = 60
MAX_CREDIT_LINE_CHARS = 120
TAIL_BLOCKS = 4


def normalize_attribution(name: str) -> str:
    """``"TTXVN"`` → ``"VNA"``, ``"Tân Hoa xã"`` → ``"Xinhua"``, ``"báo Nhân Dân"`` → ``"Nhân Dân"``."""
    name = clean_text(name).strip(" .:-–—()")
    name = re.sub(r"^(báo|hãng tin|hãng thông tấn|the)\s+", "", name, flags=re.IGNORECASE)
    return AGENCY_ALIASES.get(name.casefold(), name)


def is_organisation_name(name: str) -> bool:
    """An agency or outlet, not a person: a known agency, an acronym, or a name with outlet words."""
    name = clean_text(name).strip(" .:-–—()")
    return (
        name.casefold() in AGENCY_ALIASES
        or _ACRONYM.match(name) is not None
        or _ORGANISATION.search(name) is not None
    )


def attribution_names(text: str) -> list[str] | None:
    """The agencies/outlets a whole line credits ("(Theo TTXVN)", "Nguồn: Reuters, AFP", "- TTXVN"),
    normalised; None when the line is not an attribution."""
    text = clean_text(text)
    match = _ATTRIBUTION_LINE.match(text)
    if match:
        names = _names(match.group("names"))
        labelled = _PARENTHESISED.match(text) or not text.lower().startswith(("theo", "via"))
        if names and (labelled or all(is_organisation_name(name) for name in names)):
            return [normalize_attribution(name) for name in names]
        return None
    match = _DASH_AGENCY_LINE.match(text)
    if match:
        names = _names(match.group("names"))
        if names and all(is_organisation_name(name) for name in names):
            return [normalize_attribution(name) for name in names]
    return None


def split_attribution_suffix(text: str) -> tuple[str, list[str]]:
    """A paragraph ending in "(Theo TTXVN)" or "… - TTXVN": the paragraph without it, and the names."""
    match = _ATTRIBUTION_SUFFIX.search(text)
    if match and match.start() > 0:
        names = _names(match.group("names"))
        if names:
            return text[: match.start()].rstrip(), [normalize_attribution(name) for name in names]
    match = _AGENCY_SUFFIX.search(text)
    if match:
        names = _names(match.group("names"))
        if names and all(name.casefold() in AGENCY_ALIASES for name in names):
            return text[: match.start()].rstrip(), [normalize_attribution(name) for name in names]
    return text, []


def byline_names(text: str) -> list[str] | None:
    """The people a short end-of-body line names ("Minh Anh - Hà Nội", "P.V.", "Nhóm PV",
    "Thu Trang/Hoàng Hà"); None when the line is not a byline."""
    text = clean_text(text)
    if not text or len(text) > MAX_BYLINE_CHARS:
        return None
    if _ANONYMOUS_BYLINE.match(text):
        return [text]
    place = _PLACE_SUFFIX.search(text)
    if place and place.group("place").strip().casefold() in PLACES:
        text = text[: place.start()].strip()
    names = split_authors(text)
    if not names or any(not _is_person_name(name) for name in names):
        return None
    return names


def _is_person_name(name: str) -> bool:
    if _ANONYMOUS_BYLINE.match(name):
        return True
    words = name.split()
    if not 1 <= len(words) <= 5 or name.casefold() in PLACES or is_organisation_name(name):
        return False
    return all(_NAME_WORD.match(word) for word in words) and not any(ch.isdigit() for ch in name)


def _names(text: str) -> list[str]:
    return [name for name in (part.strip(" .") for part in _NAME_SEPARATORS.split(text)) if name]


def is_credit_line(text: str) -> bool:
    """A line that is only a photo credit ("Ảnh: TTXVN", "(Ảnh tư liệu)", "Photo: VNA")."""
    if len(text) > MAX_CREDIT_LINE_CHARS:
        return False
    caption, credit = split_caption_credit(text)
    return caption is None and credit is not None


def is_related_line(text: str) -> bool:
    """ "Xem thêm: <title>", "Đọc thêm", "Read more: …", "Tin liên quan" as a body line."""
    return RELATED_LABEL.match(text) is not None


def is_related_box(element: etree._Element) -> bool:
    """A related-articles box in the body: named so by its class or id, introduced by a related label,
    or (a table, list or box) whose text is all links — including the CMS image tables that lay out
    related articles as a picture and a linked title (a related box is not an image)."""
    marks = f"{element.get('class') or ''} {element.get('id') or ''}"
    if marks != " " and RELATED_CLASS.search(marks.lower()):
        return True
    if element.find(".//a") is None:
        return False
    text = clean_text(raw_text(element))
    if not text:
        return False
    if RELATED_LABEL.match(text) and element.find(".//a") is not None:
        return True
    if element.tag not in ("table", "ul", "ol", "div", "aside", "section"):
        return False
    linked = sum(len(clean_text(raw_text(link))) for link in element.iter("a") if link.get("href"))
    return linked >= 0.8 * len(text)


@dataclass(slots=True)
class Tail:
    """What ``peel_tail`` took off a body: the body left, bylines' names, attributions."""

    body: list[Block]
    authors: list[str] = field(default_factory=list)
    attributions: list[str] = field(default_factory=list)


def peel_tail(body: list[Block]) -> Tail:
    """Move end-of-body bylines to authors and attribution lines to attributions, from the last block
    back (at most ``TAIL_BLOCKS``), then a trailing "(Theo X)" off the last paragraph."""
    tail = Tail(list(body))
    for _ in range(TAIL_BLOCKS):
        if len(tail.body) < 2 or tail.body[-1].kind not in ("paragraph", "heading"):
            break
        text = tail.body[-1].text
        before, suffix = _split_trailing_parenthesis(text)
        credited = attribution_names(text)
        names = byline_names(before) if credited is None else None
        if credited is not None:
            _extend(tail.attributions, credited)
        elif names is not None:
            _extend(tail.authors, names)
            _extend(tail.attributions, suffix)
        else:
            break
        tail.body.pop()
    if tail.body and tail.body[-1].kind == "paragraph":
        text, credited = split_attribution_suffix(tail.body[-1].text)
        if credited and text:
            tail.body[-1] = Block("paragraph", text)
            _extend(tail.attributions, credited)
    tail.authors.reverse()
    return tail


def _split_trailing_parenthesis(text: str) -> tuple[str, list[str]]:
    """``"Minh Anh (theo Reuters)"`` → ``("Minh Anh", ["Reuters"])``."""
    match = _ATTRIBUTION_SUFFIX.search(text)
    if match and match.start() > 0:
        return text[: match.start()].strip(), [normalize_attribution(n) for n in _names(match.group("names"))]
    return text, []


def _extend(values: list[str], new: list[str]) -> None:
    for value in new:
        if value and value not in values:
            values.append(value)
