import json


def test_help_and_usage_errors(warehouse_cli, tmp_path):
    assert warehouse_cli("--help").returncode == 0
    load_help = warehouse_cli("load", "--help")
    assert load_help.returncode == 0 and "--batch-size" in load_help.stdout
    assert warehouse_cli().returncode == 2
    assert warehouse_cli("load", "--batch-size", "0", "x.jsonl").returncode == 2
    missing = warehouse_cli("load", str(tmp_path / "missing.jsonl"))
    assert missing.returncode == 2 and "feed file not found" in missing.stderr


def test_load_prints_a_json_summary_and_exits_3_when_records_were_quarantined(
    warehouse_cli, warehouse_conn, feed_line, tmp_path
):
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(feed_line(number) for number in range(4)) + "\n", encoding="utf-8")
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(feed_line(10) + "\n{broken\n", encoding="utf-8")

    first = warehouse_cli("load", str(good), "--batch-size", "3")
    second = warehouse_cli("load", str(good), str(mixed), "--quiet")
    from_stdin = warehouse_cli("load", "-", stdin=feed_line(20) + "\n")

    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert (summary["inserted"], summary["batches"], summary["feeds"]) == (4, 2, 1)
    assert second.returncode == 3
    summary = json.loads(second.stdout)
    assert (summary["inserted"], summary["unchanged"], summary["quarantined"]) == (1, 4, 1)
    assert summary["quarantine_reasons"][0].startswith("record: is not valid JSON")
    assert from_stdin.returncode == 0 and json.loads(from_stdin.stdout)["inserted"] == 1
    assert warehouse_conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 6


def test_migrate_and_status_report_on_the_database(warehouse_cli):
    dry_run = warehouse_cli("migrate", "--dry-run")
    status = warehouse_cli("db", "status")

    assert dry_run.returncode == 0 and dry_run.stdout.startswith("would apply 0 migration(s)")
    assert status.returncode == 0
    report = json.loads(status.stdout)
    assert report["reachable"] is True and report["database_exists"] is True


def test_an_unreachable_database_is_exit_1_with_a_clear_message(warehouse_cli, tmp_path, feed_line):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(feed_line(1) + "\n", encoding="utf-8")

    result = warehouse_cli("load", str(feed), database_url="postgresql://postgres@127.0.0.1:1/news_ingest")

    assert result.returncode == 1
    assert "DATABASE_URL points at a server that does not answer" in result.stderr
