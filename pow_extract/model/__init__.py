"""Talking to the model: which endpoint (``backends``, ``embedded``), what is sent (``prompting``), transient faults
(``retry``), answers kept on disk (``cache``), what the requests cost (``traffic``) and HTTP traffic recorded for
offline replay (``recording``).

Knows nothing of articles or rules: it imports only :mod:`pow_extract.records` and :mod:`pow_extract.text`.
"""
