"""Corpus BLEU and chrF with sacrebleu's defaults (the same numbers as ``sacrebleu REF -i HYP -m bleu
chrf``), from local files only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Scores:
    bleu: float
    chrf: float
    sentences: int
    bleu_signature: str
    chrf_signature: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def read_lines(path: Path) -> list[str]:
    """One segment per line; a final newline does not make an extra empty segment."""
    text = Path(path).read_text(encoding="utf-8")
    return text[:-1].split("\n") if text.endswith("\n") else text.split("\n")


def score(hypotheses: Sequence[str], references: Sequence[str]) -> Scores:
    from sacrebleu.metrics import BLEU, CHRF

    if len(hypotheses) != len(references):
        raise ValueError(
            f"{len(hypotheses)} hypotheses but {len(references)} references: files must align line by line"
        )
    bleu, chrf = BLEU(), CHRF()
    bleu_score = bleu.corpus_score(list(hypotheses), [list(references)])
    chrf_score = chrf.corpus_score(list(hypotheses), [list(references)])
    return Scores(
        bleu=round(bleu_score.score, 2),
        chrf=round(chrf_score.score, 2),
        sentences=len(references),
        bleu_signature=str(bleu.get_signature()),
        chrf_signature=str(chrf.get_signature()),
    )
