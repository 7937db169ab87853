"""The two client classes: :class:`Spotify` (blocking) and :class:`AsyncSpotify`.

Both are thin shells. Each method validates nothing and builds nothing itself: it asks
:class:`~._operations.Operations` for a flow and drives it with its transport, so the
two classes differ only in ``await``. Full parameter documentation is on
:class:`Spotify`; every :class:`AsyncSpotify` method is its awaitable twin.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, NoReturn, TypeVar

import httpx

from . import _endpoints as ep
from . import _models as m
from ._auth import ACCOUNTS_BASE, Auth, ClientCredentials
from ._core import Call, Emit, Flow, ItemFlow, Reply
from ._endpoints import REMOVED, Mode
from ._errors import EndpointUnavailable, SpotifyError, ValidationError
from ._operations import Operations
from ._pacing import Pacer, RetryPolicy
from ._policy import Stats
from ._transport import API_BASE, AsyncTransport, Options, SyncTransport

__all__ = ["AsyncSpotify", "Spotify"]

T = TypeVar("T")
Answer = Reply | list[Reply | SpotifyError]


class _Shared:
    """Construction and the endpoints Spotify removed, common to both classes."""

    def __init__(
        self,
        auth: Auth | None,
        *,
        client_id: str | None,
        client_secret: str | None,
        mode: Mode,
        market: str | None,
        api_base: str,
        accounts_base: str,
        timeout: float,
        max_concurrency: int,
        max_retries: int,
        max_wait: float,
    ) -> None:
        if auth is None:
            if client_id is None or client_secret is None:
                raise ValidationError(
                    "pass auth=..., or client_id and client_secret for an app token"
                )
            auth = ClientCredentials(
                client_id, client_secret, accounts_base=accounts_base
            )
        self.auth = auth
        self._ops = Operations(api_base, mode, market)
        self._options = Options(
            api_base=api_base,
            timeout=timeout,
            max_concurrency=max_concurrency,
            retry=RetryPolicy(max_retries=max_retries, max_wait=max_wait),
        )

    @property
    def mode(self) -> Mode:
        """The access mode: ``auto``, ``development`` or ``extended``."""
        return self._ops.mode

    def _removed(self, name: str) -> NoReturn:
        raise EndpointUnavailable(name, REMOVED[name])

    def recommendations(self, *args: object, **kwargs: object) -> NoReturn:
        """Removed by Spotify; raises :class:`EndpointUnavailable`."""
        self._removed("recommendations")

    def recommendation_genre_seeds(self) -> NoReturn:
        """Removed by Spotify; raises :class:`EndpointUnavailable`."""
        self._removed("recommendation_genre_seeds")

    def artist_related_artists(self, artist: str) -> NoReturn:
        """Removed by Spotify; raises :class:`EndpointUnavailable`."""
        self._removed("artist_related_artists")

    def audio_analysis(self, track: str) -> NoReturn:
        """Removed by Spotify; raises :class:`EndpointUnavailable`."""
        self._removed("audio_analysis")

    def featured_playlists(self, *args: object, **kwargs: object) -> NoReturn:
        """Removed by Spotify; raises :class:`EndpointUnavailable`."""
        self._removed("featured_playlists")

    def category_playlists(self, category: str, *args: object) -> NoReturn:
        """Removed by Spotify; raises :class:`EndpointUnavailable`."""
        self._removed("category_playlists")

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(auth={self.auth!r}, mode={self.mode!r}, "
            f"api_base={self._ops.api_base!r})"
        )


class Spotify(_Shared):
    """Blocking client of the Spotify Web API, over httpx with HTTP/2.

    Parameters
    ----------
    auth
        Token provider: :class:`ClientCredentials` or :class:`UserAuth`.
    client_id, client_secret
        Shortcut for ``auth=ClientCredentials(client_id, client_secret)``.
    mode
        ``"auto"`` (default) tries extended-mode endpoints and, on 403, falls back and
        remembers; ``"development"`` never tries them; ``"extended"`` also lifts the
        development-mode page caps (search and artist albums 50 instead of 10).
    market
        Default ``market`` for catalogue lookups.
    api_base, accounts_base
        Base URLs of the Web API and the accounts service (e.g. an emulator's).
    timeout
        Seconds for each of connect, read, write and pool waits.
    max_concurrency
        Requests in flight at once (thread pool and connection pool size).
    max_retries
        Retries for 5xx answers and transport failures.
    max_wait
        Longest ``Retry-After`` the client sleeps; beyond it :class:`RateLimited` is
        raised at once, carrying ``retry_after``.
    pacer
        A :class:`Pacer` to share between clients of one app.
    http_client
        An ``httpx.Client`` to use (for tests); the client closes it.

    Examples
    --------
    >>> with Spotify(client_id="...", client_secret="...") as sp:  # doctest: +SKIP
    ...     print(sp.track("spotify:track:4uLU6hMCjMI75M1A2tKUQC").name)
    """

    def __init__(
        self,
        auth: Auth | None = None,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        mode: Mode = "auto",
        market: str | None = None,
        api_base: str = API_BASE,
        accounts_base: str = ACCOUNTS_BASE,
        timeout: float = 10.0,
        max_concurrency: int = 16,
        max_retries: int = 3,
        max_wait: float = 60.0,
        pacer: Pacer | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            auth,
            client_id=client_id,
            client_secret=client_secret,
            mode=mode,
            market=market,
            api_base=api_base,
            accounts_base=accounts_base,
            timeout=timeout,
            max_concurrency=max_concurrency,
            max_retries=max_retries,
            max_wait=max_wait,
        )
        self._transport = SyncTransport(self.auth, self._options, pacer, http_client)

    # lifecycle -------------------------------------------------------------------

    def close(self) -> None:
        """Close connections and worker threads."""
        self._transport.close()

    def __enter__(self) -> Spotify:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def stats(self) -> Stats:
        """Request counters: requests, 429 answers, retries, token requests."""
        return self._transport.stats

    @property
    def pacer(self) -> Pacer:
        """The rate-limit pacer (its ``capacity`` is what it learned)."""
        return self._transport.pacer

    # drivers ---------------------------------------------------------------------

    def _exchange(self, step: Call | list[Call]) -> Answer:
        if isinstance(step, list):
            return self._transport.send_many(step)
        return self._transport.send(step)

    def _run(self, flow: Flow[T]) -> T:
        try:
            step = next(flow)
            while True:
                if isinstance(step, Emit):
                    raise TypeError("a paging flow must be iterated")
                try:
                    answer = self._exchange(step)
                except SpotifyError as exc:
                    step = flow.throw(exc)
                else:
                    step = flow.send(answer)
        except StopIteration as stop:
            result: T = stop.value
            return result

    def _iterate(self, flow: ItemFlow[T]) -> Iterator[T]:
        try:
            step = next(flow)
            while True:
                if isinstance(step, Emit):
                    yield from step.items
                    step = next(flow)
                    continue
                try:
                    answer = self._exchange(step)
                except SpotifyError as exc:
                    step = flow.throw(exc)
                else:
                    step = flow.send(answer)
        except StopIteration:
            return

    def token(self) -> str:
        """Return a valid access token, renewing it if needed (keep it secret)."""
        return self._transport.token()

    # raw -------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, object] | None = None,
        json: Any = None,
    ) -> Any:
        """Call any endpoint and return its JSON as plain Python data.

        Parameters
        ----------
        method
            HTTP method.
        path
            Path relative to the API base (``"/tracks/ID"``) or a full API URL.
        params
            Query parameters; ``None`` values are left out, lists joined by commas.
        json
            JSON body.
        """
        return self._run(self._ops.raw(method, path, params, json))

    # catalogue -------------------------------------------------------------------

    def track(self, track: str, *, market: str | None = None) -> m.Track:
        """Get one track by id, URI or link."""
        return self._run(self._ops.track(track, market))

    def tracks(
        self, tracks: Iterable[str], *, market: str | None = None
    ) -> list[m.Track | None]:
        """Get many tracks, in input order (``None`` for unknown ids).

        Uses ``GET /tracks?ids=`` (50 per call) where the app may; on the first 403
        falls back to concurrent single requests for the client's lifetime.
        """
        return self._run(self._ops.tracks(tracks, market))

    def album(self, album: str, *, market: str | None = None) -> m.Album:
        """Get one album."""
        return self._run(self._ops.album(album, market))

    def albums(
        self, albums: Iterable[str], *, market: str | None = None
    ) -> list[m.Album | None]:
        """Get many albums (multi-get of 20 where allowed, else single requests)."""
        return self._run(self._ops.albums(albums, market))

    def album_tracks(
        self,
        album: str,
        *,
        limit: int | None = None,
        offset: int = 0,
        market: str | None = None,
    ) -> m.Paging[m.SimplifiedTrack]:
        """Get one page of an album's tracks (``limit`` up to 50)."""
        return self._run(self._ops.album_tracks(album, limit, offset, market))

    def iter_album_tracks(
        self, album: str, *, max_items: int | None = None, market: str | None = None
    ) -> Iterator[m.SimplifiedTrack]:
        """Iterate over an album's tracks."""
        return self._iterate(self._ops.iter_album_tracks(album, max_items, market))

    def artist(self, artist: str) -> m.Artist:
        """Get one artist."""
        return self._run(self._ops.artist(artist))

    def artists(self, artists: Iterable[str]) -> list[m.Artist | None]:
        """Get many artists (multi-get of 50 where allowed, else single requests)."""
        return self._run(self._ops.artists(artists))

    def artist_albums(
        self,
        artist: str,
        *,
        include_groups: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
        market: str | None = None,
    ) -> m.Paging[m.SimplifiedAlbum]:
        """Get one page of an artist's albums (``limit`` up to 10 in development mode).

        Parameters
        ----------
        include_groups
            Any of ``album``, ``single``, ``appears_on``, ``compilation``.
        """
        return self._run(
            self._ops.artist_albums(artist, include_groups, limit, offset, market)
        )

    def iter_artist_albums(
        self,
        artist: str,
        *,
        include_groups: Sequence[str] | None = None,
        max_items: int | None = None,
        market: str | None = None,
    ) -> Iterator[m.SimplifiedAlbum]:
        """Iterate over an artist's albums."""
        return self._iterate(
            self._ops.iter_artist_albums(artist, include_groups, max_items, market)
        )

    def artist_top_tracks(
        self, artist: str, *, market: str | None = None
    ) -> list[m.Track]:
        """Get an artist's top tracks (extended quota mode only).

        Raises
        ------
        EndpointUnavailable
            In development mode, or when Spotify answers 403.
        """
        return self._run(self._ops.artist_top_tracks(artist, market))

    def audio_features(self, tracks: Iterable[str]) -> list[m.AudioFeatures | None]:
        """Get audio features of tracks (extended quota mode only).

        Raises
        ------
        EndpointUnavailable
            In development mode, or when Spotify answers 403.
        """
        return self._run(self._ops.audio_features(tracks))

    # search ----------------------------------------------------------------------

    def search(
        self,
        query: str,
        types: Sequence[str] = ("track",),
        *,
        filters: Mapping[str, str] | None = None,
        limit: int | None = None,
        offset: int = 0,
        market: str | None = None,
    ) -> m.SearchResult:
        """Search the catalogue.

        Parameters
        ----------
        query
            Free text.
        types
            Any of ``track``, ``artist``, ``album``, ``playlist``.
        filters
            Field filters such as ``{"artist": "Daft Punk", "year": "2001"}`` (keys:
            album, artist, track, year, upc, isrc, genre, tag).
        limit
            Page size, at most 10 in development mode (Spotify's 2026 cap).
        offset
            At most 1000.
        """
        return self._run(self._ops.search(query, types, filters, limit, offset, market))

    def iter_search(
        self,
        query: str,
        type: str = "track",
        *,
        filters: Mapping[str, str] | None = None,
        max_items: int | None = None,
        market: str | None = None,
    ) -> Iterator[Any]:
        """Iterate over search results of one type (at most 1010, Spotify's cap)."""
        return self._iterate(
            self._ops.iter_search(query, type, filters, max_items, market)
        )

    # playlists -------------------------------------------------------------------

    def playlist(
        self,
        playlist: str,
        *,
        market: str | None = None,
        fields: str | None = None,
    ) -> m.Playlist:
        """Get a playlist (its items only if the user owns or collaborates on it)."""
        return self._run(self._ops.playlist(playlist, market, fields))

    def playlist_items(
        self,
        playlist: str,
        *,
        limit: int | None = None,
        offset: int = 0,
        market: str | None = None,
    ) -> m.Paging[m.PlaylistItem]:
        """Get one page of a playlist's items (``/playlists/{id}/items``, up to 50)."""
        return self._run(self._ops.playlist_items(playlist, limit, offset, market))

    def iter_playlist_items(
        self,
        playlist: str,
        *,
        max_items: int | None = None,
        market: str | None = None,
    ) -> Iterator[m.PlaylistItem]:
        """Iterate over a playlist's items; pages after the first load concurrently."""
        return self._iterate(self._ops.iter_playlist_items(playlist, max_items, market))

    def playlists_items(
        self, playlists: Iterable[str], *, market: str | None = None
    ) -> list[list[m.PlaylistItem]]:
        """Read every item of many playlists at once, in input order.

        Two rounds of concurrent requests whatever the number of playlists: all
        first pages, then every remaining page their totals call for.
        """
        return self._run(self._ops.playlists_items(playlists, market))

    def playlist_add_items(
        self, playlist: str, items: Iterable[str], *, position: int | None = None
    ) -> str | None:
        """Add tracks or episodes (URIs, links or track ids); return the snapshot id."""
        return self._run(self._ops.playlist_add_items(playlist, items, position))

    def playlist_replace_items(self, playlist: str, items: Iterable[str]) -> str | None:
        """Replace all items of a playlist; return the snapshot id."""
        return self._run(self._ops.playlist_replace_items(playlist, items))

    def playlist_reorder_items(
        self,
        playlist: str,
        *,
        range_start: int,
        insert_before: int,
        range_length: int = 1,
        snapshot_id: str | None = None,
    ) -> str:
        """Move ``range_length`` items at ``range_start`` before ``insert_before``."""
        return self._run(
            self._ops.playlist_reorder_items(
                playlist, range_start, insert_before, range_length, snapshot_id
            )
        )

    def playlist_remove_items(
        self,
        playlist: str,
        items: Iterable[str],
        *,
        snapshot_id: str | None = None,
    ) -> str | None:
        """Remove every occurrence of the given items; return the snapshot id."""
        return self._run(self._ops.playlist_remove_items(playlist, items, snapshot_id))

    def create_playlist(
        self,
        name: str,
        *,
        public: bool | None = None,
        collaborative: bool | None = None,
        description: str | None = None,
    ) -> m.Playlist:
        """Create a playlist for the current user (``POST /me/playlists``)."""
        return self._run(
            self._ops.create_playlist(name, public, collaborative, description)
        )

    # the current user ------------------------------------------------------------

    def me(self) -> m.PrivateUser:
        """Get the current user's profile."""
        return self._run(self._ops.me())

    def my_playlists(
        self, *, limit: int | None = None, offset: int = 0
    ) -> m.Paging[m.SimplifiedPlaylist]:
        """Get one page of the current user's playlists."""
        return self._run(self._ops.page(ep.MY_PLAYLISTS, limit, offset))

    def iter_my_playlists(
        self, *, max_items: int | None = None
    ) -> Iterator[m.SimplifiedPlaylist]:
        """Iterate over the current user's playlists."""
        return self._iterate(self._ops.pages(ep.MY_PLAYLISTS, None, {}, max_items))

    def saved_tracks(
        self, *, limit: int | None = None, offset: int = 0, market: str | None = None
    ) -> m.Paging[m.SavedTrack]:
        """Get one page of the user's saved tracks."""
        return self._run(self._ops.page(ep.SAVED_TRACKS, limit, offset, market=market))

    def iter_saved_tracks(
        self, *, max_items: int | None = None, market: str | None = None
    ) -> Iterator[m.SavedTrack]:
        """Iterate over the user's saved tracks."""
        params = {"market": market}
        return self._iterate(self._ops.pages(ep.SAVED_TRACKS, None, params, max_items))

    def saved_albums(
        self, *, limit: int | None = None, offset: int = 0, market: str | None = None
    ) -> m.Paging[m.SavedAlbum]:
        """Get one page of the user's saved albums."""
        return self._run(self._ops.page(ep.SAVED_ALBUMS, limit, offset, market=market))

    def iter_saved_albums(
        self, *, max_items: int | None = None, market: str | None = None
    ) -> Iterator[m.SavedAlbum]:
        """Iterate over the user's saved albums."""
        params = {"market": market}
        return self._iterate(self._ops.pages(ep.SAVED_ALBUMS, None, params, max_items))

    def library_save(self, uris: Iterable[str]) -> None:
        """Save items to the library (``PUT /me/library``, 40 URIs per call)."""
        self._run(self._ops.library(ep.LIBRARY_SAVE, uris))

    def library_remove(self, uris: Iterable[str]) -> None:
        """Remove items from the library (``DELETE /me/library``)."""
        self._run(self._ops.library(ep.LIBRARY_REMOVE, uris))

    def library_contains(self, uris: Iterable[str]) -> list[bool]:
        """Tell, for each URI, whether it is in the user's library."""
        result: list[bool] = self._run(self._ops.library(ep.LIBRARY_CONTAINS, uris))
        return result

    def top_artists(
        self,
        time_range: str = "medium_term",
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> m.Paging[m.Artist]:
        """Get one page of the user's top artists (``time_range``: ``*_term``)."""
        span = self._ops.time_range(time_range)
        return self._run(self._ops.page(ep.TOP_ARTISTS, limit, offset, time_range=span))

    def iter_top_artists(
        self, time_range: str = "medium_term", *, max_items: int | None = None
    ) -> Iterator[m.Artist]:
        """Iterate over the user's top artists."""
        params = {"time_range": self._ops.time_range(time_range)}
        return self._iterate(self._ops.pages(ep.TOP_ARTISTS, None, params, max_items))

    def top_tracks(
        self,
        time_range: str = "medium_term",
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> m.Paging[m.Track]:
        """Get one page of the user's top tracks."""
        span = self._ops.time_range(time_range)
        return self._run(self._ops.page(ep.TOP_TRACKS, limit, offset, time_range=span))

    def iter_top_tracks(
        self, time_range: str = "medium_term", *, max_items: int | None = None
    ) -> Iterator[m.Track]:
        """Iterate over the user's top tracks."""
        params = {"time_range": self._ops.time_range(time_range)}
        return self._iterate(self._ops.pages(ep.TOP_TRACKS, None, params, max_items))

    def recently_played(
        self,
        *,
        limit: int | None = None,
        after: int | None = None,
        before: int | None = None,
    ) -> m.CursorPaging[m.PlayHistory]:
        """Get one page of recently played tracks (``after``/``before``: Unix ms)."""
        call = self._ops.cursor_first(
            ep.RECENTLY_PLAYED, limit, after=after, before=before
        )
        return self._run(self._ops.one(ep.RECENTLY_PLAYED, call))

    def iter_recently_played(
        self,
        *,
        max_items: int | None = None,
        after: int | None = None,
        before: int | None = None,
    ) -> Iterator[m.PlayHistory]:
        """Iterate over recently played tracks, following the cursors."""
        call = self._ops.cursor_first(
            ep.RECENTLY_PLAYED, None, after=after, before=before
        )
        return self._iterate(
            self._ops.cursor_pages(ep.RECENTLY_PLAYED, call, max_items)
        )

    def followed_artists(
        self, *, limit: int | None = None, after: str | None = None
    ) -> m.CursorPaging[m.Artist]:
        """Get one page of the artists the user follows (``after``: an artist id)."""
        call = self._ops.cursor_first(
            ep.FOLLOWED_ARTISTS, limit, type="artist", after=after
        )
        return self._run(self._ops.one(ep.FOLLOWED_ARTISTS, call))

    def iter_followed_artists(
        self, *, max_items: int | None = None
    ) -> Iterator[m.Artist]:
        """Iterate over the artists the user follows."""
        call = self._ops.cursor_first(ep.FOLLOWED_ARTISTS, None, type="artist")
        return self._iterate(
            self._ops.cursor_pages(ep.FOLLOWED_ARTISTS, call, max_items)
        )


class AsyncSpotify(_Shared):
    """Asynchronous client of the Spotify Web API, over httpx with HTTP/2.

    Takes the same parameters as :class:`Spotify` (``http_client`` is an
    ``httpx.AsyncClient``); every method is the awaitable twin of the one of the
    same name there, and every ``iter_*`` method returns an async iterator.
    Cancelling a call gives back its pacing and concurrency slots.

    Examples
    --------
    >>> async def main(ids):
    ...     async with AsyncSpotify(client_id="id", client_secret="s") as sp:
    ...         return await sp.tracks(ids)
    """

    def __init__(
        self,
        auth: Auth | None = None,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        mode: Mode = "auto",
        market: str | None = None,
        api_base: str = API_BASE,
        accounts_base: str = ACCOUNTS_BASE,
        timeout: float = 10.0,
        max_concurrency: int = 16,
        max_retries: int = 3,
        max_wait: float = 60.0,
        pacer: Pacer | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(
            auth,
            client_id=client_id,
            client_secret=client_secret,
            mode=mode,
            market=market,
            api_base=api_base,
            accounts_base=accounts_base,
            timeout=timeout,
            max_concurrency=max_concurrency,
            max_retries=max_retries,
            max_wait=max_wait,
        )
        self._transport = AsyncTransport(self.auth, self._options, pacer, http_client)

    # lifecycle -------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close connections."""
        await self._transport.close()

    async def __aenter__(self) -> AsyncSpotify:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    @property
    def stats(self) -> Stats:
        """Request counters: requests, 429 answers, retries, token requests."""
        return self._transport.stats

    @property
    def pacer(self) -> Pacer:
        """The rate-limit pacer (its ``capacity`` is what it learned)."""
        return self._transport.pacer

    # drivers ---------------------------------------------------------------------

    async def _exchange(self, step: Call | list[Call]) -> Answer:
        if isinstance(step, list):
            return await self._transport.send_many(step)
        return await self._transport.send(step)

    async def _run(self, flow: Flow[T]) -> T:
        try:
            step = next(flow)
            while True:
                if isinstance(step, Emit):
                    raise TypeError("a paging flow must be iterated")
                try:
                    answer = await self._exchange(step)
                except SpotifyError as exc:
                    step = flow.throw(exc)
                else:
                    step = flow.send(answer)
        except StopIteration as stop:
            result: T = stop.value
            return result

    async def _iterate(self, flow: ItemFlow[T]) -> AsyncIterator[T]:
        try:
            step = next(flow)
            while True:
                if isinstance(step, Emit):
                    for item in step.items:
                        yield item
                    step = next(flow)
                    continue
                try:
                    answer = await self._exchange(step)
                except SpotifyError as exc:
                    step = flow.throw(exc)
                else:
                    step = flow.send(answer)
        except StopIteration:
            return

    async def token(self) -> str:
        """Return a valid access token, renewing it if needed (keep it secret)."""
        return await self._transport.token()

    # raw -------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, object] | None = None,
        json: Any = None,
    ) -> Any:
        """Call any endpoint and return its JSON as plain Python data."""
        return await self._run(self._ops.raw(method, path, params, json))

    # catalogue -------------------------------------------------------------------

    async def track(self, track: str, *, market: str | None = None) -> m.Track:
        """Get one track by id, URI or link."""
        return await self._run(self._ops.track(track, market))

    async def tracks(
        self, tracks: Iterable[str], *, market: str | None = None
    ) -> list[m.Track | None]:
        """Get many tracks, in input order (``None`` for unknown ids)."""
        return await self._run(self._ops.tracks(tracks, market))

    async def album(self, album: str, *, market: str | None = None) -> m.Album:
        """Get one album."""
        return await self._run(self._ops.album(album, market))

    async def albums(
        self, albums: Iterable[str], *, market: str | None = None
    ) -> list[m.Album | None]:
        """Get many albums (multi-get of 20 where allowed, else single requests)."""
        return await self._run(self._ops.albums(albums, market))

    async def album_tracks(
        self,
        album: str,
        *,
        limit: int | None = None,
        offset: int = 0,
        market: str | None = None,
    ) -> m.Paging[m.SimplifiedTrack]:
        """Get one page of an album's tracks (``limit`` up to 50)."""
        return await self._run(self._ops.album_tracks(album, limit, offset, market))

    def iter_album_tracks(
        self, album: str, *, max_items: int | None = None, market: str | None = None
    ) -> AsyncIterator[m.SimplifiedTrack]:
        """Iterate over an album's tracks."""
        return self._iterate(self._ops.iter_album_tracks(album, max_items, market))

    async def artist(self, artist: str) -> m.Artist:
        """Get one artist."""
        return await self._run(self._ops.artist(artist))

    async def artists(self, artists: Iterable[str]) -> list[m.Artist | None]:
        """Get many artists (multi-get of 50 where allowed, else single requests)."""
        return await self._run(self._ops.artists(artists))

    async def artist_albums(
        self,
        artist: str,
        *,
        include_groups: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
        market: str | None = None,
    ) -> m.Paging[m.SimplifiedAlbum]:
        """Get one page of an artist's albums (``limit`` up to 10 in development)."""
        return await self._run(
            self._ops.artist_albums(artist, include_groups, limit, offset, market)
        )

    def iter_artist_albums(
        self,
        artist: str,
        *,
        include_groups: Sequence[str] | None = None,
        max_items: int | None = None,
        market: str | None = None,
    ) -> AsyncIterator[m.SimplifiedAlbum]:
        """Iterate over an artist's albums."""
        return self._iterate(
            self._ops.iter_artist_albums(artist, include_groups, max_items, market)
        )

    async def artist_top_tracks(
        self, artist: str, *, market: str | None = None
    ) -> list[m.Track]:
        """Get an artist's top tracks (extended quota mode only)."""
        return await self._run(self._ops.artist_top_tracks(artist, market))

    async def audio_features(
        self, tracks: Iterable[str]
    ) -> list[m.AudioFeatures | None]:
        """Get audio features of tracks (extended quota mode only)."""
        return await self._run(self._ops.audio_features(tracks))

    # search ----------------------------------------------------------------------

    async def search(
        self,
        query: str,
        types: Sequence[str] = ("track",),
        *,
        filters: Mapping[str, str] | None = None,
        limit: int | None = None,
        offset: int = 0,
        market: str | None = None,
    ) -> m.SearchResult:
        """Search the catalogue."""
        return await self._run(
            self._ops.search(query, types, filters, limit, offset, market)
        )

    def iter_search(
        self,
        query: str,
        type: str = "track",
        *,
        filters: Mapping[str, str] | None = None,
        max_items: int | None = None,
        market: str | None = None,
    ) -> AsyncIterator[Any]:
        """Iterate over search results of one type (at most 1010, Spotify's cap)."""
        return self._iterate(
            self._ops.iter_search(query, type, filters, max_items, market)
        )

    # playlists -------------------------------------------------------------------

    async def playlist(
        self,
        playlist: str,
        *,
        market: str | None = None,
        fields: str | None = None,
    ) -> m.Playlist:
        """Get a playlist (its items only if the user owns or collaborates on it)."""
        return await self._run(self._ops.playlist(playlist, market, fields))

    async def playlist_items(
        self,
        playlist: str,
        *,
        limit: int | None = None,
        offset: int = 0,
        market: str | None = None,
    ) -> m.Paging[m.PlaylistItem]:
        """Get one page of a playlist's items (``/playlists/{id}/items``, up to 50)."""
        return await self._run(
            self._ops.playlist_items(playlist, limit, offset, market)
        )

    def iter_playlist_items(
        self,
        playlist: str,
        *,
        max_items: int | None = None,
        market: str | None = None,
    ) -> AsyncIterator[m.PlaylistItem]:
        """Iterate over a playlist's items; pages after the first load concurrently."""
        return self._iterate(self._ops.iter_playlist_items(playlist, max_items, market))

    async def playlists_items(
        self, playlists: Iterable[str], *, market: str | None = None
    ) -> list[list[m.PlaylistItem]]:
        """Read every item of many playlists at once, in input order."""
        return await self._run(self._ops.playlists_items(playlists, market))

    async def playlist_add_items(
        self, playlist: str, items: Iterable[str], *, position: int | None = None
    ) -> str | None:
        """Add tracks or episodes (URIs, links or track ids); return the snapshot id."""
        return await self._run(self._ops.playlist_add_items(playlist, items, position))

    async def playlist_replace_items(
        self, playlist: str, items: Iterable[str]
    ) -> str | None:
        """Replace all items of a playlist; return the snapshot id."""
        return await self._run(self._ops.playlist_replace_items(playlist, items))

    async def playlist_reorder_items(
        self,
        playlist: str,
        *,
        range_start: int,
        insert_before: int,
        range_length: int = 1,
        snapshot_id: str | None = None,
    ) -> str:
        """Move ``range_length`` items at ``range_start`` before ``insert_before``."""
        return await self._run(
            self._ops.playlist_reorder_items(
                playlist, range_start, insert_before, range_length, snapshot_id
            )
        )

    async def playlist_remove_items(
        self,
        playlist: str,
        items: Iterable[str],
        *,
        snapshot_id: str | None = None,
    ) -> str | None:
        """Remove every occurrence of the given items; return the snapshot id."""
        return await self._run(
            self._ops.playlist_remove_items(playlist, items, snapshot_id)
        )

    async def create_playlist(
        self,
        name: str,
        *,
        public: bool | None = None,
        collaborative: bool | None = None,
        description: str | None = None,
    ) -> m.Playlist:
        """Create a playlist for the current user (``POST /me/playlists``)."""
        return await self._run(
            self._ops.create_playlist(name, public, collaborative, description)
        )

    # the current user ------------------------------------------------------------

    async def me(self) -> m.PrivateUser:
        """Get the current user's profile."""
        return await self._run(self._ops.me())

    async def my_playlists(
        self, *, limit: int | None = None, offset: int = 0
    ) -> m.Paging[m.SimplifiedPlaylist]:
        """Get one page of the current user's playlists."""
        return await self._run(self._ops.page(ep.MY_PLAYLISTS, limit, offset))

    def iter_my_playlists(
        self, *, max_items: int | None = None
    ) -> AsyncIterator[m.SimplifiedPlaylist]:
        """Iterate over the current user's playlists."""
        return self._iterate(self._ops.pages(ep.MY_PLAYLISTS, None, {}, max_items))

    async def saved_tracks(
        self, *, limit: int | None = None, offset: int = 0, market: str | None = None
    ) -> m.Paging[m.SavedTrack]:
        """Get one page of the user's saved tracks."""
        return await self._run(
            self._ops.page(ep.SAVED_TRACKS, limit, offset, market=market)
        )

    def iter_saved_tracks(
        self, *, max_items: int | None = None, market: str | None = None
    ) -> AsyncIterator[m.SavedTrack]:
        """Iterate over the user's saved tracks."""
        params = {"market": market}
        return self._iterate(self._ops.pages(ep.SAVED_TRACKS, None, params, max_items))

    async def saved_albums(
        self, *, limit: int | None = None, offset: int = 0, market: str | None = None
    ) -> m.Paging[m.SavedAlbum]:
        """Get one page of the user's saved albums."""
        return await self._run(
            self._ops.page(ep.SAVED_ALBUMS, limit, offset, market=market)
        )

    def iter_saved_albums(
        self, *, max_items: int | None = None, market: str | None = None
    ) -> AsyncIterator[m.SavedAlbum]:
        """Iterate over the user's saved albums."""
        params = {"market": market}
        return self._iterate(self._ops.pages(ep.SAVED_ALBUMS, None, params, max_items))

    async def library_save(self, uris: Iterable[str]) -> None:
        """Save items to the library (``PUT /me/library``, 40 URIs per call)."""
        await self._run(self._ops.library(ep.LIBRARY_SAVE, uris))

    async def library_remove(self, uris: Iterable[str]) -> None:
        """Remove items from the library (``DELETE /me/library``)."""
        await self._run(self._ops.library(ep.LIBRARY_REMOVE, uris))

    async def library_contains(self, uris: Iterable[str]) -> list[bool]:
        """Tell, for each URI, whether it is in the user's library."""
        result: list[bool] = await self._run(
            self._ops.library(ep.LIBRARY_CONTAINS, uris)
        )
        return result

    async def top_artists(
        self,
        time_range: str = "medium_term",
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> m.Paging[m.Artist]:
        """Get one page of the user's top artists (``time_range``: ``*_term``)."""
        span = self._ops.time_range(time_range)
        return await self._run(
            self._ops.page(ep.TOP_ARTISTS, limit, offset, time_range=span)
        )

    def iter_top_artists(
        self, time_range: str = "medium_term", *, max_items: int | None = None
    ) -> AsyncIterator[m.Artist]:
        """Iterate over the user's top artists."""
        params = {"time_range": self._ops.time_range(time_range)}
        return self._iterate(self._ops.pages(ep.TOP_ARTISTS, None, params, max_items))

    async def top_tracks(
        self,
        time_range: str = "medium_term",
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> m.Paging[m.Track]:
        """Get one page of the user's top tracks."""
        span = self._ops.time_range(time_range)
        return await self._run(
            self._ops.page(ep.TOP_TRACKS, limit, offset, time_range=span)
        )

    def iter_top_tracks(
        self, time_range: str = "medium_term", *, max_items: int | None = None
    ) -> AsyncIterator[m.Track]:
        """Iterate over the user's top tracks."""
        params = {"time_range": self._ops.time_range(time_range)}
        return self._iterate(self._ops.pages(ep.TOP_TRACKS, None, params, max_items))

    async def recently_played(
        self,
        *,
        limit: int | None = None,
        after: int | None = None,
        before: int | None = None,
    ) -> m.CursorPaging[m.PlayHistory]:
        """Get one page of recently played tracks (``after``/``before``: Unix ms)."""
        call = self._ops.cursor_first(
            ep.RECENTLY_PLAYED, limit, after=after, before=before
        )
        return await self._run(self._ops.one(ep.RECENTLY_PLAYED, call))

    def iter_recently_played(
        self,
        *,
        max_items: int | None = None,
        after: int | None = None,
        before: int | None = None,
    ) -> AsyncIterator[m.PlayHistory]:
        """Iterate over recently played tracks, following the cursors."""
        call = self._ops.cursor_first(
            ep.RECENTLY_PLAYED, None, after=after, before=before
        )
        return self._iterate(
            self._ops.cursor_pages(ep.RECENTLY_PLAYED, call, max_items)
        )

    async def followed_artists(
        self, *, limit: int | None = None, after: str | None = None
    ) -> m.CursorPaging[m.Artist]:
        """Get one page of the artists the user follows (``after``: an artist id)."""
        call = self._ops.cursor_first(
            ep.FOLLOWED_ARTISTS, limit, type="artist", after=after
        )
        return await self._run(self._ops.one(ep.FOLLOWED_ARTISTS, call))

    def iter_followed_artists(
        self, *, max_items: int | None = None
    ) -> AsyncIterator[m.Artist]:
        """Iterate over the artists the user follows."""
        call = self._ops.cursor_first(ep.FOLLOWED_ARTISTS, None, type="artist")
        return self._iterate(
            self._ops.cursor_pages(ep.FOLLOWED_ARTISTS, call, max_items)
        )
