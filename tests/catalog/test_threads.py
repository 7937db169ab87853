"""A catalog shared by threads: queries that register temporary views stay apart."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from segue.catalog import Catalog, Playlist, PlaylistItem, Track


def _catalog() -> Catalog:
    catalog = Catalog()
    tracks = [Track(id=f"t{i:021d}", name=f"song {i}") for i in range(40)]
    playlists = [
        Playlist(
            id=f"p:{p}",
            source="x",
            name=f"list {p}",
            items=[
                PlaylistItem(position=k, track_id=tracks[(p + k) % 40].id)
                for k in range(5)
            ],
        )
        for p in range(30)
    ]
    catalog.upsert([*tracks, *playlists])
    return catalog


def test_interactions_from_many_threads_match_serial_answers() -> None:
    catalog = _catalog()
    asks = [
        ({f"p:{p}" for p in range(4 * k)}, {f"p:{29 - k}": [f"t{k:021d}"]})
        for k in range(4)
    ] * 6

    def build(ask: tuple[set[str], dict[str, list[str]]]) -> tuple[int, int]:
        excluded, replaced = ask
        result = catalog.interactions(
            exclude_playlists=excluded - set(replaced), replace_items=replaced
        )
        return result.matrix.shape[0], int(result.matrix.nnz)

    serial = [build(ask) for ask in asks]
    with ThreadPoolExecutor(max_workers=6) as pool:
        parallel = list(pool.map(build, asks))
    assert parallel == serial
    assert len(set(serial)) > 1, "the asks differ, so mixed-up views would show"
