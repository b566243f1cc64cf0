"""Scrapy spiders, one per platform."""
