"""Every client operation, written once as an I/O-free flow (see :mod:`._core`).

:class:`Operations` validates arguments, builds :class:`~._core.Call` objects from the
endpoint table, decides between multi-gets and single requests, plans pages, and parses
answers into models. It remembers, for the client's lifetime, whether Spotify allowed
each multi-get endpoint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

import msgspec

from . import _endpoints as ep
from . import _errors as e
from . import _models as m
from ._core import Call, Emit, Flow, ItemFlow, Reply, parse
from ._endpoints import Endpoint, Mode
from ._ids import chunked, parse_id, to_uri, unique

__all__ = ["PAGE_BATCH", "Operations"]

T = TypeVar("T")

PAGE_BATCH = 8
"""Pages requested concurrently once the first page tells the total."""

SEARCH_TYPES = frozenset({"track", "artist", "album", "playlist"})
SEARCH_FILTERS = frozenset(
    {"album", "artist", "track", "year", "upc", "isrc", "genre", "tag"}
)
SEARCH_MAX_OFFSET = 1000
TIME_RANGES = frozenset({"short_term", "medium_term", "long_term"})
ITEM_KINDS = frozenset({"track", "episode"})
LIBRARY_KINDS = frozenset(
    {"track", "album", "episode", "show", "audiobook", "artist", "user", "playlist"}
)

Params = Mapping[str, object]


def _param(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def _raise_first(replies: Sequence[Reply | e.SpotifyError]) -> list[Reply]:
    out: list[Reply] = []
    for reply in replies:
        if isinstance(reply, e.SpotifyError):
            raise reply
        out.append(reply)
    return out


class Operations:
    """The protocol core of one client.

    Parameters
    ----------
    api_base
        Base URL of the Web API, e.g. ``https://api.spotify.com/v1``.
    mode
        ``"development"``, ``"extended"`` or ``"auto"`` (try multi-gets, fall back on
        403 and remember).
    market
        Default ``market`` for catalogue lookups.
    """

    def __init__(self, api_base: str, mode: Mode = "auto", market: str | None = None):
        if mode not in ("auto", "development", "extended"):
            raise e.ValidationError(
                f"mode must be auto, development or extended: {mode}"
            )
        self.api_base = api_base.rstrip("/")
        self.mode: Mode = mode
        self.market = market
        self.allowed: dict[str, bool] = {}
        """Whether each extended-only endpoint answered (True) or 403 (False)."""

    # building blocks -------------------------------------------------------------

    def call(
        self,
        endpoint: Endpoint,
        ids: Mapping[str, str] | None = None,
        params: Params | None = None,
        json: Any = None,
    ) -> Call:
        """Build the call of ``endpoint`` with path ``ids`` and query ``params``."""
        path = endpoint.path
        if ids:
            path = path.format(**{k: quote(v, safe="") for k, v in ids.items()})
        query = tuple(
            (key, _param(value))
            for key, value in (params or {}).items()
            if value is not None
        )
        return Call(endpoint.method, self.api_base + path, query, json, endpoint)

    def limit(self, endpoint: Endpoint, limit: int | None) -> int:
        """Check ``limit`` against the endpoint's cap; ``None`` means the cap."""
        cap = endpoint.max_limit(self.mode)
        if limit is None:
            return cap
        if not isinstance(limit, int) or not 1 <= limit <= cap:
            raise e.ValidationError(
                f"{endpoint.name} limit must be between 1 and {cap}, got {limit!r}"
            )
        return limit

    @staticmethod
    def offset(offset: int, maximum: int | None = None) -> int:
        """Check an ``offset``."""
        if not isinstance(offset, int) or offset < 0:
            raise e.ValidationError(
                f"offset must be a non-negative int, got {offset!r}"
            )
        if maximum is not None and offset > maximum:
            raise e.ValidationError(f"offset must be at most {maximum}, got {offset}")
        return offset

    def _market(self, market: str | None) -> str | None:
        return market if market is not None else self.market

    def one(self, endpoint: Endpoint, call: Call) -> Flow[Any]:
        """Send one call and parse its answer."""
        reply = yield call
        return parse(endpoint, reply)

    def _extended(self, endpoint: Endpoint) -> bool:
        if self.mode == "development":
            return False
        return self.allowed.get(endpoint.name, True)

    def _unavailable(self, endpoint: Endpoint) -> e.EndpointUnavailable:
        return e.EndpointUnavailable(
            endpoint.name,
            "Spotify allows it in extended quota mode only; " + endpoint.replacement,
        )

    # catalogue -------------------------------------------------------------------

    def track(self, track: str, market: str | None = None) -> Flow[m.Track]:
        """Flow of :meth:`Spotify.track`."""
        ids = {"id": parse_id(track, "track")}
        params = {"market": self._market(market)}
        return self.one(ep.TRACK, self.call(ep.TRACK, ids, params))

    def album(self, album: str, market: str | None = None) -> Flow[m.Album]:
        """Flow of :meth:`Spotify.album`."""
        ids = {"id": parse_id(album, "album")}
        params = {"market": self._market(market)}
        return self.one(ep.ALBUM, self.call(ep.ALBUM, ids, params))

    def artist(self, artist: str) -> Flow[m.Artist]:
        """Flow of :meth:`Spotify.artist`."""
        ids = {"id": parse_id(artist, "artist")}
        return self.one(ep.ARTIST, self.call(ep.ARTIST, ids))

    def tracks(
        self, tracks: Iterable[str], market: str | None = None
    ) -> Flow[list[m.Track | None]]:
        """Flow of :meth:`Spotify.tracks`."""
        params = {"market": self._market(market)}
        return self.hydrate(ep.TRACKS, ep.TRACK, "track", tracks, params)

    def albums(
        self, albums: Iterable[str], market: str | None = None
    ) -> Flow[list[m.Album | None]]:
        """Flow of :meth:`Spotify.albums`."""
        params = {"market": self._market(market)}
        return self.hydrate(ep.ALBUMS, ep.ALBUM, "album", albums, params)

    def artists(self, artists: Iterable[str]) -> Flow[list[m.Artist | None]]:
        """Flow of :meth:`Spotify.artists`."""
        return self.hydrate(ep.ARTISTS, ep.ARTIST, "artist", artists, {})

    def hydrate(
        self,
        multi: Endpoint,
        single: Endpoint,
        kind: str,
        values: Iterable[str],
        params: Params,
    ) -> Flow[list[Any]]:
        """Fetch many objects: multi-gets where allowed, else concurrent singles.

        The first 403 from a multi-get switches this client to single requests for
        that endpoint. Unknown ids give ``None``, in input order.
        """
        wanted = [parse_id(value, kind) for value in values]
        distinct = unique(wanted)
        found: dict[str, Any] = {}
        if distinct and self._extended(multi):
            assert multi.chunk is not None
            groups = list(chunked(distinct, multi.chunk))
            calls = [
                self.call(multi, None, {**params, "ids": list(group)})
                for group in groups
            ]
            try:
                first = yield calls[0]
            except e.Forbidden:
                self.allowed[multi.name] = False
            else:
                self.allowed[multi.name] = True
                replies = [first, *_raise_first((yield calls[1:]) if calls[1:] else [])]
                for group, reply in zip(groups, replies, strict=True):
                    found.update(zip(group, parse(multi, reply), strict=False))
                return [found.get(i) for i in wanted]
        calls = [self.call(single, {"id": i}, params) for i in distinct]
        answers: list[Reply | e.SpotifyError] = (yield calls) if calls else []
        for key, answer in zip(distinct, answers, strict=True):
            if isinstance(answer, e.NotFound | e.BadRequest):
                found[key] = None
            elif isinstance(answer, e.SpotifyError):
                raise answer
            else:
                found[key] = parse(single, answer)
        return [found.get(i) for i in wanted]

    def album_tracks(
        self, album: str, limit: int | None, offset: int, market: str | None
    ) -> Flow[m.Paging[m.SimplifiedTrack]]:
        """Flow of :meth:`Spotify.album_tracks`."""
        end = ep.ALBUM_TRACKS
        ids = {"id": parse_id(album, "album")}
        params = {
            "limit": self.limit(end, limit),
            "offset": self.offset(offset),
            "market": self._market(market),
        }
        return self.one(end, self.call(end, ids, params))

    def iter_album_tracks(
        self, album: str, max_items: int | None, market: str | None
    ) -> ItemFlow[m.SimplifiedTrack]:
        """Flow of :meth:`Spotify.iter_album_tracks`."""
        ids = {"id": parse_id(album, "album")}
        params = {"market": self._market(market)}
        return self.pages(ep.ALBUM_TRACKS, ids, params, max_items)

    def artist_albums(
        self,
        artist: str,
        include_groups: Sequence[str] | None,
        limit: int | None,
        offset: int,
        market: str | None,
    ) -> Flow[m.Paging[m.SimplifiedAlbum]]:
        """Flow of :meth:`Spotify.artist_albums`."""
        end = ep.ARTIST_ALBUMS
        ids = {"id": parse_id(artist, "artist")}
        params = {
            "include_groups": list(include_groups) if include_groups else None,
            "limit": self.limit(end, limit),
            "offset": self.offset(offset),
            "market": self._market(market),
        }
        return self.one(end, self.call(end, ids, params))

    def iter_artist_albums(
        self,
        artist: str,
        include_groups: Sequence[str] | None,
        max_items: int | None,
        market: str | None,
    ) -> ItemFlow[m.SimplifiedAlbum]:
        """Flow of :meth:`Spotify.iter_artist_albums`."""
        ids = {"id": parse_id(artist, "artist")}
        params = {
            "include_groups": list(include_groups) if include_groups else None,
            "market": self._market(market),
        }
        return self.pages(ep.ARTIST_ALBUMS, ids, params, max_items)

    def artist_top_tracks(self, artist: str, market: str | None) -> Flow[list[m.Track]]:
        """Flow of :meth:`Spotify.artist_top_tracks`."""
        ids = {"id": parse_id(artist, "artist")}
        call = self.call(ep.ARTIST_TOP_TRACKS, ids, {"market": self._market(market)})
        return self.extended_one(ep.ARTIST_TOP_TRACKS, [call])

    def audio_features(
        self, tracks: Iterable[str]
    ) -> Flow[list[m.AudioFeatures | None]]:
        """Flow of :meth:`Spotify.audio_features`."""
        wanted = [parse_id(value, "track") for value in tracks]
        distinct = unique(wanted)
        end = ep.AUDIO_FEATURES
        assert end.chunk is not None
        groups = list(chunked(distinct, end.chunk))
        calls = [self.call(end, None, {"ids": list(g)}) for g in groups]
        lists: list[list[m.AudioFeatures | None]] = yield from self.extended_many(
            end, calls
        )
        found = {
            feature.id: feature
            for result in lists
            for feature in result
            if feature is not None
        }
        return [found.get(i) for i in wanted]

    def extended_one(self, endpoint: Endpoint, calls: list[Call]) -> Flow[Any]:
        """Call an extended-only endpoint once (403: :class:`EndpointUnavailable`)."""
        results = yield from self.extended_many(endpoint, calls)
        return results[0]

    def extended_many(self, endpoint: Endpoint, calls: list[Call]) -> Flow[list[Any]]:
        """Call an extended-only endpoint; 403 means :class:`EndpointUnavailable`."""
        if not self._extended(endpoint):
            raise self._unavailable(endpoint)
        if not calls:
            return []
        try:
            first = yield calls[0]
        except e.Forbidden:
            self.allowed[endpoint.name] = False
            raise self._unavailable(endpoint) from None
        self.allowed[endpoint.name] = True
        rest = _raise_first((yield calls[1:])) if calls[1:] else []
        return [parse(endpoint, reply) for reply in [first, *rest]]

    # search ----------------------------------------------------------------------

    def search_call(
        self,
        query: str,
        types: Sequence[str],
        filters: Mapping[str, str] | None,
        limit: int,
        offset: int,
        market: str | None,
    ) -> Call:
        """Build one search call (types and filters checked)."""
        kinds = [types] if isinstance(types, str) else list(types)
        if not kinds or not set(kinds) <= SEARCH_TYPES:
            raise e.ValidationError(
                f"search types must be among {sorted(SEARCH_TYPES)}, got {kinds}"
            )
        text = query.strip()
        for key, value in (filters or {}).items():
            if key not in SEARCH_FILTERS:
                raise e.ValidationError(
                    f"unknown search filter {key!r}; use {sorted(SEARCH_FILTERS)}"
                )
            shown = f'"{value}"' if " " in str(value) else str(value)
            text = f"{text} {key}:{shown}".strip()
        if not text:
            raise e.ValidationError("search needs a query or at least one filter")
        params = {
            "q": text,
            "type": kinds,
            "limit": limit,
            "offset": self.offset(offset, SEARCH_MAX_OFFSET),
            "market": self._market(market),
        }
        return self.call(ep.SEARCH, None, params)

    def search(
        self,
        query: str,
        types: Sequence[str],
        filters: Mapping[str, str] | None,
        limit: int | None,
        offset: int,
        market: str | None,
    ) -> Flow[m.SearchResult]:
        """Flow of :meth:`Spotify.search`."""
        size = self.limit(ep.SEARCH, limit)
        call = self.search_call(query, types, filters, size, offset, market)
        return self.one(ep.SEARCH, call)

    def iter_search(
        self,
        query: str,
        type_: str,
        filters: Mapping[str, str] | None,
        max_items: int | None,
        market: str | None,
    ) -> ItemFlow[Any]:
        """Flow of :meth:`Spotify.iter_search`: items of one type, page by page."""
        size = self.limit(ep.SEARCH, None)
        first = self.search_call(query, [type_], filters, size, 0, market)
        bound = SEARCH_MAX_OFFSET + size
        cap = bound if max_items is None else min(max_items, bound)

        def extract(result: m.SearchResult) -> m.Paging[Any]:
            page = getattr(result, type_ + "s")
            return page if page is not None else m.Paging(items=[])

        def at(offset: int) -> Call:
            return self.search_call(query, [type_], filters, size, offset, market)

        return self.offset_pages(ep.SEARCH, first, at, cap, extract)

    # playlists -------------------------------------------------------------------

    def playlist(
        self, playlist: str, market: str | None, fields: str | None
    ) -> Flow[m.Playlist]:
        """Flow of :meth:`Spotify.playlist`."""
        ids = {"id": parse_id(playlist, "playlist")}
        params = {"market": self._market(market), "fields": fields}
        return self.one(ep.PLAYLIST, self.call(ep.PLAYLIST, ids, params))

    def playlist_items(
        self, playlist: str, limit: int | None, offset: int, market: str | None
    ) -> Flow[m.Paging[m.PlaylistItem]]:
        """Flow of :meth:`Spotify.playlist_items`."""
        end = ep.PLAYLIST_ITEMS
        ids = {"id": parse_id(playlist, "playlist")}
        params = {
            "limit": self.limit(end, limit),
            "offset": self.offset(offset),
            "market": self._market(market),
        }
        return self.one(end, self.call(end, ids, params))

    def iter_playlist_items(
        self, playlist: str, max_items: int | None, market: str | None
    ) -> ItemFlow[m.PlaylistItem]:
        """Flow of :meth:`Spotify.iter_playlist_items`."""
        ids = {"id": parse_id(playlist, "playlist")}
        params = {"market": self._market(market)}
        return self.pages(ep.PLAYLIST_ITEMS, ids, params, max_items)

    def playlists_items(
        self, playlists: Iterable[str], market: str | None
    ) -> Flow[list[list[m.PlaylistItem]]]:
        """Flow of :meth:`Spotify.playlists_items`: every item of many playlists.

        All first pages are requested at once; their totals then give every other
        page, requested at once too: two rounds in all, whatever the count.
        """
        end = ep.PLAYLIST_ITEMS
        size = self.limit(end, None)
        ids = [parse_id(value, "playlist") for value in playlists]
        params = {"market": self._market(market), "limit": size}

        def at(pid: str, offset: int) -> Call:
            return self.call(end, {"id": pid}, {**params, "offset": offset})

        if not ids:
            return []
        replies = _raise_first((yield [at(pid, 0) for pid in ids]))
        firsts: list[m.Paging[m.PlaylistItem]] = [parse(end, r) for r in replies]
        wanted = [
            (index, offset)
            for index, page in enumerate(firsts)
            if page.items
            for offset in range(len(page.items), page.total, len(page.items))
        ]
        items = [list(page.items) for page in firsts]
        if wanted:
            calls = [at(ids[index], offset) for index, offset in wanted]
            for (index, _), reply in zip(
                wanted, _raise_first((yield calls)), strict=True
            ):
                items[index].extend(parse(end, reply).items)
        return items

    @staticmethod
    def item_uris(items: Iterable[str]) -> list[str]:
        """Track or episode URIs from URIs, links or bare track ids."""
        uris = []
        for value in items:
            if isinstance(value, str) and ":" not in value and "/" not in value:
                uris.append(to_uri(value, "track"))
                continue
            uri = to_uri(value)
            if uri.split(":")[1] not in ITEM_KINDS:
                raise e.ValidationError(
                    f"playlists hold tracks and episodes: {value!r}"
                )
            uris.append(uri)
        return uris

    def playlist_add_items(
        self, playlist: str, items: Iterable[str], position: int | None
    ) -> Flow[str | None]:
        """Flow of :meth:`Spotify.playlist_add_items`: 100 URIs per call, in order."""
        ids = {"id": parse_id(playlist, "playlist")}
        uris = self.item_uris(items)
        if position is not None:
            self.offset(position)
        snapshot = None
        end = ep.PLAYLIST_ADD
        assert end.chunk is not None
        for index, group in enumerate(chunked(uris, end.chunk)):
            body: dict[str, Any] = {"uris": list(group)}
            if position is not None:
                body["position"] = position + index * end.chunk
            reply = yield self.call(end, ids, None, body)
            snapshot = parse(end, reply).snapshot_id
        return snapshot

    def playlist_replace_items(
        self, playlist: str, items: Iterable[str]
    ) -> Flow[str | None]:
        """Flow of :meth:`Spotify.playlist_replace_items`: PUT 100, POST the rest."""
        ids = {"id": parse_id(playlist, "playlist")}
        uris = self.item_uris(items)
        end = ep.PLAYLIST_UPDATE
        assert end.chunk is not None
        reply = yield self.call(end, ids, None, {"uris": uris[: end.chunk]})
        snapshot: str | None = parse(end, reply).snapshot_id
        if len(uris) > end.chunk:
            snapshot = yield from self.playlist_add_items(
                playlist, uris[end.chunk :], None
            )
        return snapshot

    def playlist_reorder_items(
        self,
        playlist: str,
        range_start: int,
        insert_before: int,
        range_length: int,
        snapshot_id: str | None,
    ) -> Flow[str]:
        """Flow of :meth:`Spotify.playlist_reorder_items`."""
        ids = {"id": parse_id(playlist, "playlist")}
        body: dict[str, Any] = {
            "range_start": self.offset(range_start),
            "insert_before": self.offset(insert_before),
            "range_length": range_length,
        }
        if range_length < 1:
            raise e.ValidationError("range_length must be at least 1")
        if snapshot_id is not None:
            body["snapshot_id"] = snapshot_id
        end = ep.PLAYLIST_UPDATE
        reply = yield self.call(end, ids, None, body)
        return str(parse(end, reply).snapshot_id)

    def playlist_remove_items(
        self, playlist: str, items: Iterable[str], snapshot_id: str | None
    ) -> Flow[str | None]:
        """Flow of :meth:`Spotify.playlist_remove_items`: 100 URIs per call."""
        ids = {"id": parse_id(playlist, "playlist")}
        uris = self.item_uris(items)
        end = ep.PLAYLIST_REMOVE
        assert end.chunk is not None
        snapshot = snapshot_id
        for group in chunked(uris, end.chunk):
            body: dict[str, Any] = {"items": [{"uri": uri} for uri in group]}
            if snapshot_id is not None:
                body["snapshot_id"] = snapshot_id
            reply = yield self.call(end, ids, None, body)
            snapshot = parse(end, reply).snapshot_id
        return snapshot

    def create_playlist(
        self,
        name: str,
        public: bool | None,
        collaborative: bool | None,
        description: str | None,
    ) -> Flow[m.Playlist]:
        """Flow of :meth:`Spotify.create_playlist`."""
        if not name:
            raise e.ValidationError("a playlist needs a name")
        body: dict[str, Any] = {"name": name}
        for key, value in (
            ("public", public),
            ("collaborative", collaborative),
            ("description", description),
        ):
            if value is not None:
                body[key] = value
        end = ep.CREATE_PLAYLIST
        return self.one(end, self.call(end, None, None, body))

    # the current user ------------------------------------------------------------

    def me(self) -> Flow[m.PrivateUser]:
        """Flow of :meth:`Spotify.me`."""
        return self.one(ep.ME, self.call(ep.ME))

    def page(
        self, endpoint: Endpoint, limit: int | None, offset: int, **params: object
    ) -> Flow[Any]:
        """One page of a ``/me`` list."""
        query = {"limit": self.limit(endpoint, limit), "offset": self.offset(offset)}
        return self.one(endpoint, self.call(endpoint, None, {**params, **query}))

    def time_range(self, time_range: str) -> str:
        """Check a top-items ``time_range``."""
        if time_range not in TIME_RANGES:
            raise e.ValidationError(
                f"time_range must be one of {sorted(TIME_RANGES)}, got {time_range!r}"
            )
        return time_range

    def library(self, endpoint: Endpoint, items: Iterable[str]) -> Flow[list[Any]]:
        """Flow of the ``/me/library`` calls: 40 URIs per call, concurrently."""
        uris = [to_uri(value) for value in items]
        for uri in uris:
            if uri.split(":")[1] not in LIBRARY_KINDS:
                raise e.ValidationError(f"not a URI the library accepts: {uri}")
        assert endpoint.chunk is not None
        calls = [
            self.call(endpoint, None, {"uris": list(group)})
            for group in chunked(uris, endpoint.chunk)
        ]
        if not calls:
            return []
        replies = _raise_first((yield calls))
        out: list[Any] = []
        for reply in replies:
            value = parse(endpoint, reply)
            if isinstance(value, list):
                out.extend(value)
        return out

    def cursor_first(
        self, endpoint: Endpoint, limit: int | None, **params: object
    ) -> Call:
        """The first call of a cursor-paged list."""
        return self.call(
            endpoint, None, {**params, "limit": self.limit(endpoint, limit)}
        )

    # paging ----------------------------------------------------------------------

    def pages(
        self,
        endpoint: Endpoint,
        ids: Mapping[str, str] | None,
        params: Params,
        max_items: int | None,
    ) -> ItemFlow[Any]:
        """Every item of an offset-paged list, at the largest page size."""
        size = self.limit(endpoint, None)

        def at(offset: int) -> Call:
            query = {**params, "limit": size, "offset": offset}
            return self.call(endpoint, ids, query)

        return self.offset_pages(endpoint, at(0), at, max_items, lambda page: page)

    def offset_pages(
        self,
        endpoint: Endpoint,
        first: Call,
        at: Callable[[int], Call],
        max_items: int | None,
        extract: Callable[[Any], m.Paging[Any]],
    ) -> ItemFlow[Any]:
        """Read the first page, then the rest concurrently, ``PAGE_BATCH`` at a time.

        Items come out in order; at most ``max_items`` of them (``None``: all that
        the first page's ``total`` announces).
        """
        if max_items is not None and max_items <= 0:
            return
        page = extract(parse(endpoint, (yield first)))
        total = page.total if max_items is None else min(page.total, max_items)
        yield Emit(page.items[:total])
        step = len(page.items)
        if step == 0:
            return
        offsets = list(range(step, total, step))
        for batch in chunked(offsets, PAGE_BATCH):
            replies = _raise_first((yield [at(offset) for offset in batch]))
            for offset, reply in zip(batch, replies, strict=True):
                items = extract(parse(endpoint, reply)).items
                if not items:
                    return
                yield Emit(items[: total - offset])

    def cursor_pages(
        self, endpoint: Endpoint, first: Call, max_items: int | None
    ) -> ItemFlow[Any]:
        """Every item of a cursor-paged list, following ``next`` until it ends.

        Stops after ``max_items`` items, on an empty page, or if ``next`` repeats.
        """
        remaining = max_items
        seen: set[str] = set()
        call = first
        while remaining is None or remaining > 0:
            page: m.CursorPaging[Any] = parse(endpoint, (yield call))
            items = page.items if remaining is None else page.items[:remaining]
            yield Emit(items)
            if remaining is not None:
                remaining -= len(items)
            if not page.items or page.next is None or page.next in seen:
                return
            seen.add(page.next)
            call = Call("GET", page.next, (), None, endpoint)

    # raw -------------------------------------------------------------------------

    def raw(
        self, method: str, path: str, params: Params | None, json: Any
    ) -> Flow[Any]:
        """Flow of :meth:`Spotify.request`: any call, answer as plain JSON."""
        if path.startswith(("http://", "https://")):
            if not path.startswith(self.api_base + "/"):
                raise e.ValidationError(f"not a URL of the Web API: {path}")
            url = path
        else:
            url = self.api_base + "/" + path.lstrip("/")
        query = tuple(
            (k, _param(v)) for k, v in (params or {}).items() if v is not None
        )
        reply = yield Call(method.upper(), url, query, json, None)
        if not reply.content:
            return None
        return msgspec.json.decode(reply.content)
