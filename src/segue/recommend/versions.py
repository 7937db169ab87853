"""Versions of one song: normalised titles and the keys that dedupe them.

Two tracks are versions of one song when they share an ISRC, or when they have the
same main artist and the same *normalised* title. The rules below were decided by
a table of real title pairs from the Million Playlist Dataset
(``tests/recommend/test_versions.py``):

- A dash suffix (``Title - Suffix``) or a bracketed group (``(…)``, ``[…]``) is a
  *decoration* and is removed when it names a version: remaster(ed), live (also
  ``Live at …``, ``Live from …``), radio/single/album/EP/… ``Version``, edit,
  mono, stereo, acoustic, stripped, demo, session(s), instrumental,
  explicit/clean, deluxe, edition, anniversary, re-recorded, ``From "Film"``,
  remix/mix/dub/rework/VIP. (Remix names in other scripts, e.g. Japanese
  ``リミックス``, are not recognised.)
- Featured artists are removed anywhere: ``(feat. X)``, ``[feat. X]``,
  ``- feat. X``, ``feat. X``, ``ft. X``, ``featuring X``, ``(with X)``.
- A trailing bracketed group that names a distinct piece is kept: reprise,
  interlude, intro, outro, part/pt., vol., act, chapter, numbers. Other trailing
  subtitles such as ``Un-thinkable (I'm Ready)`` are removed (same artist, same
  song); a dash suffix without a version word (``Sahasrara - Om Divine``) is kept.
- Acoustic and instrumental takes count as versions: a listener rarely wants both
  the studio and the acoustic take of one song in one list.
- Remixes are versions unless the caller allows remixes: then a remix is its own
  song (two copies of one remix are still duplicates).
- The rest: Unicode NFKD without accents, case-folded, ``&`` read as ``and``,
  apostrophes dropped, other punctuation as spaces, spaces collapsed. Within one
  artist, titles whose normalised forms have a rapidfuzz ratio of at least
  :data:`FUZZY_RATIO` are merged too (``Dont Stop`` and ``Don't Stop``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

__all__ = [
    "FUZZY_RATIO",
    "is_remix",
    "normalise_title",
    "same_song",
    "version_keys",
]

FUZZY_RATIO = 95.0
"""Minimum rapidfuzz ratio (0-100) of two normalised titles of one artist to merge."""

_VERSION_WORDS = (
    r"remaster(?:ed|izado)?|re-?master|live|en vivo|ao vivo|version|versi[oó]n|edit"
    r"|mono|stereo|acoustic|ac[uú]stico|unplugged|demo|sessions?|instrumental|inst\."
    r"|explicit|clean|deluxe|anniversary|re-?recorded|remix|rmx|mix|dub|rework"
    r"|bootleg|vip|extended|original|radio|single|mixtape|take|from|soundtrack"
    r"|karaoke|cover|bonus|edition|stripped|\d{4}"
)
_REMIX_WORDS = r"remix|rmx|mix|dub|rework|bootleg|vip|flip|edit(?! version)"
_DISTINCT_WORDS = r"reprise|interlude|intro|outro|part|pt\.?|vol\.?|act|chapter|no\."

_FEAT = re.compile(
    r"\s*[\(\[]\s*(?:feat\.?|ft\.|featuring|with)\s[^\)\]]*[\)\]]"
    r"|\s+-\s+(?:feat\.?|ft\.|featuring)\s.*$"
    r"|\s+(?:feat\.|ft\.|featuring)\s.*$",
    re.IGNORECASE,
)
_BRACKET = re.compile(r"\s*[\(\[]([^\(\)\[\]]*)[\)\]]\s*$")
_INNER_BRACKET = re.compile(r"\s*[\(\[]([^\(\)\[\]]*)[\)\]]")
_DASH = re.compile(r"\s+-\s+([^\(\)\[\]]*)$")
_VERSION = re.compile(rf"(?:^|[\s\W])(?:{_VERSION_WORDS})(?:$|[\s\W])", re.IGNORECASE)
_REMIX = re.compile(rf"(?:^|[\s\W])(?:{_REMIX_WORDS})(?:$|[\s\W])", re.IGNORECASE)
_RADIO_OR_SINGLE_EDIT = re.compile(
    r"(?:radio|single|album|video|clean|explicit)\s+edit", re.IGNORECASE
)
_DISTINCT = re.compile(rf"^\s*(?:{_DISTINCT_WORDS})\b|^\s*\d+\s*$", re.IGNORECASE)
_APOSTROPHES = re.compile(r"[\'’`´]")
_PUNCT = re.compile(r"[^\w\s]|_")
_SPACES = re.compile(r"\s+")


def _is_version(text: str) -> bool:
    return _VERSION.search(f" {text} ") is not None


def _is_remix_text(text: str) -> bool:
    cleaned = _RADIO_OR_SINGLE_EDIT.sub(" ", text)
    return _REMIX.search(f" {cleaned} ") is not None


def _strip(name: str, keep_remix: bool) -> str:
    """Remove decorations from a raw title; keep remix words when asked."""
    title = _FEAT.sub("", name).strip()
    kept: list[str] = []
    for _ in range(6):  # titles stack a few decorations at most
        changed = False
        dash = _DASH.search(title)
        if dash and _is_version(dash.group(1)):
            if keep_remix and _is_remix_text(dash.group(1)):
                kept.append(dash.group(1))
            title = title[: dash.start()].strip()
            changed = True
        bracket = _BRACKET.search(title)
        if bracket and bracket.start() > 0 and not _DISTINCT.search(bracket.group(1)):
            if keep_remix and _is_remix_text(bracket.group(1)):
                kept.append(bracket.group(1))
            title = title[: bracket.start()].strip()
            changed = True
        if not changed:
            break
    # version groups in the middle, e.g. "Along Came Betty (…) [1999 - Remaster]"
    inner = [m for m in _INNER_BRACKET.finditer(title) if _is_version(m.group(1))]
    for m in reversed(inner):
        if keep_remix and _is_remix_text(m.group(1)):
            kept.append(m.group(1))
        title = title[: m.start()] + title[m.end() :]
    if kept:
        title = title + " " + " ".join(sorted(kept))
    return title or name


def _clean(text: str) -> str:
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ")
    text = _APOSTROPHES.sub("", text)
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def normalise_title(name: str, *, allow_remixes: bool = False) -> str:
    """The comparable form of a track title, without version decorations.

    Parameters
    ----------
    name
        The title as the catalog has it, e.g. ``"Layla - 2010 Remastered"``.
    allow_remixes
        When true, remix decorations are kept (in a canonical order), so that a
        remix is not a version of the original.

    Returns
    -------
    str
        Lower-case words separated by single spaces, e.g. ``"layla"``.
    """
    return _clean(_strip(name, keep_remix=allow_remixes))


def is_remix(name: str) -> bool:
    """Whether a title names a remix (``- X Remix``, ``(Club Mix)``, ``- Dub``…)."""
    title = _FEAT.sub("", name)
    parts = [m.group(1) for m in _INNER_BRACKET.finditer(title)]
    dash = _DASH.search(title)
    if dash:
        parts.append(dash.group(1))
    return any(_is_remix_text(p) for p in parts)


def same_song(
    a: str, b: str, *, same_artist: bool = True, allow_remixes: bool = False
) -> bool:
    """Whether two titles of one artist are versions of the same song.

    Parameters
    ----------
    a, b
        Raw titles.
    same_artist
        Whether the tracks share their main artist; different artists never match
        (a cover is a new song for a playlist).
    allow_remixes
        Whether a remix counts as a song of its own.
    """
    if not same_artist:
        return False
    x = normalise_title(a, allow_remixes=allow_remixes)
    y = normalise_title(b, allow_remixes=allow_remixes)
    return x == y or fuzz.ratio(x, y) >= FUZZY_RATIO


def version_keys(
    names: Sequence[str | None],
    artists: Sequence[str | None],
    isrcs: Sequence[str | None] | None = None,
    *,
    allow_remixes: bool = False,
) -> npt.NDArray[np.int64]:
    """One integer per track; tracks with equal keys are versions of one song.

    Parameters
    ----------
    names, artists
        Shape ``(n_tracks,)``: raw titles and main-artist ids (None when unknown:
        such a track only matches itself, or its ISRC).
    isrcs
        Shape ``(n_tracks,)`` or None: tracks sharing an ISRC share a key.
    allow_remixes
        Whether remixes are songs of their own.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_tracks,)``, int64 keys in ``[0, n_tracks)``.
    """
    n = len(names)
    parent = np.arange(n, dtype=np.int64)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    # exact: same artist and normalised title, or same ISRC
    first: dict[tuple[str, str], int] = {}
    by_artist: dict[str, dict[str, int]] = {}
    for i in range(n):
        name, artist = names[i], artists[i]
        if name is None or artist is None:
            continue
        title = normalise_title(name, allow_remixes=allow_remixes)
        key = (artist, title)
        if key in first:
            union(first[key], i)
        else:
            first[key] = i
            by_artist.setdefault(artist, {})[title] = i
    if isrcs is not None:
        seen: dict[str, int] = {}
        for i, isrc in enumerate(isrcs):
            if isrc:
                if isrc in seen:
                    union(seen[isrc], i)
                else:
                    seen[isrc] = i

    # near: fuzzy ratio within one artist
    from rapidfuzz import process

    for titles in by_artist.values():
        if len(titles) < 2:
            continue
        words = list(titles)
        scores = process.cdist(
            words, words, scorer=fuzz.ratio, score_cutoff=FUZZY_RATIO, workers=1
        )
        rows, cols = np.nonzero(np.triu(scores, k=1))
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            union(titles[words[r]], titles[words[c]])
    return np.asarray([find(i) for i in range(n)], dtype=np.int64)
