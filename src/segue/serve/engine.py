"""The engine: the model behind the service, and what the service knows of tracks.

:class:`Engine` wraps any :class:`~segue.recommend.Model` (segue's recommender, or
the popularity baseline) in one call, :meth:`Engine.suggest`, that returns track ids
with scores and reasons. It also keeps, in memory, the columns the API answers with:
the track table, the audio features, the playlist counts and an artist index, so
that a request never waits on more than the model.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import math
import threading
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from segue.catalog import FEATURE_NAMES, Catalog, TrackTable
from segue.recommend import Model, Query
from segue.recommend.peers import Popularity
from segue.serve.batcher import Batcher
from segue.serve.errors import ConfigError

__all__ = ["Engine", "Suggestion", "load_model"]

log = logging.getLogger("segue")


@dataclasses.dataclass(frozen=True, slots=True)
class Suggestion:
    """One recommended track: its id, a score (higher is better) and why."""

    track_id: str
    score: float
    reason: str


def load_model(spec: str, catalog: Catalog) -> Model:
    """The model named by ``spec``: ``"popularity"`` or a saved model directory.

    Raises
    ------
    ConfigError
        The directory does not exist, or cannot be loaded.
    """
    if spec == "popularity":
        return Popularity().fit(catalog)
    path = Path(spec)
    if not path.is_dir():
        raise ConfigError(f"{spec}: not a model directory (nor 'popularity')")
    recommender = _recommender_class()
    try:
        model: Model = recommender.load(path, catalog)
    except Exception as exc:  # any load failure is a configuration problem
        raise ConfigError(f"{spec}: cannot load the model: {exc}") from exc
    return model


def _recommender_class() -> Any:
    """segue's Recommender class, imported when first needed (it is heavy)."""
    try:
        module = importlib.import_module("segue.recommend.recommender")
    except ImportError as exc:
        raise ConfigError(f"this segue has no trained-model loader: {exc}") from None
    return module.Recommender


class Engine:
    """A model and the track columns the service answers with.

    Parameters
    ----------
    catalog
        The catalog the model was trained on.
    model
        The model; its ``recommend`` method is used when it has one (segue's
        recommender gives reasons), else ``recommend_batch``.
    popularity
        A fitted popularity baseline (fitted here when omitted): it orders an
        artist's tracks and serves as the study's baseline.
    """

    def __init__(
        self,
        catalog: Catalog,
        model: Model,
        *,
        popularity: Popularity | None = None,
    ) -> None:
        self.catalog = catalog
        self.model = model
        self.popularity = (
            popularity
            if popularity is not None
            else (model if isinstance(model, Popularity) else Popularity().fit(catalog))
        )
        self.table: TrackTable = catalog.track_table()
        self.row: dict[str, int] = {
            str(t): i for i, t in enumerate(self.table.id.tolist())
        }
        self.features: npt.NDArray[np.float64] = catalog.feature_matrix(
            self.table.id.tolist()
        )
        counts = self.popularity.count_of()
        self.counts = np.asarray(
            [counts.get(str(t), 0) for t in self.table.id.tolist()], dtype=np.int64
        )
        self._baseline_lock = threading.Lock()
        self._model_lock = threading.Lock()
        self.batcher = Batcher(model, self._model_lock)
        self._als: Model | None = None
        self._artist_tracks: dict[str, list[str]] = {}
        order = np.lexsort((self.table.id.astype(str), -self.counts))
        for i in order.tolist():
            artist = self.table.artist_id[i]
            if artist is not None:
                self._artist_tracks.setdefault(str(artist), []).append(
                    str(self.table.id[i])
                )
        self.artist_names = {
            str(a): str(n)
            for a, n in zip(
                self.table.artist_id.tolist(),
                self.table.artist_name.tolist(),
                strict=True,
            )
            if a is not None and n is not None
        }
        self._genre_artists: dict[str, list[str]] = {}
        for artist in catalog.iter_artists():
            for genre in artist.genres or ():
                self._genre_artists.setdefault(genre.casefold(), []).append(artist.id)
        known = ~np.isnan(self.features)
        self.feature_coverage = {
            name: float(known[:, j].mean()) if len(self.features) else 0.0
            for j, name in enumerate(FEATURE_NAMES)
        }
        self.has_popularity = bool(np.any(~np.isnan(self.table.popularity)))
        log.info(
            "serving %d tracks, %d artists, model %s",
            len(self.table),
            len(self._artist_tracks),
            getattr(model, "name", type(model).__name__),
        )

    def baseline(self, name: str) -> Model:
        """A comparison model for studies: ``popularity``, or ``als`` (segue's ALS
        generator alone, without the ranker; fitted on first use).

        Raises
        ------
        ConfigError
            An unknown baseline name.
        """
        if name == "popularity":
            return self.popularity
        if name != "als":
            raise ConfigError(f"no baseline {name!r}")
        with self._baseline_lock:
            if self._als is None:
                log.info("fitting the ALS baseline")
                self._als = _recommender_class()(generators=("als",), ranker=False).fit(
                    self.catalog
                )
            model: Model = self._als
            return model

    @property
    def has_genres(self) -> bool:
        """Whether any artist of the catalog has genres."""
        return bool(self._genre_artists)

    def knows(self, track_id: str) -> bool:
        """Whether the catalog holds the track."""
        return track_id in self.row

    def knows_artist(self, artist_id: str) -> bool:
        """Whether the catalog holds a track of the artist."""
        return artist_id in self._artist_tracks

    def artist_tracks(self, artist_id: str, k: int = 5) -> list[str]:
        """The artist's ``k`` most listed tracks."""
        return self._artist_tracks.get(artist_id, [])[:k]

    def genre_tracks(self, genre: str, k: int = 5) -> list[str]:
        """The ``k`` most listed tracks of artists of the genre."""
        tracks: list[str] = []
        for artist in self._genre_artists.get(genre.casefold(), []):
            tracks.extend(self.artist_tracks(artist, 2))
        tracks.sort(key=lambda t: -int(self.counts[self.row[t]]))
        return tracks[:k]

    def feature_rows(self, track_ids: Sequence[str]) -> npt.NDArray[np.float64]:
        """Shape ``(n, 12)``: the features of ``track_ids``, NaN where unknown."""
        out = np.full((len(track_ids), len(FEATURE_NAMES)), np.nan)
        for k, track_id in enumerate(track_ids):
            i = self.row.get(track_id)
            if i is not None:
                out[k] = self.features[i]
        return out

    def profile(self, track_ids: Sequence[str]) -> dict[str, Any]:
        """Mean audio features of the tracks, and how many of them have features."""
        rows = self.feature_rows(track_ids)
        have = ~np.isnan(rows).all(axis=1)
        means: dict[str, float | None] = {}
        for j, name in enumerate(FEATURE_NAMES):
            col = rows[have, j]
            col = col[~np.isnan(col)]
            means[name] = round(float(col.mean()), 4) if len(col) else None
        return {"tracks": len(track_ids), "with_features": int(have.sum()), **means}

    def suggest(
        self,
        seeds: Sequence[str],
        *,
        title: str | None = None,
        n: int = 20,
        exclude: Iterable[str] = (),
        allow_remixes: bool = False,
    ) -> list[Suggestion]:
        """Continue a playlist: ``n`` tracks, best first, never a seed.

        Unknown seeds are dropped (the model never sees them); with no known seed and
        no title the answer is empty.
        """
        known = tuple(s for s in seeds if s in self.row)
        excluded = frozenset(exclude) | frozenset(seeds)
        if not known and not title:
            return []
        recommend = getattr(self.model, "recommend", None)
        # one call at a time: models need not be thread-safe, and the GIL would
        # serialise most of the work anyway; workers give the parallelism
        with self._model_lock, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown-seed warnings: handled above
            if callable(recommend):
                try:
                    result = recommend(
                        list(known),
                        title=title,
                        n=n,
                        exclude=sorted(excluded),
                        allow_remixes=allow_remixes,
                    )
                except Exception as exc:
                    # nothing to go on (no known seed, no title): an empty answer
                    if type(exc).__name__ in _EMPTY_ERRORS:
                        return []
                    raise
                return _from_result(result, n)
            ids = self.model.recommend_batch(
                [Query(seeds=known, title=title, exclude=excluded)], n
            )[0]
        return [self._popular_reason(t, k) for k, t in enumerate(ids[:n])]

    def suggest_ids(
        self, seeds: Sequence[str], *, n: int = 20, exclude: Iterable[str] = ()
    ) -> list[Suggestion]:
        """Like :meth:`suggest`, without the model's reasons, through the batcher.

        Concurrent calls share one ``recommend_batch`` call, which is much cheaper
        per query under load; the reasons say only the rank.
        """
        known = tuple(s for s in seeds if s in self.row)
        if not known:
            return []
        query = Query(seeds=known, exclude=frozenset(exclude) | frozenset(seeds))
        ids = self.batcher.recommend(query, n)
        return [self._popular_reason(t, k) for k, t in enumerate(ids[:n])]

    def _popular_reason(self, track_id: str, rank: int) -> Suggestion:
        i = self.row.get(track_id)
        count = int(self.counts[i]) if i is not None else 0
        name = getattr(self.model, "name", "model")
        if name == "popularity":
            reason = f"popular: in {count} playlists of the catalog"
        else:
            reason = f"ranked {rank + 1} by {name}"
        return Suggestion(track_id, 1.0 / (rank + 1), reason)


_EMPTY_ERRORS = frozenset({"EmptyQuery", "UnknownTracks"})


def _from_result(result: Any, n: int) -> list[Suggestion]:
    """Read the recommender's result (ids, scores, reasons) into suggestions."""
    ids = list(_first_attr(result, ("track_ids", "ids", "tracks")))
    scores = list(
        _first_attr(result, ("scores",), [1.0 / (k + 1) for k in range(len(ids))])
    )
    reasons = list(_first_attr(result, ("reasons",), [""] * len(ids)))
    out = []
    for k, track_id in enumerate(ids[:n]):
        reason = reasons[k] if k < len(reasons) else ""
        score = float(scores[k]) if k < len(scores) else 0.0
        out.append(
            Suggestion(
                str(track_id),
                0.0 if math.isnan(score) else score,  # fillers score NaN
                (reason if isinstance(reason, str) else str(reason))
                or "popular in the catalog (fills the list)",
            )
        )
    return out


def _first_attr(obj: Any, names: Sequence[str], default: Any = None) -> Any:
    for name in names:
        value = getattr(obj, name, None)
        if value is not None:
            return value
    if default is None:
        raise ConfigError(f"the model's result has none of {', '.join(names)}")
    return default
