"""Vectorised makers of artist, song, album and playlist names.

Every function draws from a :class:`numpy.random.Generator` and returns object
arrays of ``str``; none loops over names in Python beyond numpy's own element-wise
string operations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "album_titles",
    "artist_names",
    "base62_ids",
    "pick",
    "playlist_titles",
    "song_titles",
    "unique_within",
]

Objects = npt.NDArray[np.object_]


def _words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


_BASE62 = np.frombuffer(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8
)

_FIRST = _words(
    "Ada Alex Ana Ben Cara Cole Dana Eli Ella Emil Eva Finn Gia Hana Ian Ida Ivy "
    "Jack Jade Jon Kai Kate Leo Lila Lou Luca Mae Maya Mila Nia Noah Nora Ola "
    "Otis Paz Quinn Rae Remy Rosa Ruby Sam Sara Theo Tia Uma Vera Wes Yara Zoe "
    "Arlo Bea Cruz Dex Esme Fox Gus Hugo Iris June Kit Lena Milo Nell Omar Pia "
    "Rio Sol Tom Val Will Xan Yuki Zane Amos Bo Clem Dot Edie Flo Gale Hal"
)
_LAST = _words(
    "Adams Baker Bell Blake Brooks Carter Clay Cole Cross Dale Dean Drake Ellis "
    "Ford Fox Frost Gray Hale Hart Hayes Hill Holt Hunt James Kane Kerr King "
    "Lane Lark Lowe Marsh Moon Moore Nash Park Pike Price Reed Rhodes Rivers "
    "Rose Ross Sage Shaw Stone Storm Swift Vance Vale Wade Ward Wells West "
    "Wilde Wolfe Wren Young Banks Birch Brand Burke Cash Crane Finch Flint "
    "Glass Greer Hollis Ives Jett Knox Lyle Mercer Monroe North Orr Pryce "
    "Quill Rowe Sloane Thorne Vega Winter York Zell"
)
_SYLLABLES = _words(
    "ka lo mi ra ne so tu va zi be do fa ge hi ju ko la me no pa qui re si ta "
    "vo wa ya ze ri an el or us in ar en on ly sha cho tri bel mor dan kai lu "
    "xo ny ve ki ba ro"
)
_ADJECTIVES = _words(
    "Golden Silver Broken Quiet Electric Wild Lonely Velvet Burning Frozen "
    "Hidden Neon Paper Crystal Midnight Summer Winter Crimson Empty Endless "
    "Fading Gentle Hollow Lucky Restless Secret Shallow Sleepy Strange Sweet "
    "Tender Wicked Bright Dark Distant Faded Honest Little Lost Perfect Pretty "
    "Rainy Silent Simple Sunny Wasted Young Blue Green Cold Warm Slow Fast "
    "Open Heavy Holy Savage Royal Cosmic Dusty Early Easy Fancy"
)
_NOUNS = _words(
    "Heart Love Night Fire Rain River Road Sky Star Sun Moon Light Dream Ghost "
    "City Ocean Wave Storm Rose Kiss Eyes Hands Heaven Home Summer Shadow "
    "Thunder Window Mirror Garden Highway Money Paradise Letter Memory Promise "
    "Secret Signal Silence Stranger Sugar Tears Train Wind Wolf Youth Angel "
    "Blood Bones Cherry Diamond Echo Feather Flame Gold Honey Island Lion "
    "Morning Mountain Needle Orchid Pocket Queen Satellite Smoke Snow Stone "
    "Thief Tiger Velvet Voice Water Wildfire Wings Anchor Arrow Bridge Candle "
    "Canyon Circus Comet Compass Daylight Desert Engine Forest Harbor Horizon "
    "Lantern Machine Meadow Motel Parade Planet Rocket Saint Sparrow Sunset"
)
_VERBS = _words(
    "Hold Take Call Run Fall Dance Wait Stay Come Drive Burn Breathe Shine "
    "Walk Tell Kiss Save Find Leave Chase Follow Forget Carry Keep Touch"
)
_OBJECTS = _words(
    "Me Home Away Back Down Tonight Forever Slow Close Again Together Alone "
    "Higher Closer Out Now"
)
_MODIFIERS = _words(
    "chill|best of|my|summer|late night|throwback|road trip|party|morning|sad|"
    "happy|new|old school|good|workout|sunday|rainy|driving|weekend|feel good",
    "|",
)


def _plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


_PLURALS = [_plural(n) for n in _NOUNS]
_GROUP_NOUNS = _words("vibes mix songs jams playlist tunes hits favorites music")


def pick(rng: np.random.Generator, words: Sequence[str], size: int) -> Objects:
    """Draw ``size`` words uniformly from ``words``, as an object array."""
    table = np.asarray(words, dtype=object)
    return table[rng.integers(0, len(table), size)]


def base62_ids(rng: np.random.Generator, size: int) -> Objects:
    """Draw ``size`` random Spotify-shaped ids (22 base-62 characters)."""
    codes = _BASE62[rng.integers(0, 62, size=(size, 22), dtype=np.uint8)]
    return np.ascontiguousarray(codes).view("S22").ravel().astype("U22").astype(object)


def _join(*parts: Objects | str) -> Objects:
    out: Objects | str = parts[0]
    for part in parts[1:]:
        out = out + part
    return np.asarray(out, dtype=object)


def _syllable_word(rng: np.random.Generator, size: int, count: int) -> Objects:
    word = pick(rng, _SYLLABLES, size)
    for _ in range(count - 1):
        word = _join(word, pick(rng, _SYLLABLES, size))
    return np.asarray(np.char.capitalize(word.astype(str)).astype(object), dtype=object)


def artist_names(rng: np.random.Generator, prefixes: Objects, size: int) -> Objects:
    """Make ``size`` distinct artist names.

    Parameters
    ----------
    rng
        The random generator.
    prefixes
        Shape ``(size,)``: a per-artist prefix such as ``"DJ "`` or ``""``.
    size
        How many names.
    """
    style = rng.integers(0, 4, size)
    person = _join(pick(rng, _FIRST, size), " ", pick(rng, _LAST, size))
    band = _join(
        "The ",
        pick(rng, _ADJECTIVES, size),
        " ",
        pick(rng, _PLURALS, size),
    )
    word = _syllable_word(rng, size, 3)
    pair = _join(pick(rng, _FIRST, size), " & the ", pick(rng, _PLURALS, size))
    names = np.where(style == 0, person, np.where(style == 1, band, word))
    names = np.where(style == 3, pair, names)
    names = _join(prefixes, np.asarray(names, dtype=object))
    again = _first_duplicates(names)
    names[again] = _join(prefixes[again], _syllable_word(rng, int(again.sum()), 4))
    return unique_within(np.zeros(size, dtype=np.int64), names)


def album_titles(rng: np.random.Generator, size: int) -> Objects:
    """Make ``size`` album titles such as ``"Velvet Harbor"`` or ``"Comets"``."""
    plural = rng.random(size) < 0.3
    pair = _join(pick(rng, _ADJECTIVES, size), " ", pick(rng, _NOUNS, size))
    nouns = pick(rng, _PLURALS, size)
    return np.asarray(np.where(plural, nouns, pair), dtype=object)


def song_titles(rng: np.random.Generator, size: int) -> Objects:
    """Make ``size`` song titles (not unique; see :func:`unique_within`)."""
    style = rng.integers(0, 5, size)
    adj_noun = _join(pick(rng, _ADJECTIVES, size), " ", pick(rng, _NOUNS, size))
    noun = pick(rng, _NOUNS, size)
    verb = _join(pick(rng, _VERBS, size), " ", pick(rng, _OBJECTS, size))
    of = _join(pick(rng, _NOUNS, size), " of ", pick(rng, _NOUNS, size))
    the = _join("The ", pick(rng, _NOUNS, size))
    out = np.where(style == 0, adj_noun, np.where(style == 1, noun, verb))
    out = np.where(style == 3, of, out)
    return np.asarray(np.where(style == 4, the, out), dtype=object)


def playlist_titles(
    rng: np.random.Generator,
    scene_words: Sequence[Sequence[str]],
    scenes: npt.NDArray[np.integer[Any]],
) -> Objects:
    """Make one title per playlist from its scene's words.

    Parameters
    ----------
    rng
        The random generator.
    scene_words
        The words of each scene.
    scenes
        Shape ``(n_playlists,)``: each playlist's scene index.
    """
    size = len(scenes)
    flat = np.asarray([w for words in scene_words for w in words], dtype=object)
    counts = np.asarray([len(words) for words in scene_words], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    scene_idx = np.asarray(scenes, dtype=np.int64)
    word = flat[starts[scene_idx] + (rng.random(size) * counts[scene_idx]).astype(int)]
    style = rng.integers(0, 4, size)
    mod = pick(rng, _MODIFIERS, size)
    noun = pick(rng, _GROUP_NOUNS, size)
    title = np.where(
        style == 0,
        word,
        np.where(
            style == 1,
            _join(mod, " ", word),
            np.where(
                style == 2, _join(word, " ", noun), _join(mod, " ", word, " ", noun)
            ),
        ),
    ).astype(str)
    case = rng.random(size)
    title = np.where(case < 0.35, np.char.title(title), title)
    title = np.where(case > 0.95, np.char.upper(title), title)
    return np.asarray(title.astype(object), dtype=object)


def _first_duplicates(names: Objects) -> npt.NDArray[np.bool_]:
    """Mask of every occurrence of a name after its first."""
    _, first = np.unique(names.astype(str), return_index=True)
    mask = np.ones(len(names), dtype=bool)
    mask[first] = False
    return mask


def unique_within(groups: npt.NDArray[np.int64], names: Objects) -> Objects:
    """Make names unique within each group by numbering repeats (``"X II"``)."""
    if len(names) == 0:
        return names
    keys = np.char.lower(names.astype(str))
    order = np.lexsort((keys, groups))
    sorted_keys = keys[order]
    sorted_groups = groups[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (sorted_keys[1:] != sorted_keys[:-1]) | (
        sorted_groups[1:] != sorted_groups[:-1]
    )
    run_start = np.maximum.accumulate(np.where(new, np.arange(len(order)), 0))
    repeat = np.empty(len(order), dtype=np.int64)
    repeat[order] = np.arange(len(order)) - run_start
    out = names.copy()
    numerals = np.asarray(
        ["", " II", " III", " IV", " V", " VI", " VII", " VIII", " IX", " X"],
        dtype=object,
    )
    small = repeat < len(numerals)
    out[small] = _join(names[small], numerals[repeat[small]])
    big = ~small
    if big.any():
        out[big] = _join(names[big], " ", repeat[big].astype(str).astype(object))
    return out
