"""The ``pow-extract`` command line (``extract``, ``merge``, ``render``, ``eval``): every piece of command-line code.

Library modules hold no CLI code; each command's body lives here: :mod:`~pow_extract.cli.app` (the typer app and
``extract``), :mod:`~pow_extract.cli.merge`, :mod:`~pow_extract.cli.render` and :mod:`~pow_extract.cli.evaluate`
(also ``python evals/run_eval.py``).
"""

from pow_extract.cli.app import app, main

__all__ = ["app", "main"]
