"""The JSON API in process: Spotify's old recommendations endpoint and continuations."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from serve_world import artist_id, track_id

from segue.serve.api import (
    INVALID_LIMIT,
    INVALID_REQUEST,
    NO_SEEDS,
    TOO_MANY_SEEDS,
    UNSUPPORTED_HEADER,
)

T0, T1, T2 = track_id(0, 0), track_id(0, 1), track_id(3, 0)
A0, A4 = artist_id(0), artist_id(4)
SIX = ",".join(track_id(0, k) for k in range(6))


def _error(status: int, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "message": message}}


@pytest.mark.parametrize(
    ("path", "params", "status", "body"),
    [
        ("/v1/recommendations", {}, 400, _error(400, NO_SEEDS)),
        ("/v1/recommendations", {"seed_tracks": ""}, 400, _error(400, NO_SEEDS)),
        ("/v1/recommendations", {"seed_tracks": " , "}, 400, _error(400, NO_SEEDS)),
        ("/v1/recommendations", {"seed_tracks": SIX}, 400, _error(400, TOO_MANY_SEEDS)),
        (
            "/v1/recommendations",
            {
                "seed_tracks": f"{T0},{T1},{T2}",
                "seed_artists": f"{A0},{A4}",
                "seed_genres": "rock",
            },
            400,
            _error(400, TOO_MANY_SEEDS),
        ),
        (
            "/v1/recommendations",
            {"seed_tracks": "abc"},
            400,
            _error(400, INVALID_REQUEST),
        ),
        (
            "/v1/recommendations",
            {"seed_tracks": T0 + "x"},
            400,
            _error(400, INVALID_REQUEST),
        ),
        (
            "/v1/recommendations",
            {"seed_artists": "spotify:artist:" + A0},
            400,
            _error(400, INVALID_REQUEST),
        ),
        (
            "/v1/recommendations",
            {"seed_genres": "<script>"},
            400,
            _error(400, INVALID_REQUEST),
        ),
        (
            "/v1/recommendations",
            {"seed_tracks": T0, "limit": "0"},
            400,
            _error(400, INVALID_LIMIT),
        ),
        (
            "/v1/recommendations",
            {"seed_tracks": T0, "limit": "101"},
            400,
            _error(400, INVALID_LIMIT),
        ),
        (
            "/v1/recommendations",
            {"seed_tracks": T0, "limit": "ten"},
            400,
            _error(400, INVALID_LIMIT),
        ),
        (
            "/v1/recommendations",
            {"seed_tracks": T0, "market": "usa"},
            400,
            _error(400, "Invalid market code"),
        ),
        (
            "/v1/recommendations",
            {"seed_tracks": T0, "min_energy": "high"},
            400,
            _error(400, "Invalid value for min_energy: not a number"),
        ),
        (
            "/v1/recommendations",
            {"seed_tracks": T0, "max_valence": "1.5"},
            400,
            _error(400, "Invalid value for max_valence: out of range"),
        ),
        (
            "/v1/recommendations",
            {"seed_tracks": T0, "target_key": "2.5"},
            400,
            _error(400, "Invalid value for target_key: must be an integer"),
        ),
        (
            "/v1/recommendations",
            {"seed_tracks": T0, "min_tempo": "nan"},
            400,
            _error(400, "Invalid value for min_tempo: out of range"),
        ),
        (
            "/v1/recommendations",
            {"seed_tracks": T0, "min_energy": "0.8", "max_energy": "0.2"},
            400,
            _error(400, "min_energy must not be greater than max_energy"),
        ),
        ("/v1/nothing", {}, 404, _error(404, "Not Found")),
    ],
)
def test_get_errors_match_spotify(
    client: TestClient,
    path: str,
    params: dict[str, str],
    status: int,
    body: dict[str, Any],
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    assert response.json() == body


def test_recommendations_shape(client: TestClient) -> None:
    response = client.get(
        "/v1/recommendations", params={"seed_tracks": T0, "limit": "7"}
    )
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"seeds", "tracks"}
    assert UNSUPPORTED_HEADER.lower() not in response.headers
    seed = data["seeds"][0]
    assert seed["id"] == T0
    assert seed["type"] == "TRACK"
    assert seed["href"].endswith(f"/v1/tracks/{T0}")
    assert seed["initialPoolSize"] >= seed["afterFilteringSize"] > 0
    tracks = data["tracks"]
    assert len(tracks) == 7
    ids = [t["id"] for t in tracks]
    assert T0 not in ids
    assert len(set(ids)) == 7
    first = tracks[0]
    assert first["uri"] == f"spotify:track:{first['id']}"
    assert first["type"] == "track"
    assert first["artists"][0]["type"] == "artist"
    assert first["artists"][0]["uri"].startswith("spotify:artist:")
    assert first["album"]["type"] == "album"
    assert first["external_ids"]["isrc"].startswith("TEST")
    assert isinstance(first["duration_ms"], int)
    # the test model follows co-occurrence: artist 0's seed brings artists 0, 1, 5
    neighbours = {artist_id(0), artist_id(1), artist_id(5)}
    assert tracks[0]["artists"][0]["id"] in neighbours


def test_default_limit_is_20(client: TestClient) -> None:
    data = client.get("/v1/recommendations", params={"seed_tracks": T0}).json()
    assert len(data["tracks"]) == 20


def test_artist_seed_brings_the_artist(client: TestClient) -> None:
    data = client.get(
        "/v1/recommendations", params={"seed_artists": A4, "limit": "10"}
    ).json()
    assert data["seeds"][0]["type"] == "ARTIST"
    artists = [t["artists"][0]["id"] for t in data["tracks"]]
    assert A4 in artists


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"min_energy": "0.5"}, lambda e: e >= 0.5),
        ({"max_energy": "0.5"}, lambda e: e <= 0.5),
        ({"min_energy": "0.25", "max_energy": "0.3"}, lambda e: 0.25 <= e <= 0.3),
    ],
)
def test_bounds_filter_by_features(
    client: TestClient, engine: Any, params: dict[str, str], check: Any
) -> None:
    data = client.get(
        "/v1/recommendations", params={"seed_tracks": T0, "limit": "100", **params}
    ).json()
    ids = [t["id"] for t in data["tracks"]]
    assert ids, "the world has tracks in every tested range"
    energy = engine.feature_rows(ids)[:, 1]
    assert all(check(float(e)) for e in energy)
    unfiltered = client.get(
        "/v1/recommendations", params={"seed_tracks": T0, "limit": "100"}
    ).json()
    assert len(unfiltered["tracks"]) > len(ids)
    assert data["seeds"][0]["afterFilteringSize"] == len(ids)


def test_target_reorders_towards_value(client: TestClient, engine: Any) -> None:
    low = client.get(
        "/v1/recommendations",
        params={"seed_tracks": T0, "limit": "10", "target_energy": "0.2"},
    ).json()
    high = client.get(
        "/v1/recommendations",
        params={"seed_tracks": T0, "limit": "10", "target_energy": "0.9"},
    ).json()
    e_low = engine.feature_rows([t["id"] for t in low["tracks"]])[:, 1]
    e_high = engine.feature_rows([t["id"] for t in high["tracks"]])[:, 1]
    assert e_low[0] < 0.5 < e_high[0]


@pytest.mark.parametrize(
    ("params", "unsupported"),
    [
        ({"min_popularity": "50"}, "popularity"),
        ({"target_speechiness": "0.1"}, "speechiness"),
        ({"market": "US"}, "market"),
        ({"seed_genres": "rock"}, "seed_genres"),
    ],
)
def test_unsupported_tunables_are_reported(
    client: TestClient, params: dict[str, str], unsupported: str
) -> None:
    response = client.get(
        "/v1/recommendations", params={"seed_tracks": T0, "limit": "5", **params}
    )
    assert response.status_code == 200
    assert unsupported in response.headers[UNSUPPORTED_HEADER].split(",")
    warnings = response.json()["warnings"]
    assert any(unsupported in w for w in warnings)
    assert len(response.json()["tracks"]) == 5


def test_unknown_seed_is_reported_with_empty_pool(client: TestClient) -> None:
    unknown = "0" * 22
    data = client.get(
        "/v1/recommendations", params={"seed_tracks": f"{unknown},{T0}"}
    ).json()
    pools = {s["id"]: s["initialPoolSize"] for s in data["seeds"]}
    assert pools[unknown] == 0
    assert pools[T0] > 0
    assert any(unknown in w for w in data["warnings"])
    only = client.get("/v1/recommendations", params={"seed_tracks": unknown}).json()
    assert only["tracks"] == []


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({}, 400, "give either playlist_id or tracks (and a title)"),
        (
            {"playlist_id": "test:1", "tracks": [T0]},
            400,
            "give either playlist_id or tracks (and a title)",
        ),
        ({"playlist_id": "test:999"}, 404, "no playlist 'test:999' in the catalog"),
        ({"playlist_id": "bad id!"}, 400, "invalid playlist id"),
        ({"tracks": []}, 400, "give at least one track or a title"),
        (
            {"tracks": ["not-a-track"]},
            400,
            "track 1 ('not-a-track') is not a Spotify track id, URI or link",
        ),
        ({"tracks": [T0], "n": 0}, 400, None),
        ({"tracks": [T0], "n": 101}, 400, None),
        ({"tracks": [T0], "title": "x" * 201}, 400, None),
        ({"tracks": [T0] * 501}, 400, None),
        ({"tracks": [T0], "diversity": 2}, 400, None),
        ({"tracks": [T0], "colour": "red"}, 400, None),
    ],
)
def test_continuation_errors(
    client: TestClient, body: dict[str, Any], status: int, message: str | None
) -> None:
    response = client.post("/v1/continuations", json=body)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["status"] == status
    if message is not None:
        assert error["message"] == message
    else:
        assert error["message"].startswith("invalid request: ")


def test_continuation_of_a_catalog_playlist(client: TestClient) -> None:
    data = client.post(
        "/v1/continuations", json={"playlist_id": "test:3", "n": 8}
    ).json()
    assert data["playlist"] == {"id": "test:3", "name": "loud mix 3", "tracks": 7}
    assert len(data["tracks"]) == 8
    assert all(item["reason"] for item in data["tracks"])
    assert data["profile"]["tracks"] == 7
    assert data["profile"]["with_features"] == 6
    assert data["profile"]["energy"] > 0.7  # artists 3 and 4 are loud


def test_continuation_of_pasted_links(client: TestClient) -> None:
    refs = [
        f"https://open.spotify.com/track/{T0}?si=abc",
        f"spotify:track:{T1}",
        "0" * 22,
    ]
    data = client.post(
        "/v1/continuations", json={"tracks": refs, "title": "mine", "n": 5}
    ).json()
    ids = [item["track"]["id"] for item in data["tracks"]]
    assert len(ids) == 5
    assert T0 not in ids
    assert T1 not in ids
    assert data["seeds"] == {"count": 3, "unknown": ["0" * 22]}
    assert data["warnings"] == ["1 of 3 tracks are not in the catalog"]


@pytest.mark.parametrize("cap", [1, 2])
def test_max_per_artist(client: TestClient, cap: int) -> None:
    data = client.post(
        "/v1/continuations",
        json={"playlist_id": "test:0", "n": 6, "max_per_artist": cap},
    ).json()
    artists = [item["track"]["artists"][0]["id"] for item in data["tracks"]]
    assert max(artists.count(a) for a in set(artists)) <= cap
    assert len(artists) == min(6, 6 * cap)


def test_diversity_spreads_artists(client: TestClient) -> None:
    plain = client.post(
        "/v1/continuations", json={"playlist_id": "test:0", "n": 6}
    ).json()
    spread = client.post(
        "/v1/continuations", json={"playlist_id": "test:0", "n": 6, "diversity": 1}
    ).json()

    def artists(d: dict[str, Any]) -> int:
        return len({i["track"]["artists"][0]["id"] for i in d["tracks"]})

    assert artists(spread) > artists(plain)


def test_health_and_metrics(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"
    client.get("/v1/recommendations", params={"seed_tracks": T0})
    client.get("/v1/recommendations")
    text = client.get("/metrics").text
    assert (
        'segue_requests_total{method="GET",route="/v1/recommendations",status="200"} 1'
        in text
    )
    assert (
        'segue_requests_total{method="GET",route="/v1/recommendations",status="400"} 1'
        in text
    )
    assert 'segue_request_duration_seconds_count{route="/v1/recommendations"} 2' in text
    assert 'le="+Inf"' in text


def test_openapi_documents_the_endpoints(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/v1/recommendations", "/v1/continuations", "/health"} <= set(spec["paths"])
    names = {
        p["name"] for p in spec["paths"]["/v1/recommendations"]["get"]["parameters"]
    }
    assert {
        "seed_tracks",
        "limit",
        "min_energy",
        "target_tempo",
        "max_popularity",
    } <= names
    assert client.get("/docs").status_code == 200


def test_catalog_playlists_search(client: TestClient) -> None:
    data = client.get("/api/playlists", params={"q": "LOUD", "limit": 5}).json()
    assert data["total"] == 18
    assert len(data["items"]) == 5
    assert all("loud" in p["name"] for p in data["items"])
    assert client.get("/api/playlists", params={"q": "x" * 101}).status_code == 400


def test_page_is_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "<h1>segue" in page.text
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/../app.py").status_code in (400, 404)
