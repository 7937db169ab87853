"""The page and the study in a real headless Chromium (Debian's), via playwright.

Skipped, saying so, where ``/usr/bin/chromium`` (or ``$SEGUE_CHROMIUM``) is absent.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_world import serving, track_id

from segue.serve import Engine, Settings
from segue.serve.study import create_study

CHROMIUM = Path(os.environ.get("SEGUE_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.is_file(),
        reason=f"no Chromium at {CHROMIUM} (apt install chromium, or set "
        "SEGUE_CHROMIUM): browser tests skipped",
    ),
]


@pytest.fixture
def live(settings: Settings, engine: Engine) -> Iterator[str]:
    """The app under uvicorn in a thread."""
    with serving(settings, engine) as (url, _):
        yield url


@pytest.fixture
def page(live: str) -> Iterator[object]:
    """A fresh browser page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context()
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        yield tab
        context.close()
        browser.close()
        assert errors == [], f"JavaScript errors: {errors}"


def test_page_continues_a_catalog_playlist(live: str, page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(live + "/")
    page.fill("#search", "loud mix 3")
    item = page.locator("#catalog li", has_text="loud mix 3 ·")
    expect(item).to_have_count(1)
    item.click()
    page.fill("#n", "6")
    page.click("#go")
    rows = page.locator("#results li")
    expect(rows).to_have_count(6)
    expect(rows.first.locator(".reason")).not_to_be_empty()
    bars = page.locator("#profile-chart rect")
    expect(bars).to_have_count(7)
    energy = float(
        page.locator('#profile-chart rect[data-feature="energy"]').get_attribute(
            "width"
        )
        or 0
    )
    calm = float(
        page.locator('#profile-chart rect[data-feature="acousticness"]').get_attribute(
            "width"
        )
        or 0
    )
    assert energy > calm > 0  # a loud playlist: high energy, little acousticness
    expect(page.locator("#savebox")).to_be_hidden()  # no Spotify app configured


def test_page_shows_errors(live: str, page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(live + "/")
    page.fill("#pasted", "this is not a link")
    page.click("#go")
    expect(page.locator("#error")).to_contain_text("is not a Spotify track id")


def test_study_in_the_browser(live: str, page: object, settings: Settings) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    study, token = create_study(settings.data_dir, "Browser study", list_size=4)
    page.goto(f"{live}/study/{study.id}")
    expect(page.locator("#name")).to_have_text("Browser study")
    links = [f"https://open.spotify.com/track/{track_id(2, k)}" for k in range(4)]
    page.fill("#pasted", "\n".join(links))
    page.fill("#title", "my calm list")
    page.click("#start")
    expect(page.locator("#left li")).to_have_count(4)
    expect(page.locator("#right li")).to_have_count(4)
    for side in ("left", "right"):
        for n in range(4):
            rating = ("like", "neutral", "dislike", "like")[n]
            button = (
                page.locator(f"#{side} li")
                .nth(n)
                .locator(f'button[data-rating="{rating}"]')
            )
            button.click()
            expect(button).to_have_class("on")
    page.click("#pick-right")
    expect(page.locator("#thanks")).to_contain_text("saved")
    assert token not in page.content()

    con = sqlite3.connect(study.path)
    try:
        ratings = con.execute("SELECT side, rating FROM ratings").fetchall()
        choices = con.execute("SELECT side, source FROM choices").fetchall()
    finally:
        con.close()
    assert sorted(ratings) == sorted(
        (side, r) for side in ("left", "right") for r in (1, 0, -1, 1)
    )
    assert len(choices) == 1
    assert choices[0][0] == "right"
    assert choices[0][1] in {"segue", "popularity"}


def test_save_to_spotify_in_the_browser(settings: Settings, engine: Engine) -> None:
    from playwright.sync_api import expect, sync_playwright

    from segue.emulator.testing import EmulatorServer

    with (
        EmulatorServer(engine.catalog, seed=5) as emulator,
        serving(settings, engine, spotify=emulator) as (_, linked),
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        page.set_default_timeout(20_000)
        page.goto(linked.base_url + "/")
        page.fill("#search", "calm mix 1")
        page.locator("#catalog li", has_text="calm mix 1 ·").click()
        page.fill("#n", "5")
        page.click("#go")
        expect(page.locator("#results li")).to_have_count(5)
        login = page.locator("#login")
        expect(login).to_be_visible()
        login.click()  # emulator approves at once and sends us back
        page.wait_for_url(linked.base_url + "/")
        page.wait_for_load_state("networkidle")
        page.fill("#search", "calm mix 1")
        page.locator("#catalog li", has_text="calm mix 1 ·").click()
        page.click("#go")
        expect(page.locator("#save")).to_be_visible()
        page.fill("#savename", "from the browser")
        page.click("#save")
        expect(page.locator("#saved-link")).to_have_text("from the browser")
        html = page.content()
        cookies = [c.get("value", "") for c in page.context.cookies()]
        browser.close()
    con = sqlite3.connect(settings.data_dir / "sessions.sqlite3")
    try:
        (stored,) = con.execute("SELECT token FROM tokens").fetchone()
    finally:
        con.close()
    access = stored.split('"access_token": "')[1].split('"')[0]
    assert access not in html
    assert all(access not in c for c in cookies)
