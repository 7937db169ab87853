"""Playlists of a synthetic world: which tracks each holds, in order.

A playlist has a main scene and, for a share of them, a second one mixed in.
Entries are drawn from a scene's tracks in proportion to their popularity weight;
some entries continue the album (else the artist) of the entry before, which
gives the album and artist runs of real playlists. A track appears at most once
in a playlist.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["PlaylistDraw", "draw_playlists"]

Array = npt.NDArray[Any]

_CHUNK_ITEMS = 4_000_000


class PlaylistDraw:
    """Samplers of tracks per scene, by popularity weight."""

    def __init__(self, track_scene: Array, weight: Array, n_scenes: int) -> None:
        self.members: list[npt.NDArray[np.int64]] = []
        self.cumulative: list[npt.NDArray[np.float64]] = []
        order = np.argsort(track_scene, kind="stable")
        bounds = np.searchsorted(track_scene[order], np.arange(n_scenes + 1))
        for s in range(n_scenes):
            members = order[bounds[s] : bounds[s + 1]]
            cum = np.cumsum(weight[members])
            self.members.append(members)
            self.cumulative.append(cum / cum[-1] if len(cum) else cum)

    def draw(self, scenes: Array, rng: np.random.Generator) -> npt.NDArray[np.int64]:
        """Draw one track for each entry of ``scenes`` (scene indices)."""
        out = np.empty(len(scenes), dtype=np.int64)
        u = rng.random(len(scenes))
        order = np.argsort(scenes, kind="stable")
        bounds = np.searchsorted(scenes[order], np.arange(len(self.members) + 1))
        for s, members in enumerate(self.members):
            idx = order[bounds[s] : bounds[s + 1]]
            if len(idx) == 0:
                continue
            pos = np.searchsorted(self.cumulative[s], u[idx], side="right")
            out[idx] = members[np.minimum(pos, len(members) - 1)]
        return out


def draw_playlists(
    *,
    lengths: npt.NDArray[np.int64],
    scene: npt.NDArray[np.int32],
    second: npt.NDArray[np.int32],
    mix: npt.NDArray[np.float64],
    sampler: PlaylistDraw,
    track_album: npt.NDArray[np.int32],
    track_artist: npt.NDArray[np.int32],
    artist_start: npt.NDArray[np.int64],
    artist_count: npt.NDArray[np.int64],
    run_share: float,
    rng: np.random.Generator,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    """Fill every playlist; return ``(indptr, tracks)`` in CSR layout.

    Returns
    -------
    indptr
        Shape ``(n_playlists + 1,)``, int64.
    tracks
        Shape ``(nnz,)``, int32 track indices in playlist order.
    """
    n_tracks = len(track_album)
    parts: list[npt.NDArray[np.int32]] = []
    kept_lengths = np.empty(len(lengths), dtype=np.int64)
    ends = np.cumsum(lengths)
    lo = 0
    while lo < len(lengths):
        base = ends[lo - 1] if lo else 0
        hi = max(lo + 1, int(np.searchsorted(ends, base + _CHUNK_ITEMS, side="right")))
        hi = min(hi, len(lengths))
        tracks, kept = _chunk(
            lo,
            lengths[lo:hi],
            scene,
            second,
            mix,
            sampler,
            track_album,
            track_artist,
            artist_start,
            artist_count,
            run_share,
            n_tracks,
            rng,
        )
        parts.append(tracks)
        kept_lengths[lo:hi] = kept
        lo = hi
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(kept_lengths, out=indptr[1:])
    items = np.concatenate(parts) if parts else np.zeros(0, np.int32)
    _cover(items, sampler, n_tracks, rng)
    return indptr, items


def _cover(
    items: npt.NDArray[np.int32],
    sampler: PlaylistDraw,
    n_tracks: int,
    rng: np.random.Generator,
) -> None:
    """Put every track that no playlist holds into some playlist of its scene.

    As in the MPD, whose catalogue is the set of tracks its playlists hold, every
    track then appears at least once. A track takes the place of an entry of its
    scene whose track appears elsewhere too, so no track drops out and none repeats
    within a playlist.
    """
    if len(items) == 0:
        return
    scene_of = np.empty(n_tracks, dtype=np.int32)
    for s, members in enumerate(sampler.members):
        scene_of[members] = s
    for _ in range(4):
        counts = np.bincount(items, minlength=n_tracks)
        unused = np.flatnonzero(counts == 0)
        if len(unused) == 0:
            return
        entry_scene = scene_of[items]
        spare = counts[items] >= 2
        placed = 0
        for s in np.unique(scene_of[unused]):
            wanted = unused[scene_of[unused] == s]
            slots = np.flatnonzero(spare & (entry_scene == s))
            k = min(len(wanted), len(slots))
            if k == 0:
                continue
            chosen = rng.choice(slots, size=k, replace=False)
            items[chosen] = rng.permutation(wanted)[:k]
            placed += k
        if placed == 0:
            return


def _chunk(
    lo: int,
    lengths: npt.NDArray[np.int64],
    scene: Array,
    second: Array,
    mix: Array,
    sampler: PlaylistDraw,
    track_album: Array,
    track_artist: Array,
    artist_start: Array,
    artist_count: Array,
    run_share: float,
    n_tracks: int,
    rng: np.random.Generator,
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
    n = int(lengths.sum())
    local = np.repeat(np.arange(len(lengths)), lengths)
    playlist = lo + local
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    pos = np.arange(n) - starts[local]

    # scene of each entry, then a popularity-weighted draw
    use_second = (second[playlist] >= 0) & (rng.random(n) < mix[playlist])
    entry_scene = np.where(use_second, second[playlist], scene[playlist])
    tracks = sampler.draw(entry_scene, rng)

    # runs: continue the album of the run's first entry, else its artist
    cont = (rng.random(n) < run_share) & (pos > 0)
    idx = np.arange(n)
    head = np.maximum.accumulate(np.where(cont, 0, idx))
    first = tracks[head]
    following = first + (idx - head)
    inside = following < n_tracks
    same_album = inside & (
        track_album[np.minimum(following, n_tracks - 1)] == track_album[first]
    )
    artist = track_artist[first]
    same_artist = artist_start[artist] + (rng.random(n) * artist_count[artist]).astype(
        np.int64
    )
    tracks = np.where(cont, np.where(same_album, following, same_artist), tracks)

    # no track twice in one playlist: draw again, then drop what still repeats
    for _ in range(4):
        again = _repeats(playlist, tracks, n_tracks)
        if not again.any():
            break
        tracks[again] = sampler.draw(entry_scene[again], rng)
    keep = ~_repeats(playlist, tracks, n_tracks)
    kept = np.bincount(local[keep], minlength=len(lengths)).astype(np.int64)
    return tracks[keep].astype(np.int32), kept


def _repeats(
    playlist: Array, tracks: npt.NDArray[np.int64], n_tracks: int
) -> npt.NDArray[np.bool_]:
    """Mask of the entries whose track appeared earlier in the same playlist."""
    key = playlist.astype(np.int64) * n_tracks + tracks
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    repeat = np.zeros(len(key), dtype=bool)
    repeat[order[1:]] = sorted_key[1:] == sorted_key[:-1]
    return repeat
