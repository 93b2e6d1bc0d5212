"""Translation throughput: stock argostranslate vs the engine vs raw CTranslate2, on one synthetic
OPUS-MT-size model (6+6 layers, d 512, 8 heads, FFN 2048, 32k vocabulary, int8, random weights whose
``</s>`` logit climbs with the decoding step so outputs run about 40 tokens, as long as the source
and real vi->en translations; ``--eos-ramp-steps`` changes that) over the FLORES dev+devtest
Vietnamese sentences.

Every measurement runs in its own process (so peak RSS is its own) with the model loaded before the
clock starts. Ratios are against the stock path measured in the same run. Wall and CPU seconds are
both reported: on a shared machine CPU seconds show what a path costs whatever else runs.

    PYTHONPATH=. .venv/bin/python bench/bench_translate.py            # all 2,009 sentences
    PYTHONPATH=. .venv/bin/python bench/bench_translate.py --limit 300 # a quick subset
    python -m translate bench --limit 300                              # the same through the CLI
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from translate.flores import flores_dir

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FLORES = flores_dir()
BEAM_SIZE = 4
LENGTH_PENALTY = 0.2
WARM_UP = "Đây là câu khởi động mô hình."


class Clock:
    """Wall seconds and CPU seconds (user + system, all threads) of a block."""

    def __enter__(self) -> Clock:
        self._wall, self._cpu = time.perf_counter(), _cpu_seconds()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = _cpu_seconds() - self._cpu


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def peak_rss_mb() -> float:
    """This process's own high-water mark (VmHWM); ``ru_maxrss`` would include the parent's peak,
    which Linux carries across fork and exec."""
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_sentences(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def measure_argos(sentences: list[str], intra_threads: int) -> tuple[list[str], Clock]:
    os.environ["ARGOS_CHUNK_TYPE"] = "SPACY"
    os.environ["ARGOS_INTRA_THREADS"] = str(intra_threads)
    os.environ["ARGOS_INTER_THREADS"] = "1"
    os.environ["ARGOS_BEAM_SIZE"] = str(BEAM_SIZE)
    from translate.stock import StockArgosTranslator

    stock = StockArgosTranslator("vi", "en")
    stock.translate_paragraphs([WARM_UP])
    with Clock() as clock:
        outputs = stock.translate_paragraphs(sentences)
    return outputs, clock


def measure_engine(
    sentences: list[str], intra_threads: int, inter_threads: int, cache_file: str | None
) -> tuple[list[str], Clock]:
    from translate.cache import SqliteSentenceCache
    from translate.engine import Engine
    from translate.settings import EngineSettings
    from translate.text import identify_language

    settings = EngineSettings.from_env(
        {},
        beam_size=BEAM_SIZE,
        length_penalty=LENGTH_PENALTY,
        intra_threads=intra_threads,
        inter_threads=inter_threads,
    )
    engine = Engine(settings, cache=SqliteSentenceCache(Path(cache_file)) if cache_file else None)
    engine.translate_sentences([WARM_UP], "vi", "en")
    # language identification loads its model on first use: outside the clock, like the translator
    identify_language(WARM_UP)
    with Clock() as clock:
        outputs = engine.translate_paragraphs(sentences, "vi", "en")
    return outputs, clock


def measure_raw(sentences: list[str], intra_threads: int) -> tuple[list[str], Clock, dict[str, int]]:
    """The floor: CTranslate2 alone on the engine's own sentence units, segmented and tokenized
    before the clock starts, in CTranslate2's own 32-sentence batches."""
    import ctranslate2
    import sentencepiece

    from translate.packages import installed_packages
    from translate.segment import split_sentences
    from warehouse.record import normalize_text

    (package,) = installed_packages()
    source = sentencepiece.SentencePieceProcessor(model_file=str(package.source_tokenizer))
    target = sentencepiece.SentencePieceProcessor(model_file=str(package.target_tokenizer))
    translator = ctranslate2.Translator(str(package.model_dir), inter_threads=1, intra_threads=intra_threads)
    units = [split_sentences(normalize_text(sentence)) for sentence in sentences]
    tokens = [source.encode(unit, out_type=str) for line in units for unit in line]
    translator.translate_batch([source.encode(WARM_UP, out_type=str)], beam_size=BEAM_SIZE)
    with Clock() as clock:
        results = translator.translate_batch(
            tokens,
            beam_size=BEAM_SIZE,
            length_penalty=LENGTH_PENALTY,
            replace_unknowns=True,
            max_batch_size=32,
        )
    pieces = iter(target.decode_pieces(result.hypotheses[0]).replace("▁", " ") for result in results)
    outputs = []
    for line in units:
        translated = [next(pieces) for _ in line]
        outputs.append(" ".join(piece[1:] if piece.startswith(" ") else piece for piece in translated))
    counts = {
        "source_tokens": sum(map(len, tokens)),
        "target_tokens": sum(len(result.hypotheses[0]) for result in results),
    }
    return outputs, clock, counts


def worker(args: argparse.Namespace) -> None:
    sentences = read_sentences(Path(args.sentences))
    counts: dict[str, int] = {}
    if args.worker == "argos":
        outputs, clock = measure_argos(sentences, args.intra)
    elif args.worker == "engine":
        outputs, clock = measure_engine(sentences, args.intra, args.inter, args.cache)
    else:
        outputs, clock, counts = measure_raw(sentences, args.intra)
    result = {
        "seconds": clock.wall,
        "cpu_seconds": clock.cpu,
        "peak_rss_mb": peak_rss_mb(),
        "outputs": outputs,
        **counts,
    }
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


def run_worker(kind: str, sentences: Path, scratch: Path, **options: object) -> dict:
    out = scratch / f"{kind}-{time.monotonic_ns()}.json"
    command = [sys.executable, __file__, "--worker", kind, "--sentences", str(sentences), "--out", str(out)]
    for name, value in options.items():
        command += [f"--{name}", str(value)]
    environment = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    subprocess.run(command, check=True, env=environment, cwd=PROJECT_ROOT)
    return json.loads(out.read_text(encoding="utf-8"))


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, help="use only the first N sentences")
    parser.add_argument("--sample", type=int, default=100, help="sentences for choosing argos' threads")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--eos-ramp-steps",
        type=int,
        help="time scale of the synthetic model's </s> ramp (default: the opus-mt size's); outputs end "
        "after ~0.5x this many tokens",
    )
    parser.add_argument("--worker", choices=("argos", "engine", "raw"), help=argparse.SUPPRESS)
    parser.add_argument("--sentences", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--intra", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--inter", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    return parser.parse_args()


def prepare(scratch: Path, seed: int, eos_ramp_steps: int) -> list[str]:
    """Build and install the OPUS-MT-size package; its source SentencePiece model is trained on the
    benchmark sentences so they split into realistic token counts."""
    os.environ["ARGOS_PACKAGES_DIR"] = str(scratch / "packages")
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        os.environ.setdefault(name, str(scratch / name.lower()))
    from translate.packages import install_package
    from translate.synthetic import build_synthetic_package

    sentences = read_sentences(FLORES / "dev.vi") + read_sentences(FLORES / "devtest.vi")
    with Clock() as clock:
        package_file = scratch / "vi_en.argosmodel"
        install_package(
            build_synthetic_package(
                package_file, size="opus-mt", seed=seed, source_lines=sentences, eos_ramp_steps=eos_ramp_steps
            )
        )
    print(f"built and installed the OPUS-MT-size package in {clock.wall:.1f} s", flush=True)
    return sentences


def main() -> None:
    args = parse_arguments()
    if args.worker:
        worker(args)
        return
    if not (FLORES / "dev.vi").is_file():
        sys.exit(f"{FLORES} is missing: the benchmark reads dev.vi and devtest.vi from there")
    from translate.synthetic import SIZES

    eos_ramp_steps = args.eos_ramp_steps or SIZES["opus-mt"].eos_ramp_steps
    scratch = Path(tempfile.mkdtemp(prefix="bench-translate-"))
    try:
        run(args, scratch, eos_ramp_steps)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(args: argparse.Namespace, scratch: Path, eos_ramp_steps: int) -> None:
    sentences = prepare(scratch, args.seed, eos_ramp_steps)[: args.limit]
    corpus = scratch / "sentences.vi"
    corpus.write_text("\n".join(sentences) + "\n", encoding="utf-8")
    sample = scratch / "sample.vi"
    sample.write_text("\n".join(sentences[: args.sample]) + "\n", encoding="utf-8")

    print(f"choosing argos' intra-op threads on {min(args.sample, len(sentences))} sentences:", flush=True)
    trials = {}
    for intra in (1, 2, 0):
        trials[intra] = run_worker("argos", sample, scratch, intra=intra)["seconds"]
        print(f"  ARGOS_INTRA_THREADS={intra}: {trials[intra]:.2f} s", flush=True)
    best_intra = min(trials, key=trials.get)
    cache = scratch / "cache.sqlite"
    runs = {
        f"(a) stock argostranslate, intra {best_intra}": run_worker(
            "argos", corpus, scratch, intra=best_intra
        ),
        "(b) engine, inter 1 x intra 1": run_worker("engine", corpus, scratch, intra=1, inter=1),
        "(b) engine, inter 2 x intra 1": run_worker("engine", corpus, scratch, intra=1, inter=2),
        "(c) raw translate_batch, pre-tokenized, intra 1": run_worker("raw", corpus, scratch, intra=1),
        "(b) engine + SQLite cache, first run": run_worker(
            "engine", corpus, scratch, intra=1, inter=1, cache=cache
        ),
        "(b) engine + SQLite cache, re-run": run_worker(
            "engine", corpus, scratch, intra=1, inter=1, cache=cache
        ),
    }
    report(sentences, runs, trials, eos_ramp_steps)


def row(name: str, result: dict, sentences: int, tokens: tuple[int, int], baseline: dict) -> str:
    seconds, cpu = result["seconds"], result["cpu_seconds"]
    return (
        f"| {name} | {seconds:.2f} | {cpu:.2f} | {sentences / seconds:.1f} | {tokens[0] / seconds:.0f} | "
        f"{tokens[1] / seconds:.0f} | {result['peak_rss_mb']:.0f} | {baseline['seconds'] / seconds:.2f}x | "
        f"{baseline['cpu_seconds'] / max(cpu, 1e-6):.2f}x |"
    )


def report(
    sentences: list[str], runs: dict[str, dict], trials: dict[int, float], eos_ramp_steps: int
) -> None:
    stock, engine, _, raw, first, cached = runs.values()
    count = len(sentences)
    tokens = (raw["source_tokens"], raw["target_tokens"])
    identical = sum(a == b for a, b in zip(stock["outputs"], engine["outputs"], strict=True))
    identical_raw = sum(a == b for a, b in zip(raw["outputs"], engine["outputs"], strict=True))
    print(
        f"\n{count} sentences, beam {BEAM_SIZE}, length penalty {LENGTH_PENALTY}, int8, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; {tokens[0] / count:.1f} source and "
        f"{tokens[1] / count:.1f} target tokens per line (model tokens, counted in (c)); synthetic model "
        f"with random weights, </s> ramp over {eos_ramp_steps} steps (a fixed output length, independent "
        "of the source length, bounded by max_decoding_length)\n"
    )
    print(
        "| path | wall s | CPU s | sentences/s | source tokens/s | target tokens/s | peak RSS MB "
        "| vs (a) wall | vs (a) CPU |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, result in runs.items():
        print(row(name, result, count, tokens, stock))
    print(f"\nidentical outputs (a) vs (b): {identical}/{count}; (c) vs (b): {identical_raw}/{count}")
    print(
        f"(b) / (c): wall {engine['seconds'] / raw['seconds']:.2f}, "
        f"CPU {engine['cpu_seconds'] / raw['cpu_seconds']:.2f}"
    )
    print(f"cached re-run vs first run: {first['seconds'] / cached['seconds']:.0f}x faster (wall)")
    print(f"argos thread trials (wall s): {json.dumps(trials)}")


if __name__ == "__main__":
    main()
