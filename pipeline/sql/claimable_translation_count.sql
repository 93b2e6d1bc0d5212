-- How many articles wait for the next translation stage. Claims abandoned by a dead worker are not
-- counted: whichever batch runs after their claim timed out picks them up as well.
SELECT count(*)
FROM articles
WHERE translation_status = 'pending'
