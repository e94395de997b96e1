"""Measuring extraction: field-by-field scores against hand-labelled gold (``scoring``) and the evaluation run over
the labelled articles (``runner``).
"""
