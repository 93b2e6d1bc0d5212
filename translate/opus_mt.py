"""Build an Argos package (``.argosmodel``) from an OPUS-MT or Tatoeba-Challenge release, offline.

A release is the unpacked zip published by Helsinki-NLP (``opus-2020-*.zip``: ``opus.spm32k-spm32k...``
files) or by the Tatoeba-Challenge (``opus+bt-2021-*.zip``, ``opus-2021-*.zip``): Marian weights
(``*.npz``), ``decoder.yml`` naming the weights and the YAML vocabularies, ``source.spm`` and
``target.spm``. CTranslate2's ``OpusMTConverter`` turns the weights into an int8 model; everything it
does not carry (the SentencePiece models, the decoding settings, the ``>>xxx<<`` target-language token of
multilingual-target models) is handled or recorded here.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from translate.languages import iso639_3, language_name
from translate.packages import PackageError, model_fingerprint

LANGUAGE_TOKEN = re.compile(r"^>>[A-Za-z_]+<<$")
_VOCABULARY_LINE_TOKEN = re.compile(r'^"?(>>[A-Za-z_]+<<)"?\s*:')
_MODEL_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]+")
_SIZED_RELEASE = re.compile(r"^opus\d+m")  # Tatoeba-Challenge "opus2m", "opus4m+btTCv20210807" ...
# Tatoeba-Challenge README lines, e.g. for aav-eng opus4m+btTCv20210807-2021-09-30 (many-to-English, yet
# it needs ">>eng<<"): "* a sentence initial language token is required in the form of `>>id<<` ..."
# and "* valid language labels: >>eng<< >>eng_Khmr<< >>eng_Yiii<<".
_TOKEN_REQUIRED = re.compile(r"sentence[- ]initial language token is required", re.IGNORECASE)
_VALID_LABELS = re.compile(r"valid (?:target )?language labels?\s*:(.*)", re.IGNORECASE)
_README_LABEL = re.compile(r">>[A-Za-z_]+<<")
_README_SECTION = re.compile(r"^# (\S+)\.zip\s*$", re.MULTILINE)
# preprocess.sh lines: "-e 's/，/,/g'", "perl -C -pe 's/(?!\n)\p{C}/ /g;'", and the zero-width deletion
# "perl -CIOE -pe 's/[\x{2060}\x{200B}\x{feff}]//g'"
_SED_SUBSTITUTION = re.compile(r"""s/((?:[^/\\]|\\.)+)/((?:[^/\\]|\\.)*)/g""")
_PERL_OTHER = re.compile(r"s/(?:\(\?!\\n\))?\\p\{C\}/ /g")
_PERL_DELETION = re.compile(r"s/\[((?:\\x\{[0-9A-Fa-f]+\})+)\]//g")
_PERL_CODE = re.compile(r"\\x\{([0-9A-Fa-f]+)\}")
MARIAN_DEFAULT_BEAM_SIZE = 12
MARIAN_DEFAULT_NORMALIZE = 0.0


@dataclass(frozen=True, slots=True)
class Release:
    """What a release directory declares, before conversion."""

    directory: Path
    model_files: tuple[Path, ...]
    vocabularies: tuple[Path, ...]
    source_spm: Path
    target_spm: Path
    release_format: str
    decoding: dict[str, object]
    preprocess: dict[str, object]
    language_tokens: tuple[str, ...]
    readme: str
    readme_requires_token: bool
    readme_labels: tuple[str, ...]


def read_release(directory: Path) -> Release:
    """Check a release directory and read ``decoder.yml``; raises ``PackageError`` naming what is wrong."""
    directory = Path(directory)
    decoder_path = directory / "decoder.yml"
    if not decoder_path.is_file():
        raise PackageError(
            f"{directory} has no decoder.yml: point --opus-mt at the unzipped OPUS-MT release folder "
            "(the one holding decoder.yml, *.npz, source.spm, target.spm)"
        )
    try:
        decoder = yaml.safe_load(decoder_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise PackageError(f"{decoder_path} is not valid YAML: {error}") from None
    models = [directory / name for name in decoder.get("models") or []]
    vocabularies = [directory / name for name in decoder.get("vocabs") or []]
    if not models or not vocabularies:
        raise PackageError(f"{decoder_path} must list `models` and `vocabs`")
    for path in [*models, *vocabularies]:
        if not path.is_file():
            raise PackageError(f"{decoder_path} lists {path.name}, which is missing from {directory}")
    for path in vocabularies:
        if path.suffix not in (".yml", ".yaml"):
            raise PackageError(
                f"{path.name} is not a YAML vocabulary (token: id): CTranslate2's OPUS-MT converter reads "
                "only *.vocab.yml files; releases listing .spm or plain .vocab files need their "
                "*.vocab.yml from the same release"
            )
    source_spm, target_spm = directory / "source.spm", directory / "target.spm"
    for path in (source_spm, target_spm):
        if not path.is_file():
            raise PackageError(f"{directory} has no {path.name} (the release's SentencePiece model)")
    readme_path = directory / "README.md"
    readme = readme_path.read_text(encoding="utf-8", errors="replace") if readme_path.is_file() else ""
    tatoeba = "+bt" in models[0].name or _SIZED_RELEASE.match(models[0].name) or "tatoeba" in readme.lower()
    release_format = "tatoeba-challenge" if tatoeba else "helsinki-opus-mt"
    carried_keys = ("beam-size", "normalize", "word-penalty", "max-length")
    decoding = {key: decoder[key] for key in carried_keys if key in decoder}
    requires_token, labels = readme_token_requirement(readme, models[0].name.split(".")[0])
    return Release(
        directory=directory,
        model_files=tuple(models),
        vocabularies=tuple(vocabularies),
        source_spm=source_spm,
        target_spm=target_spm,
        release_format=release_format,
        decoding=decoding,
        preprocess=read_preprocess(directory / "preprocess.sh"),
        language_tokens=_language_tokens(vocabularies[0]),
        readme=readme,
        readme_requires_token=requires_token,
        readme_labels=labels,
    )


def ctranslate2_decoding(decoder: Mapping[str, Any]) -> dict[str, object]:
    """The release's ``decoder.yml`` settings as CTranslate2 ``translate_batch`` options.

    Marian divides a hypothesis's score by ``length ** normalize`` and CTranslate2 by
    ``length ** length_penalty``, so ``normalize`` maps to ``length_penalty`` unchanged (a bare
    ``normalize: true`` is Marian's implicit 1.0). Keys the release leaves out take marian-decoder's
    defaults (beam 12, normalize 0), because that is what the release's own decoder would use.
    ``word-penalty`` has no CTranslate2 counterpart: a non-zero one is listed in ``not_applied``."""
    normalize = decoder.get("normalize", MARIAN_DEFAULT_NORMALIZE)
    if isinstance(normalize, bool):
        normalize = 1.0 if normalize else 0.0
    beam_size = decoder.get("beam-size", MARIAN_DEFAULT_BEAM_SIZE)
    try:
        beam, length_penalty = int(beam_size), float(normalize)
    except (TypeError, ValueError):
        raise PackageError(
            f"decoder.yml has beam-size {beam_size!r} and normalize {normalize!r}; expected numbers"
        ) from None
    if beam < 1:
        raise PackageError(f"decoder.yml has beam-size {beam_size}; it must be at least 1")
    word_penalty = decoder.get("word-penalty", 0) or 0
    return {
        "beam_size": beam,
        "length_penalty": length_penalty,
        "not_applied": {"word-penalty": word_penalty} if float(word_penalty) != 0 else {},
    }


def read_preprocess(script: Path) -> dict[str, object]:
    """What a release's ``preprocess.sh`` does to the text before SentencePiece, as data the engine
    applies: the ``sed -e 's/X/Y/g'`` character replacements (full-width and CJK punctuation, curly
    quotes, ``…``; a trailing `` *`` in X also eats the spaces after it), whether Unicode "Other"
    characters (``\\p{C}``: format characters such as zero-width spaces, besides the control characters
    the engine already drops) become spaces, and the zero-width characters it deletes. Replacements of
    ASCII text (whitespace folding and trimming) are what the engine does already and are not listed."""
    if not script.is_file():
        return {}
    text = script.read_text(encoding="utf-8", errors="replace")
    replacements: list[dict[str, object]] = []
    for pattern, replacement in _SED_SUBSTITUTION.findall(text):
        eats_spaces = pattern.endswith(" *")
        literal = _sed_literal(pattern[:-2] if eats_spaces else pattern)
        target = _sed_literal(replacement, replacement=True)
        if literal and target is not None and not any(character.isascii() for character in literal):
            replacements.append({"from": literal, "to": target, "eat_following_spaces": eats_spaces})
    deleted = sorted(
        {chr(int(code, 16)) for group in _PERL_DELETION.findall(text) for code in _PERL_CODE.findall(group)}
    )
    return {
        "script": "preprocess.sh",
        "replacements": replacements,
        "other_characters_to_space": bool(_PERL_OTHER.search(text)),
        "deleted_characters": [f"U+{ord(character):04X}" for character in deleted],
    }


def _sed_literal(expression: str, *, replacement: bool = False) -> str | None:
    """The literal text of a sed pattern or replacement (``\\.`` is a dot), or None when it uses
    regular-expression syntax (or, in a replacement, back-references) this reader does not apply."""
    special = "&" if replacement else "[]^$*.+?"
    literal = []
    escaped = False
    for character in expression:
        if escaped:
            if replacement and character.isdigit():
                return None
            literal.append(character)
            escaped = False
        elif character == "\\":
            escaped = True
        elif character in special:
            return None
        else:
            literal.append(character)
    return None if escaped else "".join(literal)


def readme_token_requirement(readme: str, dataset: str) -> tuple[bool, tuple[str, ...]]:
    """Whether a release README states that every sentence needs a ``>>id<<`` token, and the valid
    labels it lists. A model family's README describes several releases under ``# <release>.zip``
    headings (aav-eng: ``opus2m-2020-08-12`` without the requirement, ``opus4m+btTCv20210807-2021-09-30``
    with it); only the section of ``dataset`` (the model files' prefix) counts when there is one."""
    sections = list(_README_SECTION.finditer(readme))
    for index, heading in enumerate(sections):
        if heading.group(1).startswith(f"{dataset}-") or heading.group(1) == dataset:
            end = sections[index + 1].start() if index + 1 < len(sections) else len(readme)
            readme = readme[heading.start() : end]
            break
    labels = [label for line in _VALID_LABELS.findall(readme) for label in _README_LABEL.findall(line)]
    return bool(_TOKEN_REQUIRED.search(readme)), tuple(dict.fromkeys(labels))


def _language_tokens(vocabulary: Path) -> tuple[str, ...]:
    found = []
    with vocabulary.open(encoding="utf-8") as lines:
        for line in lines:
            match = _VOCABULARY_LINE_TOKEN.match(line)
            if match:
                found.append(match.group(1))
    return tuple(found)


def choose_target_token(release: Release, to_code: str, requested: str | None = None) -> str:
    """The ``>>xxx<<`` token the model needs in front of every source sentence, or "" when it needs
    none. A token is needed when the release README says so (Tatoeba-Challenge "a sentence initial
    language token is required", even for many-to-English releases such as aav-eng
    ``opus4m+btTCv20210807``; chosen from its "valid language labels") or when the vocabulary holds
    ``>>xxx<<`` tokens (multilingual-target models); neither: one target language, nothing to prepend."""
    if requested:
        if requested not in release.language_tokens:
            raise PackageError(f"--target-token {requested} is not in the vocabulary of {release.directory}")
        return requested
    labels = release.readme_labels or release.language_tokens
    if not release.readme_requires_token and not release.language_tokens:
        return ""
    candidates = [f">>{to_code}<<", f">>{iso639_3(to_code)}<<"]
    for candidate in candidates:
        if candidate in labels:
            if candidate not in release.language_tokens:
                raise PackageError(
                    f"the README of {release.directory} lists {candidate}, but its vocabulary has no such "
                    "token; pass one the vocabulary holds with --target-token"
                )
            return candidate
    prefix = f">>{iso639_3(to_code)}_"
    near = [token for token in labels if token.startswith(prefix)]
    why = (
        "its README says a sentence-initial target-language token is required"
        if release.readme_requires_token
        else "it is a multilingual-target model: every source sentence must start with a target-language "
        "token"
    )
    raise PackageError(
        f"{release.directory}: {why}, and none of {candidates} is among its labels. "
        f"Pass one with --target-token (matching tokens: {near or list(labels[:12])})"
    )


def _convert(release: Release, output_dir: Path, quantization: str) -> None:
    from ctranslate2.converters import OpusMTConverter

    try:
        OpusMTConverter(str(release.directory)).convert(str(output_dir), quantization=quantization)
    except (KeyError, ValueError, NotImplementedError, RuntimeError) as error:
        raise PackageError(
            f"CTranslate2's OPUS-MT converter rejected {release.directory}: {type(error).__name__}: {error}. "
            "It supports Marian transformer models (post-norm or pre-norm, relu/swish/gelu) with "
            "self-attention decoders; SSRU/average-attention ('tiny'/'small') models are not supported"
        ) from None


def default_model_id(directory: Path) -> str:
    return _MODEL_ID_UNSAFE.sub("-", Path(directory).resolve().name).strip("-") or "opus-mt"


def build_package(  # noqa: PLR0913 - the build-package command, one keyword per option
    release_dir: Path,
    from_code: str,
    to_code: str,
    out_path: Path,
    *,
    quantization: str = "int8",
    model_id: str | None = None,
    package_version: str = "1.0",
    target_token: str | None = None,
) -> Path:
    """Convert a release folder (or its .zip) into ``out_path`` (an ``.argosmodel`` zip) and return it.

    The package holds ``metadata.json``, ``model/`` (CTranslate2), ``sentencepiece.model`` (the
    release's source.spm, which the stock argos path encodes and decodes with), ``target.spm``, a
    ``spacy/`` folder from ``spacy.blank("xx")`` so ``ARGOS_CHUNK_TYPE=SPACY`` works offline, and the
    release README and licence.
    """
    release_dir, out_path = Path(release_dir), Path(out_path)
    with tempfile.TemporaryDirectory(prefix="build-package-") as scratch:
        if release_dir.is_file() and zipfile.is_zipfile(release_dir):
            with zipfile.ZipFile(release_dir) as archive:
                archive.extractall(Path(scratch) / "release")
            release_dir = _release_root(Path(scratch) / "release")
        release = read_release(release_dir)
        token = choose_target_token(release, to_code, target_token)
        model_id = model_id or default_model_id(release_dir)
        folder_name = f"translate-{from_code}_{to_code}-{_MODEL_ID_UNSAFE.sub('-', model_id)}"
        package_dir = Path(scratch) / folder_name
        package_dir.mkdir()
        _convert(release, package_dir / "model", quantization)
        shutil.copyfile(release.source_spm, package_dir / "sentencepiece.model")
        shutil.copyfile(release.target_spm, package_dir / "target.spm")
        _write_sentence_splitter(package_dir / "spacy")
        for name in ("LICENSE", "LICENSE.txt"):
            if (release_dir / name).is_file():
                shutil.copyfile(release_dir / name, package_dir / name)
        metadata = {
            "package_version": package_version,
            "argos_version": "1.9",
            "type": "translate",
            "from_code": from_code,
            "from_name": language_name(from_code),
            "to_code": to_code,
            "to_name": language_name(to_code),
            "links": [],
            "model_id": model_id,
            "model_version": f"{package_version}+{model_fingerprint(package_dir / 'model')}",
            "quantization": quantization,
            "source_tokenizer": "sentencepiece.model",
            "target_tokenizer": "target.spm",
            "source_prefix": token,
            "decoding": {**ctranslate2_decoding(release.decoding), "from": "decoder.yml"},
            "preprocess": release.preprocess,
            "opus_mt": {
                "release_format": release.release_format,
                "release_files": sorted(path.name for path in release_dir.iterdir()),
                "decoding_in_release": release.decoding,
                "language_tokens": len(release.language_tokens),
                "readme_requires_target_token": release.readme_requires_token,
                "not_carried_by_converter": [
                    "source.spm and target.spm (copied here as sentencepiece.model and target.spm)",
                    "decoder.yml decoding settings (mapped to CTranslate2's in decoding; the engine uses "
                    "them unless TRANSLATE_BEAM_SIZE / TRANSLATE_LENGTH_PENALTY override them)",
                    "preprocess.sh normalisation (recorded in preprocess and applied by the engine before "
                    "SentencePiece; the stock argos path does not apply it)",
                    "the >>xxx<< target-language token (recorded in source_prefix; the stock argos path "
                    "does not prepend it)",
                    *(["ensemble members after the first"] if len(release.model_files) > 1 else []),
                ],
            },
        }
        (package_dir / "metadata.json").write_text(
            json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        (package_dir / "README.md").write_text(_package_readme(metadata, release), encoding="utf-8")
        out_path.parent.mkdir(parents=True, exist_ok=True)
        partial = out_path.with_name(out_path.name + ".partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(package_dir.rglob("*")):
                archive.write(path, path.relative_to(scratch).as_posix())
        partial.replace(out_path)
    return out_path


def _release_root(unpacked: Path) -> Path:
    for decoder in sorted(unpacked.rglob("decoder.yml")):
        return decoder.parent
    raise PackageError(f"the release archive holds no decoder.yml ({unpacked})")


def _write_sentence_splitter(directory: Path) -> None:
    import spacy

    spacy.blank("xx").to_disk(directory)


def _package_readme(metadata: dict, release: Release) -> str:
    return (
        f"# {metadata['from_name']} → {metadata['to_name']} ({metadata['model_id']})\n\n"
        f"Built offline by `python -m translate build-package` from a {release.release_format} release, "
        f"converted with CTranslate2's OPUS-MT converter ({metadata['quantization']}).\n"
        f"Model version: {metadata['model_version']}.\n\n"
        "## Release README\n\n" + (release.readme or "(the release had no README.md)\n")
    )
