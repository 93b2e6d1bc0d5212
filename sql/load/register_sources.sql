-- A source the spiders declare (spiders/sources/<name>.py) with its display name, home page and first
-- edition's language: the module is the one owner of these, so a changed declaration updates the row.
INSERT INTO sources (source, name, base_url, language)
VALUES (%(source)s, %(name)s, %(base_url)s, %(language)s)
ON CONFLICT (source) DO UPDATE
SET name = excluded.name, base_url = excluded.base_url, language = excluded.language
WHERE (sources.name, sources.base_url, sources.language)
    IS DISTINCT FROM (excluded.name, excluded.base_url, excluded.language);
