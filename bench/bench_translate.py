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
    ./run bench.bench_translate --limit 300                            # the same through ./run

``--news N`` measures news articles instead (``news_articles``): N articles built from FLORES dev
sentences with the repetition real news has (image captions, attributions, boilerplate lines, wire
copies of one story in several outlets) plus the project's fixture articles, in articles per hour per
core (articles / CPU seconds x 3600) for stock argos at its best threads, the engine at its default
threads and batching (with the pipeline's sentence cache, here in memory, and argos's beam 4 / length
penalty 0.2 so outputs compare), and raw ``translate_batch`` on exactly the sentences the engine sent to
the model; then the engine's thread plan against the alternatives, wall time, two workers at once.

    PYTHONPATH=. .venv/bin/python bench/bench_translate.py --news 24
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from unittest.mock import patch

from testkit.flores import flores_dir
from warehouse.paths import PROJECT_ROOT

if TYPE_CHECKING:
    from translate.stock import StockArgosTranslator

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


def warm_stock_translator(intra_threads: int) -> StockArgosTranslator:
    """Argos as shipped (its own settings from ARGOS_* variables), one inter thread, warmed up."""
    os.environ["ARGOS_INTRA_THREADS"] = str(intra_threads)
    os.environ["ARGOS_INTER_THREADS"] = "1"
    os.environ["ARGOS_BEAM_SIZE"] = str(BEAM_SIZE)
    from translate.stock import StockArgosTranslator

    stock = StockArgosTranslator("vi", "en")
    stock.translate_paragraphs([WARM_UP])
    return stock


def measure_argos(sentences: list[str], intra_threads: int) -> tuple[list[str], Clock]:
    os.environ["ARGOS_CHUNK_TYPE"] = "SPACY"
    stock = warm_stock_translator(intra_threads)
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
    if args.worker.startswith("news-"):
        news_worker(args)
        return
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
    parser.add_argument(
        "--news", type=int, metavar="N", help="benchmark N news articles instead of FLORES sentences"
    )
    parser.add_argument(
        "--worker",
        choices=("argos", "engine", "raw", "news-argos", "news-engine", "news-raw"),
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--concurrency", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--sentences", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--intra", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--inter", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    return parser.parse_args()


def prepare(scratch: Path, seed: int, eos_ramp_steps: int) -> list[str]:
    """Build and install the OPUS-MT-size package; its source SentencePiece model is trained on the
    benchmark sentences so they split into realistic token counts."""
    os.environ["ARGOS_PACKAGES_DIR"] = str(scratch / "packages")
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        os.environ.setdefault(name, str(scratch / name.lower()))
    from testkit.synthetic_models import build_synthetic_package
    from translate.packages import install_package

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
    from testkit.synthetic_models import SIZES

    eos_ramp_steps = args.eos_ramp_steps or SIZES["opus-mt"].eos_ramp_steps
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a stopped run still removes its scratch
    scratch = Path(tempfile.mkdtemp(prefix="bench-translate-"))
    try:
        if args.news:
            run_news(args, scratch, eos_ramp_steps)
        else:
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
    trials: dict[int, float] = {}
    for intra in (1, 2, 0):
        trials[intra] = run_worker("argos", sample, scratch, intra=intra)["seconds"]
        print(f"  ARGOS_INTRA_THREADS={intra}: {trials[intra]:.2f} s", flush=True)
    best_intra = min(trials, key=trials.__getitem__)
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
    print(f"argos thread trials (2 articles, seconds): {json.dumps(trials)}")


# --- news articles ------------------------------------------------------------------------------------

CAPTIONS = ("Ảnh: TTXVN", "Quang cảnh buổi làm việc. (Ảnh: TTXVN)", "Ảnh minh họa. (Nguồn: Reuters)")
ATTRIBUTIONS = ("(Theo TTXVN)", "Theo Reuters, AFP", "(Nguồn: VNA)")
BOILERPLATE = (
    "Bài viết có tham khảo thông tin từ các hãng thông tấn quốc tế.",
    "Mời bạn đọc xem thêm các tin tức khác trong chuyên mục Thế giới.",
)


def news_articles(count: int, seed: int = 1) -> list[dict]:
    """``count`` articles of title, lead, six two-sentence paragraphs, an attribution and a boilerplate
    line, and two image captions, from consecutive FLORES dev sentences (real Vietnamese, never reused
    across stories); captions, attributions and boilerplate repeat across articles as they do on news
    sites, and every fourth article is a wire copy of an earlier story in another outlet (its lead
    rewritten, its last paragraph dropped). The project's fixture articles follow, as they are."""
    import random

    rng = random.Random(seed)
    pool = iter(read_sentences(FLORES / "dev.vi") + read_sentences(FLORES / "devtest.vi"))
    articles: list[dict] = []
    for number in range(count):
        if number % 4 == 3 and articles:
            original = rng.choice([article for article in articles if not article.get("copy_of")])
            articles.append(
                {
                    **original,
                    "key": f"wire-{number}",
                    "lead": next(pool),
                    "body": original["body"][:-3] + original["body"][-2:],
                    "copy_of": original["key"],
                }
            )
            continue
        body = [f"{next(pool)} {next(pool)}" for _ in range(6)]
        body += [rng.choice(ATTRIBUTIONS), rng.choice(BOILERPLATE)]
        articles.append(
            {
                "key": f"story-{number}",
                "title": next(pool),
                "lead": next(pool),
                "body": body,
                "captions": [rng.choice(CAPTIONS), rng.choice(CAPTIONS)],
            }
        )
    return articles + fixture_articles()


def fixture_articles() -> list[dict]:
    """The project's baoquocte fixture pages that are articles, extracted by the spider's own parser
    (title, lead, body, image captions); none when the fixtures are not in this checkout."""
    from datetime import UTC, datetime

    from spiders.sources.baoquocte import SOURCE

    parser, found = SOURCE.parser(SOURCE), []
    for page in sorted(PROJECT_ROOT.glob("*/fixtures/sites/baoquocte.vn/*.html")):
        url = f"https://baoquocte.vn/{page.name}"
        article = parser.extract(page.read_text(encoding="utf-8"), url, datetime.now(UTC)).article
        if article is not None:
            found.append(
                {
                    "key": page.stem,
                    "title": article.title,
                    "lead": article.lead,
                    "body": [block.text for block in article.body],
                    "captions": [image.caption for image in article.images if image.caption],
                }
            )
    return found


def article_texts(article: dict) -> list[str]:
    return [
        article["title"],
        *([article["lead"]] if article["lead"] else []),
        *article["body"],
        *article["captions"],
    ]


def news_worker(args: argparse.Namespace) -> None:
    articles = json.loads(Path(args.sentences).read_text(encoding="utf-8"))
    if args.worker == "news-argos":
        result = news_argos(articles, args.intra)
    elif args.worker == "news-engine":
        result = news_engine(articles, args.concurrency, args.inter)
    else:
        result = news_raw(json.loads(Path(args.cache).read_text(encoding="utf-8")), args.inter)
    result["peak_rss_mb"] = peak_rss_mb()
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


def news_argos(articles: list[dict], intra_threads: int) -> dict:
    stock = warm_stock_translator(intra_threads)
    with Clock() as clock:
        outputs = [stock.translate_paragraphs(article_texts(article)) for article in articles]
    sentencizer = stock._translation.underlying.sentencizer
    splits = [[sentencizer.split_sentences(text) for text in article_texts(article)] for article in articles]
    return {"seconds": clock.wall, "cpu_seconds": clock.cpu, "outputs": outputs, "splits": splits}


def news_engine(articles: list[dict], concurrency: int, inter_threads: int) -> dict:
    """The worker's path: batches of 16 articles through ``translate_documents`` with a sentence cache
    (the warehouse's in the pipeline, one in memory here), default threads for ``concurrency``."""
    from translate.cache import MemorySentenceCache
    from translate.engine import Engine, SourceDocument
    from translate.model import LoadedModel
    from translate.segment import split_sentences
    from translate.settings import EngineSettings
    from translate.text import clean_text, identify_language
    from warehouse.record import normalize_text

    settings = EngineSettings.from_env(
        {},
        beam_size=BEAM_SIZE,
        length_penalty=LENGTH_PENALTY,
        concurrency=concurrency or None,
        inter_threads=inter_threads or None,
    )
    engine = Engine(settings, cache=MemorySentenceCache())
    engine.translate_sentences([WARM_UP], "vi", "en", cache=MemorySentenceCache())
    identify_language(WARM_UP)
    calls: list[list[tuple[str, str]]] = []
    translate = LoadedModel.translate

    def recording(model: LoadedModel, sentences: Sequence[str]) -> list[str]:
        translations = translate(model, sentences)
        calls.append(list(zip(sentences, translations, strict=True)))
        return translations

    documents = [
        SourceDocument(
            key=article["key"],
            title=article["title"],
            lead=article["lead"],
            body=tuple(article["body"]),
            captions=tuple(article["captions"]),
            language="vi",
        )
        for article in articles
    ]
    with patch.object(LoadedModel, "translate", recording), Clock() as clock:
        results = []
        for start in range(0, len(documents), 16):
            results += engine.translate_documents(documents[start : start + 16], "en")
    outputs = [
        [result.title, *([result.lead] if result.lead is not None else []), *result.body, *result.captions]
        for result in results
    ]
    splits = [
        [split_sentences(normalize_text(clean_text(text))) for text in article_texts(article)]
        for article in articles
    ]
    return {
        "seconds": clock.wall,
        "cpu_seconds": clock.cpu,
        "outputs": outputs,
        "splits": splits,
        "model_calls": calls,
        "threads": [settings.inter_threads, settings.intra_threads],
        "stats": engine.stats.as_dict(),
    }


def news_raw(calls: list[list[list[str]]], inter_threads: int) -> dict:
    """``translate_batch`` alone on exactly the sentences the engine sent to the model, call by call,
    tokenized before the clock starts, in the engine's own batches and decode bounds, at its threads."""
    from translate.engine import Engine
    from translate.settings import EngineSettings

    settings = EngineSettings.from_env(
        {}, beam_size=BEAM_SIZE, length_penalty=LENGTH_PENALTY, inter_threads=inter_threads or None
    )
    engine = Engine(settings)
    model = engine._model(engine.route("vi", "en")[0])
    model.translator.translate_batch([model.tokenize(WARM_UP)], beam_size=BEAM_SIZE)
    token_calls = [[model.tokenize(source) for source, _ in call] for call in calls]
    outputs: list[str] = []
    with Clock() as clock:
        for tokens in token_calls:
            groups = model.batches(tokens)
            pending = [
                model.translator.translate_batch(
                    [tokens[index] for index in group],
                    beam_size=BEAM_SIZE,
                    length_penalty=LENGTH_PENALTY,
                    replace_unknowns=True,
                    max_decoding_length=model.decode_bound(max(len(tokens[index]) for index in group)),
                    asynchronous=True,
                )
                for group in groups
            ]
            hypotheses = [""] * len(tokens)
            for group, results in zip(groups, pending, strict=True):
                for index, result in zip(group, results, strict=True):
                    hypotheses[index] = result.result().hypotheses[0]
            outputs += hypotheses
    return {
        "seconds": clock.wall,
        "cpu_seconds": clock.cpu,
        "outputs": [model.detokenize(hypothesis) for hypothesis in outputs],
    }


def run_parallel(articles_files: list[Path], scratch: Path, **options: object) -> dict:
    """Several engine workers at once, like Celery slots; wall seconds of the slowest."""
    commands, outs = [], []
    for articles_file in articles_files:
        out = scratch / f"parallel-{time.monotonic_ns()}.json"
        outs.append(out)
        command = [sys.executable, __file__, "--worker", "news-engine", "--sentences", str(articles_file)]
        command += ["--out", str(out)]
        for name, value in options.items():
            command += [f"--{name}", str(value)]
        commands.append(command)
    environment = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    started = time.perf_counter()
    processes = [subprocess.Popen(command, env=environment, cwd=PROJECT_ROOT) for command in commands]
    for process in processes:
        if process.wait() != 0:
            raise SystemExit(f"a parallel worker failed: {process.args!r}")
    wall = time.perf_counter() - started
    results = [json.loads(out.read_text(encoding="utf-8")) for out in outs]
    return {"wall": wall, "cpu_seconds": sum(result["cpu_seconds"] for result in results), "runs": results}


def run_news(args: argparse.Namespace, scratch: Path, eos_ramp_steps: int) -> None:
    prepare(scratch, args.seed, eos_ramp_steps)
    articles = news_articles(args.news, args.seed)
    corpus = scratch / "articles.json"
    corpus.write_text(json.dumps(articles, ensure_ascii=False), encoding="utf-8")
    sample = scratch / "sample.json"
    sample.write_text(json.dumps(articles[:2], ensure_ascii=False), encoding="utf-8")
    texts = sum(len(article_texts(article)) for article in articles)
    print(
        f"{len(articles)} articles, {texts} texts; argos' threads by CPU seconds on 2 articles:", flush=True
    )
    trials = {}
    for intra in (1, 2, 0):
        trial = run_worker("news-argos", sample, scratch, intra=intra)
        trials[intra] = {"wall": round(trial["seconds"], 2), "cpu": round(trial["cpu_seconds"], 2)}
        print(f"  ARGOS_INTRA_THREADS={intra}: {trials[intra]}", flush=True)
    # per core is what is compared, so argos's best threads are those that cost it the least CPU
    best_intra = min(trials, key=lambda intra: trials[intra]["cpu"])
    stock = run_worker("news-argos", corpus, scratch, intra=best_intra)
    engine = run_worker("news-engine", corpus, scratch)
    calls_file = scratch / "calls.json"
    calls_file.write_text(json.dumps(engine["model_calls"], ensure_ascii=False), encoding="utf-8")
    raw = run_worker("news-raw", corpus, scratch, cache=calls_file, inter=engine["threads"][0])
    single = run_worker("news-engine", corpus, scratch, inter=1)
    halves = [scratch / "half-0.json", scratch / "half-1.json"]
    for index, half in enumerate(halves):
        half.write_text(json.dumps(articles[index::2], ensure_ascii=False), encoding="utf-8")
    planned = run_parallel(halves, scratch, concurrency=2)
    oversubscribed = run_parallel(halves, scratch, concurrency=1)
    runs = {
        "single": single,
        "stock": stock,
        "engine": engine,
        "raw": raw,
        "planned": planned,
        "oversubscribed": oversubscribed,
    }
    news_report(articles, runs, trials, best_intra)


def news_report(articles: list[dict], runs: dict[str, dict], trials: dict, best_intra: int) -> None:
    count = len(articles)
    stock, engine, raw = runs["stock"], runs["engine"], runs["raw"]

    def per_core_hour(result: dict) -> float:
        return count / result["cpu_seconds"] * 3600

    same_split = identical = 0
    for article_stock, article_engine, splits_stock, splits_engine in zip(
        stock["outputs"], engine["outputs"], stock["splits"], engine["splits"], strict=True
    ):
        for text_stock, text_engine, split_stock, split_engine in zip(
            article_stock, article_engine, splits_stock, splits_engine, strict=True
        ):
            if [piece.strip() for piece in split_stock] == split_engine:
                same_split += 1
                identical += text_stock == text_engine
    engine_sentences = [target for call in engine["model_calls"] for _, target in call]
    identical_raw = sum(a == b for a, b in zip(engine_sentences, raw["outputs"], strict=True))
    stats = engine["stats"]
    inter, intra = engine["threads"]
    print(
        f"\n{count} articles ({sum(1 for article in articles if article.get('copy_of'))} wire copies), "
        f"{stats['sentences']} sentences, {stats['unique_sentences']} unique, "
        f"{stats['cache_hits']} cache hits, "
        f"{stats['model_sentences']} to the model; beam {BEAM_SIZE}, length penalty {LENGTH_PENALTY}, int8, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n"
    )
    print("| path | wall s | CPU s | articles/hour/core (CPU) | vs argos | peak RSS MB |")
    print("|---|---|---|---|---|---|")
    rows = [
        (f"(a) stock argostranslate, intra {best_intra} (its best)", stock),
        (f"(b) engine, default threads here (inter {inter} x intra {intra}), sentence cache", engine),
        (f"(c) raw translate_batch on (b)'s {len(engine_sentences)} model sentences, same batches", raw),
    ]
    for name, result in rows:
        print(
            f"| {name} | {result['seconds']:.2f} | {result['cpu_seconds']:.2f} | "
            f"{per_core_hour(result):.0f} | "
            f"{stock['cpu_seconds'] / result['cpu_seconds']:.2f}x | {result['peak_rss_mb']:.0f} |"
        )
    print(
        f"\n(b) / (c) CPU seconds: {engine['cpu_seconds'] / raw['cpu_seconds']:.3f} (target <= 1.05); "
        f"wall {engine['seconds'] / raw['seconds']:.3f}"
    )
    print(f"identical outputs (b) vs (c), per model sentence: {identical_raw}/{len(engine_sentences)}")
    print(
        "identical outputs (a) vs (b) where both split a text into the same sentences: "
        f"{identical}/{same_split}"
    )
    print("\nthread plan, two workers at once on half the articles each (wall s, articles/hour):")
    print(
        f"  lone worker, planned {inter}x{intra}: {engine['seconds']:.2f} s, "
        f"{count / engine['seconds'] * 3600:.0f}, CPU {engine['cpu_seconds']:.2f} s"
    )
    single = runs["single"]
    print(
        f"  lone worker, 1x1: {single['seconds']:.2f} s, {count / single['seconds'] * 3600:.0f}, "
        f"CPU {single['cpu_seconds']:.2f} s"
    )
    for name, result in (
        ("planned for 2 slots (1x1 each)", runs["planned"]),
        ("oversubscribed (2x1 each)", runs["oversubscribed"]),
    ):
        threads = [run["threads"] for run in result["runs"]]
        print(
            f"  {name} {threads}: {result['wall']:.2f} s, {count / result['wall'] * 3600:.0f}, "
            f"CPU {result['cpu_seconds']:.2f} s"
        )
    print(f"argos thread trials (2 articles, seconds): {json.dumps(trials)}")


if __name__ == "__main__":
    main()
