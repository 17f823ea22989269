"""JWT Inspector: paste a token, see it decoded, verified and explained. Offline."""

__version__ = "0.1.0"
