-- Every article seen again a second later (what the loader's last_seen refresh writes, for all rows).
UPDATE articles SET last_seen = last_seen + interval '1 second'
