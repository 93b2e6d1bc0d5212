-- The sources the project ships spiders for. The loader adds a row for any other source it meets.
-- baoquocte covers both editions (baoquocte.vn in Vietnamese, en.baoquocte.vn in English): the
-- article's language tells them apart.
INSERT INTO sources (source, name, base_url, language)
VALUES ('baoquocte', 'Báo Quốc tế (The World & Vietnam Report)', 'https://baoquocte.vn', 'vi')
ON CONFLICT (source) DO NOTHING;
