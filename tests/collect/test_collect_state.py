"""The crawl state in the catalog, and playlist references, without any client."""

from __future__ import annotations

import datetime as dt

import pytest

from segue.catalog import Catalog, LibraryEntry, Playlist, PlaylistItem, Track, crawl
from segue.collect import InvalidPlaylistRef, parse_playlist_ref

PID = "37i9dQZF1DXcBWIGoYBM5M"


@pytest.mark.parametrize(
    "text",
    [
        PID,
        f"  {PID} ",
        f"spotify:playlist:{PID}",
        f"https://open.spotify.com/playlist/{PID}",
        f"https://open.spotify.com/playlist/{PID}?si=4a1b2c3d4e5f",
        f"https://open.spotify.com/intl-de/playlist/{PID}?si=x&nd=1",
        f"https://open.spotify.com/intl-pt-br/playlist/{PID}",
        f"open.spotify.com/playlist/{PID}",
    ],
)
def test_playlist_refs_in_every_form(text: str) -> None:
    assert parse_playlist_ref(text) == PID


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        PID[:-1],
        PID + "x",
        f"spotify:track:{PID}",
        f"https://open.spotify.com/album/{PID}",
        f"https://example.com/playlist/{PID}",
        "spotify:playlist:",
    ],
)
def test_malformed_playlist_refs(text: str) -> None:
    with pytest.raises(InvalidPlaylistRef, match="not a Spotify playlist"):
        parse_playlist_ref(text)


def test_an_unfinished_run_is_resumed_and_a_finished_one_is_not() -> None:
    with Catalog() as catalog:
        first = crawl.open_run(catalog, "all", "spotify")
        assert not first.resumed
        crawl.add_task(catalog, first.id, "my_playlists", "my_playlists")
        crawl.update_task(catalog, first.id, "my_playlists", cursor="50")
        crawl.set_run_user(catalog, first.id, "ada")
        again = crawl.open_run(catalog, "all", "spotify")
        assert again.resumed
        assert again.id == first.id
        assert again.user_id == "ada"
        task = crawl.task(catalog, again.id, "my_playlists")
        assert task is not None
        assert task.cursor == "50"
        other = crawl.open_run(catalog, f"playlist:{PID}", "spotify")
        assert other.id != first.id
        crawl.finish_run(catalog, first.id)
        assert crawl.tasks(catalog, first.id) == []
        assert not crawl.open_run(catalog, "all", "spotify").resumed


def test_a_playlist_task_with_a_new_snapshot_starts_over() -> None:
    with Catalog() as catalog:
        run = crawl.open_run(catalog, "all", "spotify")
        key = f"playlist:{PID}"
        crawl.add_task(catalog, run.id, key, "playlist", snapshot_id="s1")
        crawl.stage_items(catalog, run.id, key, [crawl.StagedItem(0, "t" * 22)])
        crawl.update_task(catalog, run.id, key, cursor="1")
        same = crawl.add_task(catalog, run.id, key, "playlist", snapshot_id="s1")
        assert same.cursor == "1"
        assert len(crawl.staged_items(catalog, run.id, key)) == 1
        changed = crawl.add_task(catalog, run.id, key, "playlist", snapshot_id="s2")
        assert changed.cursor is None
        assert crawl.staged_items(catalog, run.id, key) == []
        stored = crawl.task(catalog, run.id, key)
        assert stored is not None
        assert (stored.cursor, stored.snapshot_id) == (None, "s2")


def test_staging_a_page_twice_keeps_one_copy() -> None:
    when = dt.datetime(2025, 5, 1, 12, 0)
    page = [crawl.StagedItem(i, f"{i:022d}", when, "ada") for i in range(3)]
    with Catalog() as catalog:
        run = crawl.open_run(catalog, "all", "spotify")
        crawl.stage_items(catalog, run.id, "k", page)
        crawl.stage_items(catalog, run.id, "k", page)
        assert crawl.staged_items(catalog, run.id, "k") == page
        crawl.drop_staged(catalog, run.id, "k")
        assert crawl.staged_items(catalog, run.id, "k") == []


def test_pending_objects_are_what_is_referenced_and_not_fetched() -> None:
    with Catalog() as catalog:
        catalog.upsert(
            [
                Track(id="a" * 22, name="A", album_id="x" * 22, artist_ids=["r" * 22]),
                Track(id="b" * 22, name="B", album_id="y" * 22, artist_ids=["s" * 22]),
                Track(id="c" * 22, name="C", album_id="z" * 22),
                Playlist(
                    id=PID,
                    source="spotify",
                    items=[PlaylistItem(position=0, track_id="a" * 22)],
                ),
                Playlist(
                    id="other:1",
                    source="mpd",
                    items=[PlaylistItem(position=0, track_id="c" * 22)],
                ),
                LibraryEntry(kind="saved_track", item_id="b" * 22),
                LibraryEntry(kind="followed_artist", item_id="f" * 22),
            ]
        )
        assert crawl.pending_tracks(catalog, "spotify") == ["a" * 22, "b" * 22]
        assert crawl.pending_tracks(catalog, "spotify", playlists=[PID]) == ["a" * 22]
        assert crawl.pending_albums(catalog, "spotify") == ["x" * 22, "y" * 22]
        assert crawl.pending_artists(catalog, "spotify") == [
            "f" * 22,
            "r" * 22,
            "s" * 22,
        ]
        assert crawl.pending_artists(catalog, "spotify", playlists=[PID]) == ["r" * 22]
        crawl.mark_fetched(catalog, "track", ["a" * 22])
        crawl.mark_fetched(catalog, "track", ["b" * 22], "missing")
        assert crawl.pending_tracks(catalog, "spotify") == []
        assert crawl.fetched(catalog, "track") == {"a" * 22: "ok", "b" * 22: "missing"}
        assert crawl.pending_tracks(catalog, "spotify", limit=1) == []
        assert crawl.pending_features(catalog, "spotify") == ["a" * 22, "b" * 22]
