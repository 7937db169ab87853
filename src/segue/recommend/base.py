"""The contract every playlist-continuation model meets, segue's own and its peers'.

A model learns from a :class:`~segue.catalog.Catalog` and answers :class:`Query`
objects: the seed tracks of a playlist in order, and perhaps its title. The evaluation
harness trains every model through :meth:`Model.fit` with the same arguments, so that
held-out tracks of test playlists never reach any of them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Protocol, Self, runtime_checkable

import msgspec

from segue.catalog import Catalog

__all__ = ["Model", "Query"]


class Query(msgspec.Struct, frozen=True, kw_only=True):
    """What a model is asked: continue this playlist.

    Attributes
    ----------
    seeds
        Track ids of the playlist so far, in playlist order; may be empty.
    title
        The playlist's name, or None when it has none (or must not be used).
    exclude
        Further track ids that must not be recommended (seeds are always excluded).
    """

    seeds: tuple[str, ...] = ()
    title: str | None = None
    exclude: frozenset[str] = frozenset()


@runtime_checkable
class Model(Protocol):
    """A model that continues playlists.

    Attributes
    ----------
    name
        A short label used in reports (``segue``, ``als``, ``popularity``, ...).
    """

    name: str

    def fit(
        self,
        catalog: Catalog,
        *,
        exclude_playlists: Collection[str] = (),
        replace_items: Mapping[str, Sequence[str]] | None = None,
    ) -> Self:
        """Learn from the catalog's playlists.

        Parameters
        ----------
        catalog
            Where the playlists, tracks and features come from.
        exclude_playlists
            Playlists the model must not see at all.
        replace_items
            Playlist id to the only tracks of it the model may see (the seeds of
            evaluation playlists); these stand in for the stored items.

        Returns
        -------
        Self
            The fitted model.
        """
        ...

    def recommend_batch(
        self, queries: Sequence[Query], n: int = 500
    ) -> list[list[str]]:
        """Recommend ``n`` track ids for each query, best first.

        Every list holds unique ids, none of them a seed or excluded track; a list may
        be shorter than ``n`` only when the model knows fewer tracks.
        """
        ...
