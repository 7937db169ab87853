"""Scenes (genres) of synthetic worlds and the words their names are made of.

A scene fixes the mean audio features of its tracks, the words of its playlist
titles, the country of its ISRCs and the era of its releases. The numbers are
rough readings of real Spotify audio features per genre, on Spotify's scales.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SCENES", "Scene", "scene_table"]


@dataclass(frozen=True, slots=True)
class Scene:
    """One scene: its name, title words and typical track.

    ``features`` holds the means of danceability, energy, speechiness,
    acousticness, instrumentalness and valence (0..1), then loudness (dB) and
    tempo (BPM); ``major`` is the share of tracks in a major key.
    """

    name: str
    words: tuple[str, ...]
    country: str
    year: int
    features: tuple[float, float, float, float, float, float, float, float]
    major: float
    explicit: float
    seconds: float
    prefixes: tuple[str, ...] = ()


SCENES: tuple[Scene, ...] = (
    Scene(
        "indie rock",
        (
            "indie",
            "indie rock",
            "alt rock",
            "garage",
            "guitar",
            "road trip",
            "indie vibes",
            "alternative",
            "bedroom",
            "feels",
        ),
        "GB",
        2011,
        (0.50, 0.70, 0.05, 0.15, 0.12, 0.45, -7.0, 125.0),
        0.65,
        0.10,
        225.0,
    ),
    Scene(
        "k-pop",
        (
            "k-pop",
            "kpop",
            "korean",
            "idol",
            "seoul",
            "kpop hits",
            "bias",
            "kpop dance",
            "hallyu",
            "k-pop mix",
        ),
        "KR",
        2017,
        (0.70, 0.80, 0.08, 0.10, 0.01, 0.60, -4.0, 121.0),
        0.55,
        0.05,
        210.0,
        ("", "", "", "Team "),
    ),
    Scene(
        "lofi",
        (
            "lofi",
            "lo-fi",
            "lofi beats",
            "chillhop",
            "study",
            "rainy day",
            "coffee",
            "focus",
            "chill beats",
            "lofi hip hop",
        ),
        "US",
        2018,
        (0.65, 0.30, 0.08, 0.60, 0.80, 0.40, -12.0, 85.0),
        0.50,
        0.0,
        150.0,
    ),
    Scene(
        "country",
        (
            "country",
            "country roads",
            "whiskey",
            "truck",
            "southern",
            "honky tonk",
            "boots",
            "backroads",
            "nashville",
            "country hits",
        ),
        "US",
        2013,
        (0.58, 0.65, 0.04, 0.25, 0.01, 0.60, -6.0, 120.0),
        0.85,
        0.05,
        200.0,
    ),
    Scene(
        "edm",
        (
            "edm",
            "electro",
            "festival",
            "rave",
            "drop",
            "bass",
            "big room",
            "edm bangers",
            "dance",
            "club",
        ),
        "NL",
        2015,
        (0.65, 0.88, 0.07, 0.03, 0.40, 0.40, -4.0, 128.0),
        0.50,
        0.10,
        230.0,
        ("", "", "DJ "),
    ),
    Scene(
        "jazz",
        (
            "jazz",
            "smooth jazz",
            "bebop",
            "jazz standards",
            "swing",
            "cool jazz",
            "jazz cafe",
            "blue note",
            "saxophone",
            "late night jazz",
        ),
        "US",
        1962,
        (0.50, 0.30, 0.05, 0.80, 0.55, 0.50, -14.0, 110.0),
        0.60,
        0.0,
        320.0,
    ),
    Scene(
        "hip hop",
        (
            "hip hop",
            "rap",
            "hiphop",
            "trap",
            "bars",
            "turnt",
            "rap caviar",
            "old school hip hop",
            "beats",
            "hype",
        ),
        "US",
        2015,
        (0.78, 0.65, 0.28, 0.12, 0.01, 0.50, -6.0, 95.0),
        0.55,
        0.70,
        220.0,
        ("", "", "Lil ", "MC ", "Young "),
    ),
    Scene(
        "classical",
        (
            "classical",
            "piano",
            "orchestra",
            "symphony",
            "baroque",
            "strings",
            "classical study",
            "opera",
            "chamber",
            "concerto",
        ),
        "DE",
        1995,
        (0.25, 0.12, 0.04, 0.95, 0.85, 0.20, -22.0, 100.0),
        0.60,
        0.0,
        330.0,
    ),
    Scene(
        "pop",
        (
            "pop",
            "top hits",
            "pop hits",
            "today",
            "radio",
            "sing along",
            "girls night",
            "pop party",
            "hits",
            "throwback pop",
        ),
        "US",
        2016,
        (0.65, 0.68, 0.07, 0.20, 0.01, 0.55, -5.5, 118.0),
        0.65,
        0.20,
        205.0,
    ),
    Scene(
        "metal",
        (
            "metal",
            "heavy metal",
            "metalcore",
            "thrash",
            "headbang",
            "mosh",
            "doom",
            "heavy",
            "metal madness",
            "riffs",
        ),
        "SE",
        2005,
        (0.40, 0.93, 0.08, 0.01, 0.20, 0.30, -4.5, 140.0),
        0.45,
        0.30,
        280.0,
    ),
    Scene(
        "reggaeton",
        (
            "reggaeton",
            "latin",
            "latino",
            "perreo",
            "fiesta",
            "baila",
            "latin hits",
            "verano",
            "salsa",
            "urbano",
        ),
        "PR",
        2017,
        (0.78, 0.75, 0.12, 0.15, 0.01, 0.70, -4.5, 96.0),
        0.50,
        0.40,
        215.0,
    ),
    Scene(
        "r&b",
        (
            "r&b",
            "rnb",
            "slow jams",
            "soul",
            "bedroom r&b",
            "smooth",
            "late night",
            "love songs",
            "neo soul",
            "vibes",
        ),
        "US",
        2014,
        (0.65, 0.50, 0.10, 0.30, 0.02, 0.45, -7.5, 100.0),
        0.45,
        0.40,
        230.0,
    ),
    Scene(
        "folk",
        (
            "folk",
            "indie folk",
            "acoustic",
            "campfire",
            "cabin",
            "americana",
            "singer songwriter",
            "woods",
            "folk songs",
            "sunday morning",
        ),
        "IE",
        2011,
        (0.50, 0.35, 0.04, 0.75, 0.05, 0.45, -10.0, 115.0),
        0.75,
        0.02,
        225.0,
    ),
    Scene(
        "house",
        (
            "house",
            "deep house",
            "tech house",
            "house music",
            "ibiza",
            "disco",
            "afterparty",
            "sunset",
            "groove",
            "underground",
        ),
        "GB",
        2014,
        (0.80, 0.75, 0.06, 0.05, 0.60, 0.55, -7.0, 124.0),
        0.50,
        0.05,
        360.0,
        ("", "", "DJ "),
    ),
    Scene(
        "punk",
        (
            "punk",
            "pop punk",
            "punk rock",
            "skate",
            "emo",
            "warped tour",
            "angst",
            "ska",
            "riot",
            "emo nite",
        ),
        "US",
        1998,
        (0.45, 0.90, 0.07, 0.02, 0.03, 0.50, -4.5, 165.0),
        0.70,
        0.25,
        165.0,
    ),
    Scene(
        "soul",
        (
            "soul",
            "motown",
            "oldies",
            "classic soul",
            "funk",
            "groovy",
            "sixties",
            "golden oldies",
            "soul train",
            "northern soul",
        ),
        "US",
        1968,
        (0.60, 0.55, 0.05, 0.40, 0.02, 0.70, -9.0, 110.0),
        0.70,
        0.0,
        180.0,
    ),
    Scene(
        "ambient",
        (
            "ambient",
            "sleep",
            "meditation",
            "calm",
            "relax",
            "drone",
            "space",
            "dreamy",
            "soundscapes",
            "yoga",
        ),
        "IS",
        2010,
        (0.25, 0.15, 0.04, 0.70, 0.90, 0.10, -20.0, 90.0),
        0.50,
        0.0,
        330.0,
    ),
    Scene(
        "blues",
        (
            "blues",
            "delta blues",
            "blues rock",
            "chicago blues",
            "slide guitar",
            "juke joint",
            "whiskey blues",
            "blues classics",
            "muddy",
            "crossroads",
        ),
        "US",
        1975,
        (0.52, 0.50, 0.05, 0.45, 0.10, 0.55, -10.0, 112.0),
        0.60,
        0.0,
        260.0,
    ),
)
"""The built-in scenes; worlds with more scenes reuse them with numbered names."""


def scene_table(count: int) -> tuple[Scene, ...]:
    """Return ``count`` scenes: the built-in ones, then numbered copies of them."""
    if count < 1:
        raise ValueError(f"a world needs at least one scene, not {count}")
    out = []
    for k in range(count):
        base = SCENES[k % len(SCENES)]
        round_ = k // len(SCENES)
        if round_ == 0:
            out.append(base)
        else:
            out.append(
                Scene(
                    f"{base.name} {round_ + 1}",
                    base.words,
                    base.country,
                    base.year,
                    base.features,
                    base.major,
                    base.explicit,
                    base.seconds,
                    base.prefixes,
                )
            )
    return tuple(out)
