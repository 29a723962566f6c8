"""Test support: generators of documents the tests write themselves, and the import-graph reader."""
