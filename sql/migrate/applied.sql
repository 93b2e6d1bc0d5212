-- What the migration runner has applied, with the checksum of each file as it was then.
SELECT name, kind, checksum FROM schema_migrations
