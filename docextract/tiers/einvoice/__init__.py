"""Tier 0: e-invoice XML mapped onto the schema (``tier``, ``mapping``) and checked against the page (``check``)."""
