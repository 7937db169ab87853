"""A small structured world built by hand: playlists drawn from a few scenes.

Each scene has its own artists and tracks; a playlist takes most of its tracks from
one scene (in a scene-specific order with noise) and a few popular ones from
anywhere, and is named after its scene. Collaborative models can learn the scenes,
popularity cannot, which is what the sanity checks rely on.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from segue.catalog import Artist, Catalog, Features, Playlist, PlaylistItem, Track

SCENES = ("surf", "doom", "disco", "polka", "grime", "bossa")


def build_world(
    catalog: Catalog,
    *,
    playlists: int = 240,
    tracks_per_scene: int = 60,
    seed: int = 7,
    source: str = "hand",
) -> None:
    """Write a scene-structured world of artists, tracks, features and playlists."""
    rng = np.random.default_rng(seed)
    artists, tracks, features = [], [], []
    scene_tracks: dict[str, list[str]] = {}
    for s, scene in enumerate(SCENES):
        ids = []
        for a in range(4):
            artists.append(Artist(id=f"{scene}-artist-{a}", name=f"{scene} band {a}"))
        for t in range(tracks_per_scene):
            track_id = f"{scene}-{t:03d}"
            ids.append(track_id)
            tracks.append(
                Track(
                    id=track_id,
                    name=f"{scene} song {t}",
                    artist_ids=[f"{scene}-artist-{t % 4}"],
                    isrc=f"XX{s:02d}{t:05d}",
                )
            )
            centre = s / len(SCENES)
            features.append(
                Features(
                    track_id=track_id,
                    source="hand",
                    danceability=float(np.clip(centre + rng.normal(0, 0.05), 0, 1)),
                    energy=float(rng.uniform()),
                    tempo=float(60 + 120 * centre + rng.normal(0, 5)),
                )
            )
        scene_tracks[scene] = ids
    hits = [f"{scene}-000" for scene in SCENES]

    records: list[object] = [*artists, *tracks, *features]
    for p in range(playlists):
        scene = SCENES[p % len(SCENES)]
        pool = scene_tracks[scene]
        length = int(rng.integers(16, 45))
        # the scene's tracks, mostly in their order, plus a popular track or two
        weights = np.linspace(2.0, 1.0, len(pool))
        chosen = rng.choice(
            len(pool), size=length, replace=False, p=weights / weights.sum()
        )
        items = [pool[i] for i in sorted(chosen)]
        items.insert(int(rng.integers(0, len(items))), hits[int(rng.integers(0, 6))])
        records.append(
            Playlist(
                id=f"{source}:{p}",
                source=source,
                name=f"{scene} mix" if p % 7 else None,
                items=[
                    PlaylistItem(position=i, track_id=t) for i, t in enumerate(items)
                ],
            )
        )
    catalog.upsert(records)  # type: ignore[arg-type]


@pytest.fixture
def world(tmp_path: Path) -> Iterator[Catalog]:
    """A file catalog holding the hand-built world."""
    with Catalog(tmp_path / "world.duckdb") as catalog:
        build_world(catalog)
        yield catalog
