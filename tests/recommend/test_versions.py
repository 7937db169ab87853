"""The table of real title pairs (from mpd-dev track names) that decides the rules."""

from __future__ import annotations

import numpy as np
import pytest

from segue.recommend.versions import is_remix, normalise_title, same_song, version_keys

# (original, other, same song by default, same song when remixes are allowed)
PAIRS = [
    # remasters
    ("Layla", "Layla - 40th Anniversary Version / 2010 Remastered", True, True),
    ("Every Night", "Every Night - Remastered 2011", True, True),
    ("Kissing a Fool", "Kissing a Fool - Remastered", True, True),
    ("Soul Love", "Soul Love - 2012 Remastered Version", True, True),
    ("Body Movin'", "Body Movin' - Digitally Remastered 2005", True, True),
    ("Nada Personal", "Nada Personal - Remasterizado 2007", True, True),
    ("Seasons in the Sun", "Seasons in the Sun (Remastered)", True, True),
    ("Away In A Manger", "Away In A Manger - 1999 Digital Remaster", True, True),
    (
        "The Boulevard Of Broken Dreams",
        "The Boulevard Of Broken Dreams - 2011 Remaster",
        True,
        True,
    ),
    ("25 Or 6 To 4", "25 Or 6 To 4 - Remastered SINGLE Version", True, True),
    (
        "Along Came Betty",
        "Along Came Betty (Rudy Van Gelder Edition) [1999 - Remaster]",
        True,
        True,
    ),
    (
        "A Fifth Of Beethoven",
        "A Fifth Of Beethoven - 2007 Remastered Version Saturday Night Fever",
        True,
        True,
    ),
    # live takes
    ("Jailhouse Rock", "Jailhouse Rock - Live", True, True),
    ("Mission", "Mission (Live)", True, True),
    ("Glósóli", "Glósóli (Live)", True, True),
    ("Stop This Train", "Stop This Train - Live at the Nokia Theatre", True, True),
    (
        "High Time",
        "High Time - Live From Madison Square Garden, New York, NY 9/10/91",
        True,
        True,
    ),
    (
        "Brown Sugar",
        "Brown Sugar - Live At The Beacon Theatre, New York / 2006",
        True,
        True,
    ),
    ("Bad Company", "Bad Company - Live/2013", True, True),
    (
        "Love Came Down",
        "Love Came Down (If My Heart Is Overwhelmed) - Live",
        True,
        True,
    ),
    # edits and named versions
    ("Brazil", "Brazil - Radio Edit", True, True),
    ("Sun & Moon", "Sun & Moon - Radio Edit", True, True),
    ("Never Once", "Never Once - Radio Version", True, True),
    ("La Vie En Rose", "La Vie En Rose - Single Version", True, True),
    ("Purple Rain", 'Purple Rain - 7" Single Edit', True, True),
    (
        "Coming In From The Cold",
        'Coming In From The Cold - 1984 12" Single',
        True,
        True,
    ),
    ("Dr. Yang", "Dr. Yang - Seeds Album Version", True, True),
    (
        "Can't Take My Eyes Off Of You",
        "Can't Take My Eyes Off Of You - EP Version",
        True,
        True,
    ),
    (
        "Someone That Loves You",
        "Someone That Loves You (Late Night Version)",
        True,
        True,
    ),
    (
        "Funny How Time Slips Away",
        "Funny How Time Slips Away - 1962 Version",
        True,
        True,
    ),
    ("Next to You", "Next to You - Explicit Album Version", True, True),
    ("Heat Wave", "Heat Wave - Stereo Mix with Fade", True, False),
    (
        "Love Me Tender",
        'Love Me Tender - From the 20th Century-Fox CinemaScope Production, "Love Me '
        'Tender"',
        True,
        True,
    ),
    # acoustic, demo, sessions, instrumental
    ("Let Her Go", "Let Her Go - Acoustic", True, True),
    ("Amused", "Amused (Acoustic)", True, True),
    ("It Ends Tonight", "It Ends Tonight - Acoustic Version", True, True),
    ("The Con", "The Con - Demo", True, True),
    ("Here For You", "Here For You - Stripped Session", True, True),
    ("Wolf", "Wolf - Spotify Sessions", True, True),
    ("Glass Bridge", "Glass Bridge (Inst.)", True, True),
    ("Colors", "Colors - Stripped", True, True),
    ("How Great Is Our God", "How Great Is Our God - World Edition", True, True),
    # featured artists
    ("Amazing", "Amazing (feat. Jacquees)", True, True),
    (
        "I Knew This Would Be Love",
        "I Knew This Would Be Love (feat. Kina Grannis)",
        True,
        True,
    ),
    ("Express Yourself", "Express Yourself - feat. Nicky Da B", True, True),
    ("Rescue Me", "Rescue Me feat. Juliana Chahayed", True, True),
    ("Drugs", "Drugs Feat. B-Legit", True, True),
    ("Oh How We Love You", "Oh How We Love You (Live) [feat. Will Reagan]", True, True),
    # remixes: versions by default, songs of their own when allowed
    ("Paradise", "Paradise - Tiësto Remix", True, False),
    ("Electric Feel", "Electric Feel - Justice Remix", True, False),
    ("Days of Lavender", "Days of Lavender (Amtrac Remix)", True, False),
    ("Run", "Run (Ballad Mix)", True, False),
    ("Cola", "Cola - Club Mix", True, False),
    ("Finale", "Finale - Dub Mix", True, False),
    ("Street Sweeper", "Street Sweeper (Remix) [feat. Freddie Gibbs]", True, False),
    (
        "Lean On (feat. MØ & DJ Snake)",
        "Lean On (feat. MØ & DJ Snake) - Dillon Francis & Jauz Remix",
        True,
        False,
    ),
    (
        "Young And Beautiful",
        "Young And Beautiful [Lana Del Rey vs. Cedric Gervais] - Cedric Gervais Remix "
        "Radio Edit",
        True,
        False,
    ),
    # subtitles of one song
    ("Int'l Players Anthem", "Int'l Players Anthem (I Choose You)", True, True),
    ("Un-thinkable (I'm Ready)", "Un-thinkable", True, True),
    # spelling
    ("Should've Been Us", "Should’ve Been Us", True, True),
    ("Cuando Tú Me Besas", "Cuando Tu Me Besas", True, True),
    # different songs of one artist
    ("If Only", "If Only (Reprise)", False, False),
    ("Don't Cost Nothing", "Don't Cost Nothing (Reprise)", False, False),
    (
        "(Somebody) Ease My Troublin' Mind",
        "(What A) Wonderful World - Remastered",
        False,
        False,
    ),
    ("Releasing My Faith", "Releasing My Faith - Reprise", False, False),
    ("Dear Boy", "Dear Boy - Avicii By Avicii", False, False),
    (
        "The Lotus of a Thousand Petals, Sahasrara",
        "The Lotus of a Thousand Petals, Sahasrara - Om Divine In the Key of B",
        False,
        False,
    ),
    ("Live and Learn", "Learn", False, False),
    ("Mono", "Stereo", False, False),
    ("Changes", "Changed", False, False),
    ("Part of Me", "Part of You", False, False),
    ("Intro", "Outro", False, False),
    ("Lose Yourself", "Lose Control", False, False),
]


@pytest.mark.parametrize(("a", "b", "same", "same_allowing_remixes"), PAIRS)
def test_real_title_pairs(
    a: str, b: str, same: bool, same_allowing_remixes: bool
) -> None:
    assert same_song(a, b) is same, (normalise_title(a), normalise_title(b))
    got = same_song(a, b, allow_remixes=True)
    assert got is same_allowing_remixes, (
        normalise_title(a, allow_remixes=True),
        normalise_title(b, allow_remixes=True),
    )


def test_different_artists_never_match() -> None:
    assert not same_song("Hallelujah", "Hallelujah", same_artist=False)


@pytest.mark.parametrize(
    ("name", "remix"),
    [
        ("Paradise - Tiësto Remix", True),
        ("Cola - Club Mix", True),
        ("Roady - Fat Freddy's Drop Edit", True),
        ("Brazil - Radio Edit", False),
        ("Layla - 2010 Remastered", False),
        ("Mixtape", False),
        ("Remix to Ignition", False),
    ],
)
def test_is_remix(name: str, remix: bool) -> None:
    assert is_remix(name) is remix


def test_normalise_title_form() -> None:
    assert normalise_title("Sun & Moon - Radio Edit") == "sun and moon"
    assert normalise_title("Don't Stop (feat. X) [Live]") == "dont stop"


def test_version_keys_group_by_artist_title_and_isrc() -> None:
    names = [
        "Layla",
        "Layla - Live",
        "Layla",
        "Bell Bottom Blues",
        "Other",
        "Dont Stop",
        "Don't Stop!",
    ]
    artists = ["a", "a", "b", "a", "c", "d", "d"]
    isrcs = [None, None, None, "X1", "X1", None, None]
    keys = version_keys(names, artists, isrcs)
    assert keys[0] == keys[1]
    assert keys[0] != keys[2]  # a cover by another artist
    assert keys[3] == keys[4]  # same ISRC
    assert keys[5] == keys[6]
    assert len(np.unique(keys)) == 4
