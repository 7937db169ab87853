"""Synthetic worlds with known answers, and models fitted on them.

Fixtures are session-scoped and small (hundreds of playlists) so that the whole
suite runs in well under a minute on two shared cores.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pytest

# implicit and numpy share two cores with other work: one BLAS thread avoids both
# oversubscription and implicit's warning about OpenBLAS threads
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from recommend_settings import SMALL

from segue.catalog import Catalog
from segue.catalog.synth import SynthConfig, World, generate
from segue.recommend.data import TrainingData
from segue.recommend.recommender import Recommender

HELD_OUT = 40
"""Playlists of the world kept out of training; they are the test queries."""


@dataclass(frozen=True)
class Case:
    """A held-out playlist of the world: its seeds, title and scene."""

    playlist_id: str
    seeds: tuple[str, ...]
    title: str
    scene: int
    rest: tuple[str, ...]


@dataclass(frozen=True)
class Fixture:
    """A world, its catalog, the training data and the held-out cases."""

    world: World
    catalog: Catalog
    data: TrainingData
    cases: list[Case]
    scene_of: dict[str, int]
    family_of: dict[str, int]
    artist_of: dict[str, int]

    def scenes(self, track_ids: list[str]) -> npt.NDArray[np.int64]:
        """The true scene of each track id."""
        return np.asarray([self.scene_of[t] for t in track_ids], dtype=np.int64)


@pytest.fixture(scope="session")
def synth() -> Fixture:
    """A world of 800 playlists, 40 single-scene playlists held out."""
    world = generate(SynthConfig(playlists=800, seed=7))
    catalog = Catalog(":memory:")
    world.write_catalog(catalog, source="synthetic")
    ids = world.playlist_ids
    rng = np.random.default_rng(0)
    single = [
        p
        for p in range(world.n_playlists)
        if world.playlist_second_scene[p] < 0 and len(world.playlist(p)) >= 20
    ]
    chosen = rng.choice(single, HELD_OUT, replace=False)
    cases = []
    for p in chosen.tolist():
        tracks = [str(world.track_ids[t]) for t in world.playlist(p)]
        tracks = list(dict.fromkeys(tracks))
        cases.append(
            Case(
                playlist_id=str(ids[p]),
                seeds=tuple(tracks[:10]),
                title=str(world.playlist_titles[p]),
                scene=int(world.playlist_scene[p]),
                rest=tuple(tracks[10:]),
            )
        )
    data, _ = TrainingData.from_catalog(
        catalog, replace_items={c.playlist_id: c.seeds for c in cases}
    )
    track_ids = [str(t) for t in world.track_ids]
    return Fixture(
        world=world,
        catalog=catalog,
        data=data,
        cases=cases,
        scene_of=dict(zip(track_ids, world.track_scene.tolist(), strict=True)),
        family_of=dict(zip(track_ids, world.track_family.tolist(), strict=True)),
        artist_of=dict(zip(track_ids, world.track_artist.tolist(), strict=True)),
    )


@pytest.fixture(scope="session")
def fitted(synth: Fixture) -> Recommender:
    """The full pipeline fitted on the world, the held-out tails hidden."""
    return Recommender(**SMALL).fit(
        synth.catalog, replace_items={c.playlist_id: c.seeds for c in synth.cases}
    )
