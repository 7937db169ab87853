"""The knobs of a synthetic world."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SynthConfig"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SynthConfig:
    """Size and shape of a synthetic world; equal configs give equal worlds.

    Parameters
    ----------
    playlists
        Number of playlists (MPD scale is 1,000,000).
    seed
        Seed of every random draw.
    scenes
        Number of scenes (genres); the first 18 have their own names and sounds,
        more reuse them with numbered names.
    artists
        Number of artists; default ``max(50, round(0.3 * playlists))``.
    tracks
        Number of tracks, versions included; default
        ``max(300, round(2.2 * playlists))``.
    mean_length
        Mean playlist length before clipping to ``[min_length, max_length]``.
    min_length, max_length
        Bounds of a playlist's length (the MPD's are 5 and 250).
    version_share
        Share of the tracks that are planted versions (remaster, live, ...) of
        another track.
    users
        Number of playlist owners, ``user0`` to ``user{users-1}``.
    mix_share
        Share of playlists that mix a second scene into their main one.
    run_share
        Chance that an entry continues the album (or artist) of the entry before.
    """

    playlists: int = 1000
    seed: int = 0
    scenes: int = 12
    artists: int | None = None
    tracks: int | None = None
    mean_length: float = 66.0
    min_length: int = 5
    max_length: int = 250
    version_share: float = 0.05
    users: int = 20
    mix_share: float = 0.15
    run_share: float = 0.25

    def __post_init__(self) -> None:
        if self.playlists < 1:
            raise ValueError(f"playlists must be at least 1, not {self.playlists}")
        if self.scenes < 1:
            raise ValueError(f"scenes must be at least 1, not {self.scenes}")
        if self.users < 1:
            raise ValueError(f"users must be at least 1, not {self.users}")
        if not 1 <= self.min_length <= self.max_length:
            raise ValueError("need 1 <= min_length <= max_length")
        if not 0.0 <= self.version_share < 0.5:
            raise ValueError("version_share must lie in [0, 0.5)")
        for name in ("mix_share", "run_share"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must lie in [0, 1]")
        if self.n_artists < 2:
            raise ValueError("a world needs at least 2 artists")
        if self.n_tracks - self.n_versions < self.n_artists:
            raise ValueError(
                f"{self.n_tracks} tracks leave fewer original tracks than the "
                f"{self.n_artists} artists; raise tracks or lower artists"
            )

    @property
    def n_artists(self) -> int:
        """The number of artists, default applied."""
        if self.artists is not None:
            return self.artists
        return max(50, round(0.3 * self.playlists))

    @property
    def n_tracks(self) -> int:
        """The number of tracks, versions included, default applied."""
        if self.tracks is not None:
            return self.tracks
        return max(300, round(2.2 * self.playlists))

    @property
    def n_versions(self) -> int:
        """The number of planted version tracks."""
        return round(self.version_share * self.n_tracks)
