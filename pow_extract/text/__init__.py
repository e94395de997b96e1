"""Words of news text: party names (``normalize``), date phrases (``dates``), sentences and cue words (``sentences``).

The bottom layer: it imports nothing else of pow_extract.
"""
