"""Offline stand-ins for real translation models: an OPUS-MT-style release with random weights, and
the Argos package built from it through the same ``build-package`` code users run on real releases.

Nothing here downloads anything. SentencePiece models are trained on generated news-style lines (or
on lines the caller passes), and the Marian ``.npz`` carries random weights under the names
CTranslate2's OPUS-MT converter reads. Plain random weights loop: a tied output projection makes the
previous token the likeliest next one, so decoding runs to the length limit. Here the output projection
is untied and ``</s>``'s output row reads only position-encoding dimensions that rise over the first
decoding steps (token embeddings are zero there, decoder sublayers are damped so the signal survives):
the ``</s>`` logit climbs step by step and decoding stops, while the tokens before it still depend on
the source. The ramp's time scale is per size: the tiny test model stops after about 3-8 tokens (fast
tests); the OPUS-MT-size benchmark model after about 41 on FLORES lines (~41 source tokens;
a ramp of 80 steps), about as long as real vi->en translations, so beam-search decoding carries
a realistic share of the work. The length is a fixed property of the step, not of the source
length, and decoding stays bounded by ``max_decoding_length``. Translations are gibberish by
design; every code path around the model is real.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import yaml

from translate.opus_mt import build_package


@dataclass(frozen=True, slots=True)
class ModelSize:
    encoder_layers: int
    decoder_layers: int
    d_model: int
    heads: int
    ffn: int
    vocabulary: int  # 0: as many entries as the SentencePiece models have pieces
    spm_vocabulary: int
    eos_bias: float
    eos_gain: float
    decoder_residual_scale: float
    # time scale of the ``</s>`` ramp: outputs end after roughly 0.45-0.5 x this many tokens
    # (opus-mt size on FLORES Vietnamese: 28 -> mean 15, 60 -> 27, 80 -> 41 target tokens)
    eos_ramp_steps: int


SIZES: dict[str, ModelSize] = {
    "tiny": ModelSize(
        1, 1, 32, 2, 64, 0, 400, eos_bias=0.0, eos_gain=8.0, decoder_residual_scale=0.6, eos_ramp_steps=6
    ),
    "opus-mt": ModelSize(
        6,
        6,
        512,
        8,
        2048,
        32_000,
        8_000,
        eos_bias=0.0,
        eos_gain=8.0,
        decoder_residual_scale=0.3,
        eos_ramp_steps=80,
    ),
}

_VIETNAMESE = {
    "subject": [
        "Bộ Ngoại giao",
        "Thủ tướng Chính phủ",
        "Chủ tịch nước",
        "Ủy ban nhân dân TP.HCM",
        "Đại sứ quán Việt Nam",
        "Ngân hàng Nhà nước",
        "Tổng cục Thống kê",
        "Phó Thủ tướng",
        "người dân Hà Nội",
        "các doanh nghiệp",
    ],
    "verb": ["đã tiếp", "khẳng định", "thảo luận về", "công bố", "ký kết", "thúc đẩy", "chúc mừng", "hỗ trợ"],
    "object": [
        "quan hệ hợp tác song phương",
        "kế hoạch phát triển kinh tế",
        "đoàn đại biểu cấp cao",
        "thỏa thuận thương mại tự do",
        "chương trình an sinh xã hội",
        "tình hình biển Đông",
        "dự án hạ tầng giao thông",
        "lễ kỷ niệm quốc khánh",
    ],
    "tail": [
        "tại Hà Nội",
        "vào sáng nay",
        "trong năm 2024",
        "với tổng vốn 1.000 tỷ đồng",
        "theo thông báo ngày 15/3",
        "ở thành phố Đà Nẵng",
        "trước Quốc hội",
        "trên toàn quốc",
    ],
}
_ENGLISH = {
    "subject": [
        "The Foreign Ministry",
        "The Prime Minister",
        "The President",
        "City authorities",
        "The embassy",
        "The central bank",
        "The statistics office",
        "Local residents",
    ],
    "verb": ["received", "affirmed", "discussed", "announced", "signed", "promoted", "welcomed", "supported"],
    "object": [
        "bilateral cooperation",
        "the economic development plan",
        "a high-level delegation",
        "the free trade agreement",
        "the social welfare programme",
        "the regional situation",
        "the transport project",
        "the national day celebration",
    ],
    "tail": ["in Hanoi", "this morning", "in 2024", "worth 1,000 billion dong", "on March 15", "nationwide"],
}


def news_sentences(language: str, count: int, seed: int = 0) -> list[str]:
    """``count`` generated news-style sentences: Vietnamese for ``vi``, English-like otherwise."""
    words = _VIETNAMESE if language == "vi" else _ENGLISH
    rng = random.Random(f"{language}-{seed}")
    return [
        " ".join(rng.choice(words[part]) for part in ("subject", "verb", "object", "tail")) + "."
        for _ in range(count)
    ]


def _train_sentencepiece(lines: Sequence[str], model_path: Path, vocabulary: int) -> None:
    import sentencepiece

    corpus = model_path.with_suffix(".txt")
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sentencepiece.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(model_path.with_suffix("")),
        vocab_size=vocabulary,
        hard_vocab_limit=False,
        character_coverage=1.0,
        model_type="unigram",
        minloglevel=2,
        num_threads=1,
    )
    model_path.with_suffix(".model").rename(model_path)
    model_path.with_suffix(".vocab").unlink()
    corpus.unlink()


def _pieces(model_path: Path) -> list[str]:
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor(model_file=str(model_path))
    return [
        processor.id_to_piece(index)
        for index in range(processor.get_piece_size())
        if not (processor.is_control(index) or processor.is_unknown(index))
    ]


def _write_vocabulary(path: Path, tokens: Sequence[str]) -> None:
    """Marian's ``token: id`` YAML, literal UTF-8, every key double-quoted."""
    lines = []
    for index, token in enumerate(tokens):
        escaped = token.replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'"{escaped}": {index}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _marian_weights(size: ModelSize, vocabulary: int, eos_index: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    d, ffn = size.d_model, size.ffn

    def matrix(rows: int, columns: int) -> np.ndarray:
        return rng.normal(0.0, (2.0 / (rows + columns)) ** 0.5, (rows, columns)).astype(np.float32)

    def zeros(columns: int) -> np.ndarray:
        return np.zeros((1, columns), dtype=np.float32)

    def ones(columns: int) -> np.ndarray:
        return np.ones((1, columns), dtype=np.float32)

    def attention(scope: str) -> dict[str, np.ndarray]:
        block = {}
        for name in ("q", "k", "v", "o"):
            block[f"{scope}_W{name}"] = matrix(d, d)
            block[f"{scope}_b{name}"] = zeros(d)
        block[f"{scope}_Wo_ln_scale"] = ones(d)
        block[f"{scope}_Wo_ln_bias"] = zeros(d)
        return block

    def feed_forward(scope: str) -> dict[str, np.ndarray]:
        return {
            f"{scope}_ffn_W1": matrix(d, ffn),
            f"{scope}_ffn_b1": zeros(ffn),
            f"{scope}_ffn_W2": matrix(ffn, d),
            f"{scope}_ffn_b2": zeros(d),
            f"{scope}_ffn_ffn_ln_scale": ones(d),
            f"{scope}_ffn_ffn_ln_bias": zeros(d),
        }

    ramp = _position_ramp_dimensions(d, size.eos_ramp_steps)
    embeddings = rng.normal(0.0, d**-0.5, (vocabulary, d)).astype(np.float32)
    embeddings[:, ramp] = 0.0
    output = rng.normal(0.0, d**-0.5, (d, vocabulary)).astype(np.float32)
    output[ramp, :] = 0.0
    output[:, eos_index] = 0.0
    output[ramp, eos_index] = size.eos_gain / len(ramp) ** 0.5
    weights = {"Wemb": embeddings, "decoder_ff_logit_out_W": output}
    for layer in range(1, size.encoder_layers + 1):
        weights |= attention(f"encoder_l{layer}_self") | feed_forward(f"encoder_l{layer}")
    for layer in range(1, size.decoder_layers + 1):
        weights |= attention(f"decoder_l{layer}_self") | attention(f"decoder_l{layer}_context")
        weights |= feed_forward(f"decoder_l{layer}")
        for name in (f"decoder_l{layer}_self_Wo", f"decoder_l{layer}_context_Wo", f"decoder_l{layer}_ffn_W2"):
            weights[name] *= size.decoder_residual_scale
    output_bias = zeros(vocabulary)
    output_bias[0, eos_index] = size.eos_bias
    weights["decoder_ff_logit_out_b"] = output_bias
    return weights


def _position_ramp_dimensions(d_model: int, eos_ramp_steps: int) -> list[int]:
    """Sine dimensions of the sinusoidal position encoding whose frequency makes them rise steadily
    over the first ``eos_ramp_steps`` or so decoding steps. Content embeddings are zero there and
    ``</s>``'s output row points along them, so the ``</s>`` logit grows with the step: random decoding
    stops part-way up the ramp instead of looping to the length limit. Scaling the frequency band by
    ``1 / eos_ramp_steps`` stretches the same ``</s>`` curve in time."""
    frequencies = 10000.0 ** (-2.0 * np.arange(d_model // 2) / d_model)
    low, high = 0.24 / eos_ramp_steps, 1.2 / eos_ramp_steps
    chosen = [int(k) for k in np.flatnonzero((frequencies >= low) & (frequencies <= high))]
    return chosen or [int(np.argmin(np.abs(frequencies - 0.6 / eos_ramp_steps)))]


def _marian_config(size: ModelSize, vocabulary: int) -> np.ndarray:
    config = {
        "type": "transformer",
        "dim-emb": size.d_model,
        "dim-vocabs": [vocabulary, vocabulary],
        "enc-depth": size.encoder_layers,
        "dec-depth": size.decoder_layers,
        "transformer-heads": size.heads,
        "transformer-dim-ffn": size.ffn,
        "transformer-ffn-activation": "swish",
        "transformer-decoder-autoreg": "self-attention",
        "transformer-no-projection": False,
        "transformer-preprocess": "",
        "transformer-postprocess": "dan",
        "transformer-postprocess-emb": "d",
        "transformer-guided-alignment-layer": "last",
        "tied-embeddings-all": False,
        "tied-embeddings-src": True,
        "version": "v1.9.56 synthetic",
    }
    text = yaml.safe_dump(config, sort_keys=False)
    return np.frombuffer(text.encode("utf-8") + b"\0", dtype=np.int8)


def write_opus_mt_release(  # noqa: PLR0913 - keyword-only knobs of a synthetic release
    release_dir: Path,
    *,
    from_code: str = "vi",
    to_code: str = "en",
    size: str = "tiny",
    seed: int = 0,
    source_lines: Iterable[str] | None = None,
    release_format: str = "helsinki-opus-mt",
    language_tokens: Sequence[str] = (),
    readme_states_token: bool = True,
    dataset: str | None = None,
    eos_ramp_steps: int | None = None,
) -> Path:
    """Write an OPUS-MT-style release folder: ``decoder.yml``, Marian ``.npz`` (with
    ``special:model.yml``), a shared ``*.vocab.yml``, ``source.spm``, ``target.spm``, README, LICENSE.

    ``release_format="tatoeba-challenge"`` uses the ``opus+bt`` file prefix (or ``dataset``, e.g.
    ``opus4m+btTCv20210807``) and a Tatoeba-style README; ``language_tokens`` (e.g.
    ``(">>vie<<", ">>eng<<")``) go into the vocabulary and, with ``readme_states_token``, into the
    README's "a sentence initial language token is required" and "valid language labels" lines.
    ``eos_ramp_steps`` overrides the size's ``</s>`` time scale (longer ramp, longer outputs).
    """
    spec = SIZES[size]
    if eos_ramp_steps is not None:
        spec = replace(spec, eos_ramp_steps=eos_ramp_steps)
    release_dir = Path(release_dir)
    release_dir.mkdir(parents=True, exist_ok=True)
    source = list(source_lines) if source_lines is not None else news_sentences(from_code, 400, seed)
    target = news_sentences(to_code, 400, seed + 1)
    _train_sentencepiece(source, release_dir / "source.spm", spec.spm_vocabulary)
    _train_sentencepiece(target, release_dir / "target.spm", spec.spm_vocabulary)

    tokens = ["</s>", "<unk>", *language_tokens]
    seen = set(tokens)
    for piece in _pieces(release_dir / "source.spm") + _pieces(release_dir / "target.spm"):
        if piece not in seen:
            seen.add(piece)
            tokens.append(piece)
    filler = 0
    while len(tokens) < spec.vocabulary:
        tokens.append(f"▁w{filler}")
        filler += 1
    tokens.append("<pad>")

    tatoeba = release_format == "tatoeba-challenge"
    dataset = dataset or ("opus+bt" if tatoeba else "opus")
    stem = f"{dataset}.spm32k-spm32k"
    vocabulary_name = f"{stem}.vocab.yml"
    model_name = f"{stem}.transformer-align.model1.npz.best-perplexity.npz"
    _write_vocabulary(release_dir / vocabulary_name, tokens)
    weights = _marian_weights(spec, len(tokens), eos_index=0, seed=seed)
    weights["special:model.yml"] = _marian_config(spec, len(tokens))
    np.savez(release_dir / model_name, allow_pickle=False, **weights)
    decoder = {
        "models": [model_name],
        "vocabs": [vocabulary_name, vocabulary_name],
        "beam-size": 6,
        "normalize": 0.6,
        "word-penalty": 0,
        "mini-batch": 16,
        "maxi-batch": 500,
        "maxi-batch-sort": "src",
        "relative-paths": True,
    }
    (release_dir / "decoder.yml").write_text(yaml.safe_dump(decoder, sort_keys=False), encoding="utf-8")
    requirement = (
        "* a sentence initial language token is required in the form of `>>id<<` "
        f"(id = valid target language ID)\n* valid language labels: {' '.join(language_tokens)}\n"
        if language_tokens and readme_states_token
        else ""
    )
    heading = (
        f"# {dataset}-2021-09-30.zip\n\nSynthetic Tatoeba-Challenge release, random weights.\n\n"
        f"* dataset: {dataset}\n"
        if tatoeba
        else f"# {from_code}-{to_code} (synthetic OPUS-MT release, random weights)\n\n"
    )
    (release_dir / "README.md").write_text(
        f"{heading}* source language(s): {from_code}\n* target language(s): {to_code}\n"
        f"* model: transformer-align\n* pre-processing: normalization + SentencePiece (spm32k,spm32k)\n"
        f"{requirement}",
        encoding="utf-8",
    )
    (release_dir / "LICENSE").write_text("CC-BY 4.0 (synthetic test release)\n", encoding="utf-8")
    return release_dir


def build_synthetic_package(  # noqa: PLR0913 - keyword knobs of a synthetic package
    out_path: Path,
    from_code: str = "vi",
    to_code: str = "en",
    size: str = "tiny",
    *,
    seed: int = 0,
    source_lines: Iterable[str] | None = None,
    model_id: str | None = None,
    package_version: str = "1.0",
    eos_ramp_steps: int | None = None,
) -> Path:
    """Build an installable ``.argosmodel`` with random weights at ``out_path`` and return the path.

    ``size="tiny"`` (1+1 layers, d 32) builds in about a second; ``size="opus-mt"`` (6+6 layers, d 512,
    8 heads, FFN 2048, 32k vocabulary, int8, ~40-token outputs) is the benchmark model; pass
    ``source_lines`` (e.g. the benchmark's own sentences) so its source SentencePiece model splits real
    text realistically.
    """
    with tempfile.TemporaryDirectory(prefix="synthetic-release-") as scratch:
        release = write_opus_mt_release(
            Path(scratch) / f"synthetic-{from_code}-{to_code}-{size}",
            from_code=from_code,
            to_code=to_code,
            size=size,
            seed=seed,
            source_lines=source_lines,
            eos_ramp_steps=eos_ramp_steps,
        )
        return build_package(
            release,
            from_code,
            to_code,
            Path(out_path),
            model_id=model_id or f"synthetic-{size}-{from_code}-{to_code}",
            package_version=package_version,
        )
