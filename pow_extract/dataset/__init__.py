"""Many articles to one dataset: concurrent, resumable, cached extraction (``batch``), reading result files
(``jsonl``) and one event per real exchange across articles (``consolidate``).
"""
