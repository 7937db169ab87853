"""The :class:`Collector`: the user's music from the Web API into the catalog.

One run goes through these steps, each resumable:

1. the user's playlists (``/me/playlists``), page by page; every playlist the user
   owns or collaborates on whose ``snapshot_id`` differs from the stored one becomes
   a task, the others are skipped (unchanged) or stored without items (followed
   playlists of other users, whose items development-mode apps may not read);
2. each playlist task: its items, page by page;
3. the library: saved tracks and albums, top tracks and artists for the three time
   ranges, recently played tracks, followed artists;
4. hydration: every referenced track (when it came without ISRC), album and artist
   fetched whole through the client's multi-get-or-singles helpers;
5. audio features from the providers that can give them.

Every page is committed in one transaction together with the cursor of the next page
(:mod:`segue.catalog.crawl`), so a process killed at any moment loses at most the page
it was waiting for; the next run with the same scope picks the run up where it ended.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any, Protocol

import msgspec

from segue import catalog as c
from segue import spotify as s
from segue.catalog import crawl
from segue.collect.convert import (
    Records,
    album_record,
    artist_record,
    playlist_record,
    track_records,
)
from segue.collect.errors import (
    PlaylistForbidden,
    PlaylistNotFound,
    PlaylistUnavailable,
)
from segue.collect.features import FeatureProvider, ImportedFeatures, SpotifyFeatures
from segue.collect.refs import parse_playlist_ref
from segue.collect.source import Connect, Mode, Source

__all__ = ["TIME_RANGES", "Collector", "Reporter", "Summary"]

log = logging.getLogger("segue")

TIME_RANGES = ("short_term", "medium_term", "long_term")

_LIBRARY_TASKS: tuple[tuple[str, str], ...] = (
    ("saved_tracks", "saved_tracks"),
    ("saved_albums", "saved_albums"),
    *((f"top_tracks:{r}", "top_tracks") for r in TIME_RANGES),
    *((f"top_artists:{r}", "top_artists") for r in TIME_RANGES),
    ("recently_played", "recently_played"),
    ("followed_artists", "followed_artists"),
)
_LIBRARY_KIND = {
    "saved_tracks": "saved_track",
    "saved_albums": "saved_album",
    "top_tracks": "top_track",
    "top_artists": "top_artist",
    "recently_played": "recent_track",
    "followed_artists": "followed_artist",
}


class Reporter(Protocol):
    """Receives progress: a phase starts with a total, then advances."""

    def start(self, phase: str, total: int | None) -> None:
        """A phase begins; ``total`` is the amount of work when known."""
        ...

    def advance(self, phase: str, amount: int = 1) -> None:
        """``amount`` more units of ``phase`` are done."""
        ...


class _Silent:
    def start(self, phase: str, total: int | None) -> None:
        pass

    def advance(self, phase: str, amount: int = 1) -> None:
        pass


@dataclasses.dataclass
class Summary:
    """What one run did (counts are of this process's work, not the catalog's)."""

    scope: str
    resumed: bool = False
    playlists: int = 0
    """Playlists whose items were stored."""
    skipped_unchanged: int = 0
    """Playlists skipped because their snapshot id was already stored."""
    followed_without_items: int = 0
    """Other users' playlists stored without items (development mode may not read
    them)."""
    forbidden: list[str] = dataclasses.field(default_factory=list)
    """Playlists whose items Spotify refused (403)."""
    items: int = 0
    library: int = 0
    tracks: int = 0
    albums: int = 0
    artists: int = 0
    features: dict[str, int] = dataclasses.field(default_factory=dict)
    features_unavailable: list[str] = dataclasses.field(default_factory=list)
    access_mode: str | None = None
    requests: int = 0
    rate_limited: int = 0
    retries: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready data."""
        return dataclasses.asdict(self)


class Collector:
    """Collects the current user's music into a catalog.

    Parameters
    ----------
    catalog
        The catalog to fill; it also holds the crawl state.
    connect
        Opens a client in an access mode (``development``, ``extended`` or
        ``auto``); the collector closes every client it opens.
    source
        Source label of the collected playlists.
    reporter
        Receives progress.
    chunk
        Ids per hydration step (one transaction each; a killed step is redone).
    workers
        Playlists read at once (their pages still commit one by one).
    feature_providers
        Audio-feature providers, asked in order; by default imported tables, then
        Spotify's endpoint.
    """

    def __init__(
        self,
        catalog: c.Catalog,
        connect: Connect,
        *,
        source: str = "spotify",
        reporter: Reporter | None = None,
        chunk: int = 16,
        workers: int = 4,
        feature_providers: Sequence[FeatureProvider] | None = None,
    ) -> None:
        if chunk < 1 or workers < 1:
            raise ValueError("chunk and workers must be at least 1")
        self.catalog = catalog
        self.label = source
        self.reporter: Reporter = reporter if reporter is not None else _Silent()
        self.chunk = chunk
        self.workers = workers
        self._lock = threading.Lock()
        self._connect = connect
        self._clients: dict[Mode, Source] = {}
        self._known_mode: str | None = None  # the remembered access_mode
        self._spotify_features = SpotifyFeatures(
            catalog, lambda: self._client("extended"), source=source
        )
        self.providers: list[FeatureProvider] = (
            list(feature_providers)
            if feature_providers is not None
            else [ImportedFeatures(catalog), self._spotify_features]
        )
        self._summary = Summary(scope="all")

    # clients ---------------------------------------------------------------------

    def _client(self, mode: Mode) -> Source:
        client = self._clients.get(mode)
        if client is None:
            client = self._clients[mode] = self._connect(mode)
        return client

    @property
    def _mode(self) -> Mode:
        """The detected access mode; development until detected otherwise."""
        if self._known_mode is None:
            known = crawl.setting(self.catalog, "access_mode")
            self._known_mode = known[0] if known is not None else None
        return "extended" if self._known_mode == "extended" else "development"

    @property
    def client(self) -> Source:
        """The client for lists: in the detected access mode, else development."""
        return self._client(self._mode)

    def close(self) -> None:
        """Close every client this collector opened."""
        for client in self._clients.values():
            client.close()
        self._clients.clear()

    def __enter__(self) -> Collector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _detect_mode(self, kind: str, probe_id: str) -> Source:
        """The client for multi-gets, detecting the app's access mode once."""
        if crawl.setting(self.catalog, "access_mode") is None:
            path = {"track": "/tracks", "album": "/albums", "artist": "/artists"}[kind]
            try:
                self.client.request("GET", path, params={"ids": probe_id})
                mode = "extended"
            except s.Forbidden:
                mode = "development"
            crawl.set_setting(self.catalog, "access_mode", mode)
            self._known_mode = None
            log.info("this app has %s access to the Web API", mode)
        self._summary.access_mode = self._mode
        return self.client

    # runs ------------------------------------------------------------------------

    def collect(self) -> Summary:
        """Collect everything: playlists, library, hydration, features.

        Raises
        ------
        segue.spotify.LoginRequired
            The stored login expired or was revoked.
        segue.spotify.SpotifyError
            The Web API failed beyond the client's retries; what was stored stays.
        """
        started = time.monotonic()
        run = crawl.open_run(self.catalog, "all", self.label)
        self._summary = Summary(scope="all", resumed=run.resumed)
        if run.resumed:
            log.info("resuming the collection started at %s", run.started_at)
        else:
            with self.catalog.transaction():
                crawl.add_task(self.catalog, run.id, "my_playlists", "my_playlists")
                for key, kind in _LIBRARY_TASKS:
                    crawl.add_task(self.catalog, run.id, key, kind)
        user_id = run.user_id or self._user(run.id)
        self._list_playlists(run.id, user_id)
        self._playlists(run.id, strict=False)
        self._library(run.id)
        self._hydrate(None)
        self._features(None)
        return self._finish(run, started)

    def collect_playlist(self, ref: str) -> Summary:
        """Collect one playlist (a link, URI or id) and what it references.

        Raises
        ------
        InvalidPlaylistRef
            ``ref`` names no playlist.
        PlaylistForbidden
            Spotify refuses its items (another user's playlist, in development mode).
        PlaylistNotFound
            No such playlist, or one Spotify owns.
        """
        playlist_id = parse_playlist_ref(ref)
        started = time.monotonic()
        scope = f"playlist:{playlist_id}"
        run = crawl.open_run(self.catalog, scope, self.label)
        self._summary = Summary(scope=scope, resumed=run.resumed)
        try:
            return self._one_playlist(run, playlist_id, started)
        except PlaylistUnavailable:
            crawl.finish_run(self.catalog, run.id)
            raise

    def _one_playlist(
        self, run: crawl.Run, playlist_id: str, started: float
    ) -> Summary:
        key = f"playlist:{playlist_id}"
        if crawl.task(self.catalog, run.id, key) is None:
            try:
                meta = self.client.playlist(playlist_id)
            except s.NotFound:
                raise _not_found(playlist_id) from None
            except s.Forbidden:
                raise _forbidden(playlist_id) from None
            stored = crawl.stored_snapshots(self.catalog, [playlist_id])
            if meta.snapshot_id and stored.get(playlist_id) == meta.snapshot_id:
                self._summary.skipped_unchanged += 1
                return self._finish(run, started)
            record = playlist_record(meta, self.label)
            with self.catalog.transaction():
                crawl.add_task(
                    self.catalog,
                    run.id,
                    key,
                    "playlist",
                    snapshot_id=meta.snapshot_id,
                    payload=_encode(record),
                )
                first = meta.first_items
                if first is not None and first.offset == 0:
                    self._store_playlist_page(run.id, key, record, first, 0)
        self._playlists(run.id, strict=True)
        self._hydrate([playlist_id])
        self._features([playlist_id])
        return self._finish(run, started)

    def _user(self, run_id: int) -> str:
        user_id = self.client.me().id
        crawl.set_run_user(self.catalog, run_id, user_id)
        return user_id

    def _finish(self, run: crawl.Run, started: float) -> Summary:
        summary = self._summary
        with self.catalog.transaction():
            crawl.finish_run(self.catalog, run.id)
            self.catalog.log_import(
                kind="collect",
                source=self.label,
                path=None if summary.scope == "all" else summary.scope,
                started_at=run.started_at,
                playlists=summary.playlists,
                tracks=summary.tracks,
                items=summary.items,
                features=sum(summary.features.values()),
            )
        summary.seconds = time.monotonic() - started
        self._count_requests()
        return summary

    def _count_requests(self) -> None:
        stats = [client.stats for client in self._clients.values()]
        self._summary.requests = sum(x.requests for x in stats)
        self._summary.rate_limited = sum(x.rate_limited for x in stats)
        self._summary.retries = sum(x.retries for x in stats)

    # playlists -------------------------------------------------------------------

    def _list_playlists(self, run_id: int, user_id: str) -> None:
        task = crawl.task(self.catalog, run_id, "my_playlists")
        if task is None or task.status != "pending":
            return
        offset = int(task.cursor or 0)
        self.reporter.start("listing playlists", None)
        while True:
            page = self.client.my_playlists(offset=offset)
            with self.catalog.transaction():
                self._plan_playlists(run_id, user_id, page.items)
                nxt = offset + len(page.items)
                done = not page.items or page.next is None or nxt >= page.total
                crawl.update_task(
                    self.catalog,
                    run_id,
                    "my_playlists",
                    cursor=str(nxt),
                    status="done" if done else "pending",
                )
            self.reporter.advance("listing playlists", len(page.items))
            if done:
                return
            offset = nxt

    def _plan_playlists(
        self, run_id: int, user_id: str, listed: Sequence[s.SimplifiedPlaylist]
    ) -> None:
        stored = crawl.stored_snapshots(self.catalog, [p.id for p in listed])
        readable = self._mode == "extended"
        metadata_only: list[c.Playlist] = []
        for playlist in listed:
            owner = playlist.owner.id if playlist.owner is not None else None
            mine = owner == user_id or playlist.collaborative or readable
            record = playlist_record(playlist, self.label)
            if not mine:
                metadata_only.append(record)
                self._summary.followed_without_items += 1
                continue
            if playlist.snapshot_id and stored.get(playlist.id) == playlist.snapshot_id:
                self._summary.skipped_unchanged += 1
                continue
            crawl.add_task(
                self.catalog,
                run_id,
                f"playlist:{playlist.id}",
                "playlist",
                snapshot_id=playlist.snapshot_id,
                payload=_encode(record),
            )
        if metadata_only:
            self.catalog.upsert(metadata_only, authoritative=True)

    def _playlists(self, run_id: int, *, strict: bool) -> None:
        pending = crawl.tasks(self.catalog, run_id, kind="playlist", status="pending")
        if not pending:
            return
        records = [
            msgspec.json.decode(t.payload or "{}", type=c.Playlist) for t in pending
        ]
        total = sum(r.num_tracks or 0 for r in records)
        done = sum(int(t.cursor or 0) for t in pending)
        self.reporter.start("playlist items", total)
        self.reporter.advance("playlist items", done)
        client = self.client  # opened before the workers share it
        stop = threading.Event()

        def one(task: crawl.Task, record: c.Playlist) -> None:
            try:
                self._playlist(client, run_id, task, record, stop)
            except (s.Forbidden, s.NotFound) as exc:
                if strict:
                    if isinstance(exc, s.NotFound):
                        raise _not_found(record.id) from None
                    raise _forbidden(record.id) from None
                crawl.update_task(
                    self.catalog, run_id, task.key, cursor=None, status="refused"
                )
                with self._lock:
                    self._summary.forbidden.append(record.id)
                log.warning("cannot read the items of playlist %s: %s", record.id, exc)
            except BaseException:
                stop.set()
                raise

        jobs = list(zip(pending, records, strict=True))
        if self.workers == 1 or len(jobs) == 1:
            for task, record in jobs:
                one(task, record)
            return
        with ThreadPoolExecutor(
            min(self.workers, len(jobs)), thread_name_prefix="segue-collect"
        ) as pool:
            futures = [pool.submit(one, task, record) for task, record in jobs]
            try:
                for future in as_completed(futures):
                    future.result()
            finally:
                stop.set()
                for future in futures:
                    future.cancel()

    def _playlist(
        self,
        client: Source,
        run_id: int,
        task: crawl.Task,
        record: c.Playlist,
        stop: threading.Event,
    ) -> None:
        offset = int(task.cursor or 0)
        while not stop.is_set():
            page = client.playlist_items(record.id, offset=offset)
            done = self._store_playlist_page(run_id, task.key, record, page, offset)
            self.reporter.advance("playlist items", len(page.items))
            if done:
                return
            offset += len(page.items)

    def _store_playlist_page(
        self,
        run_id: int,
        key: str,
        record: c.Playlist,
        page: s.Paging[s.PlaylistItem],
        offset: int,
    ) -> bool:
        """Commit one page of items with the next cursor; finish the task at the end.

        Returns
        -------
        bool
            Whether the playlist is complete.
        """
        records = Records()
        staged: list[crawl.StagedItem] = []
        for index, item in enumerate(page.items):
            content = item.content
            if not isinstance(content, s.Track) or not track_records(content, records):
                continue  # episodes and local files have no catalog track
            assert content.id is not None
            added_by = item.added_by.id if item.added_by is not None else None
            staged.append(
                crawl.StagedItem(
                    offset + index, content.id, _utc(item.added_at), added_by
                )
            )
        nxt = offset + len(page.items)
        done = not page.items or page.next is None or nxt >= page.total
        with self.catalog.transaction():
            records.store(self.catalog)
            crawl.stage_items(self.catalog, run_id, key, staged)
            if done:
                items = crawl.staged_items(self.catalog, run_id, key)
                record = _with_items(record, items)
                self.catalog.upsert([record], authoritative=True)
                crawl.drop_staged(self.catalog, run_id, key)
            crawl.update_task(
                self.catalog,
                run_id,
                key,
                cursor=str(nxt),
                status="done" if done else "pending",
            )
        if done:
            with self._lock:
                self._summary.playlists += 1
                self._summary.items += len(record.items or ())
        return done

    # library ---------------------------------------------------------------------

    def _library(self, run_id: int) -> None:
        pending = [
            t
            for t in crawl.tasks(self.catalog, run_id, status="pending")
            if t.kind in _LIBRARY_KIND
        ]
        if not pending:
            return
        self.reporter.start("library", len(_LIBRARY_TASKS))
        self.reporter.advance("library", len(_LIBRARY_TASKS) - len(pending))
        for task in pending:
            cursor: dict[str, Any] = json.loads(task.cursor) if task.cursor else {}
            while True:
                cursor, done = self._library_page(run_id, task, cursor)
                if done:
                    break
            self.reporter.advance("library")

    def _library_page(
        self, run_id: int, task: crawl.Task, cursor: dict[str, Any]
    ) -> tuple[dict[str, Any], bool]:
        """Fetch, convert and commit one page of a library list."""
        records = Records()
        staged: list[crawl.StagedItem] = []
        position = int(cursor.get("n", 0))
        time_range = task.key.split(":", 1)[1] if ":" in task.key else ""
        nxt: dict[str, Any]
        if task.kind in ("recently_played", "followed_artists"):
            cpage: s.CursorPaging[Any]
            if task.kind == "recently_played":
                cpage = self.client.recently_played(before=cursor.get("before"))
                for play in cpage.items:
                    if track_records(play.track, records):
                        assert play.track.id is not None
                        staged.append(
                            crawl.StagedItem(
                                position, play.track.id, _utc(play.played_at)
                            )
                        )
                        position += 1
                mark = cpage.cursors.before if cpage.cursors else None
                nxt = {"n": position, "before": int(mark) if mark else None}
            else:
                cpage = self.client.followed_artists(after=cursor.get("after"))
                for artist in cpage.items:
                    artist_record(artist, records)
                    staged.append(crawl.StagedItem(position, artist.id))
                    position += 1
                mark = cpage.cursors.after if cpage.cursors else None
                nxt = {"n": position, "after": mark}
            done = not cpage.items or cpage.next is None or mark is None
        else:
            offset = int(cursor.get("n", 0))
            page = self._offset_page(task.kind, time_range, offset)
            for index, entry in enumerate(page.items):
                where = offset + index
                if isinstance(entry, s.SavedTrack):
                    if track_records(entry.track, records):
                        assert entry.track.id is not None
                        staged.append(
                            crawl.StagedItem(
                                where, entry.track.id, _utc(entry.added_at)
                            )
                        )
                elif isinstance(entry, s.SavedAlbum):
                    album_record(entry.album, records)
                    staged.append(
                        crawl.StagedItem(where, entry.album.id, _utc(entry.added_at))
                    )
                elif isinstance(entry, s.Track):
                    if track_records(entry, records):
                        assert entry.id is not None
                        staged.append(crawl.StagedItem(where, entry.id))
                elif isinstance(entry, s.Artist):
                    artist_record(entry, records)
                    staged.append(crawl.StagedItem(where, entry.id))
            end = offset + len(page.items)
            nxt = {"n": end}
            done = not page.items or page.next is None or end >= page.total
        with self.catalog.transaction():
            records.store(self.catalog)
            crawl.stage_items(self.catalog, run_id, task.key, staged)
            if done:
                self._finish_library(run_id, task, time_range)
            crawl.update_task(
                self.catalog,
                run_id,
                task.key,
                cursor=json.dumps(nxt),
                status="done" if done else "pending",
            )
        return nxt, done

    def _offset_page(self, kind: str, time_range: str, offset: int) -> s.Paging[Any]:
        client = self.client
        if kind == "saved_tracks":
            return client.saved_tracks(offset=offset)
        if kind == "saved_albums":
            return client.saved_albums(offset=offset)
        if kind == "top_tracks":
            return client.top_tracks(time_range, offset=offset)
        return client.top_artists(time_range, offset=offset)

    def _finish_library(self, run_id: int, task: crawl.Task, time_range: str) -> None:
        kind = _LIBRARY_KIND[task.kind]
        ranked = task.kind in ("top_tracks", "top_artists")
        entries = [
            c.LibraryEntry(
                kind=kind,
                item_id=item.item_id,
                time_range=time_range,
                rank=item.position + 1 if ranked else None,
                happened_at=item.added_at,
            )
            for item in crawl.staged_items(self.catalog, run_id, task.key)
        ]
        if kind != "recent_track":  # play history accumulates across runs
            self.catalog.clear_library(kind, time_range if ranked else None)
        if entries:
            self.catalog.upsert(entries, authoritative=True)
        crawl.drop_staged(self.catalog, run_id, task.key)
        self._summary.library += len(entries)

    # hydration -------------------------------------------------------------------

    def _hydrate(self, playlists: Sequence[str] | None) -> None:
        steps: tuple[tuple[str, Callable[..., list[str]]], ...] = (
            ("track", crawl.pending_tracks),
            ("album", crawl.pending_albums),
            ("artist", crawl.pending_artists),
        )
        for kind, pending in steps:
            ids = pending(self.catalog, self.label, playlists=playlists)
            if not ids:
                continue
            client = self._detect_mode(kind, ids[0])
            self.reporter.start(f"{kind}s", len(ids))
            for start in range(0, len(ids), self.chunk):
                group = ids[start : start + self.chunk]
                self._hydrate_group(client, kind, group)
                self.reporter.advance(f"{kind}s", len(group))

    def _hydrate_group(self, client: Source, kind: str, group: list[str]) -> None:
        records = Records()
        missing: list[str] = []
        found: Sequence[Any]
        if kind == "track":
            found = client.tracks(group)
        elif kind == "album":
            found = client.albums(group)
        else:
            found = client.artists(group)
        for wanted, obj in zip(group, found, strict=True):
            if obj is None:
                missing.append(wanted)
            elif isinstance(obj, s.Track):
                track_records(obj, records, whole=True)
            elif isinstance(obj, s.Album):
                album_record(obj, records)
            else:
                artist_record(obj, records)
        with self.catalog.transaction():
            records.store(self.catalog)
            crawl.mark_fetched(
                self.catalog, kind, [i for i in group if i not in missing], "ok"
            )
            crawl.mark_fetched(self.catalog, kind, missing, "missing")
        count = len(group) - len(missing)
        if kind == "track":
            self._summary.tracks += count
        elif kind == "album":
            self._summary.albums += count
        else:
            self._summary.artists += count
        if missing:
            log.info("%d %ss are no longer on Spotify", len(missing), kind)

    # features --------------------------------------------------------------------

    def _features(self, playlists: Sequence[str] | None) -> None:
        remaining = crawl.pending_features(
            self.catalog, self.label, playlists=playlists
        )
        if not remaining:
            return
        self.reporter.start("audio features", len(remaining))
        for provider in self.providers:
            if not remaining:
                break
            if not provider.available():
                self._summary.features_unavailable.append(provider.name)
                continue
            left: list[str] = []
            for start in range(0, len(remaining), provider.batch):
                group = remaining[start : start + provider.batch]
                rows = provider.features(group)
                if rows is None:
                    self._summary.features_unavailable.append(provider.name)
                    left.extend(remaining[start:])
                    break
                covered = {r.track_id for r in rows}
                with self.catalog.transaction():
                    if rows:
                        self.catalog.upsert(rows, authoritative=True)
                    if provider.name == "spotify":
                        misses = [i for i in group if i not in covered]
                        crawl.mark_fetched(self.catalog, "features", misses, "missing")
                left.extend(i for i in group if i not in covered)
                self._summary.features[provider.name] = self._summary.features.get(
                    provider.name, 0
                ) + len(covered)
                self.reporter.advance("audio features", len(covered))
            remaining = left


def _with_items(record: c.Playlist, items: Sequence[crawl.StagedItem]) -> c.Playlist:
    """``record`` with the staged items as its playlist items."""
    return msgspec.structs.replace(
        record,
        items=[
            c.PlaylistItem(
                position=i.position,
                track_id=i.item_id,
                added_at=i.added_at,
                added_by=i.added_by,
            )
            for i in items
        ],
    )


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """A naive UTC time, as the catalog stores times (whatever the local zone)."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _encode(record: c.Playlist) -> str:
    return msgspec.json.encode(record).decode()


def _not_found(playlist_id: str) -> PlaylistNotFound:
    return PlaylistNotFound(
        playlist_id,
        f"playlist {playlist_id} does not exist, or is one Spotify owns (editorial "
        "and algorithmic playlists are closed to apps since November 2024)",
    )


def _forbidden(playlist_id: str) -> PlaylistForbidden:
    return PlaylistForbidden(
        playlist_id,
        f"Spotify refuses the items of playlist {playlist_id}: development-mode "
        "apps may read only playlists you own or collaborate on",
    )
