"""Collectors: Scrapy spiders and file importers that hand posts to warehouse.upsert_posts."""
