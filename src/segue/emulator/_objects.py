"""Spotify's JSON objects, rendered from the world once and kept as encoded bytes.

Catalog objects never change, so each one is encoded once per access mode and
server address and reused as a :class:`msgspec.Raw` inside every answer. Playlists
and users change and are rendered on each request.
"""

from __future__ import annotations

from typing import Any

import msgspec

from segue.emulator._world import Entry, PlaylistState, User, World

__all__ = ["MARKETS", "Renderer", "page"]

MARKETS = ["AR", "AU", "BR", "CA", "DE", "ES", "FR", "GB", "JP", "MX", "NL", "SE", "US"]
OPEN = "https://open.spotify.com"

_encode = msgspec.json.Encoder().encode


def page(
    items: list[Any],
    *,
    url: str,
    query: str,
    total: int,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """An offset paging object with absolute ``href``, ``next`` and ``previous``.

    Parameters
    ----------
    items
        The items of this page.
    url
        The endpoint's absolute URL, without a query.
    query
        Other query parameters, each followed by ``&`` (may be empty).
    """

    def at(position: int) -> str:
        return f"{url}?{query}offset={position}&limit={limit}"

    return {
        "href": at(offset),
        "items": items,
        "limit": limit,
        "next": at(offset + limit) if offset + limit < total else None,
        "offset": offset,
        "previous": at(max(0, offset - limit)) if offset > 0 else None,
        "total": total,
    }


def album_type(value: str | None) -> str:
    """Spotify's ``album_type``: album, single or compilation (an EP is a single)."""
    kind = (value or "album").lower()
    if kind in ("album", "single", "compilation"):
        return kind
    return "single" if kind == "ep" else "album"


def _release(date: str | None) -> tuple[str, str]:
    """A release date and its precision (year, month or day)."""
    if not date:
        return "0000", "year"
    date = date[:10]
    precision = {4: "year", 7: "month", 10: "day"}.get(len(date))
    if precision is None:
        return date[:4], "year"
    return date, precision


class Renderer:
    """Renders a world's objects for one access mode and one server address.

    Parameters
    ----------
    world
        The world.
    extended
        Render the full objects of extended mode; else leave out the fields
        development mode removed.
    base
        The server's origin, e.g. ``http://127.0.0.1:8080``; hrefs point there.
    """

    def __init__(self, world: World, *, extended: bool, base: str) -> None:
        self.world = world
        self.extended = extended
        self.api = base + "/v1"
        self._cache: dict[tuple[str, str], msgspec.Raw] = {}

    def _cached(self, kind: str, id_: str) -> msgspec.Raw | None:
        return self._cache.get((kind, id_))

    def _store(self, kind: str, id_: str, obj: dict[str, Any]) -> msgspec.Raw:
        raw = msgspec.Raw(_encode(obj))
        self._cache[(kind, id_)] = raw
        return raw

    def _base(self, kind: str, id_: str, path: str) -> dict[str, Any]:
        return {
            "external_urls": {"spotify": f"{OPEN}/{kind}/{id_}"},
            "href": f"{self.api}/{path}/{id_}",
            "id": id_,
        }

    # -- artists ------------------------------------------------------------------

    def artist_simple(self, artist_id: str) -> msgspec.Raw:
        """A simplified artist object."""
        raw = self._cached("artist_simple", artist_id)
        if raw is not None:
            return raw
        artist = self.world.artists[artist_id]
        obj = self._base("artist", artist_id, "artists")
        obj.update(name=artist.name, type="artist", uri=f"spotify:artist:{artist_id}")
        return self._store("artist_simple", artist_id, obj)

    def artist_full(self, artist_id: str) -> msgspec.Raw:
        """A full artist object; development mode leaves out followers,
        popularity and genres."""
        raw = self._cached("artist", artist_id)
        if raw is not None:
            return raw
        artist = self.world.artists[artist_id]
        obj = self._base("artist", artist_id, "artists")
        if self.extended:
            obj["followers"] = {"href": None, "total": artist.followers or 0}
            obj["genres"] = list(artist.genres or ())
        obj.update(images=[], name=artist.name)
        if self.extended:
            obj["popularity"] = artist.popularity or 0
        obj.update(type="artist", uri=f"spotify:artist:{artist_id}")
        return self._store("artist", artist_id, obj)

    # -- albums -------------------------------------------------------------------

    def _album_head(self, album_id: str) -> dict[str, Any]:
        album = self.world.albums[album_id]
        release_date, precision = _release(album.release_date)
        obj: dict[str, Any] = {
            "album_type": album_type(album.album_type),
            "total_tracks": album.total_tracks
            or len(self.world.album_tracks.get(album_id, ())),
        }
        if self.extended:
            obj["available_markets"] = MARKETS
        obj.update(self._base("album", album_id, "albums"))
        obj.update(
            images=[],
            name=album.name,
            release_date=release_date,
            release_date_precision=precision,
            type="album",
            uri=f"spotify:album:{album_id}",
            artists=[self.artist_simple(a) for a in album.artist_ids],
        )
        return obj

    def album_simple(self, album_id: str) -> msgspec.Raw:
        """A simplified album object."""
        raw = self._cached("album_simple", album_id)
        if raw is not None:
            return raw
        return self._store("album_simple", album_id, self._album_head(album_id))

    def album_of_artist(self, album_id: str, artist_id: str) -> msgspec.Raw:
        """A simplified album with ``album_group`` (extended mode only)."""
        if not self.extended:
            return self.album_simple(album_id)
        key = f"{album_id}/{artist_id}"
        raw = self._cached("album_group", key)
        if raw is not None:
            return raw
        obj = self._album_head(album_id)
        album = self.world.albums[album_id]
        main = album.artist_ids[:1] == [artist_id]
        obj["album_group"] = album_type(album.album_type) if main else "appears_on"
        return self._store("album_group", key, obj)

    def album_full(self, album_id: str) -> msgspec.Raw:
        """A full album object with its first 50 tracks."""
        raw = self._cached("album", album_id)
        if raw is not None:
            return raw
        album = self.world.albums[album_id]
        obj = self._album_head(album_id)
        track_ids = self.world.album_tracks.get(album_id, [])
        limit = 50
        obj["tracks"] = page(
            [self.track_simple(t) for t in track_ids[:limit]],
            url=f"{self.api}/albums/{album_id}/tracks",
            query="",
            total=len(track_ids),
            limit=limit,
            offset=0,
        )
        obj["copyrights"] = []
        obj["external_ids"] = {"upc": album.upc} if album.upc else {}
        obj["genres"] = []
        if self.extended:
            obj["label"] = album.label or ""
            obj["popularity"] = album.popularity or 0
        return self._store("album", album_id, obj)

    # -- tracks -------------------------------------------------------------------

    def _track_body(self, track_id: str) -> dict[str, Any]:
        track = self.world.tracks[track_id]
        obj: dict[str, Any] = {
            "artists": [self.artist_simple(a) for a in track.artist_ids],
        }
        if self.extended:
            obj["available_markets"] = MARKETS
        obj.update(
            disc_number=track.disc_number or 1,
            duration_ms=track.duration_ms or 0,
            explicit=bool(track.explicit),
        )
        obj.update(self._base("track", track_id, "tracks"))
        obj.update(
            is_local=False,
            name=track.name,
            preview_url=None,
            track_number=track.track_number or 1,
            type="track",
            uri=f"spotify:track:{track_id}",
        )
        return obj

    def track_simple(self, track_id: str) -> msgspec.Raw:
        """A simplified track object (album track listings)."""
        raw = self._cached("track_simple", track_id)
        if raw is not None:
            return raw
        return self._store("track_simple", track_id, self._track_body(track_id))

    def track_full(self, track_id: str) -> msgspec.Raw:
        """A full track object; development mode leaves out popularity and
        available_markets but keeps ``external_ids`` (ISRC)."""
        raw = self._cached("track", track_id)
        if raw is not None:
            return raw
        track = self.world.tracks[track_id]
        obj = self._track_body(track_id)
        if track.album_id is not None:
            obj["album"] = self.album_simple(track.album_id)
        obj["external_ids"] = {"isrc": track.isrc} if track.isrc else {}
        if self.extended:
            obj["popularity"] = track.popularity or 0
        return self._store("track", track_id, obj)

    def audio_features(self, track_id: str) -> dict[str, Any] | None:
        """An audio features object, or None when the world has none."""
        features = self.world.features.get(track_id)
        if features is None:
            return None
        track = self.world.tracks.get(track_id)
        return {
            "acousticness": features.acousticness,
            "analysis_url": f"{self.api}/audio-analysis/{track_id}",
            "danceability": features.danceability,
            "duration_ms": track.duration_ms if track is not None else None,
            "energy": features.energy,
            "id": track_id,
            "instrumentalness": features.instrumentalness,
            "key": features.key,
            "liveness": features.liveness,
            "loudness": features.loudness,
            "mode": features.mode,
            "speechiness": features.speechiness,
            "tempo": features.tempo,
            "time_signature": features.time_signature,
            "track_href": f"{self.api}/tracks/{track_id}",
            "type": "audio_features",
            "uri": f"spotify:track:{track_id}",
            "valence": features.valence,
        }

    # -- users --------------------------------------------------------------------

    def _user_ref(self, user_id: str) -> dict[str, Any]:
        obj = self._base("user", user_id, "users")
        obj.update(type="user", uri=f"spotify:user:{user_id}")
        return obj

    def user_ref(self, user_id: str) -> msgspec.Raw:
        """A playlist user object (``added_by``)."""
        raw = self._cached("user_ref", user_id)
        if raw is not None:
            return raw
        return self._store("user_ref", user_id, self._user_ref(user_id))

    def owner(self, user_id: str) -> dict[str, Any]:
        """A playlist owner object."""
        obj = self._user_ref(user_id)
        user = self.world.users.get(user_id)
        obj["display_name"] = user.display_name if user is not None else user_id
        return obj

    def private_user(self, user: User, scopes: frozenset[str]) -> dict[str, Any]:
        """``GET /me``; development mode leaves out country, email, product,
        explicit_content and followers."""
        obj: dict[str, Any] = {"account_id": user.account_id}
        if self.extended and "user-read-private" in scopes:
            obj["country"] = user.country
        obj["display_name"] = user.display_name
        if self.extended and "user-read-email" in scopes:
            obj["email"] = f"{user.id}@example.org"
        if self.extended and "user-read-private" in scopes:
            obj["explicit_content"] = {"filter_enabled": False, "filter_locked": False}
        obj.update(self._base("user", user.id, "users"))
        if self.extended:
            obj["followers"] = {"href": None, "total": user.followers}
        obj["images"] = []
        if self.extended and "user-read-private" in scopes:
            obj["product"] = user.product
        obj.update(type="user", uri=f"spotify:user:{user.id}")
        return obj

    # -- playlists ----------------------------------------------------------------

    def playlist_item(self, entry: Entry) -> dict[str, Any]:
        """A playlist item, with the 2026 ``item`` and the legacy ``track``."""
        track = self.track_full(entry.track_id)
        return {
            "added_at": entry.added_at,
            "added_by": None
            if entry.added_by is None
            else self.user_ref(entry.added_by),
            "is_local": False,
            "item": track,
            "track": track,
        }

    def items_page(
        self, playlist: PlaylistState, *, limit: int, offset: int, path: str = "items"
    ) -> dict[str, Any]:
        """One page of a playlist's items."""
        entries = playlist.items[offset : offset + limit]
        return page(
            [self.playlist_item(e) for e in entries],
            url=f"{self.api}/playlists/{playlist.id}/{path}",
            query="",
            total=len(playlist.items),
            limit=limit,
            offset=offset,
        )

    def _playlist_head(self, playlist: PlaylistState) -> dict[str, Any]:
        obj: dict[str, Any] = {
            "collaborative": playlist.collaborative,
            "description": playlist.description or "",
        }
        obj.update(self._base("playlist", playlist.id, "playlists"))
        obj.update(
            images=[],
            name=playlist.name,
            owner=self.owner(playlist.owner_id),
            primary_color=None,
            public=playlist.public,
            snapshot_id=playlist.snapshot_id,
        )
        return obj

    def playlist_simple(self, playlist: PlaylistState) -> dict[str, Any]:
        """A simplified playlist with ``items`` and legacy ``tracks`` references."""
        obj = self._playlist_head(playlist)
        ref = {
            "href": f"{self.api}/playlists/{playlist.id}/items",
            "total": len(playlist.items),
        }
        obj.update(items=ref, tracks=ref, type="playlist")
        obj["uri"] = f"spotify:playlist:{playlist.id}"
        return obj

    def playlist_full(
        self, playlist: PlaylistState, *, with_items: bool
    ) -> dict[str, Any]:
        """A full playlist; its first 100 items only when ``with_items``."""
        obj = self._playlist_head(playlist)
        obj["followers"] = {"href": None, "total": playlist.followers}
        if with_items:
            items = self.items_page(playlist, limit=100, offset=0)
            obj["items"] = items
            obj["tracks"] = items
        obj.update(type="playlist", uri=f"spotify:playlist:{playlist.id}")
        return obj
