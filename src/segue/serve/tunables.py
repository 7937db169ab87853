"""The ``min_*``, ``max_*`` and ``target_*`` tunables of the old recommendations API.

Spotify's removed ``GET /v1/recommendations`` took, for 14 track attributes, a lower
bound, an upper bound and a target. segue applies them to its candidate pool where the
catalog has the attribute: bounds filter (a track whose value is unknown does not
pass), targets re-rank (closest first, the model's order breaking ties). A tunable the
catalog cannot honour (no features at all, no popularity) is reported back, never
silently ignored.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from segue.catalog import FEATURE_NAMES
from segue.serve.engine import Engine, Suggestion
from segue.serve.errors import BadRequest

__all__ = ["ATTRIBUTES", "Tunables", "apply_tunables", "parse_tunables"]

# attribute: (lowest, highest, integer?, scale of a "large" difference)
ATTRIBUTES: dict[str, tuple[float, float, bool, float]] = {
    "acousticness": (0.0, 1.0, False, 1.0),
    "danceability": (0.0, 1.0, False, 1.0),
    "duration_ms": (0.0, math.inf, True, 600_000.0),
    "energy": (0.0, 1.0, False, 1.0),
    "instrumentalness": (0.0, 1.0, False, 1.0),
    "key": (0.0, 11.0, True, 11.0),
    "liveness": (0.0, 1.0, False, 1.0),
    "loudness": (-math.inf, math.inf, False, 60.0),
    "mode": (0.0, 1.0, True, 1.0),
    "popularity": (0.0, 100.0, True, 100.0),
    "speechiness": (0.0, 1.0, False, 1.0),
    "tempo": (0.0, math.inf, False, 200.0),
    "time_signature": (0.0, 11.0, True, 7.0),
    "valence": (0.0, 1.0, False, 1.0),
}
PREFIXES = ("min_", "max_", "target_")


@dataclasses.dataclass(frozen=True)
class Tunables:
    """Parsed tunables: attribute name to value, one dict per kind."""

    mins: dict[str, float] = dataclasses.field(default_factory=dict)
    maxs: dict[str, float] = dataclasses.field(default_factory=dict)
    targets: dict[str, float] = dataclasses.field(default_factory=dict)

    @property
    def attributes(self) -> set[str]:
        """Every attribute that any tunable names."""
        return set(self.mins) | set(self.maxs) | set(self.targets)

    def __bool__(self) -> bool:
        return bool(self.attributes)


def parse_tunables(params: Mapping[str, str]) -> Tunables:
    """Read the tunables among query parameters.

    Raises
    ------
    BadRequest
        A value is not a number, out of the attribute's range, or a minimum exceeds
        its maximum.
    """
    out = Tunables()
    kinds = {"min_": out.mins, "max_": out.maxs, "target_": out.targets}
    for key, raw in params.items():
        prefix = next((p for p in PREFIXES if key.startswith(p)), None)
        if prefix is None or key[len(prefix) :] not in ATTRIBUTES:
            continue
        name = key[len(prefix) :]
        low, high, integer, _ = ATTRIBUTES[name]
        try:
            value = float(raw)
        except ValueError:
            raise BadRequest(f"Invalid value for {key}: not a number") from None
        if not math.isfinite(value) or not low <= value <= high:
            raise BadRequest(f"Invalid value for {key}: out of range")
        if integer and value != int(value):
            raise BadRequest(f"Invalid value for {key}: must be an integer")
        kinds[prefix][name] = value
    for name in set(out.mins) & set(out.maxs):
        if out.mins[name] > out.maxs[name]:
            raise BadRequest(f"min_{name} must not be greater than max_{name}")
    return out


def unsupported(tunables: Tunables, engine: Engine) -> list[str]:
    """The attributes named by tunables that the catalog has no values for."""
    missing = []
    for name in sorted(tunables.attributes):
        if name in FEATURE_NAMES:
            if engine.feature_coverage[name] == 0.0:
                missing.append(name)
        elif name == "popularity" and not engine.has_popularity:
            missing.append(name)
    return missing


def _values(engine: Engine, ids: Sequence[str], name: str) -> npt.NDArray[np.float64]:
    if name in FEATURE_NAMES:
        return engine.feature_rows(ids)[:, FEATURE_NAMES.index(name)]
    column = (
        engine.table.duration_ms if name == "duration_ms" else (engine.table.popularity)
    )
    rows = [engine.row.get(t) for t in ids]
    return np.asarray(
        [np.nan if r is None else column[r] for r in rows], dtype=np.float64
    )


def apply_tunables(
    tunables: Tunables,
    candidates: Sequence[Suggestion],
    engine: Engine,
    skip: set[str],
) -> list[Suggestion]:
    """Filter ``candidates`` by the bounds and order them towards the targets.

    Attributes in ``skip`` (unsupported ones) are left out.
    """
    if not tunables or not candidates:
        return list(candidates)
    ids = [c.track_id for c in candidates]
    keep = np.ones(len(ids), dtype=bool)
    distance = np.zeros(len(ids))
    for name in sorted(tunables.attributes - skip):
        values = _values(engine, ids, name)
        if name in tunables.mins:
            keep &= values >= tunables.mins[name]
        if name in tunables.maxs:
            keep &= values <= tunables.maxs[name]
        if name in tunables.targets:
            scale = ATTRIBUTES[name][3]
            gap = np.abs(values - tunables.targets[name]) / scale
            distance += np.where(np.isnan(gap), 0.5, np.minimum(gap, 1.0))
    order = np.arange(len(ids))
    if tunables.targets.keys() - skip:
        rank = order / max(len(ids), 1)
        order = np.lexsort((rank, np.round(distance + 0.05 * rank, 6)))
    return [candidates[i] for i in order.tolist() if keep[i]]
