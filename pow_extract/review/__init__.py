"""Reviewing results by eye: a self-contained HTML page with each figure highlighted in its article (``page``)."""
