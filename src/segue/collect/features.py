"""Audio features for collected tracks, from whichever provider can give them.

A :class:`FeatureProvider` turns track ids into :class:`~segue.catalog.Features`
rows. Two ship with segue:

- :class:`ImportedFeatures`: feature tables already imported into the catalog
  (``segue import features``), matched to the user's tracks by ISRC when the table
  knows the recording under another track id. No requests.
- :class:`SpotifyFeatures`: Spotify's ``/audio-features``, which apps created after
  November 2024 may not call. Whether this app may is *detected*: the first call that
  answers 403 marks the endpoint unavailable in the catalog, and it is not asked again
  for :data:`RETRY_AFTER` (the app's access may change).

Tracks no provider covers stay in the catalog without features; everything in segue
works without them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from segue import catalog as c
from segue import spotify as s
from segue.catalog import crawl
from segue.collect.source import Source

__all__ = ["RETRY_AFTER", "FeatureProvider", "ImportedFeatures", "SpotifyFeatures"]

log = logging.getLogger("segue")

RETRY_AFTER = dt.timedelta(days=30)
"""How long a 403 from ``/audio-features`` is remembered before asking again."""

_SETTING = "features:spotify"


class FeatureProvider(Protocol):
    """Something that knows audio features of tracks."""

    name: str
    """Short label, shown in the summary."""
    batch: int
    """Track ids per call of :meth:`features`."""

    def available(self) -> bool:
        """Whether asking is worthwhile (False once the provider was refused)."""
        ...

    def features(self, track_ids: Sequence[str]) -> list[c.Features] | None:
        """Features of those of ``track_ids`` it knows; None when it became
        unavailable (nothing of the batch was answered)."""
        ...


class ImportedFeatures:
    """Features from tables imported into the catalog, matched by ISRC.

    Parameters
    ----------
    catalog
        The catalog holding the imported tables.
    """

    name = "imported"
    batch = 5000

    def __init__(self, catalog: c.Catalog) -> None:
        self.catalog = catalog

    def available(self) -> bool:
        """Always: it only reads the catalog."""
        return True

    def features(self, track_ids: Sequence[str]) -> list[c.Features]:
        """Imported rows of recordings with the same ISRC as ``track_ids``."""
        return crawl.features_by_isrc(self.catalog, track_ids)


class SpotifyFeatures:
    """Spotify's ``/audio-features``, where the app's access allows it.

    Parameters
    ----------
    catalog
        Where the detected availability is remembered.
    open_client
        Opens a client that *tries* extended-only endpoints (mode ``extended`` or
        ``auto``); called at most once, on first need.
    source
        Source label of the rows written.
    """

    name = "spotify"
    batch = 100

    def __init__(
        self,
        catalog: c.Catalog,
        open_client: Callable[[], Source],
        *,
        source: str = "spotify",
    ) -> None:
        self.catalog = catalog
        self.source = source
        self._open = open_client
        self._client: Source | None = None

    def available(self) -> bool:
        """False while a recent 403 is remembered."""
        known = crawl.setting(self.catalog, _SETTING)
        if known is None or known[0] != "unavailable":
            return True
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        return now - known[1] > RETRY_AFTER

    def features(self, track_ids: Sequence[str]) -> list[c.Features] | None:
        """Features Spotify gives for ``track_ids``; None once it answers 403."""
        if self._client is None:
            self._client = self._open()
        try:
            answers = self._client.audio_features(track_ids)
        except s.EndpointUnavailable:
            log.info("Spotify refuses audio features to this app; not asking again")
            crawl.set_setting(self.catalog, _SETTING, "unavailable")
            return None
        crawl.set_setting(self.catalog, _SETTING, "available")
        return [_features(f, self.source) for f in answers if f is not None]

    @property
    def stats(self) -> s.Stats | None:
        """Counters of the client, once opened."""
        return self._client.stats if self._client is not None else None

    def close(self) -> None:
        """Close the client, if one was opened."""
        if self._client is not None:
            self._client.close()
            self._client = None


def _features(f: s.AudioFeatures, source: str) -> c.Features:
    return c.Features(
        track_id=f.id,
        source=source,
        danceability=f.danceability,
        energy=f.energy,
        key=f.key,
        loudness=f.loudness,
        mode=f.mode,
        speechiness=f.speechiness,
        acousticness=f.acousticness,
        instrumentalness=f.instrumentalness,
        liveness=f.liveness,
        valence=f.valence,
        tempo=f.tempo,
        time_signature=f.time_signature,
    )
