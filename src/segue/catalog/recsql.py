"""Queries the recommender needs: ordered items of chosen playlists, fingerprints.

The recommender trains its ranker on the tails of training playlists, so it needs
their items in playlist order; and a saved model records which catalog it came from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from segue.catalog._catalog import Catalog

__all__ = ["ordered_items", "track_fingerprint"]


def ordered_items(
    catalog: Catalog, playlist_ids: Sequence[str]
) -> list[tuple[str, ...]]:
    """The track ids of each playlist in position order (repeats kept).

    Parameters
    ----------
    catalog
        The catalog to read.
    playlist_ids
        Shape ``(n,)``: the playlists wanted.

    Returns
    -------
    list of tuple of str
        ``n`` tuples aligned with ``playlist_ids``; empty for unknown playlists.
    """
    if not playlist_ids:
        return []
    catalog._register(
        "_want",
        {
            "id": np.asarray(list(playlist_ids), dtype=object),
            "k": np.arange(len(playlist_ids), dtype=np.int64),
        },
    )
    try:
        rows = catalog._fetchall(
            """
            SELECT w.k, list(i.track_id ORDER BY i.position)
            FROM _want w JOIN playlist_items i ON i.playlist_id = w.id
            GROUP BY w.k
            """
        )
    finally:
        catalog._unregister("_want")
    out: list[tuple[str, ...]] = [() for _ in playlist_ids]
    for k, tracks in rows:
        out[int(k)] = tuple(tracks)
    return out


def track_fingerprint(catalog: Catalog) -> str:
    """A SHA-256 hex digest of the sorted ids of every track in the catalog."""
    digest = hashlib.sha256()
    rows = catalog._fetchall("SELECT id FROM tracks ORDER BY id")
    for (track_id,) in rows:
        digest.update(track_id.encode())
        digest.update(b"\n")
    return digest.hexdigest()
