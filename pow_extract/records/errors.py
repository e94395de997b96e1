"""Exceptions raised by pow_extract. Every one carries a one-line message fit for a CLI."""

from __future__ import annotations


class PowExtractError(Exception):
    """Base class of every error pow_extract raises on purpose."""


class ArticleError(PowExtractError, ValueError):
    """The input is not an article: empty, whitespace only, binary, undecodable, or unreadable."""


class BackendError(PowExtractError):
    """The model endpoint cannot be used: unreachable, misconfigured, or the embedded model is missing."""


class ExtractionError(PowExtractError):
    """The model did not produce a valid record after every retry and re-ask."""

    def __init__(self, message: str, *, attempts: int = 0) -> None:
        super().__init__(message)
        self.attempts = attempts


class RepeatedAnswer(ExtractionError):
    """A re-ask got, word for word, the answer it asked the model to correct (at temperature 0 it would again)."""
