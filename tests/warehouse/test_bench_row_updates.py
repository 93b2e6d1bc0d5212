"""The row-update benchmark runs its statements on both schemas and reports each one (timings are not
judged here: a test cannot tell noise from a regression on a shared machine)."""

import re

from testkit.processes import run_python
from warehouse import db

ROW = re.compile(r"^\| (\w+\.sql) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+)× \|$", re.MULTILINE)


def test_the_benchmark_reports_every_statement_on_both_schemas(warehouse_url: str) -> None:
    completed = run_python(
        ["-m", "bench.bench_row_updates", "--articles", "40", "--rounds", "1"],
        {"DATABASE_URL": warehouse_url},
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    rows = ROW.findall(completed.stdout)
    assert [row[0] for row in rows] == ["refresh_last_seen_all.sql", "claim_all.sql", "translate_all.sql"]
    assert all(float(before) > 0 and float(after) > 0 for _, before, after, _ in rows)
    with db.connect(url=warehouse_url) as conn:
        leftovers = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'news_bench_rows_%'")
        assert leftovers.fetchall() == [], "both benchmark databases are dropped"
