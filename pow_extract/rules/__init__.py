"""Deterministic coding rules run after grounding: checks of each record (``checks``), a second reading for what the
model left out (``sweep``) and breakdowns found by arithmetic (``parts``).

They read the article text and the records only (:mod:`pow_extract.records`, :mod:`pow_extract.text`).
"""
