"""segue: continue a Spotify playlist with songs that fit it.

segue is a Spotify Web API client, an offline emulator of that API, a DuckDB catalog
of playlists and tracks, and a hybrid recommender that continues playlists, with the
tools to evaluate it. Start with ``segue --help`` or the README.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
