"""The popularity baseline: the most listed tracks of the catalog, seeds left out.

It meets the :class:`~segue.recommend.Model` contract, serves when no trained model
is given, and is the default comparison of a listening study.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Self

import numpy as np
import numpy.typing as npt

from segue.catalog import Catalog
from segue.recommend import Query

__all__ = ["PopularityModel"]


class PopularityModel:
    """Recommend the tracks found in the most playlists.

    Attributes
    ----------
    track_ids_
        Shape ``(n_tracks,)``: track ids, most listed first (after :meth:`fit`).
    counts_
        Shape ``(n_tracks,)``: in how many playlists each of them is.
    """

    name = "popularity"

    def __init__(self) -> None:
        self.track_ids_: npt.NDArray[np.object_] | None = None
        self.counts_: npt.NDArray[np.int64] | None = None

    def fit(
        self,
        catalog: Catalog,
        *,
        exclude_playlists: Collection[str] = (),
        replace_items: Mapping[str, Sequence[str]] | None = None,
    ) -> Self:
        """Count the playlists of every track."""
        inter = catalog.interactions(
            exclude_playlists=exclude_playlists, replace_items=replace_items
        )
        counts = np.asarray(inter.matrix.sum(axis=0)).ravel().astype(np.int64)
        order = np.lexsort((inter.track_ids.astype(str), -counts))
        self.track_ids_ = inter.track_ids[order]
        self.counts_ = counts[order]
        return self

    def count_of(self) -> dict[str, int]:
        """Track id to playlist count."""
        if self.track_ids_ is None or self.counts_ is None:
            return {}
        return dict(zip(self.track_ids_.tolist(), self.counts_.tolist(), strict=True))

    def recommend_batch(
        self, queries: Sequence[Query], n: int = 500
    ) -> list[list[str]]:
        """The ``n`` most listed tracks that are neither seeds nor excluded."""
        if self.track_ids_ is None:
            raise RuntimeError("PopularityModel is not fitted: call fit() first")
        out: list[list[str]] = []
        for query in queries:
            skip = set(query.seeds) | set(query.exclude)
            picked: list[str] = []
            for track_id in self.track_ids_:
                if track_id not in skip:
                    picked.append(str(track_id))
                    if len(picked) >= n:
                        break
            out.append(picked)
        return out
