"""Stories across outlets: near-duplicate articles (wire copies, republications, an outlet's English
edition of its own article) grouped under one ``story_id``.

Each article gets a MinHash signature (datasketch) of its folded text, once per language its text is
available in: its own language from the original, and English from its latest translation. Signatures
are banded for locality-sensitive hashing; each band hash is a row of ``story_buckets`` (one row per band
and article, a b-tree), so finding a batch's candidates is one query of index probes and no task keeps
state in memory. A candidate whose estimated Jaccard similarity reaches the threshold
(``NEWS_STORY_THRESHOLD``, default 0.5), or a shorter copy at least 70% contained in the longer text (a
trimmed ending), becomes a link in ``story_links``; a story is a connected
component of links, and its id is the ``article_id`` of its earliest article (by ``published_at``, then
``canonical_url``), so the same feeds loaded in any order give the same stories.

The signature's features are word 4-shingles of the title, lead and body after NFC, case folding and
diacritic folding ("Hòa Bình" and "hoa binh" shingle alike); a changed lead or a trimmed last paragraph
removes only its own share of them. Numbers get extra weight: each distinct number in the text is also a
feature of its own, ``NUMBER_WEIGHT`` times, because templated bulletins (daily gold prices, exchange
rates) share almost all their words and differ only in their figures.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import psycopg
from datasketch import MinHash

from warehouse.record import Article
from warehouse.settings import STORY_THRESHOLD_VARIABLE, WarehouseSettings
from warehouse.sqlfile import statement

NUM_PERM = 126
BAND_ROWS = 3
BANDS = NUM_PERM // BAND_ROWS
SHINGLE_WORDS = 4
NUMBER_WEIGHT = 10
THRESHOLD_VARIABLE = STORY_THRESHOLD_VARIABLE
# A trimmed copy (the last paragraphs cut) is linked when at least this share of it lies inside the
# longer text, provided the Jaccard estimate is not so low that the estimate itself is noise.
CONTAINMENT_THRESHOLD = 0.7
CONTAINMENT_FLOOR = 0.25
SEED = 20261130
TARGET_LANGUAGE = "en"

_WORD = re.compile(r"\w+(?:[.,]\d+)*")
_NUMBER = re.compile(r"\d")
# Odd 64-bit multipliers that mix the four word hashes of a shingle (order matters: "a b c d" and
# "d c b a" hash differently).
_SHINGLE_MULTIPLIERS = tuple(
    np.uint64(value)
    for value in (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5)
)
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

# (articles done, articles in all)
ProgressCallback = Callable[[int, int], None]


def configured_threshold() -> float:
    """The similarity at which two articles are one story: ``NEWS_STORY_THRESHOLD``, else 0.5 (see
    ``WarehouseSettings.story_threshold`` and the README's stories benchmark). After a change, rebuild
    the stories (``python -m warehouse stories rebuild``)."""
    return WarehouseSettings.from_env().story_threshold


@dataclass(frozen=True, slots=True)
class Signature:
    """One text's MinHash values and its LSH band hashes (language folded into each band hash, so a
    lookup never mixes languages)."""

    language: str
    minhash: np.ndarray
    bands: list[int]
    # how many features were signed (0: not known, for signatures stored before it was recorded)
    size: int = 0

    def similarity(self, other: Signature) -> float:
        """The MinHash estimate of the two texts' Jaccard similarity."""
        return float(np.count_nonzero(self.minhash == other.minhash)) / NUM_PERM

    def containment(self, other: Signature, similarity: float) -> float:
        """How much of the smaller text the larger one contains, from the Jaccard estimate and the
        two sizes: |A ∩ B| = J (|A| + |B|) / (1 + J)."""
        if not self.size or not other.size:
            return 0.0
        shared = similarity * (self.size + other.size) / (1 + similarity)
        return shared / min(self.size, other.size)

    def same_story(self, other: Signature, threshold: float) -> bool:
        """Near-duplicates (similarity at least ``threshold``), or a copy trimmed to a part of the other
        (the smaller text mostly inside the larger), which Jaccard alone undervalues."""
        similarity = self.similarity(other)
        if similarity >= threshold:
            return True
        return (
            similarity >= CONTAINMENT_FLOOR and self.containment(other, similarity) >= CONTAINMENT_THRESHOLD
        )

    def minhash_bytes(self) -> bytes:
        return self.minhash.astype("<u4").tobytes()

    @classmethod
    def from_stored(cls, language: str, minhash: bytes, bands: list[int], size: int) -> Signature:
        return cls(language, np.frombuffer(minhash, dtype="<u4").astype(np.uint64), list(bands), size)


def fold(text: str) -> str:
    """NFC, lower case, diacritics removed ("đ" becomes "d"): how signatures compare text."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text).casefold())
    return _COMBINING.sub("", decomposed).replace("đ", "d")


def features(title: str | None, lead: str | None, paragraphs: Iterable[str]) -> np.ndarray:
    """The distinct 32-bit hashes of an article's word 4-shingles and weighted numbers.

    Words are hashed once (CRC-32) and each shingle's hash is combined from its words' hashes with
    numpy, which is several times cheaper than building every shingle as a string."""
    words: list[str] = []
    for part in (title, lead, *paragraphs):
        if part:
            words.extend(_WORD.findall(fold(part)))
    if not words:
        return np.zeros(0, dtype=np.uint64)
    hashed = np.fromiter((zlib.crc32(word.encode()) for word in words), dtype=np.uint64, count=len(words))
    if len(words) < SHINGLE_WORDS:
        shingles = hashed
    else:
        span = len(words) - SHINGLE_WORDS + 1
        shingles = np.zeros(span, dtype=np.uint64)
        for offset, multiplier in enumerate(_SHINGLE_MULTIPLIERS):
            shingles = shingles + hashed[offset : offset + span] * multiplier
        shingles = (shingles ^ (shingles >> np.uint64(32))) & np.uint64(0xFFFFFFFF)
    numbers = [
        zlib.crc32(f"#{copy}:{word}".encode())
        for word in sorted({word for word in words if _NUMBER.search(word)})
        for copy in range(NUMBER_WEIGHT)
    ]
    return np.unique(np.concatenate([shingles, np.array(numbers, dtype=np.uint64)]))


_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED).permutations


def signature(language: str, title: str | None, lead: str | None, paragraphs: Iterable[str]) -> Signature:
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int, permutations=_PERMUTATIONS)
    hashes = features(title, lead, paragraphs)
    if len(hashes):
        minhash.update_batch(hashes)
    values = minhash.hashvalues
    bands = []
    for band in range(BANDS):
        chunk = values[band * BAND_ROWS : (band + 1) * BAND_ROWS].astype("<u4").tobytes()
        digest = hashlib.blake2b(f"{language}:{band}:".encode() + chunk, digest_size=8).digest()
        bands.append(int.from_bytes(digest, "little", signed=True))
    return Signature(language, values, bands, len(hashes))


@dataclass(frozen=True, slots=True)
class StoryUpdate:
    """What one assignment did: signatures written, links found, articles whose story changed."""

    signed: int = 0
    links: int = 0
    moved: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"signed": self.signed, "links": self.links, "moved": self.moved}


def assign_stories(
    conn: psycopg.Connection,
    article_ids: Sequence[int],
    *,
    threshold: float | None = None,
    signed: Mapping[int, tuple[Signature, str]] | None = None,
) -> StoryUpdate:
    """(Re)sign the given articles, link them to their near-duplicates, and re-derive the stories they
    touch. Run inside the caller's transaction.

    An article in ``signed`` (its original's signature and content hash, as the loader computes them
    while parsing) is stored as given: new or changed content has no translation yet. The others are
    signed from their stored text and latest English translation."""
    if not article_ids:
        return StoryUpdate()
    ids = sorted(set(article_ids))
    given = {article_id: given for article_id, given in (signed or {}).items() if article_id in set(ids)}
    signatures = _sign(conn, [article_id for article_id in ids if article_id not in given], given)
    previous_stories = [
        story for (story,) in conn.execute(statement("stories/stories_of.sql"), {"article_ids": ids})
    ]
    conn.execute(statement("stories/delete_links.sql"), {"article_ids": ids})
    links = _link(conn, signatures, configured_threshold() if threshold is None else threshold)
    moved = _settle_components(conn, ids, previous_stories)
    return StoryUpdate(signed=len(signatures), links=links, moved=moved)


def sign_pending_translations(conn: psycopg.Connection, *, threshold: float | None = None) -> StoryUpdate:
    """Articles whose latest English translation is newer than their English signature: sign and link
    them (an outlet's English edition joins its Vietnamese original this way)."""
    ids = [article_id for (article_id,) in conn.execute(statement("stories/unsigned_translations.sql"))]
    return assign_stories(conn, ids, threshold=threshold)


def rebuild_stories(
    conn: psycopg.Connection,
    *,
    threshold: float | None = None,
    chunk_size: int = 2000,
    progress: ProgressCallback | None = None,
) -> StoryUpdate:
    """Every signature, link and story from scratch (after a change of threshold or features). Commits
    per chunk; the result equals what incremental assignment gives for the same articles."""
    threshold = configured_threshold() if threshold is None else threshold
    conn.execute(statement("stories/reset.sql"))
    conn.commit()
    ids = [article_id for (article_id,) in conn.execute(statement("stories/all_articles.sql"))]
    signed = links = 0
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        signed += len(_sign(conn, chunk))
        conn.commit()
        if progress is not None:
            progress(start + len(chunk), 2 * len(ids))
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        links += _link(conn, _stored_signatures(conn, chunk), threshold)
        conn.commit()
        if progress is not None:
            progress(len(ids) + start + len(chunk), 2 * len(ids))
    moved = _settle_components(conn, ids, [])
    conn.commit()
    return StoryUpdate(signed=signed, links=links, moved=moved)


def article_signature(article: Article) -> Signature:
    """The signature of an article record's own text."""
    return signature(article.language, article.title, article.lead, [block.text for block in article.body])


def _sign(
    conn: psycopg.Connection, ids: list[int], given: Mapping[int, tuple[Signature, str]] | None = None
) -> dict[int, list[Signature]]:
    """Store the ``given`` signatures, compute and store those of ``ids`` from the database; returns
    them all by article."""
    signed: dict[int, list[tuple[Signature, str]]] = {
        article_id: [pair] for article_id, pair in (given or {}).items()
    }
    for (
        article_id,
        language,
        content_hash,
        title,
        lead,
        body,
        en_key,
        en_title,
        en_lead,
        en_body,
    ) in conn.execute(statement("stories/texts.sql"), {"article_ids": ids}) if ids else []:
        signed[article_id] = [(signature(language, title, lead, _texts(body)), content_hash)]
        if language != TARGET_LANGUAGE and en_key is not None:
            signed[article_id].append(
                (signature(TARGET_LANGUAGE, en_title, en_lead, _texts(en_body)), en_key)
            )
    rows = [
        {
            "article_id": article_id,
            "language": sig.language,
            "signed_key": key,
            "minhash": sig.minhash_bytes(),
            "bands": sig.bands,
            "feature_count": sig.size,
        }
        for article_id, pairs in signed.items()
        for sig, key in pairs
    ]
    every = sorted(signed)
    conn.execute(statement("stories/delete_signatures.sql"), {"article_ids": every})
    if rows:
        with conn.cursor() as cursor:
            cursor.executemany(statement("stories/insert_signature.sql"), rows)
        conn.execute(statement("stories/insert_buckets.sql"), {"article_ids": every})
    return {article_id: [sig for sig, _ in pairs] for article_id, pairs in signed.items()}


def _stored_signatures(conn: psycopg.Connection, ids: list[int]) -> dict[int, list[Signature]]:
    signatures: dict[int, list[Signature]] = {}
    for article_id, language, minhash, bands, size in conn.execute(
        statement("stories/signatures_of.sql"), {"article_ids": ids}
    ):
        signatures.setdefault(article_id, []).append(Signature.from_stored(language, minhash, bands, size))
    return signatures


def _link(conn: psycopg.Connection, signed: dict[int, list[Signature]], threshold: float) -> int:
    """Store a link from each signed article to every candidate at or above ``threshold``. The
    candidates of all of them come from one query on the LSH index."""
    if not signed:
        return 0
    links: set[tuple[int, int]] = set()
    pairs = [(article_id, band) for article_id, sigs in signed.items() for sig in sigs for band in sig.bands]
    candidates = conn.execute(
        statement("stories/candidates.sql"),
        {"article_ids": [article_id for article_id, _ in pairs], "buckets": [band for _, band in pairs]},
    ).fetchall()
    stored = _stored_signatures(conn, sorted({candidate for _, candidate in candidates}))
    for article_id, candidate_id in candidates:
        for sig in signed[article_id]:
            for candidate in stored.get(candidate_id, ()):
                if candidate.language == sig.language and sig.same_story(candidate, threshold):
                    links.add((min(article_id, candidate_id), max(article_id, candidate_id)))
    if links:
        ordered = sorted(links)
        conn.execute(
            statement("stories/insert_links.sql"),
            {"lows": [low for low, _ in ordered], "highs": [high for _, high in ordered]},
        )
    return len(links)


def _settle_components(conn: psycopg.Connection, seeds: Sequence[int], previous_stories: list[int]) -> int:
    """Give every article in the components reachable from ``seeds`` (and from the other members of
    the stories they belonged to, which may have split) the id of its component's earliest article.
    Returns how many articles changed story."""
    frontier = set(seeds)
    if previous_stories:
        frontier.update(
            member
            for (member,) in conn.execute(
                statement("stories/members_of.sql"), {"story_ids": previous_stories}
            )
        )
    adjacency: dict[int, set[int]] = {}
    reached: set[int] = set()
    while frontier:
        batch = sorted(frontier - reached)
        reached.update(batch)
        frontier = set()
        for low, high in conn.execute(statement("stories/links_of.sql"), {"article_ids": batch}):
            adjacency.setdefault(low, set()).add(high)
            adjacency.setdefault(high, set()).add(low)
            frontier.update((low, high))
    component_of: dict[int, int] = {}
    for start in sorted(reached):
        if start in component_of:
            continue
        component_of[start] = start
        stack = [start]
        while stack:
            for neighbour in adjacency.get(stack.pop(), ()):
                if neighbour not in component_of:
                    component_of[neighbour] = start
                    stack.append(neighbour)
    if not component_of:
        return 0
    article_ids = list(component_of)
    components = [component_of[article_id] for article_id in article_ids]
    root_of: dict[int, int] = dict(
        conn.execute(
            statement("stories/component_roots.sql"), {"article_ids": article_ids, "components": components}
        ).fetchall()
    )
    return conn.execute(
        statement("stories/set_story.sql"),
        {"article_ids": article_ids, "story_ids": [root_of[component] for component in components]},
    ).rowcount


def _texts(body: Any) -> list[str]:
    """The paragraph texts of an article body (blocks with ``text``) or a translation body (strings)."""
    if isinstance(body, str):
        body = json.loads(body)
    texts = []
    for block in body or []:
        text = block.get("text") if isinstance(block, dict) else block
        if isinstance(text, str):
            texts.append(text)
    return texts
