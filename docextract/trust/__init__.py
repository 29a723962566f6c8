"""Learned, calibrated confidence: features of a candidate, value plausibility, and the shipped model.

``features`` turns a candidate and its context into a flat dict of floats (the same at harvest and at run
time), ``plausible`` checks a value for what it should not look like, ``model`` scores features with the
fitted JSON model in pure Python. ``scoring`` is the one caller in the pipeline.
"""
