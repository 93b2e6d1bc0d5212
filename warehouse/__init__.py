"""The PostgreSQL warehouse: connection bootstrap, migrations, the feed loader and ingest-run records."""
