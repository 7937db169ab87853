"""The service tests' small catalog world, a test model, and helpers."""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Self

import httpx
import numpy as np
import uvicorn

from segue.catalog import (
    Album,
    Artist,
    Catalog,
    Features,
    Playlist,
    PlaylistItem,
    Track,
)
from segue.catalog.ids import derived_id
from segue.recommend import Query
from segue.serve import Engine, Settings, create_app

if TYPE_CHECKING:
    from segue.emulator.testing import EmulatorServer

N_ARTISTS = 6
PER_ARTIST = 8


def track_id(a: int, k: int) -> str:
    """The id of artist ``a``'s ``k``-th track in the test world."""
    return derived_id("track", f"artist {a}", f"song {k}")


def artist_id(a: int) -> str:
    """The id of artist ``a``."""
    return derived_id("artist", f"artist {a}")


def build_world(path: Path, *, genres: bool = False) -> Path:
    """Write the test world: 6 artists of 8 tracks, 36 playlists of 2 artists each.

    Artists 0-2 are calm (low energy), 3-5 loud (high energy); tracks ``k`` of 6 and
    7 have no features. Playlist ``p`` mixes artists ``p % 6`` and ``(p + 1) % 6``.
    """
    records: list[object] = []
    rng = np.random.default_rng(7)
    for a in range(N_ARTISTS):
        records.append(
            Artist(
                id=artist_id(a),
                name=f"Artist {a}",
                genres=(["calm pop"] if a < 3 else ["loud rock"]) if genres else None,
            )
        )
        album = derived_id("album", f"album {a}")
        records.append(
            Album(
                id=album,
                name=f"Album {a}",
                artist_ids=[artist_id(a)],
                release_date="2001",
            )
        )
        for k in range(PER_ARTIST):
            tid = track_id(a, k)
            records.append(
                Track(
                    id=tid,
                    name=f"Song {a}-{k}",
                    artist_ids=[artist_id(a)],
                    album_id=album,
                    duration_ms=180_000 + 1000 * k,
                    isrc=f"TEST{a:02d}{k:05d}",
                )
            )
            if k < 6:
                base = 0.2 if a < 3 else 0.8
                records.append(
                    Features(
                        track_id=tid,
                        source="test",
                        danceability=float(rng.uniform(0.3, 0.7)),
                        energy=base + 0.02 * k,
                        valence=0.5,
                        acousticness=1.0 - base,
                        tempo=90.0 + 10 * a,
                        loudness=-20.0 + 2 * a,
                        key=k % 12,
                        mode=k % 2,
                        time_signature=4,
                    )
                )
    for p in range(36):
        a, b = p % N_ARTISTS, (p + 1) % N_ARTISTS
        picks = [track_id(a, k) for k in range(p % 4, p % 4 + 4)]
        picks += [track_id(b, k) for k in range(p % 3, p % 3 + 3)]
        records.append(
            Playlist(
                id=f"test:{p}",
                source="test",
                name=f"{'calm' if a < 3 else 'loud'} mix {p}",
                num_tracks=len(picks),
                items=[
                    PlaylistItem(position=i, track_id=t) for i, t in enumerate(picks)
                ],
            )
        )
    with Catalog(path) as catalog:
        catalog.upsert(records)  # type: ignore[arg-type]
    return path


class CooccurrenceModel:
    """A test double of the Model contract: tracks that share playlists with seeds."""

    name = "cooccurrence"

    def fit(
        self,
        catalog: Catalog,
        *,
        exclude_playlists: Collection[str] = (),
        replace_items: Mapping[str, Sequence[str]] | None = None,
    ) -> Self:
        inter = catalog.interactions(exclude_playlists=exclude_playlists)
        self.ids = [str(t) for t in inter.track_ids]
        self.col = {t: i for i, t in enumerate(self.ids)}
        m = inter.matrix
        self.co = (m.T @ m).toarray()
        self.pop = np.asarray(m.sum(axis=0)).ravel()
        return self

    def recommend_batch(
        self, queries: Sequence[Query], n: int = 500
    ) -> list[list[str]]:
        out = []
        for q in queries:
            cols = [self.col[s] for s in q.seeds if s in self.col]
            score = self.co[cols].sum(axis=0) if cols else np.zeros(len(self.ids))
            score = score + 1e-3 * self.pop
            order = np.argsort(-score, kind="stable")
            skip = set(q.seeds) | set(q.exclude)
            out.append([self.ids[i] for i in order if self.ids[i] not in skip][:n])
        return out


def free_port() -> int:
    """A TCP port that is free right now on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serving(
    settings: Settings, engine: Engine, *, spotify: EmulatorServer | None = None
) -> Iterator[tuple[str, Settings]]:
    """The app under uvicorn in a thread on a free port; yields its URL and settings.

    With ``spotify``, the app's base URL is its real one and the emulator stands in
    for Spotify's Web API and accounts service.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    if spotify is not None:
        settings = dataclasses.replace(
            settings,
            base_url=url,
            spotify_client_id=spotify.client_id,
            api_url=spotify.api_url,
            accounts_url=spotify.accounts_url,
        )
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, engine=engine),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
            lifespan="off",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start within 20 s")
        time.sleep(0.02)
    try:
        yield url, settings
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def wait_for(url: str, proc: subprocess.Popen[bytes], seconds: float) -> None:
    """Wait until ``url`` answers 200, or fail if ``proc`` exits first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode() if proc.stdout else ""
            raise RuntimeError(f"the server exited early:\n{out}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@contextmanager
def serve_process(
    world: Path,
    data_dir: Path,
    port: int,
    *,
    workers: int = 1,
    spotify: EmulatorServer | None = None,
) -> Iterator[str]:
    """``segue serve`` of the popularity baseline in a child process; yields its URL.

    The server is killed (SIGKILL) on exit. With ``spotify``, the emulator stands in
    for Spotify's Web API and accounts service.
    """
    env = {**os.environ, "SEGUE_HOME": str(data_dir.parent / "home")}
    for name in ("SPOTIFY_CLIENT_ID", "SPOTIFY_API_URL", "SPOTIFY_ACCOUNTS_URL"):
        env.pop(name, None)
    if spotify is not None:
        env["SPOTIFY_CLIENT_ID"] = spotify.client_id
        env["SPOTIFY_API_URL"] = spotify.api_url
        env["SPOTIFY_ACCOUNTS_URL"] = spotify.accounts_url
    command = [sys.executable, "-m", "segue", "serve", "--db", str(world)]
    command += ["--model", "popularity", "--port", str(port)]
    command += ["--workers", str(workers), "--data-dir", str(data_dir)]
    proc = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: uvicorn and its workers
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/health", proc, 60)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()
