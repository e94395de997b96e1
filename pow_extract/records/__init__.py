"""The records: what extraction produces (``schema``), what a human coder labelled (``gold``), and the errors
pow_extract raises (``errors``).

Data only, like langextract's ``core/``: it imports nothing of pow_extract but :mod:`pow_extract.text` (party names
and dates are normalised on validation).
"""
