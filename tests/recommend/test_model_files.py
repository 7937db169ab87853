"""Model directories: round trip, atomic writes, catalogs that do not match."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import Fixture
from segue.catalog import Catalog
from segue.catalog.synth import SynthConfig, generate
from segue.recommend import Query
from segue.recommend.errors import ModelFileError, ModelMismatch
from segue.recommend.recommender import Recommender
from segue.recommend.strings import pack_strings, unpack_strings


def _queries(synth: Fixture) -> list[Query]:
    return [Query(seeds=c.seeds, title=c.title) for c in synth.cases[:10]] + [
        Query(title=synth.cases[0].title)
    ]


def test_round_trip_gives_the_same_recommendations(
    synth: Fixture, fitted: Recommender, tmp_path: Path
) -> None:
    path = fitted.save(tmp_path / "model", metrics={"r_precision": 0.5})
    loaded = Recommender.load(path, synth.catalog)
    assert loaded.get_params() == fitted.get_params()
    assert loaded.recommend_batch(_queries(synth), 100) == fitted.recommend_batch(
        _queries(synth), 100
    )
    card = json.loads((path / "card.json").read_text())
    assert card["metrics"] == {"r_precision": 0.5}
    assert card["data"]["tracks"] == synth.data.n_tracks
    assert card["parameters"]["factors"] == fitted.factors
    assert not list(path.glob("*.pkl"))
    for npy in path.glob("*.npy"):
        np.load(npy, allow_pickle=False)  # raises if any array needs pickle


def test_failure_mid_write_keeps_the_old_model(
    synth: Fixture, fitted: Recommender, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fitted.save(tmp_path / "model")
    before = sorted(p.name for p in path.iterdir())
    expected = fitted.recommend_batch(_queries(synth), 50)
    calls = {"n": 0}
    real_save = np.save

    def failing_save(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device")
        real_save(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(np, "save", failing_save)
    with pytest.raises(OSError, match="No space"):
        fitted.save(path)
    monkeypatch.undo()
    assert sorted(p.name for p in path.iterdir()) == before
    assert [p.name for p in tmp_path.iterdir()] == ["model"]  # no leftovers
    assert Recommender.load(path).recommend_batch(_queries(synth), 50) == expected


def test_model_from_another_catalog_is_refused(
    fitted: Recommender, tmp_path: Path
) -> None:
    path = fitted.save(tmp_path / "model")
    other = Catalog(":memory:")
    generate(SynthConfig(playlists=100, seed=99)).write_catalog(other)
    with pytest.raises(ModelMismatch, match="another catalog"):
        Recommender.load(path, other)


def test_grown_catalog_is_accepted(
    synth: Fixture, fitted: Recommender, tmp_path: Path
) -> None:
    path = fitted.save(tmp_path / "model")
    grown = Catalog(":memory:")
    synth.world.write_catalog(grown)
    generate(SynthConfig(playlists=50, seed=5)).write_catalog(grown, source="more")
    assert Recommender.load(path, grown).fitted_ is not None


def test_ranker_of_other_features_is_refused_at_load(
    synth: Fixture, fitted: Recommender, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from segue.recommend import ranker

    path = fitted.save(tmp_path / "model")
    Recommender.load(path, synth.catalog)
    monkeypatch.setattr(ranker, "FEATURES", (*ranker.FEATURES, "a_new_feature"))
    with pytest.raises(ModelFileError, match="other features"):
        Recommender.load(path, synth.catalog)


def test_missing_or_corrupt_files_are_reported(
    fitted: Recommender, tmp_path: Path
) -> None:
    with pytest.raises(ModelFileError, match=r"no card\.json"):
        Recommender.load(tmp_path / "nothing")
    path = fitted.save(tmp_path / "model")
    next(path.glob("gen.als.*.npy")).unlink()
    with pytest.raises(ModelFileError):
        Recommender.load(path)
    path = fitted.save(tmp_path / "model2")
    (path / "data.track_ids_blob.npy").write_bytes(b"garbage")
    with pytest.raises(ModelFileError, match="unreadable"):
        Recommender.load(path)


@pytest.mark.parametrize(
    "values",
    [[], ["a"], [None], ["Björk", None, "", "東京", "🔥 mix"], [None, None]],
)
def test_strings_round_trip(values: list[str | None]) -> None:
    blob, offsets = pack_strings(values)
    assert blob.dtype == np.uint8
    assert offsets.dtype == np.int64
    assert unpack_strings(blob, offsets).tolist() == values
