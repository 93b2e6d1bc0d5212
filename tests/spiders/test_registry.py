"""A source is one module: the registry finds every module that declares ``SOURCE``, and everything
else (spiders, mirror hosts, README table) follows from it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from spiders.crawlers import SPIDERS
from spiders.registry import all_hosts, all_sources, source_for_host, source_names, with_readme_table
from spiders.source import Edition, Source
from warehouse.paths import PROJECT_ROOT

SOURCES_DIR = PROJECT_ROOT / "spiders" / "sources"


def declared_in(file: Path) -> bool:
    tree = ast.parse(file.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "SOURCE" for t in node.targets)
        for node in tree.body
    )


def test_every_module_declaring_a_source_is_registered_and_has_a_spider() -> None:
    declaring = sorted(file.stem for file in SOURCES_DIR.glob("*.py") if declared_in(file))
    assert declaring, "no source module found"
    assert len(source_names()) == len(declaring)
    assert set(SPIDERS) == set(source_names())
    for source in all_sources():
        spider = SPIDERS[source.name]
        assert spider.name == source.name and spider.spec is source
        assert all(any(host.endswith(domain) for domain in spider.allowed_domains) for host in source.hosts)


def test_hosts_map_back_to_their_source_and_edition() -> None:
    for source in all_sources():
        for edition in source.editions:
            assert source_for_host(edition.host) is source
            assert source.edition_for_host(edition.host) is edition
            assert source.edition_for_host("m." + edition.host) is edition
    assert len(all_hosts()) == len(set(all_hosts()))
    assert source_for_host("example.org") is None


def test_a_declaration_is_checked_when_it_is_made() -> None:
    from spiders.extract.article import ArticleParser

    edition = Edition("vi", "example.vn", "vi")
    with pytest.raises(ValueError, match="named group 'id'"):
        Source("example", "Example", "", (edition,), __import__("re").compile(r"/(\d+)\.html"), ArticleParser)
    with pytest.raises(ValueError, match="lowercase"):
        Source("Example", "Example", "", (edition,), __import__("re").compile(r"(?P<id>\d+)"), ArticleParser)


def test_readme_table_of_sources_is_current() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert with_readme_table(readme) == readme, (
        "README is stale: run python -m spiders.registry --write-readme"
    )
    for source in all_sources():
        assert f"`{source.name}`" in readme and all(host in readme for host in source.hosts)


def test_readme_extraction_benchmark_has_a_row_per_source() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- extraction-benchmark:begin -->")
    table = readme[start : readme.index("<!-- extraction-benchmark:end -->")]
    rows = {line.split("|")[1].strip().strip("`") for line in table.splitlines() if line.startswith("| `")}
    assert rows == set(source_names()), "run bench/bench_extract.py and add each source's row to the README"
