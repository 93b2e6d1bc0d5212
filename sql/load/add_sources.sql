-- A source met for the first time gets a row named after itself; edit name/base_url later at will.
INSERT INTO sources (source, name, base_url, language)
SELECT DISTINCT ON (staged.source)
    staged.source,
    staged.source,
    substring(staged.canonical_url FROM '^https?://[^/]+'),
    staged.language
FROM load_staging AS staged
WHERE NOT EXISTS (SELECT FROM sources WHERE sources.source = staged.source)
ORDER BY staged.source, staged.crawled_at
ON CONFLICT (source) DO NOTHING;
