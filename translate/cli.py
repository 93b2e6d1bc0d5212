"""``python -m translate``: install, list, build-package, translate, eval. Heavy imports
(CTranslate2, spaCy, argostranslate) happen inside the commands, so ``--help`` stays instant."""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from translate.model import TranslationError
from translate.packages import PackageError, installed_packages, packages_dir

PROGRESS_THRESHOLD = 100
CHUNK_PARAGRAPHS = 64


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.command(args)
    except (PackageError, TranslationError, ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m translate",
        description="Offline translation with Argos packages and CTranslate2.",
        epilog=f"Packages folder: ARGOS_PACKAGES_DIR (now {packages_dir()}). Engine settings: TRANSLATE_* "
        "variables (TRANSLATE_BEAM_SIZE, TRANSLATE_INTRA_THREADS, TRANSLATE_DEVICE, ...).",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    install = commands.add_parser("install", help="install an .argosmodel file (offline)")
    install.add_argument("package_file", type=Path, metavar="FILE.argosmodel")
    install.set_defaults(command=_install)

    listing = commands.add_parser("list", help="installed pairs, model ids and versions")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(command=_list)

    build = commands.add_parser("build-package", help="build an .argosmodel from an OPUS-MT release")
    build.add_argument(
        "--opus-mt", type=Path, required=True, metavar="DIR", help="unzipped release (or .zip)"
    )
    build.add_argument("--from", dest="from_code", required=True, help="source language code, e.g. vi")
    build.add_argument("--to", dest="to_code", required=True, help="target language code, e.g. en")
    build.add_argument("--out", type=Path, required=True, metavar="FILE.argosmodel")
    build.add_argument("--quantization", default="int8", help="CTranslate2 weight type (default int8)")
    build.add_argument(
        "--model-id", help="identifier stored with translations (default: release folder name)"
    )
    build.add_argument("--package-version", default="1.0")
    build.add_argument(
        "--target-token",
        help="the >>xxx<< token to prepend (default: from the release README's "
        "valid language labels or the vocabulary, matching --to)",
    )
    build.add_argument("--install", action="store_true", help="install the package after building it")
    build.set_defaults(command=_build_package)

    translate = commands.add_parser("translate", help="translate a file or stdin (one paragraph per line)")
    translate.add_argument("input", nargs="?", type=Path, help="input file (default: stdin)")
    _add_translation_options(translate)
    translate.set_defaults(command=_translate)

    evaluate = commands.add_parser(
        "eval", help="BLEU and chrF (sacrebleu) of a model or of a hypothesis file"
    )
    evaluate.add_argument(
        "--src", type=Path, help="source sentences, one per line (needed unless --hyp is given)"
    )
    evaluate.add_argument("--ref", type=Path, required=True, help="reference translations, one per line")
    evaluate.add_argument("--hyp", type=Path, help="score this system output instead of translating --src")
    evaluate.add_argument(
        "--out", type=Path, default=Path("eval.json"), help="JSON results (default eval.json)"
    )
    evaluate.add_argument("--save-hyp", type=Path, help="also write the translations here")
    _add_translation_options(evaluate)
    evaluate.set_defaults(command=_evaluate)
    return parser


def _add_translation_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="from_code", help="source language (default: identify it)")
    parser.add_argument("--to", dest="to_code", default="en", help="target language (default en)")
    parser.add_argument("--backend", choices=("engine", "argos"), default="engine")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(os.environ["TRANSLATE_CACHE"]) if os.environ.get("TRANSLATE_CACHE") else None,
        help="SQLite sentence cache file (default: TRANSLATE_CACHE, else no cache)",
    )
    parser.add_argument("--beam-size", type=int, help="default: the package's (its release's decoder.yml)")
    parser.add_argument("--length-penalty", type=float, help="default: the package's (decoder.yml normalize)")
    parser.add_argument("--intra-threads", type=int)
    parser.add_argument("--inter-threads", type=int)
    parser.add_argument("--device", choices=("cpu", "cuda", "auto"))
    parser.add_argument("--compute-type")
    parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")


def _install(args: argparse.Namespace) -> int:
    from translate.packages import install_package

    package = install_package(args.package_file)
    print(f"installed {package.pair} {package.model_id} {package.model_version} -> {package.path}")
    return 0


def _list(args: argparse.Namespace) -> int:
    packages = installed_packages()
    if args.json:
        rows = [
            {
                "from": package.from_code,
                "to": package.to_code,
                "model_id": package.model_id,
                "model_version": package.model_version,
                "path": str(package.path),
            }
            for package in packages
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not packages:
        print(
            f"no packages installed in {packages_dir()}; install one with `python -m translate install FILE`"
        )
        return 0
    for package in packages:
        print(f"{package.pair}\t{package.model_id}\t{package.model_version}\t{package.path}")
    return 0


def _build_package(args: argparse.Namespace) -> int:
    from translate.opus_mt import build_package
    from translate.packages import install_package

    out = build_package(
        args.opus_mt,
        args.from_code,
        args.to_code,
        args.out,
        quantization=args.quantization,
        model_id=args.model_id,
        package_version=args.package_version,
        target_token=args.target_token,
    )
    print(f"built {out}")
    if args.install:
        package = install_package(out)
        print(f"installed {package.pair} {package.model_id} {package.model_version} -> {package.path}")
    return 0


def _paragraphs(source: Path | None) -> list[str]:
    text = source.read_text(encoding="utf-8", errors="surrogateescape") if source else sys.stdin.read()
    lines = text.split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def _translations(args: argparse.Namespace, paragraphs: list[str]) -> Iterator[str]:
    """Translations in input order, chunk by chunk, with a progress bar on long inputs."""
    from tqdm import tqdm

    translate_chunk = _chunk_translator(args, paragraphs)
    show = not args.no_progress and len(paragraphs) > PROGRESS_THRESHOLD
    with tqdm(total=len(paragraphs), unit="par", disable=not show, file=sys.stderr) as progress:
        for start in range(0, len(paragraphs), CHUNK_PARAGRAPHS):
            chunk = paragraphs[start : start + CHUNK_PARAGRAPHS]
            yield from translate_chunk(chunk)
            progress.update(len(chunk))


def _chunk_translator(args: argparse.Namespace, paragraphs: list[str]):
    from translate.text import identify_language

    from_code = args.from_code or identify_language(" ".join(paragraphs[:200])).language
    if args.backend == "argos":
        from translate.stock import StockArgosTranslator

        stock = StockArgosTranslator(from_code, args.to_code)
        return stock.translate_paragraphs

    from translate.cache import SqliteSentenceCache
    from translate.engine import Engine
    from translate.settings import EngineSettings

    settings = EngineSettings.from_env(
        beam_size=args.beam_size,
        length_penalty=args.length_penalty,
        intra_threads=args.intra_threads,
        inter_threads=args.inter_threads,
        device=args.device,
        compute_type=args.compute_type,
    )
    engine = Engine(settings, cache=SqliteSentenceCache(args.cache) if args.cache else None)
    engine.route(from_code, args.to_code)
    return lambda chunk: engine.translate_paragraphs(chunk, from_code, args.to_code)


def _translate(args: argparse.Namespace) -> int:
    paragraphs = _paragraphs(args.input)
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8")
    for translation in _translations(args, paragraphs):
        sys.stdout.write(translation.replace("\n", " ") + "\n")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from translate.evaluate import read_lines, score

    if not args.hyp and not args.src:
        raise ValueError("eval needs --src (sentences to translate) or --hyp (a system output to score)")
    references = read_lines(args.ref)
    if args.hyp:
        hypotheses = read_lines(args.hyp)
    else:
        hypotheses = list(_translations(args, read_lines(args.src)))
        if args.save_hyp:
            args.save_hyp.write_text("\n".join(hypotheses) + "\n", encoding="utf-8")
    scores = score(hypotheses, references)
    result = {
        "src": str(args.src) if args.src else None,
        "ref": str(args.ref),
        "hyp": str(args.hyp or args.save_hyp or ""),
        "backend": None if args.hyp else args.backend,
        **scores.as_dict(),
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"BLEU {scores.bleu:.2f}  chrF {scores.chrf:.2f}  ({scores.sentences} sentences) -> {args.out}")
    return 0
