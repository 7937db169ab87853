"""The study over HTTP in process: participants, isolation, the owner, no leaks."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from serve_world import track_id

from segue.serve import Engine, Settings, create_app
from segue.serve.study import create_study

SEEDS = [track_id(0, 0), track_id(0, 1), track_id(1, 0)]


@pytest.fixture
def study(settings: Settings) -> tuple[str, str]:
    created, token = create_study(settings.data_dir, "Friends", list_size=5)
    return created.id, token


def _start(client: TestClient, study_id: str) -> dict[str, object]:
    response = client.post(
        f"/study/{study_id}/api/trials", json={"tracks": SEEDS, "title": "mine"}
    )
    assert response.status_code == 200, response.text
    trial: dict[str, object] = response.json()
    return trial


def test_participant_flow(
    client: TestClient, settings: Settings, study: tuple[str, str]
) -> None:
    study_id, _ = study
    page = client.get(f"/study/{study_id}")
    assert page.status_code == 200
    assert "Listening study" in page.text
    info = client.get(f"/study/{study_id}/api/info").json()
    assert info == {
        "name": "Friends",
        "list_size": 5,
        "paste_suggestions": False,
        "spotify_enabled": False,
    }
    trial = _start(client, study_id)
    left = trial["left"]
    right = trial["right"]
    assert isinstance(left, list)
    assert isinstance(right, list)
    assert len(left) == len(right) == 5
    assert "sources" not in trial
    assert "segue" not in str(trial)
    assert "popularity" not in str(trial)
    tid = trial["id"]
    first = left[0]["id"]
    r = client.post(
        f"/study/{study_id}/api/trials/{tid}/ratings",
        json={"side": "left", "track": first, "rating": "like"},
    )
    assert r.status_code == 200
    assert client.post(
        f"/study/{study_id}/api/trials/{tid}/choice", json={"side": "right"}
    ).json() == {"saved": True}
    # the answers are in the study's SQLite file right away
    path = settings.data_dir / "studies" / f"{study_id}.sqlite3"
    with sqlite3.connect(path) as con:
        ratings = con.execute("SELECT track_id, rating FROM ratings").fetchall()
        choices = con.execute("SELECT side FROM choices").fetchall()
    con.close()
    assert ratings == [(first, 1)]
    assert choices == [("right",)]
    mine = client.get(f"/study/{study_id}/api/trials/{tid}").json()
    assert mine["ratings"] == {f"left:{first}": "like"}
    assert mine["choice"] == "right"
    assert "sources" not in mine


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"tracks": ["nope"]}, "is not a Spotify track id"),
        ({"tracks": ["0" * 22]}, "none of these tracks is known"),
        ({"tracks": SEEDS, "title": "x" * 201}, "invalid request"),
        ({"tracks": SEEDS, "extra": 1}, "invalid request"),
        ({"spotify_playlist": "abc"}, "log in with Spotify first"),
    ],
)
def test_bad_trials(
    client: TestClient, study: tuple[str, str], body: dict[str, object], message: str
) -> None:
    response = client.post(f"/study/{study[0]}/api/trials", json=body)
    assert response.status_code in (400, 401)
    assert message in response.json()["error"]["message"]


def test_participants_see_only_their_own(
    client: TestClient,
    settings: Settings,
    engine: Engine,
    study: tuple[str, str],
) -> None:
    study_id, _ = study
    trial = _start(client, study_id)
    tid = trial["id"]
    with TestClient(create_app(settings, engine=engine)) as other:
        assert other.get(f"/study/{study_id}/api/trials/{tid}").status_code == 404
        left = trial["left"]
        assert isinstance(left, list)
        r = other.post(
            f"/study/{study_id}/api/trials/{tid}/ratings",
            json={"side": "left", "track": left[0]["id"], "rating": "like"},
        )
        assert r.status_code == 404
        r = other.post(
            f"/study/{study_id}/api/trials/{tid}/choice", json={"side": "left"}
        )
        assert r.status_code == 404
        # a trial of its own does not open the other's either
        _start(other, study_id)
        assert other.get(f"/study/{study_id}/api/trials/{tid}").status_code == 404
        assert other.get(f"/study/{study_id}/api/report").status_code == 401


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/study/doesnotexist1/api/info", "no such study"),
        ("/study/short/api/info", "no such study"),
        ("/study/..%2F..%2Fetc/api/info", "Not Found"),  # no route matches
    ],
)
def test_unknown_studies(client: TestClient, path: str, message: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"error": {"status": 404, "message": message}}


def test_owner_pages_and_no_token_leaks(
    client: TestClient,
    settings: Settings,
    engine: Engine,
    study: tuple[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    study_id, token = study
    trial = _start(client, study_id)
    client.post(
        f"/study/{study_id}/api/trials/{trial['id']}/choice", json={"side": "left"}
    )
    pages = []
    with TestClient(create_app(settings, engine=engine)) as owner:
        form = owner.get(f"/study/{study_id}/owner")
        assert "Owner token" in form.text
        pages.append(form.text)
        wrong = owner.post(
            f"/study/{study_id}/owner",
            content=b"token=guess",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert wrong.status_code == 401
        assert owner.get(f"/study/{study_id}/api/report").status_code == 401
        right = owner.post(
            f"/study/{study_id}/owner",
            content=f"token={token}".encode(),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert right.status_code == 200  # followed the redirect to the results
        assert "1 judgements" in right.text
        pages.append(right.text)
        report = owner.get(f"/study/{study_id}/api/report").json()
        assert report["judgements"] == 1
        pages.append(str(report))
        for cookie in owner.cookies.values():
            assert token not in cookie
    bearer = client.get(
        f"/study/{study_id}/api/report", headers={"Authorization": f"Bearer {token}"}
    )
    assert bearer.status_code == 200
    pages.append(bearer.text)
    for text in pages:
        assert token not in text
    assert token not in caplog.text
    for record in caplog.records:
        assert token not in str(record.args)


def test_spotify_pasted_baseline(client: TestClient, settings: Settings) -> None:
    created, _ = create_study(
        settings.data_dir, "vs Spotify", baseline="spotify-pasted", list_size=3
    )
    path = f"/study/{created.id}/api/trials"
    assert client.get(f"/study/{created.id}/api/info").json()["paste_suggestions"]
    too_few = client.post(path, json={"tracks": SEEDS, "suggestions": SEEDS[:1]})
    assert too_few.status_code == 400
    pasted = [track_id(4, k) for k in range(4)]
    trial = client.post(path, json={"tracks": SEEDS, "suggestions": pasted}).json()
    sides = [t["id"] for t in trial["left"]], [t["id"] for t in trial["right"]]
    assert pasted[:3] in sides
    stored = created.trial(_participant_of(settings.data_dir, created.id), trial["id"])[
        "sources"
    ]
    assert set(stored.values()) == {"segue", "spotify"}


def _participant_of(data_dir: Path, study_id: str) -> str:
    with sqlite3.connect(data_dir / "studies" / f"{study_id}.sqlite3") as con:
        row = con.execute("SELECT id FROM participants").fetchone()
    con.close()
    return str(row[0])


def test_sides_are_randomised(client: TestClient, settings: Settings) -> None:
    created, _ = create_study(settings.data_dir, "Sides", list_size=3)
    for _ in range(20):
        _start(client, created.id)
    con = sqlite3.connect(created.path)
    try:
        lefts = [r[0] for r in con.execute("SELECT left_source FROM trials")]
    finally:
        con.close()
    # all 20 on one side has probability 2 / 2**20
    assert 0 < lefts.count("segue") < 20
    assert set(lefts) == {"segue", "popularity"}
