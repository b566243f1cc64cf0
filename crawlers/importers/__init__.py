"""Importers for files researchers already have; they store through the same upsert as the spiders."""
