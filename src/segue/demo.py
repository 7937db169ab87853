"""``segue demo``: the whole of segue, offline, on the built-in song catalogue.

The demo plays both sides of the story on loopback:

1. "Spotify": the bundled TidyTuesday catalogue (28,356 real tracks with audio features
   and the 471 playlists they came from) served by :mod:`segue.emulator`, with a demo
   user who owns a few playlists;
2. the user: logs in with PKCE (the emulator approves the demo user at once, so the
   redirect is followed the way a browser would), collects their music into a catalog
   with :mod:`segue.collect`, trains :class:`~segue.recommend.Recommender` on that
   catalog plus the public playlists, continues their playlist, saves the continuation
   as a new playlist through :mod:`segue.spotify`, and writes a short report.

Nothing leaves the machine and no Spotify account is needed. This module is wiring, like
:mod:`segue.cli`, so it may import every other part of segue.
"""

from __future__ import annotations

import contextlib
import html
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from segue import __version__
from segue.catalog import FEATURE_NAMES, Catalog

__all__ = ["BUNDLED_CATALOGUE", "DemoResult", "run"]

log = logging.getLogger("segue")

BUNDLED_CATALOGUE = Path(__file__).resolve().parent / "data" / "spotify_songs.csv.gz"
"""The TidyTuesday "Spotify songs" table (MIT), shipped with segue."""

_SOURCE = "tidytuesday"
_WRITE_SCOPES = ("playlist-modify-private", "playlist-modify-public")
_PROFILE = ("danceability", "energy", "valence", "acousticness", "speechiness")

Step = Callable[[str], contextlib.AbstractContextManager[None]]


@dataclass
class DemoResult:
    """What the demo did and where it wrote its report.

    Attributes
    ----------
    home
        The folder holding the demo's catalogs, login, model and report.
    report_md, report_html
        The report, as Markdown and as a self-contained HTML page.
    playlist
        Name of the demo user's playlist that was continued.
    new_playlist_id
        Id, in the emulator, of the playlist the continuation was saved as.
    recommendations
        One dict per recommended track: ``id``, ``name``, ``artist``, ``reason``.
    timings
        Seconds per step.
    """

    home: Path
    report_md: Path
    report_html: Path
    playlist: str
    new_playlist_id: str
    recommendations: list[dict[str, str]]
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data."""
        return {
            "home": str(self.home),
            "report_md": str(self.report_md),
            "report_html": str(self.report_html),
            "playlist": self.playlist,
            "new_playlist_id": self.new_playlist_id,
            "recommendations": self.recommendations,
            "timings": {k: round(v, 2) for k, v in self.timings.items()},
        }


@contextlib.contextmanager
def _quiet_step(name: str) -> Iterator[None]:
    yield


def run(home: Path, *, n: int = 20, step: Step | None = None) -> DemoResult:
    """Run the demo end to end.

    Parameters
    ----------
    home
        Folder for everything the demo writes; created when missing. Running again
        reuses the catalogs it built.
    n
        How many tracks to recommend.
    step
        Wraps each step (a progress display, say); called with the step's name.

    Returns
    -------
    DemoResult
    """
    from segue.collect import Collector
    from segue.collect.session import SCOPES, Session, connector
    from segue.emulator.testing import EmulatorServer
    from segue.recommend import Recommender
    from segue.spotify import Spotify, login

    home.mkdir(parents=True, exist_ok=True)
    wrap = step or _quiet_step
    timings: dict[str, float] = {}

    @contextlib.contextmanager
    def timed(name: str) -> Iterator[None]:
        started = time.perf_counter()
        with wrap(name):
            yield
        timings[name] = time.perf_counter() - started
        log.info("demo: %s took %.1fs", name, timings[name])

    with timed("load the built-in catalogue"):
        _ensure_catalogue(home / "spotify-world.duckdb")
        _ensure_catalogue(home / "catalog.duckdb")

    world = Catalog(home / "spotify-world.duckdb", read_only=True)
    with world, EmulatorServer(world) as server:
        session = Session(
            client_id=server.client_id,
            api_url=server.api_url,
            accounts_url=server.accounts_url,
            home=home / "login",
        )
        with timed("log in with PKCE"):
            login(
                session.client_id,
                (*SCOPES, *_WRITE_SCOPES),
                store=session.store(),
                accounts_base=session.accounts_url,
                open_url=_follow_redirects,
                timeout=30,
            )

        with Catalog(home / "catalog.duckdb") as catalog:
            with (
                timed("collect the user's music"),
                Collector(catalog, connector(session)) as collector,
            ):
                collector.collect()
            playlist = _own_playlist(catalog)
            seeds = [i.track_id for i in playlist.items or ()]

            with timed("train the recommender"):
                model = Recommender(random_state=0).fit(catalog)
                model.save(home / "model")

            with timed("recommend"):
                # varied artists, as `segue recommend` gives by default
                model.max_per_artist, model.artist_window = 3, 20
                recs = model.recommend(seeds, title=playlist.name, n=n)
            table = catalog.track_table(recs.track_ids)
            rows = [
                {
                    "id": str(table.id[i]),
                    "name": str(table.name[i]),
                    "artist": str(table.artist_name[i]),
                    "reason": recs.reasons[i],
                }
                for i in range(len(recs))
            ]

            with (
                timed("save the continuation to Spotify"),
                Spotify(
                    session.auth(),
                    api_base=session.api_url,
                    accounts_base=session.accounts_url,
                ) as client,
            ):
                created = client.create_playlist(
                    f"{playlist.name} (continued by segue)",
                    public=False,
                    description=f"{len(rows)} songs that continue "
                    f"'{playlist.name}', chosen by segue {__version__}",
                )
                client.playlist_add_items(
                    created.id, [f"spotify:track:{r['id']}" for r in rows]
                )

            with timed("write the report"):
                seed_features = catalog.feature_matrix(seeds)
                rec_features = catalog.feature_matrix(recs.track_ids)
                md, page = _write_report(
                    home,
                    playlist.name or "",
                    rows,
                    seed_features,
                    rec_features,
                    timings,
                )
    return DemoResult(
        home=home,
        report_md=md,
        report_html=page,
        playlist=playlist.name or "",
        new_playlist_id=created.id,
        recommendations=rows,
        timings=timings,
    )


def _ensure_catalogue(path: Path) -> None:
    """Import the bundled table into ``path`` unless an earlier run already did."""
    from segue.catalog import features

    with Catalog(path) as catalog:
        if _SOURCE in catalog.sources():
            return
        features.import_files(catalog, [BUNDLED_CATALOGUE], source=_SOURCE)


def _follow_redirects(url: str) -> None:
    """Play the browser: open the authorize URL and follow it to the loopback
    redirect server, as the emulator approves its test user at once."""
    with httpx.Client(follow_redirects=True, timeout=10) as browser:
        browser.get(url).raise_for_status()


def _own_playlist(catalog: Catalog) -> Any:
    """The demo user's longest playlist among those just collected."""
    best = None
    for playlist in catalog.iter_playlists(source="spotify"):
        if playlist.owner_id != "demo" or not playlist.items:
            continue
        if best is None or len(playlist.items) > len(best.items or ()):
            best = playlist
    if best is None:
        raise RuntimeError("the demo user owns no playlist with tracks")
    return best


def _write_report(
    home: Path,
    name: str,
    rows: list[dict[str, str]],
    seed_features: np.ndarray[Any, np.dtype[np.float64]],
    rec_features: np.ndarray[Any, np.dtype[np.float64]],
    timings: dict[str, float],
) -> tuple[Path, Path]:
    """Write report.md, report.html and the audio-profile plot; return both files."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    columns = [FEATURE_NAMES.index(f) for f in _PROFILE]
    with np.errstate(all="ignore"):
        seeds_mean = np.nanmean(seed_features[:, columns], axis=0)
        recs_mean = np.nanmean(rec_features[:, columns], axis=0)

    figure, axes = plt.subplots(figsize=(6, 3))
    x = np.arange(len(_PROFILE))
    axes.bar(x - 0.2, seeds_mean, 0.4, label="the playlist")
    axes.bar(x + 0.2, recs_mean, 0.4, label="segue's continuation")
    axes.set_xticks(x, _PROFILE)
    axes.set_ylim(0, 1)
    axes.set_title("Audio profile (mean of each feature)")
    axes.legend(loc="upper right", fontsize=8)
    figure.tight_layout()
    plot = home / "audio-profile.png"
    figure.savefig(plot, dpi=100)
    plt.close(figure)

    lines = [
        f"# segue demo: continuing '{name}'",
        "",
        f"segue {__version__} logged in to an offline Spotify (the built-in "
        "catalogue), collected the demo user's music, trained its recommender and "
        f"saved these {len(rows)} songs as a new playlist.",
        "",
        "| # | track | artist | why |",
        "| --- | --- | --- | --- |",
    ]
    for i, row in enumerate(rows, 1):
        cells = (row["name"], row["artist"], row["reason"])
        safe = [c.replace("|", "\\|") for c in cells]
        lines.append(f"| {i} | {safe[0]} | {safe[1]} | {safe[2]} |")
    lines += ["", "![audio profile](audio-profile.png)", "", "## Time per step", ""]
    lines += [f"- {k}: {v:.1f} s" for k, v in timings.items()]
    md = home / "report.md"
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")

    body = "".join(
        f"<tr><td>{i}</td><td>{html.escape(r['name'])}</td>"
        f"<td>{html.escape(r['artist'])}</td><td>{html.escape(r['reason'])}</td></tr>"
        for i, r in enumerate(rows, 1)
    )
    steps = "".join(f"<li>{html.escape(k)}: {v:.1f} s</li>" for k, v in timings.items())
    page = home / "report.html"
    page.write_text(
        "<!doctype html><html lang='en'><meta charset='utf-8'>"
        f"<title>segue demo: {html.escape(name)}</title>"
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}"
        "td,th{padding:.2rem .6rem;text-align:left}</style>"
        f"<h1>segue demo: continuing '{html.escape(name)}'</h1>"
        "<table><tr><th>#</th><th>track</th><th>artist</th><th>why</th></tr>"
        f"{body}</table><img src='audio-profile.png' alt='audio profile'>"
        f"<h2>Time per step</h2><ul>{steps}</ul></html>\n",
        encoding="utf-8",
    )
    return md, page
