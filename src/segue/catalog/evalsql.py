"""Queries the evaluation harness needs: every playlist's items in order, in one go.

:meth:`Catalog.iter_playlists` asks for one playlist at a time; drawing a test split
needs all of them with their order, so this module reads them in a single query.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from segue.catalog._catalog import Catalog

__all__ = ["PlaylistSequences", "playlist_sequences"]


@dataclass(frozen=True, slots=True)
class PlaylistSequences:
    """Playlists with their track ids in playlist order.

    Attributes
    ----------
    ids
        Shape ``(n,)``: playlist ids, sorted.
    titles
        Shape ``(n,)``: playlist names, None where a playlist has none.
    sources
        Shape ``(n,)``: the source label each playlist was imported under.
    tracks
        ``n`` tuples of track ids in position order (repeats kept).
    """

    ids: npt.NDArray[np.object_]
    titles: npt.NDArray[np.object_]
    sources: npt.NDArray[np.object_]
    tracks: list[tuple[str, ...]]

    def __len__(self) -> int:
        return len(self.ids)


def playlist_sequences(
    catalog: Catalog, source: str | None = None
) -> PlaylistSequences:
    """Read every playlist that has items (of one source label), items in order.

    Parameters
    ----------
    catalog
        The catalog to read.
    source
        Only playlists imported under this label; all when None.

    Returns
    -------
    PlaylistSequences
        Playlists sorted by id; playlists without items are left out.
    """
    where = "" if source is None else "WHERE p.source = ?"
    rows = catalog._fetchall(
        f"""
        SELECT p.id, p.name, p.source, list(i.track_id ORDER BY i.position)
        FROM playlists p JOIN playlist_items i ON i.playlist_id = p.id
        {where}
        GROUP BY p.id, p.name, p.source ORDER BY p.id
        """,
        [] if source is None else [source],
    )
    return PlaylistSequences(
        ids=np.asarray([r[0] for r in rows], dtype=object),
        titles=np.asarray([r[1] for r in rows], dtype=object),
        sources=np.asarray([r[2] for r in rows], dtype=object),
        tracks=[tuple(r[3]) for r in rows],
    )
