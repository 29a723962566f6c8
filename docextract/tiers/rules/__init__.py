"""Tier 1, the rules tier: labels, values, totals, parties, addresses, positions and tables read from the words."""
