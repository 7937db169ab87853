"""Seeded synthetic worlds: a catalogue, its sound and its playlists.

A world has artists with power-law popularity, each in a main scene (genre);
albums; tracks with ISRCs and audio features shaped by their scene; planted
version families (remasters, live takes, radio edits, remixes, ``feat.`` takes,
and duplicates of the same recording on compilations and singles); and playlists
that draw mostly from one scene, favour popular tracks, run along albums and take
their titles from the scene's words. As in the MPD, every track appears in at least
one playlist and none twice in one playlist. Small worlds are test fixtures (500
playlists draw in well under a second); a world of 1,000,000 playlists has the size
of the Million Playlist Dataset (2,200,000 tracks, about 65,000,000 entries).

Example
-------
>>> from segue.catalog.synth import SynthConfig, generate
>>> world = generate(SynthConfig(playlists=200, seed=1))
>>> world.playlist_tracks.dtype
dtype('int32')
"""

from segue.catalog.synth._config import SynthConfig
from segue.catalog.synth._generate import generate
from segue.catalog.synth._scenes import SCENES, Scene
from segue.catalog.synth._versions import KINDS, SAME_RECORDING
from segue.catalog.synth._world import World

__all__ = [
    "KINDS",
    "SAME_RECORDING",
    "SCENES",
    "Scene",
    "SynthConfig",
    "World",
    "generate",
]
