import pytest

from warehouse import db
from warehouse.migrate import discover


def test_database_url_prefers_the_environment(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert db.database_url() == "postgresql://postgres@127.0.0.1:5432/news_ingest"
    monkeypatch.setenv("DATABASE_URL", "postgresql://analyst_app@db.internal:6432/warehouse")
    assert db.database_url() == "postgresql://analyst_app@db.internal:6432/warehouse"


def test_with_database_swaps_only_the_database_name():
    assert (
        db.with_database("postgresql://u:secret@h:6432/news?sslmode=disable", "other")
        == "postgresql://u:secret@h:6432/other?sslmode=disable"
    )
    assert db.database_name(db.with_database("host=h port=5 user=u dbname=news", "other")) == "other"


def test_ensure_database_creates_and_migrates_a_missing_database(warehouse_url):
    url = db.with_database(warehouse_url, db.database_name(warehouse_url) + "_ensure")
    try:
        assert db.ensure_database(url) == url
        assert db.create_database(url) is False
        with db.connect(url=url) as conn:
            applied = conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
        versioned, repeatable = discover()
        assert applied == len(versioned) + len(repeatable)
    finally:
        db.drop_database(url)
    assert db.server_status(url)["database_exists"] is False


def test_no_server_and_nothing_to_start_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(db, "POSTGRES_CONFIG_DIR", tmp_path / "no-postgresql-here")
    with pytest.raises(db.DatabaseUnavailableError, match="apt-get install postgresql"):
        db.start_server("postgresql://postgres@127.0.0.1:1/news_ingest")


def test_stop_leaves_a_cluster_it_did_not_start_running(monkeypatch, tmp_path):
    monkeypatch.setattr(db, "STARTED_MARKER", tmp_path / "not-started-by-us")
    message = db.stop_server()
    assert "nothing to stop" in message or "leaving it running" in message
    assert db.server_reachable()
