"""``segue demo`` end to end: emulator, PKCE login, collect, train, recommend, save."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from segue.catalog import Catalog
from segue.cli import app
from segue.demo import BUNDLED_CATALOGUE


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    home = tmp_path_factory.mktemp("demo")
    outcome = CliRunner().invoke(
        app, ["demo", "--home", str(home), "-n", "12", "--json"]
    )
    assert outcome.exit_code == 0, outcome.output
    return home, json.loads(outcome.stdout)


def test_bundled_catalogue_is_shipped() -> None:
    assert BUNDLED_CATALOGUE.is_file()
    assert BUNDLED_CATALOGUE.stat().st_size > 1_000_000


def test_demo_recommends_new_songs_of_the_collected_playlist(
    demo: tuple[Path, dict[str, Any]],
) -> None:
    home, result = demo
    ids = [r["id"] for r in result["recommendations"]]
    assert len(ids) == 12
    assert len(set(ids)) == 12
    assert all(r["reason"] for r in result["recommendations"])
    artists = [r["artist"] for r in result["recommendations"]]
    assert max(artists.count(a) for a in artists) <= 3, "the artist cap holds"
    with Catalog(home / "catalog.duckdb", read_only=True) as catalog:
        collected = list(catalog.iter_playlists(source="spotify"))
        mine = next(p for p in collected if p.name == result["playlist"])
        seeds = {i.track_id for i in mine.items or ()}
        assert seeds, "the continued playlist was collected with its items"
        assert not seeds & set(ids), "a seed was recommended"
        assert catalog.known_tracks(ids) == set(ids)
        assert catalog.stats()["sources"]["tidytuesday"] == 471
    assert len(result["new_playlist_id"]) == 22
    assert (home / "model").is_dir()
    assert (home / "login" / "spotify-token.json").stat().st_mode & 0o077 == 0


def test_demo_writes_its_report(demo: tuple[Path, dict[str, Any]]) -> None:
    home, result = demo
    text = Path(result["report_md"]).read_text(encoding="utf-8")
    for row in result["recommendations"]:
        assert row["name"].replace("|", "\\|") in text
    page = Path(result["report_html"]).read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert "audio-profile.png" in page
    assert (home / "audio-profile.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert set(result["timings"]) >= {"log in with PKCE", "train the recommender"}
