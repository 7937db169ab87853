"""Search: ``GET /search`` over tracks, artists, albums and playlists.

Free words match word prefixes of names (a track's own, its artists' and its
album's); field filters ``track:``, ``artist:``, ``album:``, ``genre:``,
``year:`` (a year or a range ``1990-1999``), ``isrc:`` and ``upc:`` narrow the
results. Results are ranked by popularity, then name.
"""

from __future__ import annotations

import bisect
import re
import urllib.parse
from collections.abc import Iterable
from typing import Any, ClassVar

from segue.emulator._errors import ApiError
from segue.emulator._http import Request, Response, Route, get_limit, get_offset, json
from segue.emulator._objects import page
from segue.emulator._world import World

__all__ = ["ROUTES", "SearchIndex", "parse_query"]

TYPES = ("album", "artist", "playlist", "track", "show", "episode", "audiobook")
_WORD = re.compile(r"\w+")
_TERM = re.compile(r'(\w+):"([^"]*)"|(\w+):(\S+)|"([^"]*)"|(\S+)')
_CACHE_SIZE = 4096


def words(text: str | None) -> list[str]:
    """Lower-case words of a text."""
    return _WORD.findall(text.casefold()) if text else []


def parse_query(q: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Split a query into free words and ``(field, value)`` filters."""
    free: list[str] = []
    filters: list[tuple[str, str]] = []
    for match in _TERM.finditer(q):
        field = match[1] or match[3]
        value = match[2] if match[1] else match[4]
        if field and field.casefold() in _FIELDS:
            filters.append((field.casefold(), value or ""))
        else:
            free.extend(words(match[0]))
    return free, filters


_FIELDS = {"track", "artist", "album", "genre", "year", "isrc", "upc", "tag"}


class _Field:
    """Word -> item positions, with prefix look-ups."""

    def __init__(self) -> None:
        self.postings: dict[str, set[int]] = {}
        self.keys: list[str] = []

    def add(self, position: int, tokens: Iterable[str]) -> None:
        for token in tokens:
            self.postings.setdefault(token, set()).add(position)

    def freeze(self) -> None:
        self.keys = sorted(self.postings)

    def match(self, token: str, *, prefix: bool) -> set[int]:
        if not prefix:
            return self.postings.get(token, set())
        found: set[int] = set()
        start = bisect.bisect_left(self.keys, token)
        for key in self.keys[start:]:
            if not key.startswith(token):
                break
            found |= self.postings[key]
        return found


class _Kind:
    """The index of one item type."""

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        self.fields: dict[str, _Field] = {}
        self.years: list[int | None] = [None] * len(ids)
        self.codes: dict[str, dict[str, set[int]]] = {"isrc": {}, "upc": {}}

    def field(self, name: str) -> _Field:
        return self.fields.setdefault(name, _Field())

    def freeze(self) -> None:
        for field in self.fields.values():
            field.freeze()


def _year(date: str | None) -> int | None:
    if date and date[:4].isdigit() and date[:4] != "0000":
        return int(date[:4])
    return None


class SearchIndex:
    """Word indexes of a world's tracks, albums and artists."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._cache: dict[tuple[str, str], list[str]] = {}
        artists = world.artists
        albums = world.albums

        def ranked(items: dict[str, Any]) -> list[str]:
            return sorted(
                items, key=lambda i: (-(items[i].popularity or 0), items[i].name, i)
            )

        self.artists = _Kind(ranked(artists))
        for position, artist_id in enumerate(self.artists.ids):
            artist = artists[artist_id]
            self.artists.field("artist").add(position, words(artist.name))
            self.artists.field("genre").add(
                position, (w for g in artist.genres or () for w in words(g))
            )
        self.artists.freeze()

        self.albums = _Kind(ranked(albums))
        for position, album_id in enumerate(self.albums.ids):
            album = albums[album_id]
            self.albums.field("album").add(position, words(album.name))
            self.albums.field("artist").add(
                position,
                (
                    w
                    for a in album.artist_ids
                    if a in artists
                    for w in words(artists[a].name)
                ),
            )
            self.albums.years[position] = _year(album.release_date)
            if album.upc:
                self.albums.codes["upc"].setdefault(album.upc.upper(), set()).add(
                    position
                )
        self.albums.freeze()

        self.tracks = _Kind(ranked(world.tracks))
        for position, track_id in enumerate(self.tracks.ids):
            track = world.tracks[track_id]
            track_album = albums.get(track.album_id or "")
            self.tracks.field("track").add(position, words(track.name))
            self.tracks.field("artist").add(
                position,
                (
                    w
                    for a in track.artist_ids
                    if a in artists
                    for w in words(artists[a].name)
                ),
            )
            if track_album is not None:
                self.tracks.field("album").add(position, words(track_album.name))
                self.tracks.years[position] = _year(track_album.release_date)
            if track.isrc:
                self.tracks.codes["isrc"].setdefault(track.isrc.upper(), set()).add(
                    position
                )
        self.tracks.freeze()

    _FREE: ClassVar[dict[str, tuple[str, ...]]] = {
        "track": ("track", "artist", "album"),
        "album": ("album", "artist"),
        "artist": ("artist",),
    }

    def find(self, kind: str, q: str) -> list[str]:
        """Ids of the items of ``kind`` matching query ``q``, best first."""
        key = (kind, q)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        found = self._playlists(q) if kind == "playlist" else self._find(kind, q)
        if len(self._cache) >= _CACHE_SIZE:
            self._cache.clear()
        if kind != "playlist":
            self._cache[key] = found
        return found

    def _find(self, kind: str, q: str) -> list[str]:
        index: _Kind = getattr(self, kind + "s")
        free, filters = parse_query(q)
        sets: list[set[int]] = []
        for token in free:
            hits: set[int] = set()
            for name in self._FREE[kind]:
                if name in index.fields:
                    hits |= index.fields[name].match(token, prefix=True)
            sets.append(hits)
        year_range: tuple[int, int] | None = None
        for name, value in filters:
            if name == "year":
                year_range = _year_range(value)
            elif name in ("isrc", "upc"):
                sets.append(set(index.codes[name].get(value.upper(), ())))
            elif name == "tag":
                continue
            elif name in index.fields:
                for token in words(value) or [""]:
                    sets.append(index.fields[name].match(token, prefix=False))
            else:
                sets.append(set())
        if sets:
            sets.sort(key=len)
            hits = set(sets[0])
            for other in sets[1:]:
                hits &= other
                if not hits:
                    break
            positions = sorted(hits)
        elif year_range is not None:
            positions = list(range(len(index.ids)))
        else:
            positions = []
        if year_range is not None:
            low, high = year_range
            positions = [
                p
                for p in positions
                if (y := index.years[p]) is not None and low <= y <= high
            ]
        return [index.ids[p] for p in positions]

    def _playlists(self, q: str) -> list[str]:
        free, filters = parse_query(q)
        tokens = free + [w for _, v in filters for w in words(v)]
        if not tokens:
            return []
        found = []
        for playlist in self.world.playlists.values():
            if not playlist.public:
                continue
            names = words(playlist.name)
            if all(any(n.startswith(t) for n in names) for t in tokens):
                found.append(playlist)
        found.sort(key=lambda p: (-p.followers, p.name, p.id))
        return [p.id for p in found]


def _year_range(value: str) -> tuple[int, int]:
    low, _, high = value.partition("-")
    try:
        first = int(low)
        return first, int(high) if high else first
    except ValueError:
        raise ApiError(400, "Invalid year filter") from None


def search(req: Request) -> Response:
    """``GET /search``; development mode allows at most 10 results a page."""
    q = req.query.get("q", req.query.get("query", ""))
    if not q.strip():
        raise ApiError(400, "No search query")
    types = [t for t in req.query.get("type", "").split(",") if t]
    if not types:
        raise ApiError(400, "Missing parameter type")
    if any(t not in TYPES for t in types):
        raise ApiError(400, "Bad search type field")
    limit = get_limit(req, 20, 50) if req.emu.extended else get_limit(req, 5, 10)
    offset = get_offset(req, 1000)
    renderer = req.renderer
    world = req.emu.world
    index = req.emu.search_index
    answer: dict[str, Any] = {}
    for kind in types:
        ids = (
            index.find(kind, q)
            if kind in ("album", "artist", "playlist", "track")
            else []
        )
        chosen = ids[offset : offset + limit]
        items: list[Any]
        if kind == "track":
            items = [renderer.track_full(i) for i in chosen]
        elif kind == "artist":
            items = [renderer.artist_full(i) for i in chosen]
        elif kind == "album":
            items = [renderer.album_simple(i) for i in chosen]
        elif kind == "playlist":
            items = [renderer.playlist_simple(world.playlists[i]) for i in chosen]
        else:
            items = []
        answer[kind + "s"] = page(
            items,
            url=f"{renderer.api}/search",
            query=f"query={urllib.parse.quote(q)}&type={kind}&",
            total=len(ids),
            limit=limit,
            offset=offset,
        )
    return json(answer)


ROUTES = [Route("GET", "/v1/search", search)]
