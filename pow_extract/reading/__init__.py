"""Reading one article: files to text (``article``), long texts to chunks (``chunking``), the model's answer to a
validated record (``extraction``) and every quote located in the text (``resolver``, grounding).

:func:`pow_extract.reading.extraction.extract` is the pipeline of one article; it uses :mod:`pow_extract.model` and
:mod:`pow_extract.rules`.
"""
