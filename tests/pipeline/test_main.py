"""The README's main job, and the helpers it prints with."""

import os
import socket
import subprocess
import sys

import pytest

from pipeline import main as main_module
from pipeline.main import (
    PROXY_VARIABLES,
    MainOptions,
    psql_to_psycopg,
    run_main,
    status_legend,
    unresolvable_sources,
)
from spiders.registry import source_names
from testkit.mirrored_run import news_sites
from warehouse.paths import PROJECT_ROOT


def test_a_psql_example_query_becomes_a_psycopg_statement():
    text = (
        "-- latest\n\\if :{?source} \\else \\set source baoquocte \\endif\n"
        "SELECT title, published_at::date FROM analyst.articles WHERE source = :'source' LIMIT :limit;\n"
    )
    assert psql_to_psycopg(text) == (
        "-- latest\nSELECT title, published_at::date FROM analyst.articles "
        "WHERE source = %(source)s LIMIT %(limit)s"
    )


def test_the_summary_explains_partial_and_the_other_statuses_it_shows():
    assert status_legend(["success", "partial", "partial"]) == [
        "  (partial: the source loaded, but a data-quality check warned (the warnings are listed above; "
        "thresholds in NEWS_QUALITY_*))"
    ]
    assert [line.split(":")[0] for line in status_legend(["failed", "skipped"])] == [
        "  (failed",
        "  (skipped",
    ]
    assert status_legend(["success"]) == []


@pytest.mark.slow
def test_the_main_job_runs_the_chain_once_and_prints_a_summary(
    warehouse_conn, warehouse_url, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", warehouse_url)
    monkeypatch.setenv("NEWS_DATA_URI", str(tmp_path / "data"))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    monkeypatch.delenv("NEWS_MIRROR_URL", raising=False)

    with news_sites(mirror_articles=6):
        exit_code = run_main(MainOptions(max_articles=6, install_model=False))

    printed = capsys.readouterr().out
    assert exit_code == 0
    assert "crawling local mirror at http://127.0.0.1:" in printed
    assert "ingest_source.crawl[0]: success" in printed
    assert "ingest_runs baoquocte: " in printed
    assert "python -m translate" in printed
    assert "sql/queries/latest_by_source.sql (source=baoquocte, limit=5):" in printed
    loaded = dict(warehouse_conn.execute("SELECT source, count(*) FROM articles GROUP BY source").fetchall())
    assert set(loaded) <= set(source_names()) and all(1 <= count <= 6 for count in loaded.values())
    rows = [
        line
        for line in printed.splitlines()
        if " | pending | https://" in line or " | original | https://" in line
    ]
    assert len(rows) == min(loaded["baoquocte"], 5)
    # No package: Vietnamese articles wait as pending; an English-edition one needs none.
    assert all((" | original | " in row) == (" | en | " in row) for row in rows)


@pytest.fixture
def first_run_environment(warehouse_url, release_server, tmp_path) -> dict[str, str]:
    """A user's shell on a machine with no translation package, the release on a local HTTP server."""
    url, sha256 = release_server
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith(("AIRFLOW", "NEWS_"))
    }
    environment.update(
        AIRFLOW_HOME=str(tmp_path / "airflow"),
        DATABASE_URL=warehouse_url,
        NEWS_DATA_URI=str(tmp_path / "data"),
        ARGOS_PACKAGES_DIR=str(tmp_path / "packages"),
        NEWS_MODEL_RELEASE_URL=url,
        NEWS_MODEL_RELEASE_SHA256=sha256,
        TRANSLATE_INTRA_THREADS="1",
        PYTHONPATH=str(PROJECT_ROOT),
        HOME=str(tmp_path),
    )
    return environment


@pytest.mark.slow
def test_a_first_run_downloads_installs_the_model_and_translates_quietly(
    warehouse_conn, first_run_environment, tmp_path
):
    # A process of its own, as a user runs it: nothing has imported or configured Airflow before.
    command = [
        sys.executable,
        "-m",
        "testkit.mirrored_run",
        "main",
        "--max-articles",
        "4",
        "--mirror-articles",
        "4",
    ]
    completed = subprocess.run(
        [*command, "--downloads", str(tmp_path / "downloads")],
        cwd=PROJECT_ROOT,
        env=first_run_environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "installed translation package vi->en opus-mt-aav-eng" in completed.stdout
    assert "download opus-2020-01-01.zip" in completed.stderr
    statuses = dict(
        warehouse_conn.execute("SELECT translation_status, count(*) FROM articles GROUP BY 1").fetchall()
    )
    assert statuses.get("done", 0) >= 1
    assert "pending" not in statuses
    everything = completed.stdout + completed.stderr
    for noise in ("Deprecat", "No tasks to run", "[warning", "[info"):
        assert noise not in everything, noise


class _ProceededError(Exception):
    """Raised in place of the Airflow set-up: the main job got past its pre-flight check."""


def _no_such_name(host: str) -> None:
    raise socket.gaierror(socket.EAI_NONAME, f"Name or service not known: {host}")


def test_sources_whose_hosts_do_not_resolve_are_named():
    def resolve(host: str) -> None:
        if host in ("baoquocte.vn", "vnexpress.net", "e.vnexpress.net"):
            _no_such_name(host)
        if host.startswith("tuoitre"):
            raise TimeoutError("slow resolver")

    # One edition that resolves is enough (en.baoquocte.vn here); a slow resolver is left to the crawl.
    assert unresolvable_sources(
        ["baoquocte", "vnexpress", "tuoitre", "nhandan", "no_such_source"], resolve
    ) == ["vnexpress"]
    assert unresolvable_sources(source_names(), _no_such_name) == source_names()


def test_a_live_run_without_dns_stops_at_once_with_the_way_out(monkeypatch, capsys):
    for name in ("NEWS_MIRROR_URL", "NEWS_SOURCES", *PROXY_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *args, **kwargs: _no_such_name(host))
    monkeypatch.setattr(main_module, "prepare_airflow_and_warehouse", _raise_proceeded)

    assert run_main(MainOptions(install_model=False)) == 2
    error = capsys.readouterr().err
    assert "no news site's host name resolves" in error
    assert all(name in error for name in source_names())
    assert "./run main without --live" in error and "NEWS_MIRROR_URL" in error


def test_the_dns_check_is_skipped_behind_a_proxy_and_warns_for_some_sources(monkeypatch, capsys):
    for name in ("NEWS_MIRROR_URL", "NEWS_SOURCES", *PROXY_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(main_module, "prepare_airflow_and_warehouse", _raise_proceeded)
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, *args, **kwargs: _no_such_name(host) if "nhandan" in host else [],
    )
    with pytest.raises(_ProceededError):
        run_main(MainOptions(install_model=False))
    assert "do not resolve, their crawls will fail: ['nhandan']" in capsys.readouterr().out

    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *args, **kwargs: _no_such_name(host))
    monkeypatch.setenv("https_proxy", "http://proxy.example:3128")
    with pytest.raises(_ProceededError):
        run_main(MainOptions(install_model=False))


def _raise_proceeded() -> str:
    raise _ProceededError
