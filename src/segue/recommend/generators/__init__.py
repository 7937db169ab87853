"""Candidate generators, each a small recommender of its own.

===================  ============================================================
``als``              matrix factorisation (implicit ALS) with exact seed fold-in
``cooccurrence``     item-item neighbours of the seeds (shrunk cosine)
``playlist_knn``     tracks of the training playlists that share the most seeds
``artist_album``     tracks of the seeds' artists and albums
``related_artists``  tracks of artists that share playlists with the seeds' artists
``title``            tracks of training playlists with similar titles
``features``         nearest tracks in audio-feature space (where features exist)
``popularity``       the most frequent tracks, the last resort
===================  ============================================================
"""

from segue.recommend.generators.als import ALS
from segue.recommend.generators.artist_album import ArtistAlbum
from segue.recommend.generators.base import Generator
from segue.recommend.generators.cooccurrence import CoOccurrence
from segue.recommend.generators.features import AudioFeatures
from segue.recommend.generators.playlist_knn import PlaylistKNN
from segue.recommend.generators.popularity import Popularity
from segue.recommend.generators.related_artists import RelatedArtists
from segue.recommend.generators.title import Title

__all__ = [
    "ALS",
    "ArtistAlbum",
    "AudioFeatures",
    "CoOccurrence",
    "Generator",
    "PlaylistKNN",
    "Popularity",
    "RelatedArtists",
    "Title",
]
