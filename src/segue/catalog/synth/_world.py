"""The :class:`World`: a synthetic catalogue and its playlists, as numpy columns."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from segue.catalog.synth._config import SynthConfig

if TYPE_CHECKING:
    from segue.catalog._catalog import Catalog

__all__ = ["World"]

Objects = npt.NDArray[np.object_]
Ints = npt.NDArray[np.int32]


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class World:
    """A synthetic world with its ground truth; every array is aligned by index.

    Artists (``n_artists``), albums (``n_albums``), tracks (``n_tracks``) and
    playlists (``n_playlists``) are numbered from 0; ``track_artist`` and the like
    hold such numbers. Ids are random 22-character base-62 strings, Spotify-shaped.

    Attributes
    ----------
    config
        The configuration the world was drawn from.
    scene_names, scene_words
        Shape ``(n_scenes,)``: each scene's name and the words of its playlist
        titles.
    artist_ids, artist_names
        Shape ``(n_artists,)``, str.
    artist_scene
        Shape ``(n_artists,)``, int32: the artist's main scene.
    artist_popularity
        Shape ``(n_artists,)``, int32 in 0..100, power-law distributed.
    artist_followers
        Shape ``(n_artists,)``, int64.
    album_ids, album_names
        Shape ``(n_albums,)``, str.
    album_artist
        Shape ``(n_albums,)``, int32.
    album_release_date
        Shape ``(n_albums,)``, str ``YYYY-MM-DD``.
    album_type
        Shape ``(n_albums,)``, str: ``album``, ``single`` or ``compilation``.
    album_total_tracks
        Shape ``(n_albums,)``, int32.
    track_ids, track_names, track_isrc
        Shape ``(n_tracks,)``, str.
    track_artist
        Shape ``(n_tracks,)``, int32: the main artist.
    track_featured
        Shape ``(n_tracks,)``, int32: the second artist (featured or remixer),
        -1 where none.
    track_album, track_number
        Shape ``(n_tracks,)``, int32: the album and the 1-based position on it.
    track_scene
        Shape ``(n_tracks,)``, int32: the main artist's scene.
    track_family
        Shape ``(n_tracks,)``, int32: the planted version family, -1 if none.
        The original of a family has ``track_version == "original"``.
    track_version
        Shape ``(n_tracks,)``, str: ``original`` or one of
        :data:`~segue.catalog.synth.KINDS`.
    track_popularity
        Shape ``(n_tracks,)``, int32 in 0..100.
    track_duration_ms
        Shape ``(n_tracks,)``, int32.
    track_explicit
        Shape ``(n_tracks,)``, bool.
    features
        Shape ``(n_tracks, 12)``, float32, columns in ``FEATURE_NAMES`` order, on
        Spotify's scales.
    playlist_pids
        Shape ``(n_playlists,)``, int64: 0 to ``n_playlists - 1``.
    playlist_titles
        Shape ``(n_playlists,)``, str, made of the scene's words.
    playlist_descriptions
        Shape ``(n_playlists,)``, str or None.
    playlist_scene, playlist_second_scene
        Shape ``(n_playlists,)``, int32: the main scene and the scene mixed in
        (-1 where none).
    playlist_owner
        Shape ``(n_playlists,)``, str: ``user0`` to ``user{users-1}``.
    playlist_followers, playlist_edits
        Shape ``(n_playlists,)``, int32.
    playlist_modified_at
        Shape ``(n_playlists,)``, int64 seconds since the epoch.
    playlist_collaborative
        Shape ``(n_playlists,)``, bool.
    playlist_indptr
        Shape ``(n_playlists + 1,)``, int64: playlist ``p`` holds
        ``playlist_tracks[playlist_indptr[p]:playlist_indptr[p + 1]]``.
    playlist_tracks
        Shape ``(nnz,)``, int32 track indices in playlist order.
    """

    config: SynthConfig
    scene_names: Objects
    scene_words: list[list[str]]
    artist_ids: Objects
    artist_names: Objects
    artist_scene: Ints
    artist_popularity: Ints
    artist_followers: npt.NDArray[np.int64]
    album_ids: Objects
    album_names: Objects
    album_artist: Ints
    album_release_date: Objects
    album_type: Objects
    album_total_tracks: Ints
    track_ids: Objects
    track_names: Objects
    track_artist: Ints
    track_featured: Ints
    track_album: Ints
    track_number: Ints
    track_isrc: Objects
    track_scene: Ints
    track_family: Ints
    track_version: Objects
    track_popularity: Ints
    track_duration_ms: Ints
    track_explicit: npt.NDArray[np.bool_]
    features: npt.NDArray[np.float32]
    playlist_pids: npt.NDArray[np.int64]
    playlist_titles: Objects
    playlist_descriptions: Objects
    playlist_scene: Ints
    playlist_second_scene: Ints
    playlist_owner: Objects
    playlist_followers: Ints
    playlist_edits: Ints
    playlist_modified_at: npt.NDArray[np.int64]
    playlist_collaborative: npt.NDArray[np.bool_]
    playlist_indptr: npt.NDArray[np.int64]
    playlist_tracks: Ints

    def __repr__(self) -> str:
        return (
            f"World(playlists={self.n_playlists}, tracks={self.n_tracks}, "
            f"artists={len(self.artist_ids)}, items={len(self.playlist_tracks)}, "
            f"seed={self.config.seed})"
        )

    @property
    def n_playlists(self) -> int:
        """Number of playlists."""
        return len(self.playlist_pids)

    @property
    def n_tracks(self) -> int:
        """Number of tracks."""
        return len(self.track_ids)

    @property
    def playlist_ids(self) -> Objects:
        """Shape ``(n_playlists,)``: catalog ids under the default source label.

        ``write_catalog(catalog)`` and ``segue import mpd --source synthetic`` of
        the files of :meth:`write_mpd` both store playlist ``p`` under this id.
        """
        return self.catalog_ids("synthetic")

    def catalog_ids(self, source: str) -> Objects:
        """Shape ``(n_playlists,)``: the ids ``SOURCE:PID`` under ``source``."""
        return np.asarray(
            (source + ":") + self.playlist_pids.astype(str).astype(object)
        )

    def playlist(self, index: int) -> Ints:
        """The track indices of playlist ``index`` in order, shape ``(length,)``."""
        lo, hi = self.playlist_indptr[index], self.playlist_indptr[index + 1]
        return self.playlist_tracks[lo:hi]

    def matrix(self) -> sp.csr_matrix:
        """The playlist x track matrix, shape ``(n_playlists, n_tracks)``, float32."""
        return sp.csr_matrix(
            (
                np.ones(len(self.playlist_tracks), dtype=np.float32),
                self.playlist_tracks,
                self.playlist_indptr,
            ),
            shape=(self.n_playlists, self.n_tracks),
        )

    def write_catalog(self, catalog: Catalog, *, source: str = "synthetic") -> None:
        """Store the whole world in ``catalog`` in one transaction.

        Artists (with their scene as genre), albums, tracks (ISRC, duration,
        explicit, popularity), their artists, audio features under the feature
        source ``source``, playlists ``SOURCE:PID`` owned by ``user0``... and their
        items; the import is logged. Writing the same world again changes nothing.
        """
        from segue.catalog.synth._store import write_catalog

        write_catalog(self, catalog, source)

    def write_mpd(
        self, folder: str | Path, *, slice_size: int = 1000, gzip: bool = False
    ) -> list[Path]:
        """Write the playlists as Million Playlist Dataset slices, full schema.

        Parameters
        ----------
        folder
            Created when missing; receives ``mpd.slice.START-END.json`` files.
        slice_size
            Playlists per file (the MPD has 1,000).
        gzip
            Write ``.json.gz`` files instead.

        Returns
        -------
        list of Path
            The files written, in pid order.
        """
        from segue.catalog.synth._mpd import write_mpd

        return write_mpd(self, Path(folder), slice_size=slice_size, gzip=gzip)
