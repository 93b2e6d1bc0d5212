INSERT INTO sources (source, name)
VALUES (%(source)s, %(source)s)
ON CONFLICT (source) DO NOTHING;
