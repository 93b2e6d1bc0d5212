-- Stories across outlets (warehouse/stories.py). Re-applied by the migration runner whenever this file
-- changes. A story's id is the article_id of its earliest article, which is the "first published" row.

DROP VIEW IF EXISTS analyst.stories;

CREATE VIEW analyst.stories AS
SELECT
    story.story_id,
    root.published_at AS first_published_at,
    root.source AS first_source,
    root.canonical_url AS first_url,
    root.title,
    coalesce(
        CASE WHEN root.language = 'en' THEN root.title END,
        translated.title,
        story.english_edition_title
    ) AS title_en,
    story.outlets,
    cardinality(story.outlets) AS outlet_count,
    story.copy_count,
    story.attributions,
    story.last_published_at
FROM (
    SELECT
        m.story_id,
        array_agg(DISTINCT a.source ORDER BY a.source) AS outlets,
        count(*) AS copy_count,
        max(a.published_at) AS last_published_at,
        min(a.title) FILTER (WHERE a.language = 'en') AS english_edition_title,
        -- the agencies and outlets the copies credit ("Theo TTXVN" on one copy is enough)
        coalesce(
            (
                SELECT array_agg(DISTINCT credited ORDER BY credited)
                FROM public.story_members AS credit_member
                JOIN public.articles AS credit_article USING (article_id)
                CROSS JOIN LATERAL unnest(credit_article.attributions) AS credited
                WHERE credit_member.story_id = m.story_id
            ),
            '{}'
        ) AS attributions
    FROM public.story_members AS m
    JOIN public.articles AS a USING (article_id)
    GROUP BY m.story_id
) AS story
JOIN public.articles AS root ON root.article_id = story.story_id
LEFT JOIN LATERAL (
    SELECT t.title
    FROM public.translations AS t
    WHERE t.article_id = root.article_id AND t.target_language = 'en'
    ORDER BY t.translated_at DESC, t.model_id DESC, t.model_version DESC
    LIMIT 1
) AS translated ON true;

GRANT SELECT ON analyst.stories TO analyst;
