"""Ids, URIs, links and chunking."""

from __future__ import annotations

import pytest

from segue.spotify import ValidationError, chunked, parse_id, to_uri

TID = "4uLU6hMCjMI75M1A2tKUQC"


@pytest.mark.parametrize(
    "value",
    [
        TID,
        f"spotify:track:{TID}",
        f"https://open.spotify.com/track/{TID}",
        f"https://open.spotify.com/track/{TID}?si=abc123",
        f"https://open.spotify.com/intl-de/track/{TID}",
        f"  {TID}\n",
    ],
)
def test_parse_id_accepts_every_form(value: str) -> None:
    assert parse_id(value, "track") == TID


@pytest.mark.parametrize(
    "value",
    [
        "",
        TID[:-1],
        TID + "x",
        f"spotify:album:{TID}",
        f"https://open.spotify.com/album/{TID}",
        "4uLU6hMCjMI75M1A2tKU-C",
        "spotify:track:",
    ],
)
def test_parse_id_rejects_malformed_or_wrong_kind(value: str) -> None:
    with pytest.raises(ValidationError):
        parse_id(value, "track")


def test_validation_error_is_a_value_error_and_names_the_value() -> None:
    with pytest.raises(ValueError, match="not a Spotify track id: 'nope'"):
        parse_id("nope", "track")


def test_user_ids_are_free_form_but_not_paths() -> None:
    assert parse_id("spotify:user:alice.b_1", "user") == "alice.b_1"
    with pytest.raises(ValidationError):
        parse_id("a/b", "user")


def test_to_uri() -> None:
    assert to_uri(TID, "track") == f"spotify:track:{TID}"
    assert to_uri(f"https://open.spotify.com/album/{TID}") == f"spotify:album:{TID}"
    assert to_uri(f"spotify:episode:{TID}") == f"spotify:episode:{TID}"
    with pytest.raises(ValidationError, match="no kind"):
        to_uri(TID)
    with pytest.raises(ValidationError, match="expected a track"):
        to_uri(f"spotify:album:{TID}", "track")


@pytest.mark.parametrize(
    ("n", "size", "lengths"),
    [(0, 50, []), (1, 50, [1]), (50, 50, [50]), (51, 50, [50, 1]), (120, 40, [40] * 3)],
)
def test_chunked(n: int, size: int, lengths: list[int]) -> None:
    items = list(range(n))
    chunks = list(chunked(items, size))
    assert [len(c) for c in chunks] == lengths
    assert [x for c in chunks for x in c] == items


def test_chunked_rejects_size_zero() -> None:
    with pytest.raises(ValidationError):
        list(chunked([1], 0))
