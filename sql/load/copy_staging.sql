-- The placeholder is warehouse.record.ARTICLE_COLUMNS, the order of every row warehouse.loader stages.
COPY load_staging ({columns}) FROM STDIN
