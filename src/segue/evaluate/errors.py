"""Errors raised by :mod:`segue.evaluate`.

::

    EvaluateError
    ├── SplitError       no test split can be drawn as asked (bad category, no data)
    └── UnknownModel     a model name that no registry entry provides
"""

from __future__ import annotations

__all__ = ["EvaluateError", "SplitError", "UnknownModel"]


class EvaluateError(Exception):
    """Root of every error raised by :mod:`segue.evaluate`."""


class SplitError(EvaluateError):
    """The split cannot be drawn: unknown category, unknown source, too few data."""


class UnknownModel(EvaluateError):
    """A model was asked for by a name that no registry entry provides."""
