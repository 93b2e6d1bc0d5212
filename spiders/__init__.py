"""Scrapy project: one spider per news source, writing ``warehouse.record.Article`` JSON Lines feeds."""
