import shutil
import threading

import pytest

from warehouse import db
from warehouse.migrate import MIGRATIONS_DIR, VIEWS_DIR, MigrationError, discover, migrate
from warehouse.sqlfile import statement

EXPECTED_TABLES = {
    "sources",
    "articles",
    "article_revisions",
    "translations",
    "translation_cache",
    "ingest_runs",
    "quarantine",
    "schema_migrations",
    "article_signatures",
    "story_buckets",
    "story_links",
    "story_members",
}


def _copy_sql(tmp_path):
    migrations, views = tmp_path / "migrations", tmp_path / "views"
    shutil.copytree(MIGRATIONS_DIR, migrations)
    shutil.copytree(VIEWS_DIR, views)
    return migrations, views


def test_migrations_apply_on_an_empty_database_and_the_second_run_is_a_no_op(empty_database_url):
    versioned, repeatable = discover()
    with db.connect(url=empty_database_url) as conn:
        applied = migrate(conn)
        recorded = conn.execute(
            "SELECT name, checksum, applied_at FROM schema_migrations ORDER BY name"
        ).fetchall()

        assert applied == [m.name for m in versioned] + [m.name for m in repeatable]
        assert migrate(conn) == []
        assert conn.execute(
            "SELECT name, checksum, applied_at FROM schema_migrations ORDER BY name"
        ).fetchall() == (recorded)
        tables = {row[0] for row in conn.execute(statement("warehouse/tables.sql"))}
        views = {row[0] for row in conn.execute("SELECT viewname FROM pg_views WHERE schemaname = 'analyst'")}
    assert tables == EXPECTED_TABLES
    assert views == {"articles", "paragraphs", "daily_ingest", "translation_backlog", "stories"}
    assert {name: checksum for name, checksum, _ in recorded} == {
        m.name: m.checksum for m in versioned + repeatable
    }


def test_dry_run_lists_pending_migrations_without_applying_them(empty_database_url):
    with db.connect(url=empty_database_url) as conn:
        pending = migrate(conn, dry_run=True)
        assert pending[0] == "001_core_schema.sql"
        assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == 0
        assert conn.execute("SELECT to_regclass('public.articles')").fetchone()[0] is None


def test_a_tampered_applied_migration_is_refused(empty_database_url, tmp_path):
    migrations, views = _copy_sql(tmp_path)
    with db.connect(url=empty_database_url) as conn:
        migrate(conn, migrations_dir=migrations, views_dir=views)
        seed = migrations / "002_seed_sources.sql"
        seed.write_text(seed.read_text() + "\n-- edited after the fact\n")

        with pytest.raises(MigrationError, match=r"002_seed_sources\.sql was changed after it was applied"):
            migrate(conn, migrations_dir=migrations, views_dir=views)


def test_a_new_migration_and_an_edited_view_are_applied_in_order(empty_database_url, tmp_path):
    migrations, views = _copy_sql(tmp_path)
    with db.connect(url=empty_database_url) as conn:
        migrate(conn, migrations_dir=migrations, views_dir=views)
        (migrations / "999_source_notes.sql").write_text("ALTER TABLE sources ADD COLUMN notes text;\n")
        view_file = views / "analyst.sql"
        view_file.write_text(view_file.read_text() + "\nCOMMENT ON VIEW analyst.articles IS 'edited';\n")

        assert migrate(conn, migrations_dir=migrations, views_dir=views) == [
            "999_source_notes.sql",
            "views/analyst.sql",
        ]
        assert conn.execute("SELECT obj_description('analyst.articles'::regclass)").fetchone()[0] == "edited"
        assert conn.execute("SELECT notes FROM sources").fetchall() == [(None,)]


def test_a_failing_migration_is_rolled_back_and_not_recorded(empty_database_url, tmp_path):
    migrations, views = _copy_sql(tmp_path)
    (migrations / "999_broken.sql").write_text("CREATE TABLE half_done (id int);\nSELECT no_such_column;\n")
    with db.connect(url=empty_database_url) as conn:
        with pytest.raises(MigrationError, match=r"999_broken\.sql failed and was rolled back"):
            migrate(conn, migrations_dir=migrations, views_dir=views)
        assert conn.execute("SELECT to_regclass('public.half_done')").fetchone()[0] is None
        names = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
    assert "003_analyst_role.sql" in names
    assert "999_broken.sql" not in names


def test_badly_named_or_duplicate_versions_are_rejected(tmp_path):
    migrations, views = _copy_sql(tmp_path)
    (migrations / "002_other.sql").write_text("SELECT 1;\n")
    with pytest.raises(MigrationError, match="share version 002"):
        discover(migrations, views)
    (migrations / "002_other.sql").rename(migrations / "5_bad.sql")
    with pytest.raises(MigrationError, match=r"NNN_lowercase_name\.sql"):
        discover(migrations, views)


def test_two_concurrent_runners_apply_each_migration_once(empty_database_url):
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with db.connect(url=empty_database_url) as conn:
                results.append(migrate(conn))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(len(applied) for applied in results) == [0, len(discover()[0]) + len(discover()[1])]
