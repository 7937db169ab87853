"""Errors and warnings of :mod:`segue.recommend`.

Every error the package raises on purpose derives from :class:`RecommendError`::

    RecommendError
    ├── NotFitted        a model was asked before fit() or load()
    ├── EmptyQuery       no known seed track and no title: nothing to go on
    ├── UnknownTracks    no seed track is known and there is no title to fall back on
    ├── ModelMismatch    a saved model was built from another catalog
    └── ModelFileError   a model directory is missing, incomplete or corrupt

Unknown seeds next to known ones are not fatal: they raise the warning
:class:`UnknownTrackWarning` and are listed on the result.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "EmptyQuery",
    "ModelFileError",
    "ModelMismatch",
    "NotFitted",
    "RecommendError",
    "UnknownTrackWarning",
    "UnknownTracks",
]


class RecommendError(Exception):
    """Base of every error raised by :mod:`segue.recommend`."""


class NotFitted(RecommendError):
    """The model has not been fitted or loaded yet."""

    def __init__(self, name: str = "model") -> None:
        super().__init__(f"{name} is not fitted: call fit() or load() first")


class EmptyQuery(RecommendError):
    """A query with neither seed tracks nor a title."""

    def __init__(self) -> None:
        super().__init__("nothing to recommend from: give seed tracks or a title")


class UnknownTracks(RecommendError):
    """None of the seed tracks is known to the model and no title was given.

    Attributes
    ----------
    track_ids
        The unknown ids, in the order given.
    """

    def __init__(self, track_ids: Sequence[str]) -> None:
        self.track_ids = tuple(track_ids)
        shown = ", ".join(self.track_ids[:5])
        more = f" and {len(self.track_ids) - 5} more" if len(self.track_ids) > 5 else ""
        super().__init__(
            f"none of the {len(self.track_ids)} seed tracks is known to the model "
            f"({shown}{more}); give known tracks or a title"
        )


class ModelMismatch(RecommendError):
    """A saved model does not belong to the catalog it is used with."""


class ModelFileError(RecommendError):
    """A model directory cannot be read: missing, incomplete or corrupt."""


class UnknownTrackWarning(UserWarning):
    """Some seed tracks are unknown to the model; they were ignored."""
