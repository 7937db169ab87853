"""Write a :class:`World` as Million Playlist Dataset slice files (full schema).

Each track's JSON object, all but its ``pos``, is encoded once; a playlist is then
a join of byte strings, so a slice of 1,000 playlists is written in one pass with
memory bounded by the slice.
"""

from __future__ import annotations

import gzip as gzip_module
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

import msgspec
import numpy as np

from segue.catalog.synth._store import playlist_counts

if TYPE_CHECKING:
    from segue.catalog.synth._world import World

__all__ = ["write_mpd"]

log = logging.getLogger("segue")

_TRACK = (
    b'%b,"track_uri":"spotify:track:%b","artist_uri":"spotify:artist:%b",'
    b'"track_name":%b,"album_uri":"spotify:album:%b","duration_ms":%d,'
    b'"album_name":%b}'
)


def _track_objects(world: World) -> list[bytes]:
    encode = msgspec.json.encode
    artist_names = [encode(n) for n in world.artist_names.tolist()]
    artist_ids = [a.encode() for a in world.artist_ids.tolist()]
    album_names = [encode(n) for n in world.album_names.tolist()]
    album_ids = [a.encode() for a in world.album_ids.tolist()]
    return [
        _TRACK
        % (
            artist_names[a],
            t.encode(),
            artist_ids[a],
            encode(name),
            album_ids[al],
            d,
            album_names[al],
        )
        for t, name, a, al, d in zip(
            world.track_ids.tolist(),
            world.track_names.tolist(),
            world.track_artist.tolist(),
            world.track_album.tolist(),
            world.track_duration_ms.tolist(),
            strict=True,
        )
    ]


def write_mpd(world: World, folder: Path, *, slice_size: int, gzip: bool) -> list[Path]:
    """Write ``world`` to ``folder``; see ``World.write_mpd``."""
    if slice_size < 1:
        raise ValueError(f"slice_size must be at least 1, not {slice_size}")
    t0 = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    objects = _track_objects(world)
    encode = msgspec.json.encode
    pids = world.playlist_pids.tolist()
    longest = int(max(np.diff(world.playlist_indptr), default=0))
    positions = [b'{"pos":%d,"artist_name":' % k for k in range(longest)]
    written: list[Path] = []
    for lo in range(0, world.n_playlists, slice_size):
        hi = min(lo + slice_size, world.n_playlists)
        name = f"mpd.slice.{pids[lo]}-{pids[lo] + slice_size - 1}.json"
        path = folder / (name + ".gz" if gzip else name)
        albums, artists, duration = playlist_counts(world, lo, hi)
        with _open(path, gzip) as out:
            out.write(
                b'{"info":{"generated_on":"synthetic","slice":"%d-%d","version":"v1",'
                b'"seed":%d},"playlists":['
                % (pids[lo], pids[lo] + slice_size - 1, world.config.seed)
            )
            for p in range(lo, hi):
                start, end = world.playlist_indptr[p], world.playlist_indptr[p + 1]
                tracks = world.playlist_tracks[start:end].tolist()
                description = world.playlist_descriptions[p]
                head = b'{"name":%b,' % encode(world.playlist_titles[p])
                if description is not None:
                    head += b'"description":%b,' % encode(description)
                body = b",".join(
                    [positions[k] + objects[t] for k, t in enumerate(tracks)]
                )
                out.write(
                    b'%b%b"collaborative":"%b","pid":%d,"modified_at":%d,'
                    b'"num_tracks":%d,"num_albums":%d,"num_followers":%d,'
                    b'"tracks":[%b],"num_edits":%d,"duration_ms":%d,'
                    b'"num_artists":%d}'
                    % (
                        b"," if p > lo else b"",
                        head,
                        b"true" if world.playlist_collaborative[p] else b"false",
                        pids[p],
                        world.playlist_modified_at[p],
                        len(tracks),
                        albums[p - lo],
                        world.playlist_followers[p],
                        body,
                        world.playlist_edits[p],
                        duration[p - lo],
                        artists[p - lo],
                    )
                )
            out.write(b"]}\n")
        written.append(path)
    log.info(
        "wrote %d playlists to %d files in %s in %.1fs",
        world.n_playlists,
        len(written),
        folder,
        time.perf_counter() - t0,
    )
    return written


def _open(path: Path, gzip: bool) -> BinaryIO:
    if gzip:
        # GzipFile is a binary stream, though typeshed does not call it BinaryIO
        return cast(BinaryIO, gzip_module.GzipFile(path, "wb", compresslevel=5))
    return path.open("wb", buffering=1 << 20)
